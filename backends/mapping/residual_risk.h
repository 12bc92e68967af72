#ifndef WARD_BACKENDS_MAPPING_RESIDUAL_RISK_H_
#define WARD_BACKENDS_MAPPING_RESIDUAL_RISK_H_

// Residual risk: how much of a threat's severity is left once its
// mitigations and detections are taken into account. The rule is
// deliberately simple, so a reader can redo it by hand (docs/mappings.md):
//
//   start   = the threat's severity on the scale info(0) low(1) medium(2)
//             high(3) critical(4)
//   - 2     if its strongest mitigation has effectiveness `high`,
//   - 1     if it is `medium`; a `low` or unstated effectiveness earns no
//           credit (the threat still counts as mitigated: it is shown, not
//           rated down),
//   - 1     if at least one linked detection has a test case; an untested
//           detection earns no credit,
//   rating  = max(start - credits, 0), named on the same scale.
//
// Likelihood and impact are shown next to the rating but not folded in:
// severity is already the author's combined judgement of both.

#include <string>
#include <vector>

#include "backends/mapping/trace_model.h"

namespace ward::backends::mapping {

// Severity name ("critical") -> its place on the rating scale.
Rating RatingFromSeverity(const std::string& severity);

// Credits a mitigation earns for its effectiveness: 2, 1 or 0.
int MitigationCredit(const std::string& effectiveness);

// The residual risk of `threat` given the model's mitigations and
// detections (threat.mitigations and threat.detections must be filled).
ResidualRisk ComputeResidualRisk(const ThreatTrace& threat,
                                 const std::vector<MitigationTrace>& mitigations,
                                 const std::vector<DetectionTrace>& detections);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_RESIDUAL_RISK_H_
