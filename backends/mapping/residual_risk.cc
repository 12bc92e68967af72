#include "backends/mapping/residual_risk.h"

#include <algorithm>

namespace ward::backends::mapping {

Rating RatingFromSeverity(const std::string& severity) {
  if (severity == "critical") return Rating::kCritical;
  if (severity == "high") return Rating::kHigh;
  if (severity == "medium") return Rating::kMedium;
  if (severity == "low") return Rating::kLow;
  return Rating::kInfo;
}

int MitigationCredit(const std::string& effectiveness) {
  if (effectiveness == "high") return 2;
  if (effectiveness == "medium") return 1;
  return 0;  // low, or not stated: no credit is claimed on the author's behalf
}

namespace {

// Orders effectiveness values so the strongest one can be picked.
int EffectivenessRank(const std::string& effectiveness) {
  if (effectiveness == "high") return 3;
  if (effectiveness == "medium") return 2;
  if (effectiveness == "low") return 1;
  return 0;
}

}  // namespace

ResidualRisk ComputeResidualRisk(const ThreatTrace& threat,
                                 const std::vector<MitigationTrace>& mitigations,
                                 const std::vector<DetectionTrace>& detections) {
  ResidualRisk risk;
  risk.severity = threat.severity;
  risk.mitigated = !threat.mitigations.empty();
  risk.detected = !threat.detections.empty();
  int best = -1;
  for (size_t m : threat.mitigations) {
    const std::string& effectiveness = mitigations[m].effectiveness;
    if (EffectivenessRank(effectiveness) > best) {
      best = EffectivenessRank(effectiveness);
      risk.best_effectiveness = effectiveness;
    }
  }
  risk.mitigation_credit = MitigationCredit(risk.best_effectiveness);
  for (size_t d : threat.detections) {
    if (!detections[d].tests.empty()) risk.detection_tested = true;
  }
  risk.detection_credit = risk.detection_tested ? 1 : 0;
  const int start = static_cast<int>(RatingFromSeverity(threat.severity));
  const int left = std::max(start - risk.mitigation_credit - risk.detection_credit, 0);
  risk.rating = static_cast<Rating>(left);
  return risk;
}

}  // namespace ward::backends::mapping
