#include "compiler/syntax/syntax_messages.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace ward::syntax {
namespace {

std::string Describe(const ExpectedToken& token) {
  static const std::pair<std::string_view, std::string_view> kNouns[] = {
      {"EOF", "end of file"},
      {"ID", "a name"},
      {"BQ_NAME", "a name"},
      {"STRING", "a string"},
      {"TSTRING", "a string"},
      {"INT", "a number"},
      {"FLOAT", "a number"},
      {"HEX_NUMBER", "a number"},
      {"SIZE", "a number"},
      {"DATE", "a date"},
      {"DURATION", "a duration"},
      {"REGEX", "a regular expression"},
      {"STRING_ID", "a string identifier such as `$a`"},
      {"COUNT_ID", "a string count such as `#a`"},
      {"OFFSET_ID", "a string offset such as `@a`"},
      {"LENGTH_ID", "a string length such as `!a`"},
      {"HEX_BLOCK", "a hex pattern `= { ... }`"},
  };
  for (const auto& [symbol, noun] : kNouns) {
    if (token.symbol == symbol) return std::string(noun);
  }
  if (!token.literal.empty()) return "`" + std::string(token.literal) + "`";
  std::string lower(token.symbol);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

std::string JoinWithOr(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

std::optional<std::string> DescribeExpected(const std::vector<ExpectedToken>& tokens,
                                            size_t max_items) {
  std::vector<std::string> items;
  for (const ExpectedToken& token : tokens) {
    std::string text = Describe(token);
    if (std::find(items.begin(), items.end(), text) == items.end()) items.push_back(text);
  }
  if (items.empty() || items.size() > max_items) return std::nullopt;
  // Nouns ("a name") read better before punctuation ("`}`").
  std::stable_partition(items.begin(), items.end(),
                        [](const std::string& s) { return s.empty() || s[0] != '`'; });
  return JoinWithOr(items);
}

std::string DescribeRule(std::string_view rule) {
  static const std::pair<std::string_view, std::string_view> kRules[] = {
      {"file", "a declaration"},
      {"packageDecl", "a package name"},
      {"importDecl", "an import"},
      {"decl", "a declaration"},
      {"catalogBody", "a catalog entry or property"},
      {"entry", "a catalog entry"},
      {"body", "a property or block"},
      {"member", "a property or block"},
      {"valueList", "a value"},
      {"value", "a value"},
      {"objectEntry", "a field"},
      {"qualifiedName", "a name"},
      {"name", "a name"},
      {"selectionPattern", "a selection name"},
      {"sigmaOp", "a comparison operator such as `==` or `contains`"},
      {"sigmaModifier", "a modifier"},
      {"sigmaValues", "a value"},
      {"sigmaValue", "a value"},
      {"fieldPath", "a field name"},
      {"threshold", "a threshold such as `count >= 10`"},
      {"yaraString", "a string definition such as `$a = \"text\"`"},
      {"yaraStringModifier", "a string modifier"},
      {"yaraInt", "an integer"},
      {"relOp", "a comparison operator"},
      {"yaraQuantifier", "`any`, `all`, `none` or a number"},
      {"yaraStringSet", "`them` or a list of strings"},
      {"yaraRuleSet", "a list of rules"},
      {"yaraRange", "a range `(low..high)`"},
      {"yaraIterable", "a range, a list or an expression"},
  };
  for (const auto& [name, noun] : kRules) {
    if (rule == name) return std::string(noun);
  }
  if (rule.substr(0, 5) == "sigma") return "a condition";
  if (rule.substr(0, 4) == "yara") return "an expression";
  return "valid syntax";
}

std::string DescribeFound(std::string_view symbol, std::string_view text) {
  if (symbol == "EOF") return "end of file";
  constexpr size_t kMax = 32;
  bool cut = false;
  size_t nl = text.find_first_of("\r\n");
  if (nl != std::string_view::npos) {
    text = text.substr(0, nl);
    cut = true;
  }
  if (text.size() > kMax) {
    size_t n = kMax;
    // Do not split a UTF-8 sequence.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
    cut = true;
  }
  return "`" + std::string(text) + (cut ? "...`" : "`");
}

}  // namespace ward::syntax
