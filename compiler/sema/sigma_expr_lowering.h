#ifndef WARD_COMPILER_SEMA_SIGMA_EXPR_LOWERING_H_
#define WARD_COMPILER_SEMA_SIGMA_EXPR_LOWERING_H_

// Lowers the named selections (`let NAME = expr`) and the condition
// (`when: expr`) of a Sigma detection or filter. Selection names are visible
// in every expression of the declaration, whatever their order; references
// become ir kSelection nodes, and `any of x*` / `all of (a, b)` expand to
// kOr / kAnd over the matching selections (declaration order). Leaves are
// lowered by sigma_predicate.h.
//
// Reports: duplicate names (E0201), undefined selections and patterns that
// match nothing (E0502, with did-you-mean), selections that refer to each
// other in a cycle (E0510) and, when a condition exists, selections nothing
// refers to (W0503).

#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// `lets` are kLet members in declaration order; `when` may be null (the
// caller reports the missing condition). A duplicate `let` is checked but not
// added to `selections`, so names in the IR stay unique.
void LowerSigmaSelections(const std::vector<const ast::Member*>& lets, const ast::SigmaExpr* when,
                          DiagnosticEngine& diags, std::vector<ir::SigmaSelection>& selections,
                          ir::SigmaExprPtr& condition);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SIGMA_EXPR_LOWERING_H_
