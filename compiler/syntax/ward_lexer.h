#ifndef WARD_COMPILER_SYNTAX_WARD_LEXER_H_
#define WARD_COMPILER_SYNTAX_WARD_LEXER_H_

// A hand-written lexer for grammar/WardLexer.g4. The ANTLR-generated lexer
// costs about a quarter of a build (its ATN simulation runs per character);
// this one produces exactly the same tokens (types, channels, code-point
// positions, lines and columns) for any input, so the generated parser reads
// it unchanged through antlr4::TokenSource (parser.cc). The equivalence is
// checked against the generated lexer by tests/syntax/ward_lexer_test.cc over
// every .ward file of the project and over random inputs.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ward::syntax {

// One token as ANTLR describes it: `type` is a WardLexer token type (EOF is
// ANTLR's EOF, (size_t)-1), `channel` 0 (default) or 1 (hidden); `start` and
// `stop` are inclusive code-point indices (EOF: stop == start - 1); `line`
// starts at 1 and `column` (code points since the last '\n') at 0.
struct LexedToken {
  size_t type = 0;
  size_t channel = 0;
  size_t start = 0;
  size_t stop = 0;
  size_t line = 1;
  size_t column = 0;
  bool operator==(const LexedToken&) const = default;
};

// Lexes `text` (valid UTF-8, no byte-order mark) one token at a time.
class WardLexerCore {
 public:
  explicit WardLexerCore(std::string_view text) : text_(text) {}

  // The next token; EOF once the input is exhausted (and again after that).
  LexedToken Next();

  size_t line() const { return line_; }
  size_t column() const { return column_; }

 private:
  // Byte length of the token at pos_ and its type; sets *hidden for trivia.
  size_t Match(size_t& type, bool& hidden) const;
  size_t MatchNumber(size_t& type) const;
  size_t MatchSlash(size_t& type, bool& hidden) const;
  size_t MatchQuote(size_t& type) const;
  size_t MatchEquals(size_t& type) const;
  size_t CodePointLength(size_t at) const;
  char At(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
  bool Has(size_t i) const { return i < text_.size(); }

  std::string_view text_;
  size_t pos_ = 0;       // byte offset
  size_t index_ = 0;     // code-point index
  size_t line_ = 1;
  size_t column_ = 0;
};

// Every token of `text`, EOF last: by this lexer, and by the ANTLR-generated
// WardLexer (the reference the tests compare against).
std::vector<LexedToken> LexAll(std::string_view text);
std::vector<LexedToken> LexAllWithAntlr(std::string_view text);

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_WARD_LEXER_H_
