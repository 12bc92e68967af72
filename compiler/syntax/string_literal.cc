#include "compiler/syntax/string_literal.h"

#include <algorithm>
#include <vector>

#include "compiler/support/text_util.h"

namespace ward::syntax {
namespace {

constexpr char kValidEscapes[] =
    "valid escapes are `\\\"`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\0`, `\\xNN` and `\\u{...}`";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length in bytes of the UTF-8 sequence that starts with `lead` (the input is
// valid UTF-8, checked before lexing).
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

class Decoder {
 public:
  Decoder(std::string_view literal, Span span, DiagnosticEngine& diags)
      : lit_(literal), span_(span), diags_(diags) {}

  std::string Run() {
    std::string out;
    out.reserve(lit_.size());
    size_t i = 1;  // after the opening quote
    while (i < lit_.size()) {
      char c = lit_[i];
      if (c == '"') break;  // the closing quote
      if (c != '\\') {
        out += c;
        ++i;
        continue;
      }
      i = Escape(i, out);
    }
    return out;
  }

 private:
  // Decodes the escape at lit_[at] == '\\'; returns the index after it.
  size_t Escape(size_t at, std::string& out) {
    if (at + 1 >= lit_.size()) {
      Error(at, at + 1, "incomplete escape sequence at the end of the string",
            "write `\\\\` for a literal backslash");
      return at + 1;
    }
    char e = lit_[at + 1];
    switch (e) {
      case '"': out += '"'; return at + 2;
      case '\\': out += '\\'; return at + 2;
      case 'n': out += '\n'; return at + 2;
      case 'r': out += '\r'; return at + 2;
      case 't': out += '\t'; return at + 2;
      case '0': out += '\0'; return at + 2;
      case 'x': return HexByte(at, out);
      case 'u': return CodePoint(at, out);
      default: break;
    }
    size_t len = Utf8Length(static_cast<unsigned char>(e));
    size_t end = std::min(lit_.size(), at + 1 + len);
    std::string shown(lit_.substr(at, end - at));
    std::string help = kValidEscapes;
    help += "; write `\\\\` for a literal backslash";
    Error(at, end, "unknown escape sequence `" + shown + "`", help);
    return end;
  }

  size_t HexByte(size_t at, std::string& out) {
    size_t p = at + 2;
    int hi = p < lit_.size() ? HexValue(lit_[p]) : -1;
    int lo = p + 1 < lit_.size() ? HexValue(lit_[p + 1]) : -1;
    if (hi < 0 || lo < 0) {
      size_t end = p + (hi >= 0 ? 1 : 0);
      Error(at, end, "`\\x` must be followed by exactly two hex digits",
            "write a byte as `\\x41`, e.g. `\\x00` to `\\xff`");
      return end;
    }
    out += static_cast<char>(hi * 16 + lo);
    return p + 2;
  }

  size_t CodePoint(size_t at, std::string& out) {
    size_t p = at + 2;
    constexpr char kHelp[] = "write a code point as `\\u{1F600}`: 1 to 6 hex digits in braces";
    if (p >= lit_.size() || lit_[p] != '{') {
      Error(at, p, "`\\u` must be followed by a code point in braces", kHelp);
      return p;
    }
    size_t q = p + 1;
    uint32_t value = 0;
    size_t digits = 0;
    while (q < lit_.size() && HexValue(lit_[q]) >= 0) {
      if (digits < 7) value = value * 16 + static_cast<uint32_t>(HexValue(lit_[q]));
      ++digits;
      ++q;
    }
    if (q >= lit_.size() || lit_[q] != '}') {
      Error(at, q, "unterminated `\\u{...}` escape", kHelp);
      return q;
    }
    size_t end = q + 1;
    if (digits == 0 || digits > 6) {
      Error(at, end, "`\\u{...}` needs 1 to 6 hex digits", kHelp);
      return end;
    }
    if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      Error(at, end, "`" + std::string(lit_.substr(at, end - at)) + "` is not a Unicode scalar value",
            "code points go up to U+10FFFF and exclude the surrogates U+D800 to U+DFFF");
      return end;
    }
    AppendUtf8(out, value);
    return end;
  }

  void Error(size_t begin, size_t end, std::string message, std::string help) {
    Span at{span_.file, span_.begin + static_cast<uint32_t>(begin),
            span_.begin + static_cast<uint32_t>(end)};
    diags_.Report(Diag(DiagCode::kInvalidEscape, at, std::move(message)).Help(std::move(help)));
  }

  std::string_view lit_;
  Span span_;
  DiagnosticEngine& diags_;
};

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

std::string DecodeStringLiteral(std::string_view literal, Span span, DiagnosticEngine& diags) {
  if (literal.empty()) return {};
  return Decoder(literal, span, diags).Run();
}

std::string DecodeTripleQuoted(std::string_view literal) {
  std::string_view body = literal;
  if (body.size() >= 6 && body.substr(0, 3) == "\"\"\"" && body.substr(body.size() - 3) == "\"\"\"") {
    body = body.substr(3, body.size() - 6);
  }
  std::string text;
  text.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    text += body[i];
  }

  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (true) {
    size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  // Only a multi-line literal has separate first and last lines to drop.
  if (lines.size() > 1 && IsBlank(lines.back())) lines.pop_back();
  if (lines.size() > 1 && IsBlank(lines.front())) lines.erase(lines.begin());

  size_t indent = std::string_view::npos;
  for (std::string_view line : lines) {
    if (IsBlank(line)) continue;
    indent = std::min(indent, line.find_first_not_of(" \t"));
  }
  if (indent == std::string_view::npos) indent = 0;

  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += '\n';
    std::string_view line = lines[i];
    out += line.size() > indent ? line.substr(indent) : std::string_view();
  }
  return out;
}

}  // namespace ward::syntax
