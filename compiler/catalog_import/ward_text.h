#ifndef WARD_COMPILER_CATALOG_IMPORT_WARD_TEXT_H_
#define WARD_COMPILER_CATALOG_IMPORT_WARD_TEXT_H_

#include <string>
#include <string_view>

namespace ward::import {

// `text` as a one-line Ward string literal, quotes included. Quotes,
// backslashes and control characters are escaped, and so are the invisible
// characters that could hide text from a reviewer (bidi controls, zero-width
// characters, Unicode tags, line separators): the written file shows exactly
// what the string holds. Bytes that are not valid UTF-8 become U+FFFD.
std::string QuoteWardString(std::string_view text);

// Whether `word` can be a Ward name: a letter or `_`, then letters, digits
// and `_`, and not one of the eleven reserved words.
bool IsWardIdentifier(std::string_view word);
bool IsWardReservedWord(std::string_view word);

// A Ward name made from arbitrary text: every run of other characters becomes
// one `_`, a leading digit gets a `_` in front, reserved words get a `_`
// appended. "owasp-top10-llm" -> "owasp_top10_llm".
std::string ToWardIdentifier(std::string_view text);

// Whitespace runs (spaces, tabs, line breaks) folded into single spaces and
// trimmed: YAML folded scalars end with a line break, titles are one line.
std::string FoldWhitespace(std::string_view text);

// One line of a `//` comment: control characters become spaces, invisible
// characters are written as \u{...} like in strings.
std::string CommentText(std::string_view text);

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_WARD_TEXT_H_
