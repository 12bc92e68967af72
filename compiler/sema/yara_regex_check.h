#ifndef WARD_COMPILER_SEMA_YARA_REGEX_CHECK_H_
#define WARD_COMPILER_SEMA_YARA_REGEX_CHECK_H_

// A validating parser for the regular-expression dialect of libyara 4.2
// (its own engine, not PCRE). It accepts what yarac 4.2.3 compiles, except
// where yarac silently reads a pattern differently from what its author
// meant: a `{` that is not a quantifier, unknown escapes such as `\v` or
// `\e` (yarac reads them as the bare letter), and POSIX classes such as
// `[[:alpha:]]` (yarac reads a set of punctuation and letters). Those are
// rejected too, which also keeps the patterns valid for yara-x.
//
// Besides the verdict it returns the parsed shape, which the slow-string
// estimate (yara_atoms.h) uses, and where the pattern has an unbounded `.`
// repeat, which yarac warns about.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ward::sema {

struct RegexNode {
  enum class Kind {
    kEmpty,        // an empty alternative: `a|`
    kLiteral,      // one byte
    kAny,          // `.`
    kClass,        // `[...]`, `\d`, `\w`, ...
    kAnchor,       // `^`, `$`, `\b`, `\B`
    kConcat,       // children in order
    kAlternation,  // children are the alternatives
    kGroup,        // children[0]
    kRepeat,       // children[0] repeated min..max times
  };
  Kind kind = Kind::kEmpty;
  uint8_t byte = 0;   // kLiteral
  int min = 0;        // kRepeat
  int max = -1;       // kRepeat; -1 is unbounded
  bool greedy = true;
  size_t begin = 0;   // byte offsets into the pattern
  size_t end = 0;
  std::vector<RegexNode> children;
};

// A problem found in a pattern, located by byte offsets into it.
struct RegexIssue {
  size_t begin = 0;
  size_t end = 0;
  std::string message;
  std::string help;  // may be empty
};

struct RegexCheck {
  std::vector<RegexIssue> errors;  // empty: libyara 4.2 compiles the pattern
  // `.*`, `.+`, `.{n,}` (also lazy): yarac warns that matching stops after
  // 4096 bytes and suggests a bound.
  std::vector<RegexIssue> unbounded_any;
  RegexNode tree;  // meaningful only when errors is empty
  bool ok() const { return errors.empty(); }
};

// Longest regex or text string libyara's lexer buffer holds, in bytes.
inline constexpr size_t kYaraMaxLiteralBytes = 8190;
// Largest repeat bound in `{n,m}`.
inline constexpr int kYaraMaxRepeat = 32767;
// libyara numbers the splits (`?`, `*`, `+`, `|`) of one regex in a byte
// (RE_MAX_SPLIT_ID); more give "regular expression is too complex".
inline constexpr int kYaraMaxRegexSplits = 128;

RegexCheck CheckYaraRegex(std::string_view pattern);

// Flags after the closing slash: `i` and `s`, each at most once. Returns the
// offending flag character, or 0 if the flags are valid.
char InvalidRegexFlag(std::string_view flags);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_YARA_REGEX_CHECK_H_
