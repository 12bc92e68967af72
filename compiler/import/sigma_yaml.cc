#include "compiler/import/sigma_yaml.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace ward::import {

Span YamlFile::At(const YAML::Mark& mark, size_t length) const {
  if (mark.is_null() || mark.pos < 0) return Span{file_, 0, 0};
  uint32_t begin =
      static_cast<uint32_t>(std::min<size_t>(static_cast<size_t>(mark.pos), text_.size()));
  uint32_t end = static_cast<uint32_t>(std::min<size_t>(begin + length, text_.size()));
  return Span{file_, begin, end};
}

Span YamlFile::Of(const YAML::Node& node) const {
  YAML::Mark mark = node.Mark();
  size_t length = 1;
  if (node.IsScalar()) {
    length = std::max<size_t>(1, node.Scalar().size());
    if (!mark.is_null() && static_cast<size_t>(mark.pos) < text_.size()) {
      char first = text_[static_cast<size_t>(mark.pos)];
      if (first == '\'' || first == '"') length += 2;
    }
  }
  return At(mark, length);
}

Span YamlFile::Of(const YAML::Node& node, Span fallback) const {
  if (!node.IsDefined() || node.IsNull() || node.Mark().is_null()) return fallback;
  return Of(node);
}

std::optional<uint32_t> YamlFile::ContentStart(const YAML::Node& scalar) const {
  YAML::Mark mark = scalar.Mark();
  if (mark.is_null() || !scalar.IsScalar()) return std::nullopt;
  size_t pos = static_cast<size_t>(mark.pos);
  if (pos >= text_.size()) return std::nullopt;
  if (text_[pos] == '\'' || text_[pos] == '"') ++pos;
  const std::string& content = scalar.Scalar();
  if (text_.substr(pos, content.size()) != content) return std::nullopt;
  return static_cast<uint32_t>(pos);
}

namespace {

// YAML forbids a key twice in one mapping; yaml-cpp keeps both, and readers
// disagree on which wins, so the file is refused.
bool CheckDuplicateKeys(const YamlFile& file, const YAML::Node& node, DiagnosticEngine& diags) {
  bool ok = true;
  if (node.IsMap()) {
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar() && !seen.insert(it->first.Scalar()).second) {
        diags.Report(
            Diag(DiagCode::kSigmaInvalidYaml, file.Of(it->first),
                 fmt::format("the key `{}` appears twice in one mapping", it->first.Scalar()))
                .Help("YAML keys must be unique: merge the two entries, or use a list "
                      "of maps to OR them"));
        ok = false;
      }
      ok = CheckDuplicateKeys(file, it->second, diags) && ok;
    }
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) ok = CheckDuplicateKeys(file, item, diags) && ok;
  }
  return ok;
}

// Remembers where the document being read started, and whether it held
// anything but a null, so that a document that consumed no input is seen.
class DocumentStartRecorder : public YAML::EventHandler {
 public:
  YAML::Mark start;
  bool only_null = true;

