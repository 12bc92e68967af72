#include "compiler/syntax/hex_pattern.h"

#include <string>
#include <utility>

namespace ward::syntax {
namespace {

constexpr char kPatternHelp[] =
    "a hex pattern holds bytes (`4D`), wildcards (`??`, `4?`, `?D`), jumps (`[2-4]`), "
    "alternatives (`( 4D | 5A )`) and `//` or `/* */` comments";
constexpr char kJumpHelp[] = "jumps are written `[4]`, `[2-8]`, `[2-]` or `[-]`";

bool IsNibble(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '?';
}
bool IsWordChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
uint8_t NibbleValue(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
  return 0;  // '?'
}
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

// One open group: the top level, or an alternative `( .. | .. )`.
struct Frame {
  std::vector<std::vector<ast::HexItem>> alternatives{1};
  size_t open = 0;  // offset of the `(` in the text
};

class HexParser {
 public:
  HexParser(std::string_view text, FileId file, uint32_t begin, DiagnosticEngine& diags,
            size_t max_nesting)
      : text_(text), file_(file), begin_(begin), diags_(diags), max_nesting_(max_nesting) {}

  std::optional<std::vector<ast::HexItem>> Run() {
    if (text_.size() < 2 || text_.front() != '{' || text_.back() != '}') {
      Fail(0, text_.size(), "malformed hex pattern", "write a hex pattern as `{ 4D 5A }`");
      return std::nullopt;
    }
    end_ = text_.size() - 1;
    stack_.emplace_back();
    size_t i = 1;
    while (i < end_) {
      if (!Step(i)) return std::nullopt;
    }
    if (stack_.size() > 1) {
      size_t open = stack_.back().open;
      Fail(open, open + 1, "unclosed `(` in hex pattern", "close the alternative with `)`");
      return std::nullopt;
    }
    if (stack_[0].alternatives[0].empty()) {
      Fail(0, text_.size(), "empty hex pattern", "write at least one byte between the braces");
      return std::nullopt;
    }
    return std::move(stack_[0].alternatives[0]);
  }

 private:
  std::vector<ast::HexItem>& Current() { return stack_.back().alternatives.back(); }

  // Consumes one element at `i`; false after reporting an error.
  bool Step(size_t& i) {
    char c = text_[i];
    if (IsSpace(c)) {
      ++i;
      return true;
    }
    if (c == '/') return Comment(i);
    if (IsNibble(c)) return Bytes(i, /*negated=*/false);
    if (c == '~') {
      if (i + 1 >= end_ || !IsNibble(text_[i + 1])) {
        return Fail(i, i + 1, "`~` must be followed by a byte, as in `~4D`", kPatternHelp);
      }
      return Bytes(i, /*negated=*/true);
    }
    if (c == '[') return Jump(i);
    if (c == '(') {
      if (stack_.size() > max_nesting_) {
        diags_.Report(Diag(DiagCode::kNestingTooDeep, At(i, i + 1),
                           "hex alternatives are nested more than " +
                               std::to_string(max_nesting_) + " levels deep")
                          .Help("flatten the alternatives"));
        return false;
      }
      Frame frame;
      frame.open = i;
      stack_.push_back(std::move(frame));
      ++i;
      return true;
    }
    if (c == '|') {
      if (stack_.size() == 1) {
        return Fail(i, i + 1, "`|` outside of an alternative",
                    "alternatives are written in parentheses: `( 4D | 5A )`");
      }
      if (Current().empty()) {
        return Fail(i, i + 1, "empty alternative before `|`", "write at least one byte in each alternative");
      }
      stack_.back().alternatives.emplace_back();
      ++i;
      return true;
    }
    if (c == ')') {
      if (stack_.size() == 1) {
        return Fail(i, i + 1, "unmatched `)` in hex pattern", "remove it, or open the alternative with `(`");
      }
      if (Current().empty()) {
        return Fail(i, i + 1, "empty alternative before `)`", "write at least one byte in each alternative");
      }
      Frame frame = std::move(stack_.back());
      stack_.pop_back();
      ast::HexItem item;
      item.kind = ast::HexItem::Kind::kAlternation;
      item.span = At(frame.open, i + 1);
      item.alternatives = std::move(frame.alternatives);
      Current().push_back(std::move(item));
      ++i;
      return true;
    }
    if (c == ']') return Fail(i, i + 1, "unmatched `]` in hex pattern", kJumpHelp);
    return BadChar(i);
  }

  bool Comment(size_t& i) {
    if (i + 1 < end_ && text_[i + 1] == '/') {
      size_t nl = text_.find('\n', i);
      i = nl == std::string_view::npos || nl > end_ ? end_ : nl + 1;
      return true;
    }
    if (i + 1 < end_ && text_[i + 1] == '*') {
      size_t close = text_.find("*/", i + 2);
      if (close == std::string_view::npos || close + 2 > end_) {
        return Fail(i, i + 2, "unterminated comment in hex pattern", "close the comment with `*/`");
      }
      i = close + 2;
      return true;
    }
    return Fail(i, i + 1, "invalid character `/` in hex pattern", kPatternHelp);
  }

