#ifndef WARD_COMPILER_SYNTAX_OUTLINE_H_
#define WARD_COMPILER_SYNTAX_OUTLINE_H_

// A file's outline: its package, its imports and the head of each
// declaration (kind, name, title, spans), read from the tokens alone in a
// fraction of a parse. Analysis needs every file's declarations before it
// checks any body; with the outlines it can start before the files are
// parsed, and then take each file's AST in turn and free it, so a build never
// holds every AST at once (compiler/driver/streaming_parse.h).
//
// The scan is a shortcut, never the authority: it declines (nullopt) on
// anything but a plainly well-formed top level, and each file's real AST is
// compared with its outline (SameOutline) before analysis uses it.

#include <optional>

#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/parser.h"

namespace ward::syntax {

// An ast::File holding only the package, the imports and the declarations'
// heads (bodies and catalog entries empty); nullopt when the file is not
// plainly well-formed at the top level, or is one ParseFile would refuse.
std::optional<ast::File> ScanOutline(const SourceFile& file, const ParseOptions& options = {});

// True when `full`, a parsed file, has exactly the package, imports and
// declaration heads of `outline`, and parsed without syntax errors.
bool SameOutline(const ast::File& outline, const ast::File& full);

// True when the outline declares a catalog (analysis lowers catalogs first).
bool DeclaresCatalog(const ast::File& outline);

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_OUTLINE_H_
