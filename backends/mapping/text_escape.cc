#include "backends/mapping/text_escape.h"

#include <cctype>

namespace ward::backends::mapping {
namespace {

bool IsWordChar(char c) {
  // Any byte of a multi-byte UTF-8 sequence counts as part of a word.
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x80 || std::isalnum(u);
}

}  // namespace

std::string MarkdownCell(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "<br>";
        break;
      case '\n': out += "<br>"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '_': {
        const bool inside_word =
            i > 0 && i + 1 < text.size() && IsWordChar(text[i - 1]) && IsWordChar(text[i + 1]);
        if (!inside_word) out += '\\';
        out += c;
        break;
      }
      case '|': case '\\': case '`': case '*': case '[': case ']': case '~':
        out += '\\';
        out += c;
        break;
      case '\t': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string TruncateUtf8(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool continuation = (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
    if (continuation) continue;
    if (chars == max_chars) {
      // Leave room for the ellipsis: cut one more code point.
      std::string_view kept = text.substr(0, i);
      size_t end = kept.size();
      while (end > 0 && (static_cast<unsigned char>(kept[end - 1]) & 0xC0) == 0x80) --end;
      if (end > 0) --end;
      return std::string(kept.substr(0, end)) + "\xE2\x80\xA6";
    }
    ++chars;
  }
  return std::string(text);
}

}  // namespace ward::backends::mapping
