#include "compiler/eval/flat_event.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "compiler/support/text_util.h"

namespace ward::eval {
namespace {

// nlohmann's depth is unbounded; deeper events take the DOM path.
constexpr int kMaxDepth = 64;

inline void SkipSpace(const char*& p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
}

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms,
// no surrogates, at most U+10FFFF) at `p`, or 0.
size_t Utf8Length(const char* p, const char* end) {
  const auto b0 = static_cast<unsigned char>(p[0]);
  auto cont = [&](size_t i, unsigned char lo, unsigned char hi) {
    if (p + i >= end) return false;
    const auto b = static_cast<unsigned char>(p[i]);
    return b >= lo && b <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1, 0x80, 0xBF) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (b0 == 0xF0) return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  }
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

bool Hex4(const char* p, const char* end, uint32_t& out) {
  if (end - p < 4) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    char c = p[i];
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    out = out << 4 | d;
  }
  return true;
}

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Eight bytes at a time (SWAR): whether a word of text holds a byte below
// 0x20, a quote or a backslash; with `ascii_only`, also any byte >= 0x80.
// Each test is exact about whether some byte qualifies, which is all the
// fast loops below need: a word that qualifies is redone byte by byte.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;
inline uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}
inline uint64_t ZeroBytes(uint64_t x) { return (x - kOnes) & ~x & kHighs; }
inline bool WordIsPlain(uint64_t x, bool ascii_only) {
  uint64_t special = ZeroBytes(x ^ (kOnes * '"')) | ZeroBytes(x ^ (kOnes * '\\')) |
                     ((x - kOnes * 0x20) & ~x & kHighs);
  if (ascii_only) special |= x & kHighs;
  return special == 0;
}

}  // namespace

uint32_t InternField(std::string_view path) {
  static std::mutex mutex;
  static std::map<std::string, uint32_t, std::less<>> ids;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = ids.find(path);
  if (it != ids.end()) return it->second;
  auto id = static_cast<uint32_t>(ids.size());
  ids.emplace(std::string(path), id);
  return id;
}

uint32_t InternPredicate(std::string_view canonical) {
  static std::mutex mutex;
  static std::map<std::string, uint32_t, std::less<>> ids;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = ids.find(canonical);
  if (it != ids.end()) return it->second;
  auto id = static_cast<uint32_t>(ids.size());
  ids.emplace(std::string(canonical), id);
  return id;
}

std::vector<FieldMemo>& FlatEvent::ThreadMemo() {
  thread_local std::vector<FieldMemo> memo;
  return memo;
}

std::vector<uint64_t>& FlatEvent::ThreadVerdicts() {
  thread_local std::vector<uint64_t> verdicts;
  return verdicts;
}

bool FlatEvent::Parse(std::string& line) {
  // Every memo and cached verdict is stale: no event had this generation.
  static std::atomic<uint64_t> generations{0};
  generation_ = generations.fetch_add(1, std::memory_order_relaxed) + 1;
  line_.swap(line);
  nodes_.clear();
  kids_.clear();
  pending_.clear();
  decoded_.clear();
  // Decoded text is never longer than its escaped form, so the views into
  // decoded_ stay valid: it never reallocates while parsing.
  decoded_.reserve(line_.size());
  const char* p = line_.data();
  const char* end = p + line_.size();
  SkipSpace(p, end);
  if (p == end || *p != '{') return false;
  nodes_.emplace_back();
  if (!ParseValue(p, end, 0, 0)) {
    nodes_.clear();
    return false;
  }
  SkipSpace(p, end);
  if (p != end) {
    nodes_.clear();
    return false;
  }
  return true;
}

