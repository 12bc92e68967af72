#include "backends/mapping/trace_text.h"

namespace ward::backends::mapping {

const char kResidualRule[] =
    "Residual risk starts from the threat's severity (info, low, medium, high, critical) and "
    "drops two steps when its strongest mitigation has high effectiveness, one step for medium "
    "(low or unstated effectiveness earns nothing), and one more step when at least one linked "
    "detection has a test case; it never drops below info.";

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string Percent(size_t part, size_t total) {
  if (total == 0) return "-";
  return std::to_string((part * 100 + total / 2) / total) + "%";
}

std::string CatalogLabel(const CatalogInfo& catalog) {
  return catalog.title.empty() ? catalog.framework : catalog.title;
}

std::string EntryLabel(const CatalogEntryInfo& entry) {
  return entry.title.empty() ? entry.id : entry.id + " " + entry.title;
}

std::string RefLabel(const TraceModel& model, const FrameworkRef& ref) {
  std::string out = CatalogLabel(model.CatalogOf(ref)) + " " + model.EntryOf(ref).id;
  if (!ref.pinned_version.empty()) out += "@" + ref.pinned_version;
  return out;
}

std::string MitigationLabel(const MitigationTrace& mitigation) {
  return mitigation.info.label() + " (" + mitigation.effectiveness + ")";
}

std::string DetectionLabel(const DetectionTrace& detection) {
  const size_t n = detection.tests.size();
  return detection.info.label() + " [" + detection.kind + ", " + std::to_string(n) +
         (n == 1 ? " test]" : " tests]");
}

std::string ResidualSummary(const ResidualRisk& risk) {
  std::string out = RatingName(risk.rating);
  std::vector<std::string> why;
  if (risk.mitigated) {
    why.push_back("mitigated (" + (risk.best_effectiveness.empty() ? std::string("unknown")
                                                                   : risk.best_effectiveness) +
                  ")");
  }
  if (risk.detected) why.push_back(risk.detection_tested ? "detected (tested)" : "detected (untested)");
  if (why.empty()) why.push_back("neither mitigated nor detected");
  return out + " from " + risk.severity + ": " + Join(why, ", ");
}

}  // namespace ward::backends::mapping
