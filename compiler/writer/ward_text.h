#ifndef WARD_COMPILER_WRITER_WARD_TEXT_H_
#define WARD_COMPILER_WRITER_WARD_TEXT_H_

// Lexical pieces of Ward source text (docs/language.md section 3): quoted
// strings with Ward's escapes, names, field paths and numbers, written so
// that the frontend reads back exactly the value that was printed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ward::writer {

// The eleven words that can never be names (language.md 3.2).
bool IsReservedWord(std::string_view word);

// Words that open another construct at the start of a Sigma predicate
// (`keywords`, `any`, `all`, `field`, the time functions...): a field or
// selection with this name would be read as that construct.
bool IsConstructWord(std::string_view word);

// A Ward name: a letter or `_`, then letters, digits and `_`, not reserved.
bool IsWardName(std::string_view text);

// `text` made into a Ward name: other characters become `_`, a leading digit
// gets a `_` prefix, a reserved word gets a `_` suffix; never empty.
std::string ToWardName(std::string_view text);

// A one-line double-quoted string holding exactly `bytes`: `"` and `\` are
// escaped, \n \r \t \0 use their short escapes, every other byte outside
// printable ASCII is `\xNN` unless `keep_utf8` and it is part of valid UTF-8.
std::string Quote(std::string_view bytes, bool keep_utf8 = true);

// Prose (descriptions): a triple-quoted block indented by `indent` when the
// text spans lines and survives Ward's tidying rules, otherwise Quote().
std::string QuoteProse(std::string_view text, std::string_view indent);

// A Sigma field as written in an expression: a dotted path of names, or the
// whole name in back quotes. Empty when the name cannot be written at all
// (it contains a back quote or a line break).
std::string FieldPath(std::string_view field);

// A logsource value or enum-like property value: a bare name when possible,
// otherwise a quoted string.
std::string NameOrString(std::string_view text);

std::string FormatInteger(int64_t value);
// A decimal that the Ward lexer reads back as the same double: digits on
// both sides of the point, no exponent.
std::string FormatDecimal(double value);

// Sigma wildcard syntax (`*`, `?`, `\*`, `\?`, `\\`) as a Ward `like`
// pattern (`*`, `?`, `[*]`, `[?]`, `\`).
// nullopt in the one case Ward cannot write: a `?` wildcard between `[`
// and `]` (Ward reads `[?]` as a literal question mark).
std::optional<std::string> SigmaPatternToLike(std::string_view sigma);
// Literal text as a Ward `like` pattern (stars and question marks bracketed).
std::string LiteralToLike(std::string_view text);

}  // namespace ward::writer

#endif  // WARD_COMPILER_WRITER_WARD_TEXT_H_
