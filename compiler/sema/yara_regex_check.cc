#include "compiler/sema/yara_regex_check.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

namespace ward::sema {
namespace {

// Far beyond any real pattern; keeps the recursive parser (and every walker
// of its tree) off the end of the stack on hostile input.
constexpr int kMaxGroupDepth = 1000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A `{...}` that libyara's lexer reads as a repeat: `{n}`, `{n,}`, `{,m}`,
// `{n,m}` and `{,}`. Anything else is a literal `{` to yarac.
struct Interval {
  int min = 0;
  int max = -1;      // -1: unbounded
  size_t length = 0; // characters, braces included
  bool bad = false;  // a repeat shape with values libyara rejects
  std::string why;
};

// Parses decimal digits, saturating far above kYaraMaxRepeat.
int Saturate(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
    if (value > 10 * kYaraMaxRepeat) return 10 * kYaraMaxRepeat;
  }
  return value;
}

std::optional<Interval> ReadInterval(std::string_view p, size_t pos) {
  if (pos >= p.size() || p[pos] != '{') return std::nullopt;
  size_t i = pos + 1;
  size_t n_begin = i;
  while (i < p.size() && IsDigit(p[i])) ++i;
  std::string_view n_digits = p.substr(n_begin, i - n_begin);
  bool comma = i < p.size() && p[i] == ',';
  std::string_view m_digits;
  if (comma) {
    size_t m_begin = ++i;
    while (i < p.size() && IsDigit(p[i])) ++i;
    m_digits = p.substr(m_begin, i - m_begin);
  }
  if (i >= p.size() || p[i] != '}') return std::nullopt;
  if (!comma && n_digits.empty()) return std::nullopt;  // `{}`
  Interval out;
  out.length = i + 1 - pos;
  out.min = n_digits.empty() ? 0 : Saturate(n_digits);
  if (!comma) {
    out.max = out.min;
  } else if (!m_digits.empty()) {
    out.max = Saturate(m_digits);
  }
  std::string text(p.substr(pos, out.length));
  if (out.max == 0) {
    out.bad = true;
    out.why = fmt::format("`{}` repeats nothing", text);
  } else if (out.max != -1 && out.min > out.max) {
    out.bad = true;
    out.why = fmt::format("`{}` has a lower bound above its upper bound", text);
  } else if (out.min > kYaraMaxRepeat || out.max > kYaraMaxRepeat) {
    out.bad = true;
    out.why = fmt::format("`{}` is above YARA's largest repeat count, {}", text, kYaraMaxRepeat);
  }
  return out;
}

std::string PosixReplacement(std::string_view name) {
  if (name == "alpha") return "[a-zA-Z]";
  if (name == "digit") return "[0-9]";
  if (name == "alnum") return "[a-zA-Z0-9]";
  if (name == "upper") return "[A-Z]";
  if (name == "lower") return "[a-z]";
  if (name == "space") return "\\s";
  if (name == "xdigit") return "[0-9a-fA-F]";
  if (name == "word") return "\\w";
  return "";
}

std::string UnknownEscapeHelp(char c) {
  switch (c) {
    case 'v': return "write a vertical tab as `\\x0b`";
    case 'e': return "write an escape character as `\\x1b`";
    case 'A':
    case 'z':
    case 'Z': return "YARA has no `\\A`, `\\z` or `\\Z` anchors: use `^` and `$`";
    case 'u':
    case 'U': return "YARA matches bytes: write the UTF-8 encoding with `\\xNN` escapes";
    case 'p':
    case 'P': return "YARA has no Unicode property classes: list the bytes in a class `[...]`";
    case 'h':
    case 'H': return "YARA has no `\\h`: use `[ \\t]`";
    case 'k':
    case 'g': return "YARA regexes have no backreferences";
    default: break;
  }
  return fmt::format("libyara reads `\\{0}` as a plain `{0}`: write `{0}` without the backslash",
                     c);
}

class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {}

  RegexCheck Run() {
    RegexCheck out;
    out.tree = ParseAlternation(0);
    if (!failed_ && pos_ < p_.size()) {
      // ParseAlternation only stops early at a `)` it did not open.
      Error(pos_, pos_ + 1, "unmatched `)`", "escape a literal parenthesis as `\\)`");
    }
    if (!failed_ && splits_ > kYaraMaxRegexSplits) {
      Error(0, p_.size(),
            fmt::format("the regular expression has {} optional or alternative parts; YARA "
                        "4.2 allows at most {}",
                        splits_, kYaraMaxRegexSplits),
            "simplify it or split it into several strings");
    }
    out.errors = std::move(errors_);
    out.unbounded_any = std::move(unbounded_);
    return out;
  }

