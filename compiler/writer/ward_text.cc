#include "compiler/writer/ward_text.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <vector>

namespace ward::writer {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Length of the valid UTF-8 sequence starting at `i`, or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
  if (n == 3 && c == 0xE0 && c1 < 0xA0) return 0;   // overlong
  if (n == 3 && c == 0xED && c1 >= 0xA0) return 0;  // surrogate
  if (n == 4 && c == 0xF0 && c1 < 0x90) return 0;   // overlong
  if (n == 4 && c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
  return n;
}

// Words that start another construct when they open a Sigma predicate; a
// field whose first segment is one of them is back-quoted to stay a field.
bool StartsOtherConstructImpl(std::string_view segment) {
  static constexpr std::array<std::string_view, 12> kWords = {"keywords", "any",  "all",    "field",
                                                              "minute",   "hour", "day",    "week",
                                                              "month",    "year", "exists", "in"};
  for (std::string_view w : kWords) {
    if (segment == w) return true;
  }
  return false;
}

}  // namespace

bool IsConstructWord(std::string_view word) { return StartsOtherConstructImpl(word); }

bool IsReservedWord(std::string_view word) {
  static constexpr std::array<std::string_view, 11> kReserved = {
      "when", "condition", "where", "strings", "let", "and", "or", "not", "true", "false", "null"};
  for (std::string_view r : kReserved) {
    if (word == r) return true;
  }
  return false;
}

bool IsWardName(std::string_view text) {
  if (text.empty() || !IsNameStart(text[0])) return false;
  for (char c : text) {
    if (!IsNameChar(c)) return false;
  }
  return !IsReservedWord(text);
}

std::string ToWardName(std::string_view text) {
  std::string out;
  for (char c : text) out += IsNameChar(c) ? c : '_';
  if (out.empty()) return "unnamed";
  if (!IsNameStart(out[0])) out = "_" + out;
  if (IsReservedWord(out)) out += "_";
  return out;
}

std::string Quote(std::string_view bytes, bool keep_utf8) {
  std::string out = "\"";
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\0':
        out += "\\0";
        continue;
      default:
        break;
    }
    if (u >= 0x20 && u < 0x7F) {
      out += c;
      continue;
    }
    if (u >= 0x80 && keep_utf8) {
      if (size_t n = Utf8Length(bytes, i)) {
        out.append(bytes.substr(i, n));
        i += n - 1;
        continue;
      }
    }
    out += fmt::format("\\x{:02x}", u);
  }
  return out + "\"";
}

std::string QuoteProse(std::string_view text, std::string_view indent) {
  bool multiline = text.find('\n') != std::string_view::npos;
  bool safe = multiline && text.find("\"\"\"") == std::string_view::npos &&
              text.find('\r') == std::string_view::npos && !text.empty() && text.back() != '\n' &&
              text.back() != '"' && text.front() != ' ' && text.front() != '\t';
  if (safe) {
    // Tidying removes the indentation common to the non-blank lines; the
    // text keeps its own only if some non-blank line starts at column 0,
    // and whitespace-only lines would lose their spaces.
    bool some_at_zero = false;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
      if (blank && !line.empty()) safe = false;
      if (!blank && line[0] != ' ' && line[0] != '\t') some_at_zero = true;
      for (char c : line) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t') safe = false;
      }
      start = end + 1;
    }
    safe = safe && some_at_zero;
  }
  if (!safe) return Quote(text);
  std::string out = "\"\"\"\n";
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty()) {
      out += indent;
      out += line;
    }
    out += '\n';
    start = end + 1;
  }
  out += indent;
  out += "\"\"\"";
  return out;
}

std::string FieldPath(std::string_view field) {
  if (field.empty() || field.find_first_of("`\r\n") != std::string_view::npos) return "";
  bool dotted = true;
  size_t start = 0;
  bool first = true;
  while (dotted) {
    size_t dot = field.find('.', start);
    std::string_view segment =
        field.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!IsWardName(segment) || (first && IsConstructWord(segment))) dotted = false;
    first = false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (dotted) return std::string(field);
  return "`" + std::string(field) + "`";
}

std::string NameOrString(std::string_view text) {
  if (IsWardName(text)) return std::string(text);
  return Quote(text);
}

std::string FormatInteger(int64_t value) { return fmt::format("{}", value); }

std::string FormatDecimal(double value) {
  std::string out = fmt::format("{}", value);
  if (out.find_first_of("eE") != std::string::npos) {
    // Fixed notation with enough digits to read back the same double.
    for (int precision = 1; precision <= 40; ++precision) {
      out = fmt::format("{:.{}f}", value, precision);
      if (std::strtod(out.c_str(), nullptr) == value) break;
    }
  }
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

std::optional<std::string> SigmaPatternToLike(std::string_view sigma) {
  // Pieces: 'L' literal char, '*' any run, '?' any one.
  std::vector<std::pair<char, char>> pieces;
  for (size_t i = 0; i < sigma.size(); ++i) {
    char c = sigma[i];
    if (c == '\\' && i + 1 < sigma.size() &&
        (sigma[i + 1] == '*' || sigma[i + 1] == '?' || sigma[i + 1] == '\\')) {
      pieces.emplace_back('L', sigma[++i]);
    } else if (c == '*' || c == '?') {
      pieces.emplace_back(c, 0);
    } else {
      pieces.emplace_back('L', c);
    }
  }
  std::string out;
  for (size_t i = 0; i < pieces.size(); ++i) {
    auto [kind, ch] = pieces[i];
    bool bracketed = i > 0 && i + 1 < pieces.size() &&
                     pieces[i - 1] == std::pair<char, char>('L', '[') &&
                     pieces[i + 1] == std::pair<char, char>('L', ']');
    if (kind == '*') {
      out += bracketed ? "**" : "*";  // `[**]` is `[`, any run, `]`
    } else if (kind == '?') {
      if (bracketed) return std::nullopt;
      out += '?';
    } else if (ch == '*' || ch == '?') {
      out += '[';
      out += ch;
      out += ']';
    } else {
      out += ch;
    }
  }
  return out;
}

std::string LiteralToLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?') {
      out += '[';
      out += c;
      out += ']';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace ward::writer
