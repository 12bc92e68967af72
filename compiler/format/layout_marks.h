#ifndef WARD_COMPILER_FORMAT_LAYOUT_MARKS_H_
#define WARD_COMPILER_FORMAT_LAYOUT_MARKS_H_

// What the layout needs to know from the parse: where each member,
// catalog entry, YARA string and declaration starts. Tokens alone cannot tell
// where a Sigma or YARA expression ends and the next member begins.

#include <cstdint>
#include <unordered_set>

#include "compiler/syntax/ast.h"

namespace ward::format {

struct LayoutMarks {
  std::unordered_set<uint32_t> member_starts;  // byte offsets of first tokens
  std::unordered_set<uint32_t> decl_starts;
};

LayoutMarks MarksOf(const ast::File& file);

}  // namespace ward::format

#endif  // WARD_COMPILER_FORMAT_LAYOUT_MARKS_H_