 private:
  bool AtEnd() const { return pos_ >= p_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < p_.size() ? p_[pos_ + ahead] : '\0';
  }
  bool Has(size_t ahead) const { return pos_ + ahead < p_.size(); }

  void Error(size_t begin, size_t end, std::string message, std::string help = "") {
    if (failed_) return;  // the first error explains the pattern; the rest is noise
    failed_ = true;
    if (end > p_.size()) end = p_.size();
    errors_.push_back({begin, end, std::move(message), std::move(help)});
  }

  RegexNode Node(RegexNode::Kind kind, size_t begin) const {
    RegexNode node;
    node.kind = kind;
    node.begin = begin;
    node.end = pos_;
    return node;
  }

  RegexNode ParseAlternation(int depth) {
    size_t begin = pos_;
    RegexNode first = ParseConcat(depth);
    if (failed_ || Peek() != '|') return first;
    if (first.children.empty()) {
      Error(pos_, pos_ + 1, "the first alternative before `|` is empty",
            "YARA accepts an empty alternative only after the others: write `(abc|)` or "
            "`(abc)?`");
      return first;
    }
    RegexNode alt;
    alt.kind = RegexNode::Kind::kAlternation;
    alt.begin = begin;
    alt.children.push_back(std::move(first));
    while (!failed_ && Peek() == '|') {
      ++pos_;
      ++splits_;
      RegexNode branch = ParseConcat(depth);
      if (branch.children.empty()) branch.kind = RegexNode::Kind::kEmpty;
      alt.children.push_back(std::move(branch));
    }
    alt.end = pos_;
    return alt;
  }

  RegexNode ParseConcat(int depth) {
    RegexNode concat;
    concat.kind = RegexNode::Kind::kConcat;
    concat.begin = pos_;
    while (!failed_ && !AtEnd() && Peek() != '|' && Peek() != ')') {
      RegexNode atom;
      if (!ParseAtom(atom, depth)) break;
      ParseQuantifier(atom);
      concat.children.push_back(std::move(atom));
    }
    concat.end = pos_;
    return concat;
  }

  bool ParseAtom(RegexNode& out, int depth) {
    size_t begin = pos_;
    char c = Peek();
    switch (c) {
      case '(':
        return ParseGroup(out, depth);
      case '[':
        ParseClass(out);
        return !failed_;
      case '.':
        ++pos_;
        out = Node(RegexNode::Kind::kAny, begin);
        return true;
      case '^':
      case '$':
        ++pos_;
        out = Node(RegexNode::Kind::kAnchor, begin);
        return true;
      case '\\':
        ParseEscape(out);
        return !failed_;
      case '*':
      case '+':
      case '?':
        Error(begin, begin + 1, fmt::format("`{}` has nothing to repeat", c),
              fmt::format("escape it as `\\{}` to match the character itself", c));
        return false;
      case '{':
        if (auto interval = ReadInterval(p_, pos_)) {
          Error(begin, begin + interval->length,
                fmt::format("`{}` has nothing to repeat", p_.substr(begin, interval->length)),
                "escape a literal brace as `\\{`");
        } else {
          UnescapedBrace(begin);
        }
        return false;
      default:
        ++pos_;
        out = Node(RegexNode::Kind::kLiteral, begin);
        out.byte = static_cast<uint8_t>(c);
        return true;
    }
  }

  void UnescapedBrace(size_t at) {
    Error(at, at + 1, "a literal `{` must be escaped",
          "write `\\{`: libyara 4.2 guesses whether `{` starts a repeat count, yara-x rejects it");
  }

  bool ParseGroup(RegexNode& out, int depth) {
    size_t begin = pos_;
    if (depth >= kMaxGroupDepth) {
      Error(begin, begin + 1,
            fmt::format("groups are nested more than {} deep", kMaxGroupDepth));
      return false;
    }
    ++pos_;
    if (Peek() == '?') {
      GroupExtension(begin);
      return false;
    }
    RegexNode inner = ParseAlternation(depth + 1);
    if (failed_) return false;
    if (Peek() != ')') {
      Error(begin, begin + 1, "unclosed `(`",
            "add the missing `)` or escape a literal parenthesis as `\\(`");
      return false;
    }
    ++pos_;
    if (inner.kind == RegexNode::Kind::kConcat && inner.children.empty()) {
      Error(begin, pos_, "empty group `()`", "remove it: it matches nothing");
      return false;
    }
    out = Node(RegexNode::Kind::kGroup, begin);
    out.children.push_back(std::move(inner));
    return true;
  }

