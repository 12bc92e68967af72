#include "backends/mapping/trace_model.h"

#include <tuple>

namespace ward::backends::mapping {

size_t CatalogInfo::Find(const std::string& id) const {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].id == id) return i;
  }
  return entries.size();
}

const char* RatingName(Rating rating) {
  static const char* const kNames[] = {"info", "low", "medium", "high", "critical"};
  return kNames[static_cast<int>(rating)];
}

const char* CoverageStateName(CoverageState state) {
  switch (state) {
    case CoverageState::kNone: return "none";
    case CoverageState::kMitigated: return "mitigated";
    case CoverageState::kDetected: return "detected";
    case CoverageState::kBoth: return "both";
  }
  return "none";
}

CoverageState ThreatTrace::coverage() const {
  if (!mitigations.empty() && detected()) return CoverageState::kBoth;
  if (!mitigations.empty()) return CoverageState::kMitigated;
  if (detected()) return CoverageState::kDetected;
  return CoverageState::kNone;
}

const char* GapKindName(GapKind kind) {
  switch (kind) {
    case GapKind::kThreatUncovered: return "threat_uncovered";
    case GapKind::kThreatUnmitigated: return "threat_unmitigated";
    case GapKind::kThreatUndetected: return "threat_undetected";
    case GapKind::kDetectionGapDeclared: return "detection_gap_declared";
    case GapKind::kDetectionUntested: return "detection_untested";
    case GapKind::kDetectionOrphan: return "detection_orphan";
    case GapKind::kMitigationUnused: return "mitigation_unused";
    case GapKind::kMitigationUnmapped: return "mitigation_unmapped";
  }
  return "gap";
}

bool RefLess(const FrameworkRef& a, const FrameworkRef& b) {
  return std::tie(a.catalog, a.entry, a.pinned_version) <
         std::tie(b.catalog, b.entry, b.pinned_version);
}

}  // namespace ward::backends::mapping
