#include "backends/yara/yara_escape.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ward::backends::yara {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

void AppendHexByte(std::string& out, unsigned char byte) {
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 0x0F];
}

void AppendByteEscape(std::string& out, unsigned char byte) {
  out += "\\x";
  AppendHexByte(out, byte);
}

bool NeedsByteEscape(unsigned char c) { return c < 0x20 || c >= 0x7F; }

std::string FormatXorKey(int key) {
  // Out-of-range keys are printed as they are, for libyara to reject.
  if (key < 0 || key > 0xFF) return std::to_string(key);
  std::string out = "0x";
  AppendHexByte(out, static_cast<unsigned char>(key & 0xFF));
  return out;
}

}  // namespace

std::string QuoteText(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 2);
  out += '"';
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (NeedsByteEscape(c)) {
          AppendByteEscape(out, c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string EscapeRegexBody(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c == '\\') {
      if (i + 1 == body.size()) {
        // A trailing lone backslash would escape the closing slash.
        out += "\\\\";
        break;
      }
      const auto next = static_cast<unsigned char>(body[i + 1]);
      if (NeedsByteEscape(next)) {
        // `\<byte>` means the byte itself; \xNN says the same in ASCII.
        AppendByteEscape(out, next);
      } else {
        out += '\\';
        out += static_cast<char>(next);
      }
      ++i;
    } else if (c == '/') {
      out += "\\/";
    } else if (NeedsByteEscape(c)) {
      AppendByteEscape(out, c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string FormatRegex(std::string_view body, bool nocase, bool dotall) {
  std::string out = "/" + EscapeRegexBody(body) + "/";
  if (nocase) out += 'i';
  if (dotall) out += 's';
  return out;
}

std::string FormatHexTokens(const std::vector<HexToken>& tokens) {
  std::string out;
  for (const HexToken& token : tokens) {
    if (!out.empty()) out += ' ';
    switch (token.kind) {
      case HexToken::Kind::kByte:
        out += (token.mask & 0xF0) ? kHexDigits[token.value >> 4] : '?';
        out += (token.mask & 0x0F) ? kHexDigits[token.value & 0x0F] : '?';
        break;
      case HexToken::Kind::kJump:
        out += '[';
        // libyara rejects `[0]` but accepts `[0-0]`, so a zero-length jump keeps its range form.
        if (token.jump_low && token.jump_high && *token.jump_low == *token.jump_high &&
            *token.jump_low != 0) {
          out += std::to_string(*token.jump_low);
        } else {
          // YARA 4.2 has no `[-n]`; a missing lower bound is 0.
          if (token.jump_low || token.jump_high) out += std::to_string(token.jump_low.value_or(0));
          out += '-';
          if (token.jump_high) out += std::to_string(*token.jump_high);
        }
        out += ']';
        break;
      case HexToken::Kind::kAlternation: {
        out += "( ";
        bool first = true;
        for (const auto& alternative : token.alternatives) {
          if (!first) out += " | ";
          first = false;
          out += FormatHexTokens(alternative);
        }
        out += " )";
        break;
      }
    }
  }
  return out;
}

std::string FormatInteger(int64_t value) { return std::to_string(value); }

std::string FormatFloat(double value) {
  if (!std::isfinite(value)) return "0.0";  // not expressible; sema never produces it
  char buffer[512];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  std::string out(buffer, result.ec == std::errc() ? result.ptr : buffer);
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

std::string FormatModifiers(const StringModifiers& m) {
  std::vector<std::string> words;
  if (m.nocase) words.emplace_back("nocase");
  if (m.wide) words.emplace_back("wide");
  if (m.ascii) words.emplace_back("ascii");
  if (m.fullword) words.emplace_back("fullword");
  if (m.is_private) words.emplace_back("private");
  if (m.xor_) {
    if (!m.xor_range) {
      words.emplace_back("xor");
    } else if (m.xor_range->first == m.xor_range->second) {
      words.push_back("xor(" + FormatXorKey(m.xor_range->first) + ")");
    } else {
      words.push_back("xor(" + FormatXorKey(m.xor_range->first) + "-" +
                      FormatXorKey(m.xor_range->second) + ")");
    }
  }
  const std::string alphabet =
      m.base64_alphabet ? "(" + QuoteText(*m.base64_alphabet) + ")" : std::string();
  if (m.base64) words.push_back("base64" + alphabet);
  if (m.base64wide) words.push_back("base64wide" + alphabet);
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

}  // namespace ward::backends::yara
