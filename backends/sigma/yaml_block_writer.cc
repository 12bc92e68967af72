#include "backends/sigma/yaml_block_writer.h"

#include <yaml-cpp/emitter.h>

namespace ward::backends::sigma {
namespace {

// True if `text` is well-formed UTF-8 whose every code point yaml-cpp writes
// back unchanged: no surrogates, no non-characters (U+FDD0..FDEF, U+xFFFE,
// U+xFFFF, which its decoder turns into U+FFFD), and none of the code points
// YAML treats as breaks or that yaml-cpp escapes (U+0085, U+00A0, U+2028,
// U+2029, U+FEFF). ASCII control characters and DEL are refused too.
bool CommonText(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) return false;
      ++i;
      continue;
    }
    size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size()) return false;
    uint32_t cp = c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[len] || cp > 0x10FFFF) return false;  // overlong or out of range
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) return false;
    if (cp <= 0xA0 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return false;
    i += len;
  }
  return true;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string YamlCppScalar(std::string_view text, YAML::EMITTER_MANIP style) {
  YAML::Emitter e;
  if (style != YAML::Auto) e << style;
  e << std::string(text);
  return e.c_str();
}

// yaml-cpp writes a string plain unless it is a null word, starts with an
// indicator or a blank, ends with a space, or holds `: `, a final `:` or
// ` #`. This accepts a subset of what it writes plain: texts that start with
// a letter, a digit or a few punctuation characters that are never
// indicators, so that every text accepted here is certainly one it writes
// plain.
std::string FastPlainScalar(std::string_view text) {
  if (text.empty() || text.back() == ' ') return {};
  char first = text.front();
  static constexpr std::string_view kSafeFirst = "_./\\($+<=^;";
  if (!IsAsciiAlnum(first) && kSafeFirst.find(first) == std::string_view::npos) return {};
  if (text == "null" || text == "Null" || text == "NULL") return {};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ':' && (i + 1 == text.size() || text[i + 1] == ' ')) return {};
    if (text[i] == '#' && i > 0 && text[i - 1] == ' ') return {};
  }
  if (!CommonText(text)) return {};
  return std::string(text);
}

