#ifndef WARD_COMPILER_EVAL_TEXT_MATCH_H_
#define WARD_COMPILER_EVAL_TEXT_MATCH_H_

// Sigma string matching: case folding and wildcard patterns over UTF-8.
// A pattern is a token list (literal text, `*`, `?`, a windash class); a
// Glob is a pattern compiled for matching, with `?` matching one code point.

#include <string>
#include <string_view>
#include <vector>

namespace ward::eval {

struct Token {
  enum class Kind { kLiteral, kAnyRun, kAnyOne, kDash };
  Kind kind = Kind::kLiteral;
  std::string text;  // kLiteral only
};
using Pattern = std::vector<Token>;

// Appends `text` to `out` with simple case folding (ASCII, Latin-1, Latin
// Extended-A, Greek and Cyrillic upper case to lower case). Invalid UTF-8
// bytes are copied unchanged.
void AppendFolded(std::string_view text, std::string& out);
std::string Folded(std::string_view text);

// Sigma's wildcard syntax: `*` any run, `?` one character, `\*` `\?` `\\`
// literal; a backslash before anything else (or at the end) is literal.
Pattern ParseWildcards(std::string_view text);
// Literal text as a pattern.
Pattern LiteralPattern(std::string_view text);
// Appends `tail` to `head`, merging adjacent literals.
void AppendPattern(Pattern& head, const Pattern& tail);
// True if the pattern has only literal tokens; `out` gets their text.
bool PatternText(const Pattern& pattern, std::string* out);
// Turns every `-`, `/`, en dash, em dash and horizontal bar in the
// literals into a windash class token.
Pattern WithDashClasses(const Pattern& pattern);
// The pattern in Sigma notation (for explanations).
std::string PatternToSigma(const Pattern& pattern);

// A compiled pattern. Match() expects the subject already folded when the
// glob was compiled with `fold` (the literals are folded at compile time).
class Glob {
 public:
  Glob(const Pattern& pattern, bool fold);
  bool Match(std::string_view subject) const;
  bool folded() const { return fold_; }
  // True when the pattern is one literal with or without a `*` on either
  // side (what `==`, contains, startswith and endswith of plain text give):
  // `text` gets the literal, as Match compares it.
  bool OneLiteral(std::string_view* text, bool* anchored_start, bool* anchored_end) const;

 private:
  struct Atom {
    Token::Kind kind;  // kLiteral, kAnyOne or kDash
    std::string text;
  };
  struct Segment {  // atoms between two `*`
    std::vector<Atom> atoms;
    bool fixed = true;  // only literals: its byte length is known
    size_t bytes = 0;   // when fixed
  };
  // Length in bytes of the segment matched at `pos`, or npos.
  static size_t MatchAt(const Segment& segment, std::string_view subject, size_t pos);
  static size_t Find(const Segment& segment, std::string_view subject, size_t from, size_t* length);

  std::vector<Segment> segments_;
  bool anchored_start_ = true;
  bool anchored_end_ = true;
  bool fold_ = false;
};

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_TEXT_MATCH_H_
