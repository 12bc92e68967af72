#include "compiler/import/sigma_metadata_reader.h"

#include <cctype>

#include <fmt/format.h>

#include "compiler/support/uuid.h"

namespace ward::import {

namespace {

constexpr size_t kMaxTitle = 256;

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

std::optional<ir::Date> ParseDate(std::string_view text) {
  // YYYY-MM-DD, and pySigma's legacy YYYY/MM/DD (one or two digits for the
  // month and the day).
  char sep = text.size() > 4 ? text[4] : '-';
  if (sep != '-' && sep != '/') return std::nullopt;
  int parts[3] = {0, 0, 0};
  size_t digits[3] = {0, 0, 0};
  size_t part = 0;
  for (char c : text) {
    if (c == sep) {
      if (++part > 2) return std::nullopt;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      parts[part] = parts[part] * 10 + (c - '0');
      if (++digits[part] > 4) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (part != 2 || digits[0] != 4) return std::nullopt;
  bool strict = sep == '-';
  if (strict && (digits[1] != 2 || digits[2] != 2)) return std::nullopt;
  if (!strict && (digits[1] > 2 || digits[2] > 2 || digits[1] == 0 || digits[2] == 0)) {
    return std::nullopt;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year = parts[0], month = parts[1], day = parts[2];
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  int max_day = kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  if (day > max_day) return std::nullopt;
  return ir::Date{year, month, day};
}

}  // namespace

void MetadataReader::Error(DiagCode code, Span span, std::string message, std::string help) {
  diags_.Report(Diag(code, span, std::move(message)).Help(std::move(help)));
}

Span MetadataReader::DocumentSpan() const {
  if (doc_.IsMap() && doc_.begin() != doc_.end()) return file_.Of(doc_.begin()->first);
  return file_.Of(doc_, Span{file_.id(), 0, 0});
}

YAML::Node MetadataReader::Key(const char* key) const {
  for (auto it = doc_.begin(); it != doc_.end(); ++it) {
    if (it->first.Scalar() == key) return it->first;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string MetadataReader::Text(const char* key, bool required) {
  YAML::Node key_node = Key(key);
  if (!key_node.IsDefined()) {
    if (required) {
      Error(DiagCode::kSigmaInvalidStructure, DocumentSpan(),
            fmt::format("the document has no `{}`", key),
            fmt::format("add `{}:`, which the Sigma specification requires", key));
    }
    return {};
  }
  YAML::Node value = doc_[key];
  if (!value.IsScalar()) {
    if (value.IsNull() && !required) return {};
    Error(DiagCode::kSigmaInvalidStructure, file_.Of(value, file_.Of(key_node)),
          fmt::format("`{}` must be text, not {}", key, NodeKindName(value)),
          fmt::format("write `{}: ...` with a single value", key));
    return {};
  }
  return value.Scalar();
}

std::vector<std::string> MetadataReader::TextList(const char* key) {
  std::vector<std::string> out;
  YAML::Node key_node = Key(key);
  if (!key_node.IsDefined()) return out;
  YAML::Node value = doc_[key];
  if (value.IsNull()) return out;
  if (value.IsScalar()) {
    out.push_back(value.Scalar());
    return out;
  }
  if (!value.IsSequence()) {
    Error(DiagCode::kSigmaInvalidStructure, file_.Of(value, file_.Of(key_node)),
          fmt::format("`{}` must be a list of texts, not {}", key, NodeKindName(value)),
          fmt::format("write each entry of `{}` as `- text` on its own line", key));
    return out;
  }
  for (const YAML::Node& item : value) {
    if (!item.IsScalar()) {
      Error(DiagCode::kSigmaInvalidStructure, file_.Of(item, file_.Of(key_node)),
            fmt::format("an entry of `{}` must be text, not {}", key, NodeKindName(item)),
            "quote the entry if it contains `: ` or starts with a special character");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<ir::Date> MetadataReader::Date(const char* key) {
  std::string text = Text(key);
  if (text.empty()) return std::nullopt;
  std::optional<ir::Date> date = ParseDate(text);
  if (!date) {
    Error(DiagCode::kSigmaInvalidMetadata, file_.Of(doc_[key]),
          fmt::format("`{}: {}` is not a real YYYY-MM-DD date", key, text),
          "write the date as YYYY-MM-DD, e.g. 2024-06-01");
  }
  return date;
}

void MetadataReader::Meta(ir::Meta& meta, std::optional<std::string>& id) {
  meta.title = Text("title", /*required=*/true);
  if (meta.title.size() > kMaxTitle) {
    Error(DiagCode::kSigmaInvalidMetadata, file_.Of(doc_["title"]),
          fmt::format("the title has {} characters; Sigma allows at most {}", meta.title.size(),
                      kMaxTitle),
          "shorten the title and move the details to `description`");
  }
  std::string id_text = Text("id");
  if (!id_text.empty()) {
    if (!IsUuid(id_text)) {
      Error(DiagCode::kSigmaInvalidMetadata, file_.Of(doc_["id"]),
            fmt::format("`id: {}` is not a UUID", id_text),
            "Sigma rule IDs are UUIDs such as 929a690e-bef0-4204-a928-ef5e620d6fcc");
    } else {
      id = id_text;
    }
  }
  meta.status = Text("status");
  static const std::set<std::string, std::less<>> kStatus = {"stable", "test", "experimental",
                                                             "deprecated", "unsupported"};
  if (!meta.status.empty() && !kStatus.count(meta.status)) {
    Error(DiagCode::kSigmaInvalidMetadata, file_.Of(doc_["status"]),
          fmt::format("`status: {}` is not a Sigma status", meta.status),
          "use stable, test, experimental, deprecated or unsupported");
  }
  meta.description = Text("description");
  meta.references = TextList("references");
  meta.author = Text("author");
  meta.date = Date("date");
  meta.modified = Date("modified");
  meta.tags = TextList("tags");
}

void MetadataReader::RuleFields(ir::Detection& detection) {
  std::string level = Text("level");
  static const std::pair<const char*, ir::Level> kLevels[] = {
      {"informational", ir::Level::kInformational}, {"low", ir::Level::kLow},
      {"medium", ir::Level::kMedium},               {"high", ir::Level::kHigh},
      {"critical", ir::Level::kCritical}};
  if (!level.empty()) {
    bool found = false;
    for (const auto& [name, value] : kLevels) {
      if (level == name) {
        detection.level = value;
        found = true;
      }
    }
    if (!found) {
      Error(DiagCode::kSigmaInvalidMetadata, file_.Of(doc_["level"]),
            fmt::format("`level: {}` is not a Sigma level", level),
            "use informational, low, medium, high or critical");
    }
  }
  detection.falsepositives = TextList("falsepositives");
  YAML::Node key = Key("related");
  if (!key.IsDefined()) return;
  YAML::Node related = doc_["related"];
  if (!related.IsSequence()) {
    Error(DiagCode::kSigmaInvalidStructure, file_.Of(related, file_.Of(key)),
          "`related` must be a list of `id` and `type` pairs",
          "write each entry as `- id: <uuid>` with `type: derived` (or obsolete, merged, "
          "renamed, similar) below it");
    return;
  }
  static const std::set<std::string, std::less<>> kTypes = {"derived", "obsolete", "merged",
                                                            "renamed", "similar"};
  for (const YAML::Node& item : related) {
    Span span = file_.Of(item, file_.Of(key));
    if (!item.IsMap() || !item["id"].IsScalar() || !item["type"].IsScalar()) {
      Error(DiagCode::kSigmaInvalidMetadata, span,
            "a `related` entry needs an `id` and a `type`",
            "write `- id: <uuid>` and `type: derived` (or obsolete, merged, renamed, similar)");
      continue;
    }
    ir::Related r;
    r.id = item["id"].Scalar();
    r.type = item["type"].Scalar();
    if (!kTypes.count(r.type)) {
      Error(DiagCode::kSigmaInvalidMetadata, file_.Of(item["type"]),
            fmt::format("`type: {}` is not a Sigma relation", r.type),
            "use derived, obsolete, merged, renamed or similar");
      continue;
    }
    detection.related.push_back(std::move(r));
  }
}

void MetadataReader::Logsource(ir::Logsource& out, bool required) {
  YAML::Node key = Key("logsource");
  if (!key.IsDefined()) {
    if (required) {
      Error(DiagCode::kSigmaInvalidStructure, DocumentSpan(), "the document has no `logsource`",
            "add `logsource:` with the `category`, `product` or `service` the rule reads");
    }
    return;
  }
  YAML::Node logsource = doc_["logsource"];
  if (!logsource.IsMap()) {
    Error(DiagCode::kSigmaInvalidStructure, file_.Of(logsource, file_.Of(key)),
          fmt::format("`logsource` must be a mapping, not {}", NodeKindName(logsource)),
          "write `category:`, `product:` and `service:` indented under `logsource:`");
    return;
  }
  for (auto it = logsource.begin(); it != logsource.end(); ++it) {
    const std::string& name = it->first.Scalar();
    if (!it->second.IsScalar()) {
      if (it->second.IsNull()) continue;
      Error(DiagCode::kSigmaInvalidStructure, file_.Of(it->second, file_.Of(it->first)),
            fmt::format("`logsource.{}` must be text, not {}", name, NodeKindName(it->second)),
            "give a single value");
      continue;
    }
    const std::string& value = it->second.Scalar();
    if (name == "category") {
      out.category = value;
    } else if (name == "product") {
      out.product = value;
    } else if (name == "service") {
      out.service = value;
    } else if (name == "definition") {
      out.definition = value;
    } else {
      out.extra[name] = value;
    }
  }
}

void MetadataReader::WarnUnkeptFields(const std::set<std::string, std::less<>>& known,
                                      const std::set<std::string, std::less<>>& not_kept) {
  for (auto it = doc_.begin(); it != doc_.end(); ++it) {
    const std::string& name = it->first.Scalar();
    if (known.count(name) && !not_kept.count(name)) continue;
    diags_.Report(Diag(DiagCode::kSigmaFieldNotKept, file_.Of(it->first),
                       fmt::format("`{}` is not kept: Ward detections have no place for it", name))
                      .Help(known.count(name)
                                ? "the rule is imported without it"
                                : "a custom field; the rule is imported without it (put what "
                                  "matters into `description` or `references`)"));
  }
}

}  // namespace ward::import
