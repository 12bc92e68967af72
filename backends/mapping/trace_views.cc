#include "backends/mapping/trace_views.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "backends/mapping/residual_risk.h"

namespace ward::backends::mapping {
namespace {

using EntryKey = std::pair<size_t, size_t>;  // (catalog, entry)

EntryKey KeyOf(const FrameworkRef& ref) { return {ref.catalog, ref.entry}; }

void SortUnique(std::vector<size_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

int KindOrder(const std::string& kind) {
  if (kind == "threat") return 0;
  if (kind == "mitigation") return 1;
  if (kind == "asset") return 2;
  return 3;
}

CoverageState StateOf(bool mitigated, bool detected) {
  if (mitigated && detected) return CoverageState::kBoth;
  if (mitigated) return CoverageState::kMitigated;
  if (detected) return CoverageState::kDetected;
  return CoverageState::kNone;
}

}  // namespace

void BuildReverseViews(TraceModel& model) {
  std::map<EntryKey, ControlView> controls;
  for (size_t m = 0; m < model.mitigations.size(); ++m) {
    const MitigationTrace& mitigation = model.mitigations[m];
    for (const FrameworkRef& ref : mitigation.controls) {
      ControlView& view = controls[KeyOf(ref)];
      if (view.mitigations.empty()) view.control = ref;
      view.mitigations.push_back(m);
      view.threats.insert(view.threats.end(), mitigation.threats.begin(),
                          mitigation.threats.end());
    }
  }
  model.controls.clear();
  for (auto& [key, view] : controls) {
    SortUnique(view.mitigations);
    SortUnique(view.threats);
    model.controls.push_back(std::move(view));
  }

  std::map<EntryKey, FrameworkIdView> ids;
  auto add = [&](const std::vector<FrameworkRef>& refs, const char* kind, const EntityInfo& info,
                 const char* relation) {
    for (const FrameworkRef& ref : refs) {
      FrameworkIdView& view = ids[KeyOf(ref)];
      if (view.entities.empty()) view.ref = ref;
      view.entities.push_back({kind, info.name, relation});
    }
  };
  for (const ThreatTrace& threat : model.threats) {
    for (const FrameworkGroup& group : threat.mappings) add(group.refs, "threat", threat.info, "maps");
  }
  for (const MitigationTrace& m : model.mitigations) add(m.controls, "mitigation", m.info, "implements");
  for (const AssetTrace& asset : model.assets) add(asset.maps, "asset", asset.info, "maps");
  for (const PersonaTrace& persona : model.personas) add(persona.maps, "persona", persona.info, "maps");
  model.framework_ids.clear();
  for (auto& [key, view] : ids) {
    std::sort(view.entities.begin(), view.entities.end(),
              [](const EntityLink& a, const EntityLink& b) {
                return std::make_tuple(KindOrder(a.kind), a.name, a.relation) <
                       std::make_tuple(KindOrder(b.kind), b.name, b.relation);
              });
    view.entities.erase(std::unique(view.entities.begin(), view.entities.end(),
                                    [](const EntityLink& a, const EntityLink& b) {
                                      return a.kind == b.kind && a.name == b.name &&
                                             a.relation == b.relation;
                                    }),
                        view.entities.end());
    model.framework_ids.push_back(std::move(view));
  }
}

void ComputeCoverage(TraceModel& model) {
  Coverage& c = model.coverage;
  c = Coverage{};
  c.threats = model.threats.size();
  for (const ThreatTrace& threat : model.threats) {
    const bool mitigated = !threat.mitigations.empty();
    const bool detected = threat.detected();
    c.mitigated += mitigated;
    c.detected += detected;
    c.detected_through_refinement += detected && threat.detections.empty();
    c.detection_gaps += threat.declared_gap();
    c.both += mitigated && detected;
    c.uncovered += !mitigated && !detected;
    ++c.residual[static_cast<size_t>(threat.residual.rating)];
  }
  c.mitigations = model.mitigations.size();
  for (const MitigationTrace& m : model.mitigations) {
    c.mitigations_unused += m.threats.empty();
    c.mitigations_unmapped += m.controls.empty();
  }
  c.detections = model.detections.size();
  for (const DetectionTrace& d : model.detections) {
    c.detections_tested += !d.tests.empty();
    c.detections_orphan += d.threats.empty();
    c.tests += d.tests.size();
  }

  for (size_t cat = 0; cat < model.catalogs.size(); ++cat) {
    const CatalogInfo& catalog = model.catalogs[cat];
    FrameworkCoverage fc;
    fc.catalog = cat;
    fc.entries = catalog.entries.size();
    for (const FrameworkIdView& view : model.framework_ids) fc.referenced += view.ref.catalog == cat;
    for (const EntryCoverage& entry : CatalogCoverage(model, cat)) {
      ++fc.mapped_by_threats;
      fc.covered += entry.state != CoverageState::kNone;
    }
    std::set<std::string> kinds;
    for (const ControlView& view : model.controls) {
      if (view.control.catalog != cat) continue;
      ++fc.implemented;
      kinds.insert(model.EntryOf(view.control).kind);
    }
    for (const CatalogEntryInfo& entry : catalog.entries) fc.implementable += kinds.count(entry.kind);
    c.frameworks.push_back(fc);
  }
}

void CollectGaps(TraceModel& model) {
  model.gaps.clear();
  std::vector<size_t> threats(model.threats.size());
  for (size_t i = 0; i < threats.size(); ++i) threats[i] = i;
  // Highest severity first: the gaps a reader must see before any other.
  std::stable_sort(threats.begin(), threats.end(), [&](size_t a, size_t b) {
    return RatingFromSeverity(model.threats[a].severity) >
           RatingFromSeverity(model.threats[b].severity);
  });
  for (size_t t : threats) {
    const ThreatTrace& threat = model.threats[t];
    const bool mitigated = !threat.mitigations.empty();
    const bool detected = threat.detected();
    if (!mitigated && !detected) {
      model.gaps.push_back({GapKind::kThreatUncovered, "threat", t,
                            "threat has no mitigation and no detection"});
    } else if (!mitigated) {
      model.gaps.push_back({GapKind::kThreatUnmitigated, "threat", t, "threat has no mitigation"});
    } else if (threat.declared_gap()) {
      model.gaps.push_back({GapKind::kDetectionGapDeclared, "threat", t,
                            "declared detection gap: " + threat.detection_gap});
    } else if (!detected) {
      model.gaps.push_back({GapKind::kThreatUndetected, "threat", t, "threat has no detection"});
    }
  }
  for (size_t d = 0; d < model.detections.size(); ++d) {
    if (model.detections[d].threats.empty()) {
      model.gaps.push_back(
          {GapKind::kDetectionOrphan, "detection", d, "detection is linked to no threat"});
    }
  }
  for (size_t d = 0; d < model.detections.size(); ++d) {
    if (model.detections[d].tests.empty()) {
      model.gaps.push_back(
          {GapKind::kDetectionUntested, "detection", d, "detection has no test case"});
    }
  }
  for (size_t m = 0; m < model.mitigations.size(); ++m) {
    if (model.mitigations[m].threats.empty()) {
      model.gaps.push_back(
          {GapKind::kMitigationUnused, "mitigation", m, "mitigation addresses no threat"});
    }
  }
  for (size_t m = 0; m < model.mitigations.size(); ++m) {
    if (model.mitigations[m].controls.empty()) {
      model.gaps.push_back({GapKind::kMitigationUnmapped, "mitigation", m,
                            "mitigation implements no framework control"});
    }
  }
}

std::vector<EntryCoverage> CatalogCoverage(const TraceModel& model, size_t catalog) {
  std::map<size_t, EntryCoverage> by_entry;
  for (size_t t = 0; t < model.threats.size(); ++t) {
    const ThreatTrace& threat = model.threats[t];
    for (const FrameworkGroup& group : threat.mappings) {
      if (group.catalog != catalog) continue;
      for (const FrameworkRef& ref : group.refs) {
        EntryCoverage& entry = by_entry[ref.entry];
        entry.entry = ref.entry;
        entry.threats.push_back(t);
        entry.mitigations.insert(entry.mitigations.end(), threat.mitigations.begin(),
                                 threat.mitigations.end());
        entry.detections.insert(entry.detections.end(), threat.detections.begin(),
                                threat.detections.end());
        for (size_t narrower : threat.detected_through) {  // coverage through refinement
          const ThreatTrace& refiner = model.threats[narrower];
          entry.detections.insert(entry.detections.end(), refiner.detections.begin(),
                                  refiner.detections.end());
        }
      }
    }
  }
  std::vector<EntryCoverage> out;
  for (auto& [index, entry] : by_entry) {
    SortUnique(entry.threats);
    SortUnique(entry.mitigations);
    SortUnique(entry.detections);
    entry.state = StateOf(!entry.mitigations.empty(), !entry.detections.empty());
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace ward::backends::mapping
