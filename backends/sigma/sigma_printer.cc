#include "backends/sigma/sigma_printer.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <type_traits>
#include <vector>

#include "backends/sigma/sigma_condition.h"
#include "backends/sigma/sigma_values.h"
#include "backends/sigma/yaml_block_writer.h"

namespace ward::backends::sigma {
namespace {

// ---- scalar styles -------------------------------------------------------------

// Decodes one UTF-8 code point (input is validated upstream; a stray byte is
// returned as itself so that it forces escaping).
uint32_t NextCodePoint(std::string_view text, size_t& i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (len == 1 || i + len > text.size()) {
    ++i;
    return c;
  }
  uint32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  i += len;
  return cp;
}

enum class Quoting {
  kSingle,        // '...'
  kDouble,        // "..." with yaml-cpp's escapes (controls, C1, BOM)
  kDoubleEscape,  // "..." with every non-ASCII escaped: yaml-cpp leaves DEL,
                  // U+2028/2029 and U+FFFE/FFFF raw otherwise, which YAML
                  // readers reject or fold
};

Quoting QuotingFor(std::string_view text) {
  Quoting quoting = Quoting::kSingle;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = NextCodePoint(text, i);
    if (cp == 0x7F || cp == 0x2028 || cp == 0x2029 || cp == 0xFFFE || cp == 0xFFFF) {
      return Quoting::kDoubleEscape;
    }
    // A raw tab, CR or other control character is legal in few places or
    // gets normalised; newlines cannot be single-quoted without folding.
    if (cp < 0x20 || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFEFF) quoting = Quoting::kDouble;
  }
  return quoting;
}

// Scalars yaml-cpp cannot write as we need them: texts that need
// kDoubleEscape (its EscapeNonAscii turns U+FFFE and U+FFFF into U+FFFD)
// and `|-` blocks (it only writes `|`, which adds a final newline). The
// emitter writes a placeholder token for each; PrintDocument swaps the
// scalars in afterwards.
struct RawScalar {
  std::string text;    // kDoubleEscape: the escaped scalar; block: the text
  bool block = false;  // a literal block, indented below its key
};
struct RawScalars {
  std::string token_prefix;  // "wardraw<salt>n"
  std::vector<RawScalar> scalars;
};
thread_local RawScalars* raw_scalars = nullptr;

template <class E>
void EmitPlaceholder(E& e, RawScalar scalar) {
  e << fmt::format("{}{}", raw_scalars->token_prefix, raw_scalars->scalars.size());
  raw_scalars->scalars.push_back(std::move(scalar));
}

std::string EscapeAllNonAscii(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = NextCodePoint(text, i);
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp >= 0x20 && cp < 0x7F) {
      out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      out += fmt::format("\\u{:04x}", cp);
    } else {
      out += fmt::format("\\U{:08x}", cp);
    }
  }
  return out + "\"";
}

template <class E>
void EmitQuoted(E& e, const std::string& text) {
  switch (QuotingFor(text)) {
    case Quoting::kSingle:
      e << YAML::SingleQuoted << text;
      break;
    case Quoting::kDouble:
      e << YAML::DoubleQuoted << text;
      break;
    case Quoting::kDoubleEscape:
      if constexpr (std::is_same_v<E, YamlBlockWriter>) {
        e.WriteRawScalar(EscapeAllNonAscii(text));
        break;
      }
      if (raw_scalars == nullptr) {  // not inside PrintDocument
        e << YAML::EscapeNonAscii << YAML::DoubleQuoted << text;
        break;
      }
      EmitPlaceholder(e, {EscapeAllNonAscii(text), false});
      break;
  }
}

bool LooksLikeNonString(std::string_view text) {
  // YAML 1.1 booleans and nulls (PyYAML) plus YAML 1.2's.
  static const char* const kWords[] = {"y",  "n",   "yes",  "no", "true", "false",
                                       "on", "off", "null", "~",  "=",    "<<"};
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : kWords) {
    if (lower == word) return true;
  }
  // Anything that starts like a number, date or time without a space in it
  // may resolve to one (`1.5`, `0x1F`, `2025-06-01`, `1:30`, `.inf`).
  char first = text[0];
  bool numeric_start =
      (first >= '0' && first <= '9') || first == '+' || first == '.' || first == '-';
  return numeric_start && text.find(' ') == std::string_view::npos;
}

