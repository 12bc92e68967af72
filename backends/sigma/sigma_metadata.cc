#include "backends/sigma/sigma_metadata.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "backends/sigma/sigma_tags.h"
#include "compiler/support/text_util.h"
#include "compiler/support/uuid.h"

namespace ward::backends::sigma {
namespace {

constexpr size_t kMaxTitle = 256;
constexpr size_t kMaxDescription = 65535;
// sigmahq_title_length and sigmahq_description_length.
constexpr size_t kMaxSigmaHqTitle = 120;
constexpr size_t kMinSigmaHqDescription = 16;

bool IsLowerAscii(char c) { return c >= 'a' && c <= 'z'; }

bool IsDateText(std::string_view date) {
  // ^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$, the schema's pattern.
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return false;
  }
  int month = (date[5] - '0') * 10 + (date[6] - '0');
  int day = (date[8] - '0') * 10 + (date[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::vector<std::string> Unique(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& item : items) {
    if (!item.empty() && seen.insert(item).second) out.push_back(item);
  }
  return out;
}

class MetaBuilder {
 public:
  MetaBuilder(const ir::Program& program, const ir::Entity& entity, const SigmaOptions& options,
              DiagnosticEngine& diags)
      : program_(program), entity_(entity), options_(options), diags_(diags) {}

  bool sigmahq() const { return options_.profile == Profile::kSigmaHq; }

  void Error(std::string message, std::string help) {
    diags_.Report(Diag(DiagCode::kSigmaCannotExpress, entity_.name_span, std::move(message))
                      .Help(std::move(help)));
    ok_ = false;
  }

  void CheckText(std::string_view field, const std::string& text) {
    if (!IsValidUtf8(text)) {
      Error(fmt::format("the {} of `{}` is not valid UTF-8", field, entity_.name),
            "Sigma rules are UTF-8 text: remove the raw `\\xNN` bytes");
    }
  }

  void Common(Metadata& m, bool filter) {
    const ir::Meta& meta = entity_.meta;
    m.title = meta.title.empty() ? entity_.name : meta.title;
    std::string plain_title = m.title;  // before Title Case, for a derived description
    while (!plain_title.empty() && plain_title.back() == '.') plain_title.pop_back();
    if (sigmahq()) {
      // The final `.` goes first, or "account." would count as a word with
      // a dot (a file name, an ID) and keep its lowercase.
      while (!m.title.empty() && m.title.back() == '.') m.title.pop_back();
      m.title = TitleCase(m.title);
    }
    CheckText("title", m.title);
    if (sigmahq() && !filter && m.title.rfind("Detect", 0) == 0) {
      Missing("a title that names what is found, not \"Detects...\" (sigmahq_title_start)",
              "kept as written");
    }
    if (sigmahq() && m.title.size() > kMaxSigmaHqTitle) {
      Missing(fmt::format("a title of at most {} characters", kMaxSigmaHqTitle), "kept as written");
    }
    if (m.title.size() > kMaxTitle) {
      Error(fmt::format("the title of `{}` has {} bytes; Sigma allows at most {}", entity_.name,
                        m.title.size(), kMaxTitle),
            "shorten the title and move the details to `description`");
    }

    m.id = ir::StableId(program_, entity_);
    if (!IsUuid(m.id)) {
      diags_.Report(Diag(DiagCode::kInvalidUuid, entity_.name_span,
                         fmt::format("`{}` has no valid rule ID", entity_.name))
                        .Help("set `namespace` in ward.yaml to a UUID, or pin `id:` to a UUID"));
      ok_ = false;
    }

    m.description = meta.description;
    if (sigmahq() && !filter) {
      if (m.description.empty()) {
        std::string title = plain_title;
        if (!title.empty() &&
            !(title.size() > 1 && std::isupper(static_cast<unsigned char>(title[1])))) {
          title[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(title[0])));
        }
        m.description = "Detects " + title;
        Missing("description", "derived from the title");
      } else if (m.description.rfind("Detects", 0) != 0) {
        Missing("a description starting with \"Detects\"", "kept as written");
      } else if (m.description.size() < kMinSigmaHqDescription) {
        Missing(fmt::format("a description of at least {} characters", kMinSigmaHqDescription),
                "kept as written");
      }
    }
    CheckText("description", m.description);
    if (m.description.size() > kMaxDescription) {
      Error(fmt::format("the description of `{}` is longer than {} bytes", entity_.name,
                        kMaxDescription),
            "shorten the description");
    }

    m.references = Unique(meta.references);
    for (const std::string& ref : m.references) CheckText("references", ref);
    if (sigmahq() && !filter && m.references.empty()) Missing("references", "left out");

    m.author = meta.author.empty() ? program_.manifest.author : meta.author;
    CheckText("author", m.author);
    if (sigmahq() && !filter && m.author.empty()) Missing("author", "left out");

    if (meta.date) {
      m.date = meta.date->str();
    } else if (sigmahq() && !filter) {
      if (IsDateText(options_.build_date)) {
        m.date = options_.build_date;
        Missing("date", "the build date was used");
      } else {
        Missing("date", "left out");
      }
    }
    if (meta.modified) {
      std::string modified = meta.modified->str();
      // SigmaHQ flags `modified` equal to `date` as redundant.
      if (modified != m.date) m.modified = modified;
    }
    for (const std::string* date : {&m.date, &m.modified}) {
      if (!date->empty() && !IsDateText(*date)) {
        Error(fmt::format("date `{}` of `{}` is not a YYYY-MM-DD date", *date, entity_.name),
              "use a four-digit year");
      }
    }
  }

  void Missing(std::string what, std::string fallback) {
    missing_.push_back(fmt::format("{} ({})", what, fallback));
  }

  void ReportMissing() {
    if (missing_.empty()) return;
    auto diag = Diag(DiagCode::kSigmaHqConvention, entity_.name_span,
                     fmt::format("`{}` lacks metadata that SigmaHQ requires", entity_.name));
    for (const std::string& m : missing_) diag.Note("missing: " + m);
    diag.Help("add the missing properties to the declaration");
    diags_.Report(std::move(diag));
  }

  bool ok() const { return ok_; }

 private:
  const ir::Program& program_;
  const ir::Entity& entity_;
  const SigmaOptions& options_;
  DiagnosticEngine& diags_;
  bool ok_ = true;
  std::vector<std::string> missing_;
};

}  // namespace

std::string TitleCase(std::string_view title) {
  static const std::set<std::string, std::less<>> kSmallWords = {
      "a",  "an", "and", "as",   "at",  "by",      "for", "from", "in",   "new",
      "of", "on", "or",  "over", "the", "through", "to",  "via",  "with", "without"};
  std::string out;
  size_t word_index = 0;
  size_t i = 0;
  while (i < title.size()) {
    if (title[i] == ' ') {
      out += ' ';
      ++i;
      continue;
    }
    size_t end = title.find(' ', i);
    if (end == std::string_view::npos) end = title.size();
    std::string word(title.substr(i, end - i));
    bool has_lower = std::any_of(word.begin(), word.end(), IsLowerAscii);
    bool has_upper = std::any_of(word.begin(), word.end(), [](char c) {
      return std::isupper(static_cast<unsigned char>(c)) != 0;
    });
    bool exempt = word.find_first_of("./_") != std::string::npos ||
                  std::isdigit(static_cast<unsigned char>(word[0])) ||
                  (word_index > 0 && kSmallWords.count(word));
    if (has_lower && !has_upper && !exempt && IsLowerAscii(word[0])) {
      word[0] = static_cast<char>(word[0] - 'a' + 'A');
    }
    out += word;
    ++word_index;
    i = end;
  }
  return out;
}

bool LowerDetectionMetadata(const ir::Program& program, const ir::Detection& detection,
                            const SigmaOptions& options, DiagnosticEngine& diags, Metadata& out) {
  MetaBuilder builder(program, detection, options, diags);
  builder.Common(out, /*filter=*/false);
  for (const ir::Related& related : detection.related) {
    out.related.push_back({related.id, related.type});
  }
  const ir::Meta& meta = detection.meta;
  out.status = meta.status;
  if (out.status.empty() && builder.sigmahq()) {
    out.status = "experimental";
    builder.Missing("status", "`experimental` was used");
  }
  out.tags = TagsFor(detection, detection.threats, options.profile, diags);
  if (out.tags.empty() && builder.sigmahq()) builder.Missing("tags", "left out");

  for (const std::string& fp : Unique(detection.falsepositives)) {
    std::string text = fp;
    if (builder.sigmahq() && IsLowerAscii(text[0])) {
      text[0] = static_cast<char>(text[0] - 'a' + 'A');  // sigmahq_falsepositives_capital
    }
    builder.CheckText("falsepositives", text);
    if (text.size() < 2) {
      builder.Error(fmt::format("false positive `{}` of `{}` is shorter than the two characters "
                                "Sigma requires",
                                text, detection.name),
                    "describe the false positive in a few words");
    }
    out.falsepositives.push_back(text);
  }
  if (out.falsepositives.empty() && builder.sigmahq()) {
    out.falsepositives.push_back("Unknown");
    builder.Missing("falsepositives", "`Unknown` was used");
  }
  out.level = ir::LevelName(detection.level);
  builder.ReportMissing();
  return builder.ok();
}

bool LowerFilterMetadata(const ir::Program& program, const ir::Filter& filter,
                         const SigmaOptions& options, DiagnosticEngine& diags, Metadata& out) {
  MetaBuilder builder(program, filter, options, diags);
  builder.Common(out, /*filter=*/true);
  return builder.ok();
}

}  // namespace ward::backends::sigma
