#ifndef WARD_COMPILER_SYNTAX_NUMBER_LITERAL_H_
#define WARD_COMPILER_SYNTAX_NUMBER_LITERAL_H_

#include <string_view>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::syntax {

// Converts a number token's text (without the sign) into an ast::Number.
// Accepts decimal integers (`42`), hex integers (`0x80`), decimals (`7.5`)
// and YARA sizes (`10KB` = 10240, `2MB` = 2097152). `negative` applies a
// leading minus that the grammar keeps as a separate token; `text` of the
// result is the literal as written with that sign (e.g. "-3").
// Integers must fit in int64; a value out of range is reported as E0106 at
// `span` and the result holds 0 so that parsing goes on.
ast::Number ParseNumberLiteral(std::string_view text, bool negative, Span span,
                               DiagnosticEngine& diags);

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_NUMBER_LITERAL_H_