bool FlatEvent::ParseValue(const char*& p, const char* end, uint32_t index, int depth) {
  if (p == end) return false;
  switch (*p) {
    case '{':
    case '[': {
      const bool object = *p == '{';
      if (depth >= kMaxDepth) return false;
      nodes_[index].type = object ? FlatNode::Type::kObject : FlatNode::Type::kArray;
      ++p;
      SkipSpace(p, end);
      const size_t base = pending_.size();
      const char close = object ? '}' : ']';
      if (p < end && *p == close) {
        ++p;
      } else {
        for (;;) {
          std::string_view key;
          if (object) {
            if (p == end || *p != '"' || !ParseString(p, end, key)) return false;
            SkipSpace(p, end);
            if (p == end || *p != ':') return false;
            ++p;
            SkipSpace(p, end);
          }
          const auto child = static_cast<uint32_t>(nodes_.size());
          nodes_.emplace_back();
          nodes_[child].key = key;
          if (!ParseValue(p, end, child, depth + 1)) return false;
          pending_.push_back(child);
          SkipSpace(p, end);
          if (p == end) return false;
          if (*p == ',') {
            ++p;
            SkipSpace(p, end);
            continue;
          }
          if (*p != close) return false;
          ++p;
          break;
        }
      }
      auto begin = pending_.begin() + static_cast<long>(base);
      if (object) {
        // nlohmann's objects are std::maps: members in name order; a repeated
        // name keeps its last value, which the DOM path handles.
        std::sort(begin, pending_.end(),
                  [this](uint32_t a, uint32_t b) { return nodes_[a].key < nodes_[b].key; });
        for (auto it = begin; it + 1 < pending_.end(); ++it) {
          if (nodes_[*it].key == nodes_[*(it + 1)].key) return false;
        }
      }
      FlatNode& node = nodes_[index];
      node.first = static_cast<uint32_t>(kids_.size());
      node.count = static_cast<uint32_t>(pending_.size() - base);
      kids_.insert(kids_.end(), begin, pending_.end());
      pending_.resize(base);
      return true;
    }
    case '"': {
      std::string_view text;
      if (!ParseString(p, end, text)) return false;
      nodes_[index].type = FlatNode::Type::kString;
      nodes_[index].text = text;
      return true;
    }
    case 't':
      if (end - p < 4 || std::memcmp(p, "true", 4) != 0) return false;
      p += 4;
      nodes_[index].type = FlatNode::Type::kBool;
      nodes_[index].boolean = true;
      return true;
    case 'f':
      if (end - p < 5 || std::memcmp(p, "false", 5) != 0) return false;
      p += 5;
      nodes_[index].type = FlatNode::Type::kBool;
      nodes_[index].boolean = false;
      return true;
    case 'n':
      if (end - p < 4 || std::memcmp(p, "null", 4) != 0) return false;
      p += 4;
      nodes_[index].type = FlatNode::Type::kNull;
      return true;
    default:
      return ParseNumber(p, end, nodes_[index]);
  }
}

bool FlatEvent::ParseString(const char*& p, const char* end, std::string_view& out) {
  const char* start = ++p;  // after the opening quote
  bool escaped = false;
  size_t decoded_start = 0;
  for (;;) {
    // Plain ASCII needs no check beyond its absence: skip it by words
    // (decoded text copies the run it skips).
    const char* run = p;
    while (end - p >= 8 && WordIsPlain(LoadWord(p), true)) p += 8;
    if (escaped && p != run) decoded_.append(run, static_cast<size_t>(p - run));
    if (p == end) return false;
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') break;
    if (c < 0x20) return false;  // control characters must be escaped
    if (c == '\\') {
      if (!escaped) {
        escaped = true;
        decoded_start = decoded_.size();
        decoded_.append(start, static_cast<size_t>(p - start));
      }
      if (++p == end) return false;
      switch (*p) {
        case '"':
          decoded_.push_back('"');
          break;
        case '\\':
          decoded_.push_back('\\');
          break;
        case '/':
          decoded_.push_back('/');
          break;
        case 'b':
          decoded_.push_back('\b');
          break;
        case 'f':
          decoded_.push_back('\f');
          break;
        case 'n':
          decoded_.push_back('\n');
          break;
        case 'r':
          decoded_.push_back('\r');
          break;
        case 't':
          decoded_.push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(p + 1, end, cp)) return false;
          p += 4;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (end - p < 7 || p[1] != '\\' || p[2] != 'u' || !Hex4(p + 3, end, low) ||
                low < 0xDC00 || low > 0xDFFF) {
              return false;
            }
            p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(decoded_, cp);
          break;
        }
        default:
          return false;
      }
      ++p;
      continue;
    }
    if (c < 0x80) {
      if (escaped) decoded_.push_back(static_cast<char>(c));
      ++p;
      continue;
    }
    size_t len = Utf8Length(p, end);
    if (len == 0) return false;
    if (escaped) decoded_.append(p, len);
    p += len;
  }
  out = escaped ? std::string_view(decoded_.data() + decoded_start, decoded_.size() - decoded_start)
                : std::string_view(start, static_cast<size_t>(p - start));
  ++p;  // the closing quote
  return true;
}

