#ifndef WARD_COMPILER_SEMA_YARA_STRING_CHECKS_H_
#define WARD_COMPILER_SEMA_YARA_STRING_CHECKS_H_

// Checks and lowers the `strings { }` block of a YARA detection: identifiers
// (E0602), emptiness (E0609), modifiers (E0605, E0615), hex patterns (E0603,
// E0606), regular expressions (E0604) and the slow-string estimate (W0608),
// each matching what yarac 4.2.3 rejects or warns about.

#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

struct LoweredYaraStrings {
  std::vector<ir::YaraString> strings;  // declaration order
  std::vector<Span> id_spans;           // the identifier of each string
};

LoweredYaraStrings LowerYaraStrings(const std::vector<ast::YaraString>& strings,
                                    const SourceManager& sources, DiagnosticEngine& diags);

// Validates a regular expression written as `/body/flags` at `literal` (a
// string's value or a `matches` operand). Reports E0604 pointing inside the
// literal when the source text allows; returns false if it is invalid.
// `owner` names the string for messages ("`$re`") or is empty.
bool CheckYaraRegexLiteral(std::string_view body, std::string_view flags, Span literal,
                           std::string_view owner, const SourceManager& sources,
                           DiagnosticEngine& diags);

// The span of bytes [begin, end) of `body` inside `literal`, whose source
// text is `body` preceded by `prefix_length` characters (the `/`). Falls
// back to `literal` when the source text differs (escapes, synthetic spans).
Span SubSpan(const SourceManager& sources, Span literal, size_t prefix_length,
             std::string_view body, size_t begin, size_t end);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_YARA_STRING_CHECKS_H_
