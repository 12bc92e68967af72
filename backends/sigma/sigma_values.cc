#include "backends/sigma/sigma_values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <vector>

namespace ward::backends::sigma {

using ir::SigmaModifier;

std::string EscapeSigmaString(std::string_view literal) {
  std::string out;
  out.reserve(literal.size() + 4);
  size_t i = 0;
  while (i < literal.size()) {
    char c = literal[i];
    if (c == '*' || c == '?') {
      out += '\\';
      out += c;
      ++i;
      continue;
    }
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    size_t run_end = i;
    while (run_end < literal.size() && literal[run_end] == '\\') ++run_end;
    size_t run = run_end - i;
    bool at_end = run_end == literal.size();
    bool before_wildcard = !at_end && (literal[run_end] == '*' || literal[run_end] == '?');
    // A lone backslash before an ordinary character is literal as it is.
    size_t copies = (run >= 2 || at_end || before_wildcard) ? 2 : 1;
    out.append(run * copies, '\\');
    i = run_end;
  }
  return out;
}

namespace {

// Calls on_literal(char) / returns false on a wildcard.
template <typename F>
bool Walk(std::string_view sigma, F&& on_literal) {
  for (size_t i = 0; i < sigma.size(); ++i) {
    char c = sigma[i];
    if (c == '\\' && i + 1 < sigma.size() &&
        (sigma[i + 1] == '*' || sigma[i + 1] == '?' || sigma[i + 1] == '\\')) {
      on_literal(sigma[i + 1]);
      ++i;
    } else if (c == '*' || c == '?') {
      return false;
    } else {
      on_literal(c);
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> UnescapeSigmaString(std::string_view sigma) {
  std::string out;
  if (!Walk(sigma, [&](char c) { out += c; })) return std::nullopt;
  return out;
}

bool HasSigmaWildcard(std::string_view sigma) {
  return !Walk(sigma, [](char) {});
}

std::optional<AffixPattern> AsAffixPattern(std::string_view sigma) {
  // Offsets of the unescaped wildcards, read the way UnescapeSigmaString does.
  std::vector<size_t> wildcards;
  for (size_t i = 0; i < sigma.size(); ++i) {
    char c = sigma[i];
    if (c == '\\' && i + 1 < sigma.size() &&
        (sigma[i + 1] == '*' || sigma[i + 1] == '?' || sigma[i + 1] == '\\')) {
      ++i;
    } else if (c == '*' || c == '?') {
      wildcards.push_back(i);
    }
  }
  bool leading = !wildcards.empty() && wildcards.front() == 0 && sigma[0] == '*';
  bool trailing = !wildcards.empty() && wildcards.back() == sigma.size() - 1 &&
                  sigma.back() == '*' && sigma.size() > 1;
  size_t expected = static_cast<size_t>(leading) + static_cast<size_t>(trailing);
  if (expected == 0 || wildcards.size() != expected) return std::nullopt;
  size_t begin = leading ? 1 : 0;
  size_t end = sigma.size() - (trailing ? 1 : 0);
  if (end <= begin) return std::nullopt;  // `*` or `**`: matches anything
  SigmaModifier modifier = leading && trailing ? SigmaModifier::kContains
                           : leading           ? SigmaModifier::kEndsWith
                                               : SigmaModifier::kStartsWith;
  return AffixPattern{modifier, std::string(sigma.substr(begin, end - begin))};
}

namespace {

// Rank of a modifier in the canonical chain; equal ranks keep their order.
int Rank(SigmaModifier m) {
  switch (m) {
    case SigmaModifier::kRe:
      return 0;
    case SigmaModifier::kReI:
      return 1;
    case SigmaModifier::kReM:
      return 2;
    case SigmaModifier::kReS:
      return 3;
    case SigmaModifier::kExpand:
    case SigmaModifier::kWindash:
    case SigmaModifier::kWide:
    case SigmaModifier::kUtf16le:
    case SigmaModifier::kUtf16be:
    case SigmaModifier::kUtf16:
    case SigmaModifier::kBase64:
    case SigmaModifier::kBase64Offset:
      return 10;
    case SigmaModifier::kMinute:
    case SigmaModifier::kHour:
    case SigmaModifier::kDay:
    case SigmaModifier::kWeek:
    case SigmaModifier::kMonth:
    case SigmaModifier::kYear:
      return 20;
    case SigmaModifier::kFieldref:
      return 30;
    case SigmaModifier::kContains:
    case SigmaModifier::kStartsWith:
    case SigmaModifier::kEndsWith:
    case SigmaModifier::kLt:
    case SigmaModifier::kLte:
    case SigmaModifier::kGt:
    case SigmaModifier::kGte:
    case SigmaModifier::kCidr:
    case SigmaModifier::kNeq:
    case SigmaModifier::kExists:
      return 40;
    case SigmaModifier::kAll:
      return 50;
    case SigmaModifier::kCased:
      return 60;
  }
  return 40;
}

}  // namespace

std::vector<SigmaModifier> CanonicalModifierOrder(std::vector<SigmaModifier> mods) {
  // Drop exact repeats: Sigma flags a repeated modifier, and applying the
  // same flag, comparison or `all` twice means the same as once. Encodings
  // such as base64 may legitimately repeat, so they are kept.
  std::vector<SigmaModifier> unique;
  for (SigmaModifier m : mods) {
    bool repeatable = Rank(m) == 10 || Rank(m) == 20;
    if (!repeatable && std::find(unique.begin(), unique.end(), m) != unique.end()) continue;
    unique.push_back(m);
  }
  std::stable_sort(unique.begin(), unique.end(),
                   [](SigmaModifier a, SigmaModifier b) { return Rank(a) < Rank(b); });
  return unique;
}

bool HasModifier(const std::vector<SigmaModifier>& mods, SigmaModifier m) {
  return std::find(mods.begin(), mods.end(), m) != mods.end();
}

bool TakesRawString(const std::vector<SigmaModifier>& mods) {
  return HasModifier(mods, SigmaModifier::kRe) || HasModifier(mods, SigmaModifier::kCidr) ||
         HasModifier(mods, SigmaModifier::kFieldref);
}

std::string FormatFloat(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  std::string text = ec == std::errc() ? std::string(buf, end) : std::string("0.0");
  // YAML 1.1 (PyYAML) reads a float only with a `.`: "1e+300" would be a string.
  if (text.find('.') == std::string::npos) {
    size_t e = text.find_first_of("eE");
    text.insert(e == std::string::npos ? text.size() : e, ".0");
  }
  return text;
}

}  // namespace ward::backends::sigma
