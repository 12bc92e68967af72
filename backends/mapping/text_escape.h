#ifndef WARD_BACKENDS_MAPPING_TEXT_ESCAPE_H_
#define WARD_BACKENDS_MAPPING_TEXT_ESCAPE_H_

// Escaping for the text formats. Every user-written string (titles,
// descriptions, names, IDs) goes through one of these before it is printed,
// so no input can break a table, a CSV row or the HTML report.

#include <cstddef>
#include <string>
#include <string_view>

namespace ward::backends::mapping {

// One GitHub-flavoured Markdown table cell: `|` cannot end the cell, line
// breaks become <br>, Markdown punctuation is backslash-escaped (an `_`
// inside a word is left alone: GFM does not read it as emphasis), and `<`,
// `>`, `&` become entities so no HTML gets through.
std::string MarkdownCell(std::string_view text);

// One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF, with
// quotes doubled.
std::string CsvField(std::string_view text);

// Text safe in HTML element content and in quoted attribute values.
std::string HtmlEscape(std::string_view text);

// At most `max_chars` code points of UTF-8 `text`, ending in "…" when cut.
// Never splits a multi-byte sequence.
std::string TruncateUtf8(std::string_view text, size_t max_chars);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_TEXT_ESCAPE_H_