template <class E>
void EmitText(E& e, const std::string& text) {
  if (IsPlainSafe(text)) {
    e << text;
  } else {
    EmitQuoted(e, text);
  }
}

// Ids, dates, timespans, tags and conditions are built by Ward and always
// plain-safe; writing them through EmitText would quote a date or a
// condition such as `1 of selection_*`, which SigmaHQ writes plain.
template <class E>
void EmitVerbatim(E& e, const std::string& text) {
  e << text;
}

// A `|` block reads back with exactly one final newline (`|-` with none), so
// only texts that end in at most one newline can be written as a block.
bool LiteralBlockSafe(std::string_view text) {
  if (text.empty() || text.find('\n') == std::string_view::npos) return false;
  if (text.size() >= 2 && text.substr(text.size() - 2) == "\n\n") return false;
  if (text.front() == ' ' || text.front() == '\n') return false;  // needs an indentation indicator
  if (QuotingFor(text) == Quoting::kDoubleEscape) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\n' && static_cast<unsigned char>(c) < 0x20) return false;
    bool line_end = i + 1 == text.size() || text[i + 1] == '\n';
    if (line_end && (c == ' ' || c == '\t')) return false;  // trailing spaces
  }
  return true;
}

// Multi-line descriptions and definitions read best as literal blocks, as
// in SigmaHQ: `|` for a text with one final newline, `|-` for one without.
// Other texts are quoted.
template <class E>
void EmitMultiline(E& e, const std::string& text) {
  if constexpr (std::is_same_v<E, YamlBlockWriter>) {
    if (LiteralBlockSafe(text)) {
      e.WriteLiteralBlock(text);
      return;
    }
  }
  if (LiteralBlockSafe(text) && raw_scalars != nullptr) {
    EmitPlaceholder(e, {text, true});
  } else {
    EmitText(e, text);
  }
}

// The block for `text` under a key indented by `indent` spaces.
std::string LiteralBlock(const std::string& text, size_t indent) {
  bool final_newline = text.back() == '\n';
  std::string body = final_newline ? text.substr(0, text.size() - 1) : text;
  std::string out = final_newline ? "|" : "|-";
  std::string pad(indent + 4, ' ');
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string_view line(body.data() + start, end - start);
    out += '\n';
    if (!line.empty()) out += pad + std::string(line);
    start = end + 1;
  }
  return out;
}

template <class E>
void EmitKey(E& e, const std::string& key) {
  e << YAML::Key;
  if (!key.empty() && key[0] != '|' && IsPlainSafe(key)) {
    e << key;
  } else {
    EmitQuoted(e, key);
  }
  e << YAML::Value;
}

template <class E>
void EmitScalar(E& e, const Scalar& value) {
  switch (value.kind) {
    case Scalar::Kind::kString:
      EmitQuoted(e, value.text);
      break;
    case Scalar::Kind::kInteger:
      e << value.integer;
      break;
    case Scalar::Kind::kFloat:
      e << FormatFloat(value.real);
      break;
    case Scalar::Kind::kBool:
      e << value.boolean;
      break;
    case Scalar::Kind::kNull:
      e << YAML::Null;
      break;
  }
}

// SigmaHQ's layout: maps indent by 4, list items are `- ` at the map's
// indentation + 4 with their content 2 further.
template <class E>
void BeginMap(E& e) {
  e << YAML::Indent(4) << YAML::BeginMap;
}
template <class E>
void BeginSeq(E& e) {
  e << YAML::Indent(2) << YAML::BeginSeq;
}

template <class E>
void EmitTextList(E& e, const char* key, const std::vector<std::string>& items,
                  bool verbatim = false) {
  if (items.empty()) return;
  EmitKey(e, key);
  BeginSeq(e);
  for (const std::string& item : items) {
    if (verbatim) {
      EmitVerbatim(e, item);
    } else {
      EmitText(e, item);
    }
  }
  e << YAML::EndSeq;
}

