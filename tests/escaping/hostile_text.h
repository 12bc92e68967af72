#ifndef WARD_TESTS_ESCAPING_HOSTILE_TEXT_H_
#define WARD_TESTS_ESCAPING_HOSTILE_TEXT_H_

// Random text from an alphabet chosen to break escaping: quotes, backslashes,
// line breaks, NUL, Sigma wildcards, Markdown and HTML punctuation, markup,
// bidi controls, U+2028, emoji, combining marks. And the small readers the
// property tests check outputs with (RFC 4180 CSV, GFM table cells, HTML
// entities).

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ward::escaping_test {

// 1 to `max_pieces` pieces of the hostile alphabet, concatenated; valid UTF-8.
std::string HostileText(std::mt19937_64& rng, size_t max_pieces = 10);

// `text` as a Ward string literal (quotes included). Characters outside ASCII
// are written raw or as `\u{...}` at random, control bytes as escapes, so
// both spellings are exercised.
std::string WardLiteral(std::string_view text, std::mt19937_64& rng);

// RFC 4180: records of fields; quoted fields may hold commas, quotes
// (doubled) and line breaks. Records end with CRLF or LF. Sets `ok` false on
// a malformed quote.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text, bool& ok);

// The cells of a GFM table row (`| a | b |`), split at pipes that are not
// backslash-escaped (a backslash escapes the next character, so `\\|` is an
// escaped backslash and then a cell boundary, as in cmark-gfm), trimmed.
std::vector<std::string> MarkdownCells(std::string_view row);

// GFM backslash escapes removed and `<br>` turned back into `\n`, the entity
// references `&amp; &lt; &gt; &quot; &#39;` decoded: the text a cell shows.
std::string MarkdownCellText(std::string_view cell);

// The five entity references HtmlEscape writes, decoded.
std::string HtmlUnescape(std::string_view text);

}  // namespace ward::escaping_test

#endif  // WARD_TESTS_ESCAPING_HOSTILE_TEXT_H_
