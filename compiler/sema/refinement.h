#ifndef WARD_COMPILER_SEMA_REFINEMENT_H_
#define WARD_COMPILER_SEMA_REFINEMENT_H_

// `refines:` between threats: a narrower threat (a poisoned dataset from a
// public hub) refines a broader one (data poisoning). The links form a
// directed graph that must be acyclic; coverage follows it, so a detection of
// the narrow threat also counts for the broad one.

#include <set>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::sema {

// Fills Threat::refined_by (sorted by qualified name) from every
// Threat::refines and reports each cycle once, at the link that closes it
// (E0310). Expects the program's threats already sorted.
void LinkRefinements(ir::Program& program, DiagnosticEngine& diags);

// The threats that refine `threat`, directly or through others, each once;
// safe on a cyclic graph (which is an error, but still reported coverage).
std::set<const ir::Threat*> TransitiveRefiners(const ir::Threat& threat);

// The first detected threat among TransitiveRefiners(threat), in qualified
// name order, or nullptr: what makes `threat` detected through refinement.
const ir::Threat* DetectedRefiner(const ir::Threat& threat);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_REFINEMENT_H_