std::string FastSingleQuotedScalar(std::string_view text) {
  if (!CommonText(text)) return {};
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

YamlBlockWriter& YamlBlockWriter::operator<<(YAML::EMITTER_MANIP manip) {
  switch (manip) {
    case YAML::Key:
      if (groups_.empty() || !groups_.back().map || after_key_) failed_ = true;
      expect_key_ = true;
      break;
    case YAML::Value:
      if (!after_key_) failed_ = true;
      break;
    case YAML::SingleQuoted:
      style_ = Style::kSingle;
      break;
    case YAML::DoubleQuoted:
      style_ = Style::kDouble;
      break;
    case YAML::BeginMap:
    case YAML::BeginSeq: {
      bool map = manip == YAML::BeginMap;
      Group group{map, 0, 0};
      if (groups_.empty()) {
        if (!map) failed_ = true;
      } else if (groups_.back().map) {
        // The value of a key: the group starts on the next line, 4 further.
        if (!after_key_) failed_ = true;
        after_key_ = false;
        ++groups_.back().entries;
        group.column = groups_.back().column + 4;
      } else if (map) {
        // A map as a list item: its first key follows the `- `.
        StartEntry();
        ++groups_.back().entries;
        inline_item_ = true;
        group.column = groups_.back().column + 2;
      } else {
        failed_ = true;  // a list directly in a list: not a Sigma shape
      }
      groups_.push_back(group);
      break;
    }
    case YAML::EndMap:
    case YAML::EndSeq:
      // yaml-cpp writes an empty group as `{}` or `[]`; Sigma has none.
      if (groups_.empty() || groups_.back().entries == 0 || after_key_) failed_ = true;
      if (!groups_.empty()) groups_.pop_back();
      break;
    default:
      failed_ = true;
      break;
  }
  return *this;
}

void YamlBlockWriter::StartLine(size_t column) {
  if (!out_.empty()) out_ += '\n';
  out_.append(column, ' ');
  line_indent_ = column;
}

void YamlBlockWriter::StartEntry() {
  if (groups_.empty()) {
    failed_ = true;
    return;
  }
  Group& group = groups_.back();
  if (inline_item_) {
    inline_item_ = false;  // the first key of a map in a list item
  } else {
    StartLine(group.column);
  }
  if (!group.map) out_ += "- ";
}

void YamlBlockWriter::WriteScalarText(std::string_view written) {
  style_ = Style::kAuto;
  if (failed_) return;
  if (groups_.empty()) {
    failed_ = true;
    return;
  }
  Group& group = groups_.back();
  if (group.map) {
    if (expect_key_) {
      StartEntry();
      out_ += written;
      out_ += ':';
      expect_key_ = false;
      after_key_ = true;
      return;
    }
    if (!after_key_) {
      failed_ = true;
      return;
    }
    out_ += ' ';
    out_ += written;
    after_key_ = false;
    ++group.entries;
    return;
  }
  StartEntry();
  out_ += written;
  ++group.entries;
}

YamlBlockWriter& YamlBlockWriter::operator<<(const std::string& text) {
  std::string written;
  switch (style_) {
    case Style::kAuto:
      written = FastPlainScalar(text);
      if (written.empty()) written = YamlCppScalar(text, YAML::Auto);
      break;
    case Style::kSingle:
      written = FastSingleQuotedScalar(text);
      if (written.empty()) written = YamlCppScalar(text, YAML::SingleQuoted);
      break;
    case Style::kDouble:
      written = YamlCppScalar(text, YAML::DoubleQuoted);
      break;
  }
  WriteScalarText(written);
  return *this;
}

YamlBlockWriter& YamlBlockWriter::operator<<(int64_t value) {
  WriteScalarText(std::to_string(value));
  return *this;
}

YamlBlockWriter& YamlBlockWriter::operator<<(bool value) {
  WriteScalarText(value ? "true" : "false");
  return *this;
}

YamlBlockWriter& YamlBlockWriter::operator<<(const YAML::_Null&) {
  WriteScalarText("null");
  return *this;
}

YamlBlockWriter& YamlBlockWriter::operator<<(const YAML::_Comment& comment) {
  // yaml-cpp continues a multi-line comment on `#` lines; Ward's comments
  // are rule names. A final `|` would read as a block header to the old
  // printer's post-processing, so such a comment is left to it too.
  const std::string& text = comment.content;
  if (text.find_first_of("\r\n") != std::string::npos || (!text.empty() && text.back() == '|') ||
      (text.size() >= 2 && text.compare(text.size() - 2, 2, "|-") == 0) || out_.empty()) {
    failed_ = true;
    return *this;
  }
  out_ += " # ";
  out_ += text;
  return *this;
}

void YamlBlockWriter::WriteRawScalar(std::string_view scalar) { WriteScalarText(scalar); }

void YamlBlockWriter::WriteLiteralBlock(std::string_view text) {
  if (groups_.empty() || !groups_.back().map || !after_key_ || text.empty()) {
    failed_ = true;
    return;
  }
  bool final_newline = text.back() == '\n';
  std::string_view body = final_newline ? text.substr(0, text.size() - 1) : text;
  std::string block = final_newline ? "|" : "|-";
  size_t pad = line_indent_ + 4;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    block += '\n';
    if (end > start) {
      block.append(pad, ' ');
      block += body.substr(start, end - start);
    }
    start = end + 1;
  }
  WriteScalarText(block);
}

std::string YamlBlockWriter::Finish() {
  if (!groups_.empty() || expect_key_ || after_key_) failed_ = true;
  out_ += '\n';
  return std::move(out_);
}

}  // namespace ward::backends::sigma
