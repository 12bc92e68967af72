#ifndef WARD_COMPILER_FORMAT_LAYOUT_H_
#define WARD_COMPILER_FORMAT_LAYOUT_H_

// The canonical layout of a Ward file. It changes whitespace only: every
// token, comments included, is written with exactly the bytes it had, in the
// same order. What it decides is where lines break, how lines are indented,
// how many blank lines separate them and how many spaces separate tokens on a
// line; docs/fmt.md states the rules.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/format/layout_marks.h"
#include "compiler/syntax/source_tokens.h"

namespace ward::format {

inline constexpr int kMaxColumns = 100;
inline constexpr int kIndent = 2;        // per block level
inline constexpr int kContinuation = 4;  // a member's continuation lines, past the member

// `tokens` are LexSourceTokens(text); `marks` come from the file's AST.
std::string LayOut(std::string_view text, const std::vector<syntax::SourceToken>& tokens,
                   const LayoutMarks& marks);

}  // namespace ward::format

#endif  // WARD_COMPILER_FORMAT_LAYOUT_H_