template <class E>
void EmitField(E& e, const char* key, const std::string& value) {
  if (value.empty()) return;
  EmitKey(e, key);
  EmitText(e, value);
}

template <class E>
void EmitVerbatimField(E& e, const char* key, const std::string& value) {
  if (value.empty()) return;
  EmitKey(e, key);
  EmitVerbatim(e, value);
}

// ---- document parts --------------------------------------------------------------

// Fields from `title` to `tags`, in SigmaHQ's order.
template <class E>
void EmitHead(E& e, const Metadata& meta) {
  EmitField(e, "title", meta.title);
  EmitVerbatimField(e, "id", meta.id);
  if (!meta.related.empty()) {
    EmitKey(e, "related");
    BeginSeq(e);
    for (const RelatedRef& related : meta.related) {
      BeginMap(e);
      EmitVerbatimField(e, "id", related.id);
      EmitVerbatimField(e, "type", related.type);
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
  }
  EmitField(e, "name", meta.name);
  EmitField(e, "taxonomy", meta.taxonomy);
  EmitVerbatimField(e, "status", meta.status);
  if (!meta.description.empty()) {
    EmitKey(e, "description");
    EmitMultiline(e, meta.description);
  }
  EmitTextList(e, "references", meta.references);
  EmitField(e, "author", meta.author);
  EmitVerbatimField(e, "date", meta.date);
  EmitVerbatimField(e, "modified", meta.modified);
  EmitTextList(e, "tags", meta.tags);
}

template <class E>
void EmitTail(E& e, const Metadata& meta) {
  EmitTextList(e, "falsepositives", meta.falsepositives);
  EmitVerbatimField(e, "level", meta.level);
}

template <class E>
void EmitLogsource(E& e, const Logsource& logsource) {
  EmitKey(e, "logsource");
  BeginMap(e);
  EmitField(e, "category", logsource.category);
  EmitField(e, "product", logsource.product);
  EmitField(e, "service", logsource.service);
  if (!logsource.definition.empty()) {
    EmitKey(e, "definition");
    EmitMultiline(e, logsource.definition);
  }
  for (const auto& [key, value] : logsource.extra) {
    EmitKey(e, key);
    EmitText(e, value);
  }
  e << YAML::EndMap;
}

template <class E>
void EmitValues(E& e, const std::vector<Scalar>& values) {
  if (values.size() == 1) {
    EmitScalar(e, values[0]);
    return;
  }
  BeginSeq(e);
  for (const Scalar& value : values) EmitScalar(e, value);
  e << YAML::EndSeq;
}

template <class E>
void EmitSearchMap(E& e, const SearchMap& map) {
  BeginMap(e);
  for (const DetectionItem& item : map.items) {
    EmitKey(e, item.Key());
    EmitValues(e, item.values);
  }
  e << YAML::EndMap;
}

// The identifiers and the condition, inside an already open map.
template <class E>
void EmitDetectionBody(E& e, const Detection& detection) {
  for (const SearchIdentifier& id : detection.identifiers) {
    EmitKey(e, id.name);
    switch (id.shape) {
      case SearchIdentifier::Shape::kMap:
        EmitSearchMap(e, id.maps.at(0));
        break;
      case SearchIdentifier::Shape::kListOfMaps:
        BeginSeq(e);
        for (const SearchMap& map : id.maps) EmitSearchMap(e, map);
        e << YAML::EndSeq;
        break;
      case SearchIdentifier::Shape::kKeywords:
        BeginSeq(e);
        for (const Scalar& keyword : id.keywords) EmitScalar(e, keyword);
        e << YAML::EndSeq;
        break;
    }
  }
  EmitKey(e, "condition");
  EmitVerbatim(e, PrintCondition(detection.condition));
}

template <class E>
void EmitRule(E& e, const RuleDocument& rule) {
  BeginMap(e);
  EmitHead(e, rule.meta);
  EmitLogsource(e, rule.logsource);
  EmitKey(e, "detection");
  BeginMap(e);
  EmitDetectionBody(e, rule.detection);
  e << YAML::EndMap;
  EmitTail(e, rule.meta);
  e << YAML::EndMap;
}

template <class E>
void EmitCorrelation(E& e, const CorrelationDocument& corr) {
  BeginMap(e);
  EmitHead(e, corr.meta);
  EmitKey(e, "correlation");
  BeginMap(e);
  EmitVerbatimField(e, "type", corr.type);
  EmitKey(e, "rules");
  BeginSeq(e);
  for (const std::string& rule : corr.rules) EmitText(e, rule);
  e << YAML::EndSeq;
  if (!corr.aliases.empty()) {
    EmitKey(e, "aliases");
    BeginMap(e);
    for (const auto& [alias, mapping] : corr.aliases) {
      EmitKey(e, alias);
      BeginMap(e);
      for (const auto& [rule, field] : mapping) {
        EmitKey(e, rule);
        EmitText(e, field);
      }
      e << YAML::EndMap;
    }
    e << YAML::EndMap;
  }
  if (!corr.group_by.empty()) {
    EmitKey(e, "group-by");
    BeginSeq(e);
    for (const std::string& field : corr.group_by) EmitText(e, field);
    e << YAML::EndSeq;
  }
  EmitVerbatimField(e, "timespan", corr.timespan);
  if (!corr.condition.empty() || !corr.condition_field.empty() || corr.percentile) {
    EmitKey(e, "condition");
    BeginMap(e);
    for (const CorrelationThreshold& threshold : corr.condition) {
      EmitKey(e, threshold.op);
      EmitScalar(e, threshold.value);
    }
    EmitField(e, "field", corr.condition_field);
    if (corr.percentile) {
      EmitKey(e, "percentile");
      e << *corr.percentile;
    }
    e << YAML::EndMap;
  }
  if (corr.generate) {
    EmitKey(e, "generate");
    e << true;
  }
  e << YAML::EndMap;
  EmitTail(e, corr.meta);
  if (corr.generate && corr.generate_top_level) {
    EmitKey(e, "generate");
    e << true;
  }
  e << YAML::EndMap;
}

template <class E>
void EmitFilter(E& e, const FilterDocument& filter) {
  BeginMap(e);
  EmitHead(e, filter.meta);
  EmitLogsource(e, filter.logsource);
  EmitKey(e, "filter");
  BeginMap(e);
  EmitKey(e, "rules");
  BeginSeq(e);
  for (const auto& [id, comment] : filter.rules) {
    EmitVerbatim(e, id);
    if (!comment.empty()) e << YAML::Comment(comment);
  }
  e << YAML::EndSeq;
  EmitDetectionBody(e, filter.detection);
  e << YAML::EndMap;
  e << YAML::EndMap;
}

// yaml-cpp pads a value to the next indentation stop, so a one-character
// key comes out as `a:  1`; SigmaHQ's yamllint allows one space after a
// colon. Every line outside a `|` block starts with structure (yaml-cpp
// never breaks a quoted scalar across lines), so the fix is line-local.
std::string FixKeySpacing(const std::string& yaml) {
  std::istringstream in(yaml);
  std::string out, line;
  int block_indent = -1;  // indentation of the `key: |` line while in its block
  while (std::getline(in, line)) {
    size_t indent = line.find_first_not_of(' ');
    if (block_indent >= 0) {
      if (indent == std::string::npos || static_cast<int>(indent) > block_indent) {
        out += line + '\n';
        continue;
      }
      block_indent = -1;
    }
    if (indent != std::string::npos) {
      size_t pos = indent;
      while (line.compare(pos, 2, "- ") == 0) pos += 2;
      if (pos + 3 < line.size() && line[pos] != '\'' && line[pos] != '"' && line[pos] != ' ' &&
          line.compare(pos + 1, 3, ":  ") == 0) {
        size_t value = line.find_first_not_of(' ', pos + 2);
        if (value != std::string::npos) line = line.substr(0, pos + 2) + " " + line.substr(value);
      }
      if ((line.size() >= 2 && line.compare(line.size() - 2, 2, " |") == 0) ||
          (line.size() >= 3 && line.compare(line.size() - 3, 3, " |-") == 0)) {
        block_indent = static_cast<int>(indent);
      }
    }
    out += line + '\n';
  }
  return out;
}

}  // namespace

