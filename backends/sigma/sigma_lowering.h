#ifndef WARD_BACKENDS_SIGMA_SIGMA_LOWERING_H_
#define WARD_BACKENDS_SIGMA_SIGMA_LOWERING_H_

// Lowers a whole program to Sigma output files:
//   - each Sigma detection becomes `sigma/<package>/<name>.yml`;
//   - a correlation and every rule it uses (directly or through another
//     correlation) share one multi-document file named after the outermost
//     correlation (`mr_<name>.yml`, `correlation_<name>.yml` under the sigmahq
//     profile), correlation documents first; rules referred to by a
//     correlation carry a `name:`;
//   - each meta filter becomes `sigma/<package>/mf_<name>.yml`.
// Two outputs with the same path (names differing only in case) are
// reported as E0801.

#include <vector>

#include "backends/sigma/sigma_model.h"
#include "backends/sigma/sigma_options.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::backends::sigma {

// Files in a deterministic order (by path). Declarations with errors are
// reported and left out.
std::vector<OutputFile> LowerProgram(const ir::Program& program, const SigmaOptions& options,
                                     DiagnosticEngine& diags);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_LOWERING_H_
