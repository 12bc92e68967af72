#ifndef WARD_COMPILER_SEMA_SIGMA_PREDICATE_H_
#define WARD_COMPILER_SEMA_SIGMA_PREDICATE_H_

// Lowers the leaves of a Sigma expression (`FIELD OP ... VALUES`,
// `FIELD exists`, `keywords ...`) to ir::SigmaExpr kMatch nodes, and reports
// every operator/modifier/value combination Sigma does not allow.
//
// The IR modifier list follows the order in which Sigma (pySigma) applies
// modifiers, each to the output of the previous one:
//   1. transformations as written: expand, windash, wide/utf16*, base64*
//   2. the time part of `hour(f)` etc. (turns the field into a number)
//   3. fieldref, when the values are `field(Other)`
//   4. the comparison from the operator: contains/startswith/endswith,
//      re + i/m/s, lt/lte/gt/gte, cidr, neq; or exists
//   5. all
//   6. cased
// e.g. `CommandLine contains all wide base64offset cased ["a", "b"]` becomes
// [wide, base64offset, contains, all, cased] and `hour(ts) >= 22` becomes
// [hour, gte].

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// `expr` must be a kPredicate, kExists or kKeywords node. Always returns a
// node (possibly with errors reported), so that later checks still run.
ir::SigmaExprPtr LowerSigmaLeaf(const ast::SigmaExpr& expr, DiagnosticEngine& diags);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SIGMA_PREDICATE_H_
