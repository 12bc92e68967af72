#include "backends/yara/rule_naming.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace ward::backends::yara {
namespace {

// YARA 4.2's reserved words (libyara/lexer.l at v4.2.3).
constexpr std::string_view kKeywords[] = {
    "all", "and", "any", "ascii", "at", "base64", "base64wide", "condition", "contains",
    "defined", "endswith", "entrypoint", "false", "filesize", "for", "fullword", "global",
    "icontains", "iendswith", "iequals", "import", "in", "include", "int16", "int16be", "int32",
    "int32be", "int8", "int8be", "istartswith", "matches", "meta", "nocase", "none", "not", "of",
    "or", "private", "rule", "startswith", "strings", "them", "true", "uint16", "uint16be",
    "uint32", "uint32be", "uint8", "uint8be", "wide", "xor",
};

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string Truncated(std::string_view full, std::string text) {
  if (text.size() <= kMaxIdentifierLength) return text;
  const std::string suffix = "_" + ShortHash(full);
  text.resize(kMaxIdentifierLength - suffix.size());
  return text + suffix;
}

}  // namespace

bool IsYaraKeyword(std::string_view word) {
  return std::find(std::begin(kKeywords), std::end(kKeywords), word) != std::end(kKeywords);
}

std::string ShortHash(std::string_view text) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(8, '0');
  const auto folded = static_cast<uint32_t>(hash ^ (hash >> 32));
  for (int i = 0; i < 8; ++i) out[7 - i] = kDigits[(folded >> (4 * i)) & 0xF];
  return out;
}

std::string SanitizeIdentifier(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 1);
  for (char c : text) out += IsIdentChar(c) ? c : '_';
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out.insert(out.begin(), '_');
  if (IsYaraKeyword(out)) out += '_';
  return Truncated(text, std::move(out));
}

std::string BaseRuleName(std::string_view package, std::string_view name) {
  std::string joined;
  if (!package.empty()) {
    joined.reserve(package.size() + name.size() + 2);
    for (char c : package) joined += c == '.' ? '_' : c;
    joined += "__";
  }
  joined += name;
  return SanitizeIdentifier(joined);
}

std::string RuleNamer::Assign(std::string_view package, std::string_view name) {
  const std::string base = BaseRuleName(package, name);
  if (taken_.insert(base).second) return base;
  const std::string qualified = std::string(package) + "." + std::string(name);
  const std::string suffix = "_" + ShortHash(qualified);
  std::string stem = base.substr(0, kMaxIdentifierLength - suffix.size());
  std::string candidate = stem + suffix;
  for (int counter = 2; !taken_.insert(candidate).second; ++counter) {
    const std::string more = suffix + "_" + std::to_string(counter);
    candidate = base.substr(0, kMaxIdentifierLength - more.size()) + more;
  }
  return candidate;
}

std::vector<std::string> SanitizeTags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  for (const std::string& tag : tags) {
    std::string clean = SanitizeIdentifier(tag);
    if (seen.insert(clean).second) out.push_back(std::move(clean));
  }
  return out;
}

}  // namespace ward::backends::yara
