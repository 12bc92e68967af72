#ifndef WARD_COMPILER_SYNTAX_PARSER_H_
#define WARD_COMPILER_SYNTAX_PARSER_H_

#include <optional>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::syntax {

// Limits that keep the frontend from crashing or hanging on hostile input.
struct ParseOptions {
  // Bytes per file; larger files are refused with E0004 before lexing.
  size_t max_file_bytes = 64u << 20;
  // Nesting of ( [ { and chains of prefix operators (`not not ...`): the
  // generated parser and every tree walker recurse, so the depth is checked
  // on the token stream before parsing (E0105).
  size_t max_nesting = 200;
  // Syntax errors reported per file before the rest of it is skipped.
  size_t max_syntax_errors = 25;
};

// Parses one file into an AST. Never throws: every problem becomes a
// diagnostic in `diags`. Returns nullopt when the file is unusable (binary,
// invalid UTF-8, too large, too deeply nested); on ordinary syntax errors it
// returns the declarations that could be recovered so later phases still
// report their own errors.
std::optional<ast::File> ParseFile(const SourceFile& file, DiagnosticEngine& diags,
                                   const ParseOptions& options = {});

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_PARSER_H_
