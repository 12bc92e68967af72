#include <fmt/format.h>

#include <array>
#include <cctype>

#include "tests/escaping/hostile_text.h"

namespace ward::escaping_test {
namespace {

// Each piece is a hazard for at least one output: YAML and JSON quoting,
// Sigma wildcards and escapes, YARA escapes, CSV quoting, GFM table
// structure and emphasis, HTML markup and entities, Trojan Source bidi
// controls, JavaScript's line terminators, and multi-byte UTF-8.
const std::vector<std::string>& Alphabet() {
  static const std::vector<std::string> pieces = {
      "'", "\"", "`", "\\", "\n", "\r", "\r\n", "\t", std::string(1, '\0'), "*", "?", "|",
      "{", "}", "[", "]", "<", ">", "&", ",", ";", ":", "#", "%", "$", "@", "!", "=", "-",
      "_", "~", "^", " ", "  ", "a", "Z", "0", "x", "<script>", "</script>",
      "<img src=x onerror=alert(1)>", "&amp;", "&#39;", "&lt;", "-->", "]]>", "---", "...",
      "- ", ": ", "? ", "\"\"\"", "''", "%%", "${x}", "{{x}}", "\\u{41}", "\\x41", "\\*",
      "\\?", "\\\\", "|contains", "\xE2\x80\xAE",  // U+202E RIGHT-TO-LEFT OVERRIDE
      "\xE2\x80\xAD",                               // U+202D LEFT-TO-RIGHT OVERRIDE
      "\xE2\x81\xA6", "\xE2\x81\xA9",               // U+2066 LRI, U+2069 PDI
      "\xE2\x80\x8F",                               // U+200F RIGHT-TO-LEFT MARK
      "\xE2\x80\xA8", "\xE2\x80\xA9",               // U+2028, U+2029 line/paragraph separator
      "\xEF\xBB\xBF",                               // U+FEFF byte order mark
      "\xC2\x85",                                   // U+0085 NEXT LINE
      "\xF0\x9F\x98\x80",                           // U+1F600 emoji
      "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB",  // ZWJ sequence
      "\xC3\xA9", "e\xCC\x81",                      // é precomposed and combining
      "\xE6\xBC\xA2",                               // 漢
      "\xEF\xBF\xBD",                               // U+FFFD
      "\x7F", "\x1B[31m", "\x01", "\x0B", "\x0C",
  };
  return pieces;
}

// The code point of the UTF-8 sequence at `text[i]`, and its length.
uint32_t Decode(std::string_view text, size_t i, size_t& length) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    length = 1;
    return c;
  }
  length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  uint32_t cp = c & (0x3F >> (length - 1));
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return cp;
}

}  // namespace

std::string HostileText(std::mt19937_64& rng, size_t max_pieces) {
  const auto& pieces = Alphabet();
  std::uniform_int_distribution<size_t> count(1, max_pieces);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::string out;
  for (size_t n = count(rng); n > 0; --n) out += pieces[pick(rng)];
  return out;
}

std::string WardLiteral(std::string_view text, std::mt19937_64& rng) {
  std::string out = "\"";
  std::bernoulli_distribution escape_unicode(0.5);
  for (size_t i = 0; i < text.size();) {
    size_t length = 1;
    uint32_t cp = Decode(text, i, length);
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case 0: out += "\\0"; break;
      default:
        if (cp < 0x20 || cp == 0x7F) {
          out += fmt::format("\\x{:02x}", cp);
        } else if (cp >= 0x80 && escape_unicode(rng)) {
          out += fmt::format("\\u{{{:x}}}", cp);
        } else {
          out.append(text.substr(i, length));
        }
    }
    i += length;
  }
  return out + "\"";
}

std::vector<std::vector<std::string>> ParseCsv(std::string_view text, bool& ok) {
  ok = true;
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  size_t i = 0;
  bool field_started = false;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (!field_started && c == '"') {
      // Quoted field: runs to a quote not followed by another quote.
      ++i;
      for (;;) {
        if (i >= text.size()) {
          ok = false;
          return records;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      field_started = true;
      if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
        ok = false;  // text after a closing quote
        return records;
      }
      continue;
    }
    if (c == ',') {
      end_field();
      ++i;
    } else if (c == '\r' || c == '\n') {
      end_field();
      records.push_back(std::move(record));
      record.clear();
      i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
    } else if (c == '"') {
      ok = false;  // a quote inside an unquoted field
      return records;
    } else {
      field += c;
      field_started = true;
      ++i;
    }
  }
  if (field_started || !record.empty()) {
    end_field();
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<std::string> MarkdownCells(std::string_view row) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size()) {
      cell += row[i];
      cell += row[++i];
    } else if (row[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  cells.push_back(cell);
  // The leading and trailing pipes leave an empty first and last piece.
  if (!cells.empty() && cells.front().find_first_not_of(' ') == std::string::npos) {
    cells.erase(cells.begin());
  }
  if (!cells.empty() && cells.back().find_first_not_of(' ') == std::string::npos) cells.pop_back();
  for (std::string& c : cells) {
    size_t b = c.find_first_not_of(' ');
    size_t e = c.find_last_not_of(' ');
    c = b == std::string::npos ? "" : c.substr(b, e - b + 1);
  }
  return cells;
}

std::string MarkdownCellText(std::string_view cell) {
  std::string unescaped;
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\\' && i + 1 < cell.size() && std::ispunct(static_cast<unsigned char>(cell[i + 1]))) {
      unescaped += cell[++i];
    } else if (cell.substr(i, 4) == "<br>") {
      unescaped += '\n';
      i += 3;
    } else {
      unescaped += cell[i];
    }
  }
  return HtmlUnescape(unescaped);
}

std::string HtmlUnescape(std::string_view text) {
  static const std::array<std::pair<std::string_view, char>, 5> kEntities = {{
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

}  // namespace ward::escaping_test
