#ifndef WARD_COMPILER_SYNTAX_HEX_PATTERN_H_
#define WARD_COMPILER_SYNTAX_HEX_PATTERN_H_

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::syntax {

// Parses a YARA hex string, `text` running from its `{` to its `}` and `begin`
// being the file offset of the `{`. Understands bytes (`4D`), nibble and full
// wildcards (`4?`, `?A`, `??`), jumps (`[4]`, `[2-8]`, `[2-]`, `[-]`),
// alternatives (`( 4D | 5A 90 )`, nested), `~XX` (kept as HexItem::kNot for
// sema to refuse), whitespace and `//` / `/* */` comments.
//
// A malformed pattern is reported once, as E0603 at the exact offending
// bytes, and gives nullopt. Alternatives nested deeper than `max_nesting`
// give E0105 (later phases walk the items recursively). The parser itself
// keeps an explicit stack, so it never recurses.
std::optional<std::vector<ast::HexItem>> ParseHexPattern(std::string_view text, FileId file,
                                                         uint32_t begin, DiagnosticEngine& diags,
                                                         size_t max_nesting = 200);

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_HEX_PATTERN_H_