  // `(?...)`: non-capturing groups, inline flags, lookaround, named groups.
  void GroupExtension(size_t begin) {
    std::string_view rest = p_.substr(begin);
    size_t shown = std::min<size_t>(rest.size(), rest.size() > 3 && rest[2] == '<' ? 4 : 3);
    std::string_view head = rest.substr(0, shown);
    std::string help;
    if (head.starts_with("(?:")) {
      help = "use a plain group `(...)`: YARA has no non-capturing groups, and its groups "
             "capture nothing anyway";
    } else if (head.starts_with("(?=") || head.starts_with("(?!") ||
               head.starts_with("(?<=") || head.starts_with("(?<!")) {
      help = "YARA has no lookaround: match the context as part of the pattern or test it in "
             "the condition";
    } else if (head.starts_with("(?P") || head.starts_with("(?<")) {
      help = "use a plain group `(...)`: YARA has no named groups";
    } else {
      help = "YARA has no inline flags: put `i` or `s` after the closing slash, or use the "
             "`nocase` modifier";
    }
    Error(begin, begin + shown, fmt::format("YARA does not support `{}` groups", head),
          std::move(help));
  }

  void ParseQuantifier(RegexNode& atom) {
    if (failed_) return;
    size_t begin = pos_;
    int min = 0, max = -1;
    char c = Peek();
    if (c == '*') {
      ++pos_;
    } else if (c == '+') {
      min = 1;
      ++pos_;
    } else if (c == '?') {
      max = 1;
      ++pos_;
    } else if (c == '{') {
      auto interval = ReadInterval(p_, pos_);
      if (!interval) return;  // the next atom reports the unescaped brace
      if (interval->bad) {
        Error(begin, begin + interval->length, interval->why);
        return;
      }
      min = interval->min;
      max = interval->max;
      pos_ += interval->length;
    } else {
      return;
    }
    if (c != '{') ++splits_;
    if (atom.kind == RegexNode::Kind::kAnchor) {
      Error(atom.begin, pos_,
            fmt::format("the anchor `{}` cannot be repeated",
                        p_.substr(atom.begin, atom.end - atom.begin)),
            "remove the quantifier");
      return;
    }
    bool greedy = true;
    if (Peek() == '?') {
      greedy = false;
      ++pos_;
    }
    char next = Peek();
    if (next == '*' || next == '+' || next == '?' ||
        (next == '{' && ReadInterval(p_, pos_).has_value())) {
      Error(begin, pos_ + 1, "a quantifier cannot follow another quantifier",
            fmt::format("wrap the repeated part in a group and repeat the group: `({}){}`",
                        p_.substr(atom.begin, pos_ - atom.begin), next));
      return;
    }
    if (atom.kind == RegexNode::Kind::kAny && max == -1) {
      unbounded_.push_back({atom.begin, pos_,
                            fmt::format("`{}` is unbounded",
                                        p_.substr(atom.begin, pos_ - atom.begin)),
                            ""});
    }
    RegexNode repeat;
    repeat.kind = RegexNode::Kind::kRepeat;
    repeat.begin = atom.begin;
    repeat.end = pos_;
    repeat.min = min;
    repeat.max = max;
    repeat.greedy = greedy;
    repeat.children.push_back(std::move(atom));
    atom = std::move(repeat);
  }

  // One escape outside a class.
  void ParseEscape(RegexNode& out) {
    size_t begin = pos_;
    if (!Has(1)) {
      Error(begin, begin + 1, "the pattern ends with a lone backslash",
            "write `\\\\` to match a backslash");
      return;
    }
    char c = Peek(1);
    switch (c) {
      case 'w': case 'W': case 's': case 'S': case 'd': case 'D':
        pos_ += 2;
        out = Node(RegexNode::Kind::kClass, begin);
        return;
      case 'b': case 'B':
        pos_ += 2;
        out = Node(RegexNode::Kind::kAnchor, begin);
        return;
      default:
        break;
    }
    int byte = EscapedByte(/*in_class=*/false);
    if (byte < 0) return;
    out = Node(RegexNode::Kind::kLiteral, begin);
    out.byte = static_cast<uint8_t>(byte);
  }

  // The byte an escape at pos_ stands for (`\n`, `\x41`, `\.`), consuming
  // it; -1 after reporting an escape libyara rejects or misreads.
  int EscapedByte(bool in_class) {
    size_t begin = pos_;
    char c = Peek(1);
    switch (c) {
      case 'n': pos_ += 2; return 0x0A;
      case 't': pos_ += 2; return 0x09;
      case 'r': pos_ += 2; return 0x0D;
      case 'f': pos_ += 2; return 0x0C;
      case 'a': pos_ += 2; return 0x07;
      case 'x': {
        int hi = HexValue(Peek(2));
        int lo = Has(3) ? HexValue(Peek(3)) : -1;
        if (hi < 0 || lo < 0) {
          Error(begin, std::min(p_.size(), begin + 4), "`\\x` must be followed by two hex digits",
                "write a byte as `\\x0a`");
          return -1;
        }
        pos_ += 4;
        return hi * 16 + lo;
      }
      default:
        break;
    }
    if (IsDigit(c)) {
      Error(begin, begin + 2,
            in_class ? fmt::format("`\\{}` is not a valid escape in a class", c)
                     : "backreferences are not supported in YARA regular expressions",
            c == '0' ? "write a NUL byte as `\\x00`"
                     : fmt::format("write the byte as `\\x{:02x}` or repeat the pattern", c - '0'));
      return -1;
    }
    if (IsAlpha(c)) {
      Error(begin, begin + 2, fmt::format("unknown escape `\\{}`", c), UnknownEscapeHelp(c));
      return -1;
    }
    pos_ += 2;  // an escaped punctuation character or byte stands for itself
    return static_cast<uint8_t>(c);
  }