  void OnDocumentStart(const YAML::Mark& mark) override {
    start = mark;
    only_null = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { only_null = false; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    only_null = false;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    only_null = false;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    only_null = false;
  }
  void OnMapEnd() override {}
};

// yaml-cpp 0.7's LoadAll never returns when a document begins with a token
// no node can start with (a `,` outside a flow collection, as in `, a` or
// `"x" ,`): the document parser reports a null without consuming the token,
// so every later document is the same empty one (yaml-cpp issue 1040, fixed
// upstream after the version Debian ships). Walking the stream with the
// event parser first finds that stuck token, which is then reported instead.
std::optional<YAML::Mark> FindStuckDocument(const std::string& text) {
  std::istringstream input(text);
  YAML::Parser parser(input);
  DocumentStartRecorder recorder;
  std::optional<YAML::Mark> previous;
  while (parser.HandleNextDocument(recorder)) {
    if (recorder.only_null && previous && previous->pos == recorder.start.pos) {
      return recorder.start;
    }
    previous = recorder.start;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<YAML::Node>> LoadYamlDocuments(const YamlFile& file,
                                                         DiagnosticEngine& diags) {
  std::vector<YAML::Node> docs;
  try {
    std::string text(file.text());
    if (std::optional<YAML::Mark> stuck = FindStuckDocument(text)) {
      bool comma = stuck->pos >= 0 && static_cast<size_t>(stuck->pos) < text.size() &&
                   text[static_cast<size_t>(stuck->pos)] == ',';
      diags.Report(
          comma ? Diag(DiagCode::kSigmaInvalidYaml, file.At(*stuck),
                       "invalid YAML: a `,` outside `[...]` or `{...}` cannot start a value")
                      .Help("remove the stray `,`, or quote the text that contains it "
                            "(`'a, b'`), or put the items in a flow list (`[a, b]`)")
                : Diag(DiagCode::kSigmaInvalidYaml, file.At(*stuck),
                       "invalid YAML: no value can start with this character")
                      .Help("remove it, or quote the text it belongs to"));
      return std::nullopt;
    }
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    diags.Report(
        Diag(DiagCode::kSigmaInvalidYaml, file.At(e.mark), fmt::format("invalid YAML: {}", e.msg))
            .Help("fix the YAML syntax at this position; Sigma files use spaces (never "
                  "tabs) for indentation"));
    return std::nullopt;
  } catch (const std::exception& e) {
    diags.Report(Diag(DiagCode::kSigmaInvalidYaml, Span{file.id(), 0, 0},
                      fmt::format("the YAML reader failed: {}", e.what()))
                     .Help("check that the file is a UTF-8 YAML text"));
    return std::nullopt;
  }
  bool ok = true;
  try {
    for (const YAML::Node& doc : docs) ok = CheckDuplicateKeys(file, doc, diags) && ok;
  } catch (const std::exception& e) {
    diags.Report(Diag(DiagCode::kSigmaInvalidYaml, Span{file.id(), 0, 0},
                      fmt::format("the YAML reader failed: {}", e.what()))
                     .Help("check that the file is a UTF-8 YAML text"));
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return docs;
}

namespace {

std::string WithoutUnderscores(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

// Parses digits in `base` (sign handled by the caller) into an unsigned
// magnitude; false on overflow.
bool ParseMagnitude(std::string_view digits, int base, uint64_t& out) {
  if (digits.empty()) return false;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
  return ec == std::errc() && ptr == digits.data() + digits.size();
}

void SetInteger(Scalar& s, bool negative, std::optional<uint64_t> magnitude) {
  s.type = Scalar::Type::kInteger;
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (!magnitude || *magnitude > kMaxPositive + (negative ? 1 : 0)) {
    s.out_of_range = true;
    return;
  }
  if (negative) {
    s.integer = *magnitude == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                               : -static_cast<int64_t>(*magnitude);
  } else {
    s.integer = static_cast<int64_t>(*magnitude);
  }
}

bool ResolveInteger(const std::string& text, Scalar& s) {
  static const std::regex kBinary("[-+]?0b[0-1_]+");
  static const std::regex kOctal("[-+]?0[0-7_]+");
  static const std::regex kDecimal("[-+]?(0|[1-9][0-9_]*)");
  static const std::regex kHex("[-+]?0x[0-9a-fA-F_]+");
  static const std::regex kSexagesimal("[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+");
  bool negative = !text.empty() && text[0] == '-';
  std::string body = WithoutUnderscores(text);
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.erase(0, 1);
  uint64_t magnitude = 0;
  auto parse = [&](std::string_view digits, int base) -> std::optional<uint64_t> {
    if (ParseMagnitude(digits, base, magnitude)) return magnitude;
    return std::nullopt;
  };
  if (std::regex_match(text, kBinary)) {
    SetInteger(s, negative, parse(std::string_view(body).substr(2), 2));
  } else if (std::regex_match(text, kHex)) {
    SetInteger(s, negative, parse(std::string_view(body).substr(2), 16));
  } else if (std::regex_match(text, kDecimal)) {
    SetInteger(s, negative, parse(body, 10));
  } else if (std::regex_match(text, kOctal)) {
    SetInteger(s, negative, parse(std::string_view(body).substr(1), 8));
  } else if (std::regex_match(text, kSexagesimal)) {
    uint64_t total = 0;
    bool ok = true;
    size_t start = 0;
    while (ok && start <= body.size()) {
      size_t colon = body.find(':', start);
      std::string_view part = std::string_view(body).substr(
          start, colon == std::string::npos ? std::string::npos : colon - start);
      uint64_t value = 0;
      ok = ParseMagnitude(part, 10, value) && total <= (UINT64_MAX - value) / 60;
      total = total * 60 + value;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    SetInteger(s, negative, ok ? std::optional<uint64_t>(total) : std::nullopt);
  } else {
    return false;
  }
  return true;
}

bool ResolveFloat(const std::string& text, Scalar& s) {
  static const std::regex kFloat("[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?");
  static const std::regex kInf("[-+]?\\.(inf|Inf|INF)");
  static const std::regex kNan("\\.(nan|NaN|NAN)");
  if (std::regex_match(text, kInf)) {
    s.type = Scalar::Type::kFloat;
    s.real = text[0] == '-' ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
    return true;
  }
  if (std::regex_match(text, kNan)) {
    s.type = Scalar::Type::kFloat;
    s.real = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  // `.` alone or `-.` are strings; a float needs a digit.
  if (text.find_first_of("0123456789") == std::string::npos) return false;
  if (!std::regex_match(text, kFloat)) return false;
  std::string body = WithoutUnderscores(text);
  if (!body.empty() && body[0] == '+') body.erase(0, 1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ec != std::errc() || ptr != body.data() + body.size()) return false;
  s.type = Scalar::Type::kFloat;
  s.real = value;
  return true;
}

}  // namespace

Scalar ResolveScalar(const YAML::Node& node) {
  Scalar s;
  if (!node.IsDefined() || node.IsNull()) {
    s.type = Scalar::Type::kNull;
    return s;
  }
  s.text = node.Scalar();
  const std::string& tag = node.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return s;  // quoted or !!str
  static const std::set<std::string, std::less<>> kNull = {"", "~", "null", "Null", "NULL"};
  static const std::set<std::string, std::less<>> kTrue = {"yes",  "Yes", "YES", "true", "True",
                                                           "TRUE", "on",  "On",  "ON"};
  static const std::set<std::string, std::less<>> kFalse = {"no",    "No",  "NO",  "false", "False",
                                                            "FALSE", "off", "Off", "OFF"};
  if (kNull.count(s.text)) {
    s.type = Scalar::Type::kNull;
  } else if (kTrue.count(s.text) || kFalse.count(s.text)) {
    s.type = Scalar::Type::kBool;
    s.boolean = kTrue.count(s.text) > 0;
  } else if (!s.text.empty() && s.text.size() < 400 &&
             (ResolveInteger(s.text, s) || ResolveFloat(s.text, s))) {
    // type set by the resolver
  }
  return s;
}

YAML::Node Get(const YAML::Node& map, std::string_view key) {
  if (map.IsMap()) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

const char* NodeKindName(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "an empty value";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "a single value";
}

}  // namespace ward::import
