#ifndef WARD_COMPILER_SEMA_COVERAGE_H_
#define WARD_COMPILER_SEMA_COVERAGE_H_

#include <map>
#include <set>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::sema {

struct CoverageOptions {
  bool coverage = true;  // W0400-W0403
  bool untested = true;  // W0704
  // Entities from files with syntax errors: their links were never read,
  // so they are not reported as uncovered.
  const std::set<const ir::Entity*>* skip = nullptr;
  // Coverage warnings that a link with an error would have answered, by the
  // simple name of the entity they would be reported on: `mitigated_by: x`
  // that did not resolve leaves its threat without a mitigation, and the
  // mitigation it meant without a threat. Reporting those gaps would only
  // repeat the error.
  const std::map<std::string, std::set<DiagCode>>* unsure = nullptr;
};

// Threat-model gaps as warnings: a threat with no mitigation or no detection,
// a detection linked to no threat, a mitigation addressing nothing, a
// detection without tests. Gaps are reported, never hidden.
void CheckCoverage(const ir::Program& program, const CoverageOptions& options,
                   DiagnosticEngine& diags);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_COVERAGE_H_