  // One member of a class: a byte or a class escape. Returns false after an
  // error; sets *is_class for `\d`-style members.
  bool ClassMember(int* byte, bool* is_class) {
    *is_class = false;
    char c = Peek();
    if (c != '\\') {
      *byte = static_cast<uint8_t>(c);
      ++pos_;
      return true;
    }
    if (!Has(1)) {
      Error(pos_, pos_ + 1, "the pattern ends with a lone backslash");
      return false;
    }
    char e = Peek(1);
    if (e == 'w' || e == 'W' || e == 's' || e == 'S' || e == 'd' || e == 'D') {
      *is_class = true;
      pos_ += 2;
      return true;
    }
    if (e == 'b' || e == 'B') {
      Error(pos_, pos_ + 2, fmt::format("`\\{}` is ambiguous inside a class", e),
            "write `\\x08` for a backspace or the plain letter");
      return false;
    }
    *byte = EscapedByte(/*in_class=*/true);
    return *byte >= 0;
  }

  void ParseClass(RegexNode& out) {
    size_t begin = pos_;
    ++pos_;
    if (Peek() == '^') ++pos_;
    bool first = true;
    while (true) {
      if (AtEnd()) {
        Error(begin, begin + 1, "missing `]` to close the character class",
              "close the class, or escape a literal bracket as `\\[`");
        return;
      }
      char c = Peek();
      if (c == ']' && !first) {
        ++pos_;
        break;
      }
      if (c == '[' && Peek(1) == ':') {
        size_t close = p_.find(":]", pos_ + 2);
        if (close != std::string_view::npos) {
          std::string_view name = p_.substr(pos_ + 2, close - pos_ - 2);
          bool letters = !name.empty();
          for (char n : name) letters = letters && IsAlpha(n);
          if (letters) {
            std::string replacement = PosixReplacement(name);
            Error(pos_, close + 2,
                  fmt::format("POSIX class `[:{}:]` is not supported by YARA", name),
                  replacement.empty()
                      ? "libyara reads it as a set of single characters: list the bytes instead"
                      : fmt::format("libyara reads it as a set of single characters: use `{}`",
                                    replacement));
            return;
          }
        }
      }
      first = false;
      size_t member_begin = pos_;
      int lo = 0;
      bool lo_class = false;
      if (!ClassMember(&lo, &lo_class)) return;
      if (Peek() == '-' && Has(1) && Peek(1) != ']') {
        if (lo_class) {
          Error(member_begin, pos_ + 1, "a character range cannot start with a class escape",
                "escape the dash as `\\-` to match it");
          return;
        }
        ++pos_;
        int hi = 0;
        bool hi_class = false;
        if (!ClassMember(&hi, &hi_class)) return;
        if (hi_class) {
          // libyara 4.2 reads `[a-\d]` one way and `[\w-a]` another.
          Error(member_begin, pos_, "a character range cannot end with a class escape",
                "escape the dash as `\\-` to match it");
          return;
        }
        if (hi < lo) {
          Error(member_begin, pos_,
                fmt::format("bad character range `{}`", p_.substr(member_begin, pos_ - member_begin)),
                "write the lower end of the range first");
          return;
        }
      }
    }
    out = Node(RegexNode::Kind::kClass, begin);
  }

  std::string_view p_;
  size_t pos_ = 0;
  bool failed_ = false;
  int splits_ = 0;
  std::vector<RegexIssue> errors_;
  std::vector<RegexIssue> unbounded_;
};

}  // namespace

RegexCheck CheckYaraRegex(std::string_view pattern) {
  if (pattern.empty()) {
    RegexCheck out;
    out.errors.push_back({0, 0, "empty regular expression", ""});
    return out;
  }
  return Parser(pattern).Run();
}

char InvalidRegexFlag(std::string_view flags) {
  bool seen_i = false, seen_s = false;
  for (char c : flags) {
    bool& seen = c == 'i' ? seen_i : seen_s;
    if ((c != 'i' && c != 's') || seen) return c;
    seen = true;
  }
  return 0;
}

}  // namespace ward::sema
