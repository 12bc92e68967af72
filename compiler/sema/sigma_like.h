#ifndef WARD_COMPILER_SEMA_SIGMA_LIKE_H_
#define WARD_COMPILER_SEMA_SIGMA_LIKE_H_

// Ward `like` patterns and Sigma wildcard strings use different escapes.
//
// Ward: `*` is any run of characters, `?` is exactly one, `[*]` and `[?]` are
// a literal star and question mark, and every other character (including `[`
// and `\`) is literal.
//
// Sigma: `*` and `?` are wildcards; a backslash escapes `*`, `?` and `\`; a
// backslash before any other character is literal. The converter writes a
// literal backslash as `\\` whenever a single one could be misread: before a
// wildcard, before an escaped character (which starts with `\`), before
// another backslash, and at the end of the string (backends that append `*`
// for `contains` would otherwise turn it into an escape).

#include <string>
#include <string_view>

namespace ward::sema {

std::string LikeToSigmaPattern(std::string_view ward_pattern);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SIGMA_LIKE_H_