bool FlatEvent::ParseNumber(const char*& p, const char* end, FlatNode& node) {
  const char* start = p;
  auto digit = [&] { return p < end && *p >= '0' && *p <= '9'; };
  if (p < end && *p == '-') ++p;
  if (!digit()) return false;
  if (*p == '0') {
    ++p;
  } else {
    while (digit()) ++p;
  }
  bool integral = true;
  if (p < end && *p == '.') {
    integral = false;
    ++p;
    if (!digit()) return false;
    while (digit()) ++p;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    integral = false;
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (!digit()) return false;
    while (digit()) ++p;
  }
  node.text = std::string_view(start, static_cast<size_t>(p - start));
  // As nlohmann's lexer: integers that fit stay integers (signed when
  // negative), the rest are doubles from strtod.
  if (integral) {
    if (*start == '-') {
      int64_t value = 0;
      auto [ptr, ec] = std::from_chars(start, p, value);
      if (ec == std::errc() && ptr == p) {
        node.type = FlatNode::Type::kInteger;
        node.integer = value;
        return true;
      }
    } else {
      uint64_t value = 0;
      auto [ptr, ec] = std::from_chars(start, p, value);
      if (ec == std::errc() && ptr == p) {
        node.type = FlatNode::Type::kUnsigned;
        node.unsigned_integer = value;
        return true;
      }
    }
  }
  std::string token(start, p);
  node.type = FlatNode::Type::kFloat;
  node.real = std::strtod(token.c_str(), nullptr);
  return std::isfinite(node.real);  // nlohmann rejects an overflow ("number overflow parsing")
}

const FlatNode* FlatEvent::Find(const FlatNode& object, std::string_view key) const {
  const uint32_t* begin = kids_.data() + object.first;
  const uint32_t* end = begin + object.count;
  if (object.count <= 8) {
    for (const uint32_t* it = begin; it != end; ++it) {
      if (nodes_[*it].key == key) return &nodes_[*it];
    }
    return nullptr;
  }
  const uint32_t* it = std::lower_bound(
      begin, end, key, [this](uint32_t a, std::string_view k) { return nodes_[a].key < k; });
  return it != end && nodes_[*it].key == key ? &nodes_[*it] : nullptr;
}

void AppendJsonEscaped(std::string_view text, std::string& out) {
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    while (text.size() - i >= 8 && WordIsPlain(LoadWord(text.data() + i), false)) i += 8;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (!NeedsEscape(c)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
}

void FlatEvent::Dump(const FlatNode& node, std::string& out) const {
  char buffer[24];
  switch (node.type) {
    case FlatNode::Type::kNull:
      out += "null";
      return;
    case FlatNode::Type::kBool:
      out += node.boolean ? "true" : "false";
      return;
    case FlatNode::Type::kInteger: {
      auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, node.integer);
      out.append(buffer, ptr);
      return;
    }
    case FlatNode::Type::kUnsigned: {
      auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, node.unsigned_integer);
      out.append(buffer, ptr);
      return;
    }
    case FlatNode::Type::kFloat:
      out += nlohmann::json(node.real).dump();
      return;
    case FlatNode::Type::kString:
      out.push_back('"');
      AppendJsonEscaped(node.text, out);
      out.push_back('"');
      return;
    case FlatNode::Type::kArray:
    case FlatNode::Type::kObject: {
      const bool object = node.type == FlatNode::Type::kObject;
      out.push_back(object ? '{' : '[');
      for (uint32_t i = 0; i < node.count; ++i) {
        if (i) out.push_back(',');
        const FlatNode& c = *child(node, i);
        if (object) {
          out.push_back('"');
          AppendJsonEscaped(c.key, out);
          out += "\":";
        }
        Dump(c, out);
      }
      out.push_back(object ? '}' : ']');
      return;
    }
  }
}

nlohmann::json FlatEvent::ToJson(const FlatNode& node) const {
  switch (node.type) {
    case FlatNode::Type::kNull:
      return nullptr;
    case FlatNode::Type::kBool:
      return node.boolean;
    case FlatNode::Type::kInteger:
      return node.integer;
    case FlatNode::Type::kUnsigned:
      return node.unsigned_integer;
    case FlatNode::Type::kFloat:
      return node.real;
    case FlatNode::Type::kString:
      return std::string(node.text);
    case FlatNode::Type::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (uint32_t i = 0; i < node.count; ++i) out.push_back(ToJson(*child(node, i)));
      return out;
    }
    case FlatNode::Type::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (uint32_t i = 0; i < node.count; ++i) {
        const FlatNode& c = *child(node, i);
        out[std::string(c.key)] = ToJson(c);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace ward::eval
