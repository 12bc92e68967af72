#include "compiler/catalog_import/ward_text.h"

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace ward::import {
namespace {

// Decodes one UTF-8 sequence at `at`; returns its length, or 0 if invalid.
size_t DecodeUtf8(std::string_view text, size_t at, uint32_t& code_point) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  size_t length = 0;
  uint32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(at + i) & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// Characters that render as nothing (or reorder text) in most editors.
bool IsInvisible(uint32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0xAD || c == 0x034F || c == 0x061C ||
         (c >= 0x115F && c <= 0x1160) || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0x3164 ||
         (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 ||
         (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0xE0000 && c <= 0xE0FFF);
}

constexpr std::array<std::string_view, 11> kReserved = {
    "when", "condition", "where", "strings", "let", "and", "or", "not", "true", "false", "null"};

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string QuoteWardString(std::string_view text) {
  std::string out = "\"";
  for (size_t at = 0; at < text.size();) {
    uint32_t c = 0;
    size_t length = DecodeUtf8(text, at, c);
    if (length == 0) {
      out += "\\u{fffd}";
      ++at;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case 0: out += "\\0"; break;
      default:
        if (c < 0x20 || c == 0x7F || IsInvisible(c)) {
          out += fmt::format("\\u{{{:x}}}", c);
        } else {
          out.append(text.substr(at, length));
        }
    }
    at += length;
  }
  out += "\"";
  return out;
}

bool IsWardReservedWord(std::string_view word) {
  for (std::string_view reserved : kReserved) {
    if (word == reserved) return true;
  }
  return false;
}

bool IsWardIdentifier(std::string_view word) {
  if (word.empty() || !(IsAsciiLetter(word[0]) || word[0] == '_')) return false;
  for (char c : word) {
    if (!(IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_')) return false;
  }
  return !IsWardReservedWord(word);
}

std::string ToWardIdentifier(std::string_view text) {
  std::string out;
  bool pending_separator = false;
  for (char c : text) {
    if (IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_') {
      if (pending_separator && !out.empty()) out += '_';
      pending_separator = false;
      out += c;
    } else {
      pending_separator = true;
    }
  }
  if (out.empty()) return "_";
  if (IsAsciiDigit(out[0])) out.insert(out.begin(), '_');
  if (IsWardReservedWord(out)) out += '_';
  return out;
}

std::string FoldWhitespace(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string CommentText(std::string_view text) {
  std::string quoted = QuoteWardString(text);
  std::string out;
  // Reuse the string escaping, but keep quotes and backslashes as they are
  // and turn the escaped line breaks and tabs into spaces.
  std::string_view body(quoted);
  body = body.substr(1, body.size() - 2);
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      char next = body[i + 1];
      if (next == '"' || next == '\\') {
        out += next;
        ++i;
        continue;
      }
      if (next == 'n' || next == 'r' || next == 't' || next == '0') {
        out += ' ';
        ++i;
        continue;
      }
    }
    out += body[i];
  }
  return out;
}

}  // namespace ward::import