bool IsPlainSafe(std::string_view text) {
  if (text.empty()) return false;
  if (text.front() == ' ' || text.back() == ' ') return false;
  if (QuotingFor(text) != Quoting::kSingle || text.find('\t') != std::string_view::npos) {
    return false;
  }
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(text.front()) != std::string_view::npos) return false;
  // A trailing `|` or `>` would also look like a block-scalar header to
  // FixKeySpacing.
  if (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos ||
      text.back() == ':' || text.back() == '|' || text.back() == '>') {
    return false;
  }
  if (text.size() >= 3 && (text.substr(0, 3) == "---" || text.substr(0, 3) == "...")) return false;
  return !LooksLikeNonString(text);
}

namespace {

template <class E>
void EmitAnyDocument(E& e, const Document& document) {
  std::visit(
      [&](const auto& doc) {
        using T = std::decay_t<decltype(doc)>;
        if constexpr (std::is_same_v<T, RuleDocument>) {
          EmitRule(e, doc);
        } else if constexpr (std::is_same_v<T, CorrelationDocument>) {
          EmitCorrelation(e, doc);
        } else {
          EmitFilter(e, doc);
        }
      },
      document);
}

std::string EmitDocument(const Document& document) {
  YAML::Emitter e;
  e.SetIndent(4);
  e.SetNullFormat(YAML::LowerNull);
  e.SetBoolFormat(YAML::TrueFalseBool);
  e.SetPreCommentIndent(1);
  EmitAnyDocument(e, document);
  return e.c_str();
}

// Replaces the placeholders of EmitQuoted, last first so that `...n1` is
// not found inside `...n10`. False if the token also occurs in the text.
bool SubstituteRawScalars(std::string& text, const RawScalars& raws) {
  size_t occurrences = 0;
  for (size_t at = text.find(raws.token_prefix); at != std::string::npos;
       at = text.find(raws.token_prefix, at + 1)) {
    ++occurrences;
  }
  if (occurrences != raws.scalars.size()) return false;
  for (size_t i = raws.scalars.size(); i-- > 0;) {
    std::string token = raws.token_prefix + std::to_string(i);
    size_t at = text.find(token);
    if (at == std::string::npos) return false;
    const RawScalar& scalar = raws.scalars[i];
    if (!scalar.block) {
      text.replace(at, token.size(), scalar.text);
      continue;
    }
    size_t line_start = text.rfind('\n', at);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    size_t indent = text.find_first_not_of(' ', line_start) - line_start;
    text.replace(at, token.size(), LiteralBlock(scalar.text, indent));
  }
  return true;
}

}  // namespace

std::optional<std::string> PrintDocumentDirect(const Document& document) {
  YamlBlockWriter writer;
  EmitAnyDocument(writer, document);
  std::string text = writer.Finish();
  if (writer.failed()) return std::nullopt;
  return text;
}

std::string PrintDocument(const Document& document) {
  std::optional<std::string> text = PrintDocumentDirect(document);
  return text ? std::move(*text) : PrintDocumentWithYamlCpp(document);
}

std::string PrintDocumentWithYamlCpp(const Document& document) {
  std::string text;
  for (int salt = 0;; ++salt) {
    RawScalars raws;
    raws.token_prefix = fmt::format("wardraw{}n", salt);
    raw_scalars = &raws;
    text = EmitDocument(document);
    raw_scalars = nullptr;
    if (raws.scalars.empty() || SubstituteRawScalars(text, raws)) break;
  }
  text = FixKeySpacing(text);
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

std::string PrintFile(const OutputFile& file) {
  std::string out;
  for (size_t i = 0; i < file.documents.size(); ++i) {
    if (i > 0) out += "---\n";
    out += PrintDocument(file.documents[i]);
  }
  return out;
}

}  // namespace ward::backends::sigma
