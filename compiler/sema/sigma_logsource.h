#ifndef WARD_COMPILER_SEMA_SIGMA_LOGSOURCE_H_
#define WARD_COMPILER_SEMA_SIGMA_LOGSOURCE_H_

// `logsource { category product service definition ... }` of Sigma
// detections and filters, plus small property helpers shared by the Sigma
// lowering files.

#include <optional>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// Keys other than the four standard ones are kept in `extra`. Reports
// repeated keys (E0305), members that are not properties (E0300) and a log
// source with none of category, product and service (E0512).
ir::Logsource LowerSigmaLogsource(const ast::Block& block, DiagnosticEngine& diags);

// One word: a string, or a name written without quotes (`product: llm`,
// `taxonomy: ecs`, dotted names such as `gcp.audit` kept whole). E0303/E0308.
std::optional<std::string> GetSigmaWord(const ast::Property& prop, DiagnosticEngine& diags);

// pySigma applies a filter to a rule only when every log source attribute
// the filter sets has the same value in the rule.
bool LogsourceCovers(const ir::Logsource& filter, const ir::Logsource& rule);

// The name of a member for messages and did-you-mean: a property key, a
// block kind or the clause keyword (`when`, `let`, ...).
std::string MemberName(const ast::Member& member);
Span MemberNameSpan(const ast::Member& member);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SIGMA_LOGSOURCE_H_
