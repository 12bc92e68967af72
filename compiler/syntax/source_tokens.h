#ifndef WARD_COMPILER_SYNTAX_SOURCE_TOKENS_H_
#define WARD_COMPILER_SYNTAX_SOURCE_TOKENS_H_

// Every token of a Ward file, comments included, in a Ward-owned form: what
// `ward fmt` lays out. Whitespace is not a token; the gaps between tokens are
// the whitespace. The parser itself never uses this list.

#include <cstdint>
#include <string_view>
#include <vector>

namespace ward::syntax {

enum class TokenClass {
  kWord,          // a name or a keyword (soft or reserved)
  kString,        // "..."
  kTripleString,  // """...""" (may span lines)
  kNumber,        // integers, decimals, hex numbers, sizes, dates, durations
  kRegex,         // /.../flags
  kHexBlock,      // a YARA hex string with its `=`: `= { 4D 5A }` (may span lines)
  kBackquoted,    // `field-name`
  kSigil,         // $a  #a  @a  !a  $a*
  kPunct,         // ( ) [ ] { } : , . .. = == and the other operators
  kLineComment,   // // ... (without the line break)
  kBlockComment,  // /* ... */ (may span lines)
  kError,         // a character or an unterminated literal the lexer rejects
};

struct SourceToken {
  TokenClass cls = TokenClass::kError;
  uint32_t begin = 0;  // byte offsets into the file's text, half-open
  uint32_t end = 0;
  std::string_view text;  // points into the text given to LexSourceTokens
};

// Lexes `text` (a whole file, possibly starting with a byte-order mark, which
// is skipped) with Ward's lexer. Never throws; the result is meaningful only
// for files that the parser accepts without a syntax error.
std::vector<SourceToken> LexSourceTokens(std::string_view text);

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_SOURCE_TOKENS_H_
