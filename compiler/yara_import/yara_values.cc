#include "compiler/yara_import/yara_values.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace ward::yara_import {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : HexDigit(s[i]) < 0) return false;
  }
  return true;
}

// YYYY-MM-DD or YYYY/MM/DD, a real date from 1970 on (Ward's rule for dates).
std::optional<ir::Date> ParseDate(std::string_view s) {
  if (s.size() != 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4]) return std::nullopt;
  auto number = [&](size_t at, size_t n) -> int {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  ir::Date d{number(0, 4), number(5, 2), number(8, 2)};
  if (d.year < 1970 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int days = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  if (d.day > days) return std::nullopt;
  return d;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<ir::Level> LevelFromText(std::string_view text) {
  std::string t = Lower(text);
  if (t == "informational" || t == "info") return ir::Level::kInformational;
  if (t == "low") return ir::Level::kLow;
  if (t == "medium") return ir::Level::kMedium;
  if (t == "high") return ir::Level::kHigh;
  if (t == "critical") return ir::Level::kCritical;
  return std::nullopt;
}

}  // namespace

std::string DecodeYaraText(std::string_view literal) {
  if (literal.size() >= 2 && literal.front() == '"' && literal.back() == '"') {
    literal = literal.substr(1, literal.size() - 2);
  }
  std::string out;
  for (size_t i = 0; i < literal.size(); ++i) {
    char c = literal[i];
    if (c != '\\' || i + 1 >= literal.size()) {
      out += c;
      continue;
    }
    char e = literal[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'x':
        if (i + 2 < literal.size() + 0 && HexDigit(literal[i + 1]) >= 0 &&
            HexDigit(literal[i + 2]) >= 0) {
          out += static_cast<char>(HexDigit(literal[i + 1]) * 16 + HexDigit(literal[i + 2]));
          i += 2;
        } else {
          out += "\\x";
        }
        break;
      default:
        out += e;
        break;  // \" and \\ (libyara refuses any other escape)
    }
  }
  return out;
}

std::string EscapeLiteralBraces(std::string_view re) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\' && i + 1 < re.size()) {
      out += c;
      out += re[++i];
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < re.size() && re[i + 1] == '^') out += re[++i];
      if (i + 1 < re.size() && re[i + 1] == ']') out += re[++i];
      continue;
    }
    if (c == '{') {
      size_t j = i + 1, digits = 0, commas = 0;
      while (j < re.size() && (std::isdigit(static_cast<unsigned char>(re[j])) || re[j] == ',')) {
        if (re[j] == ',')
          ++commas;
        else
          ++digits;
        ++j;
      }
      bool repeat = j < re.size() && re[j] == '}' && digits > 0 && commas <= 1;
      if (!repeat) {
        out += "\\{";
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::optional<int64_t> ParseYaraInteger(std::string_view text) {
  int base = 10;
  int64_t multiplier = 1;
  if (text.starts_with("0x")) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.starts_with("0o")) {
    base = 8;
    text.remove_prefix(2);
  } else if (text.ends_with("KB")) {
    multiplier = 1024;
    text.remove_suffix(2);
  } else if (text.ends_with("MB")) {
    multiplier = 1024 * 1024;
    text.remove_suffix(2);
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value > INT64_MAX / multiplier) return std::nullopt;
  return value * multiplier;
}

std::vector<std::string> ApplyMeta(const std::vector<MetaField>& fields, ir::Detection& detection,
                                   std::vector<std::string>& not_kept) {
  std::vector<std::string> notes;
  ir::Meta& meta = detection.meta;
  for (const MetaField& f : fields) {
    const std::string key = Lower(f.key);
    const bool text = f.kind == MetaField::Kind::kText;
    bool kept = false;
    if (text && (key == "description" || key == "desc") && meta.description.empty()) {
      meta.description = f.text;
      kept = true;
    } else if (text && key == "author") {
      meta.author = meta.author.empty() ? f.text : meta.author + ", " + f.text;
      kept = true;
    } else if (text && key == "date" && !meta.date) {
      if ((meta.date = ParseDate(f.text))) kept = true;
    } else if (text && (key == "modified" || key == "last_modified") && !meta.modified) {
      if ((meta.modified = ParseDate(f.text))) kept = true;
    } else if (text &&
               (key == "reference" || key == "references" || key == "ref" || key == "url" ||
                key == "link") &&
               !f.text.empty()) {
      meta.references.push_back(f.text);
      kept = true;
    } else if (text && (key == "id" || key == "uuid") && !detection.id && IsUuid(f.text)) {
      detection.id = Lower(f.text);
      kept = true;
    } else if (text && (key == "severity" || key == "level")) {
      if (auto level = LevelFromText(f.text)) {
        detection.level = *level;
        kept = true;
      }
    }
    if (kept) continue;
    notes.push_back(fmt::format("meta: {} = {}", f.key, f.written));
    not_kept.push_back(f.key);
  }
  if (meta.date && meta.modified && *meta.modified < *meta.date) {
    // Ward warns about a modification before the date (W0307); the pair is
    // kept only as comments rather than imported as a contradiction.
    notes.push_back(fmt::format("meta: modified = \"{}\"", meta.modified->str()));
    not_kept.push_back("modified");
    meta.modified.reset();
  }
  return notes;
}

}  // namespace ward::yara_import