  // A run of nibbles (`4D5A??`), optionally preceded by `~` negating its first byte.
  bool Bytes(size_t& i, bool negated) {
    size_t start = negated ? i + 1 : i;
    size_t j = start;
    while (j < end_ && IsNibble(text_[j])) ++j;
    if (j < end_ && IsWordChar(text_[j])) return BadChar(j);
    if ((j - start) % 2 != 0) {
      return Fail(j - 1, j,
                  "incomplete byte `" + std::string(1, text_[j - 1]) +
                      "` in hex pattern: a byte has two hex digits",
                  "write a byte as two digits (`0A`) or a wildcard as `??`, `A?` or `?A`");
    }
    if (negated && text_[start] == '?' && text_[start + 1] == '?') {
      return Fail(i, start + 2, "`~??` is not allowed: `~` cannot negate a full wildcard",
                  "negate a byte (`~4D`) or a nibble wildcard (`~4?`)");
    }
    for (size_t k = start; k < j; k += 2) {
      char hi = text_[k];
      char lo = text_[k + 1];
      ast::HexItem item;
      bool is_not = negated && k == start;
      item.kind = is_not ? ast::HexItem::Kind::kNot : ast::HexItem::Kind::kByte;
      item.span = At(is_not ? i : k, k + 2);
      item.value = static_cast<uint8_t>(NibbleValue(hi) << 4 | NibbleValue(lo));
      item.mask = static_cast<uint8_t>((hi == '?' ? 0x00 : 0xF0) | (lo == '?' ? 0x00 : 0x0F));
      Current().push_back(std::move(item));
    }
    i = j;
    return true;
  }

  void SkipSpaces(size_t& p) {
    while (p < end_ && IsSpace(text_[p])) ++p;
  }

  // Reads a decimal jump bound at `p`, if there is one.
  bool Bound(size_t& p, std::optional<uint32_t>& out) {
    size_t start = p;
    uint64_t value = 0;
    while (p < end_ && text_[p] >= '0' && text_[p] <= '9') {
      value = value * 10 + static_cast<uint64_t>(text_[p] - '0');
      if (value > UINT32_MAX) {
        while (p < end_ && text_[p] >= '0' && text_[p] <= '9') ++p;
        return Fail(start, p, "jump size `" + std::string(text_.substr(start, p - start)) +
                                  "` is too large", kJumpHelp);
      }
      ++p;
    }
    if (p > start) out = static_cast<uint32_t>(value);
    return true;
  }

  bool Jump(size_t& i) {
    size_t p = i + 1;
    std::optional<uint32_t> low, high;
    SkipSpaces(p);
    if (!Bound(p, low)) return false;
    SkipSpaces(p);
    bool range = false;
    if (p < end_ && text_[p] == '-') {
      range = true;
      ++p;
      SkipSpaces(p);
      if (!Bound(p, high)) return false;
      SkipSpaces(p);
    }
    if (p >= end_) return Fail(i, i + 1, "unclosed `[` in hex pattern", kJumpHelp);
    if (text_[p] != ']') {
      size_t len = Utf8Length(static_cast<unsigned char>(text_[p]));
      return Fail(p, p + len, "malformed jump: unexpected `" +
                                  std::string(text_.substr(p, len)) + "`", kJumpHelp);
    }
    size_t close = p + 1;
    if (!range && !low) return Fail(i, close, "empty jump `[]`", kJumpHelp);
    if (range && !low && high) {
      return Fail(i, close, "a jump range needs a lower bound", "write `[0-" +
                                std::to_string(*high) + "]`");
    }
    if (!range) high = low;
    if (low && high && *low > *high) {
      return Fail(i, close, "jump `" + std::string(text_.substr(i, close - i)) +
                                "` has a lower bound above its upper bound",
                  "write the smaller number first");
    }
    ast::HexItem item;
    item.kind = ast::HexItem::Kind::kJump;
    item.span = At(i, close);
    item.jump_low = low;
    item.jump_high = high;
    item.jump_range = range;
    Current().push_back(std::move(item));
    i = close;
    return true;
  }

  bool BadChar(size_t i) {
    size_t len = Utf8Length(static_cast<unsigned char>(text_[i]));
    if (i + len > end_) len = end_ - i;
    std::string shown(text_.substr(i, len));
    return Fail(i, i + len, "invalid character `" + shown + "` in hex pattern", kPatternHelp);
  }

  Span At(size_t b, size_t e) const {
    return Span{file_, begin_ + static_cast<uint32_t>(b), begin_ + static_cast<uint32_t>(e)};
  }

  bool Fail(size_t b, size_t e, std::string message, std::string help) {
    diags_.Report(Diag(DiagCode::kMalformedHex, At(b, e), std::move(message)).Help(std::move(help)));
    return false;
  }

  std::string_view text_;
  FileId file_;
  uint32_t begin_;
  DiagnosticEngine& diags_;
  size_t max_nesting_;
  size_t end_ = 0;
  std::vector<Frame> stack_;
};

}  // namespace

std::optional<std::vector<ast::HexItem>> ParseHexPattern(std::string_view text, FileId file,
                                                         uint32_t begin, DiagnosticEngine& diags,
                                                         size_t max_nesting) {
  return HexParser(text, file, begin, diags, max_nesting).Run();
}

}  // namespace ward::syntax
