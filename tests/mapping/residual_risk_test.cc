// The residual-risk rule, case by case (docs/mappings.md states it).

#include "backends/mapping/residual_risk.h"

#include <gtest/gtest.h>

namespace ward::backends::mapping {
namespace {

struct Case {
  const char* severity;
  std::vector<const char*> effectiveness;  // one mitigation each
  std::vector<size_t> detection_tests;     // one detection each
  Rating expected;
};

TEST(ResidualRisk, RuleTable) {
  const Case cases[] = {
      {"critical", {}, {}, Rating::kCritical},
      {"critical", {"high"}, {}, Rating::kMedium},         // high: two steps
      {"critical", {"low", "high"}, {}, Rating::kMedium},  // strongest mitigation counts
      {"critical", {"medium"}, {}, Rating::kHigh},
      {"critical", {"high"}, {3}, Rating::kLow},
      {"high", {"low"}, {}, Rating::kHigh},           // low effectiveness: no credit
      {"high", {"unknown"}, {}, Rating::kHigh},       // unstated: no credit
      {"high", {}, {0}, Rating::kHigh},               // untested detection: no credit
      {"high", {}, {0, 1}, Rating::kMedium},          // one tested detection is enough
      {"medium", {"high"}, {2}, Rating::kInfo},       // never below info
      {"info", {"high"}, {2}, Rating::kInfo},
  };
  for (const Case& c : cases) {
    std::vector<MitigationTrace> mitigations;
    std::vector<DetectionTrace> detections;
    ThreatTrace threat;
    threat.severity = c.severity;
    for (const char* e : c.effectiveness) {
      MitigationTrace m;
      m.effectiveness = e;
      threat.mitigations.push_back(mitigations.size());
      mitigations.push_back(m);
    }
    for (size_t tests : c.detection_tests) {
      DetectionTrace d;
      d.tests.resize(tests);
      threat.detections.push_back(detections.size());
      detections.push_back(d);
    }
    ResidualRisk risk = ComputeResidualRisk(threat, mitigations, detections);
    EXPECT_EQ(risk.rating, c.expected)
        << c.severity << " with " << c.effectiveness.size() << " mitigations and "
        << c.detection_tests.size() << " detections gave " << RatingName(risk.rating);
    EXPECT_EQ(risk.mitigated, !c.effectiveness.empty());
    EXPECT_EQ(risk.detected, !c.detection_tests.empty());
  }
}

}  // namespace
}  // namespace ward::backends::mapping
