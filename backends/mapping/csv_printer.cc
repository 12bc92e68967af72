// mappings/traceability.csv: the whole trace as a flat edge list for
// spreadsheets. RFC 4180: CRLF after every record (the header too), fields
// quoted only when they must be, quotes doubled. Rows come in model order:
// each threat's edges, then each mitigation's, detection's, asset's and
// persona's, so a diff between two builds shows only what changed.

#include <string>
#include <vector>

#include "backends/mapping/printers.h"
#include "backends/mapping/text_escape.h"
#include "backends/mapping/trace_text.h"

namespace ward::backends::mapping {
namespace {

struct Row {
  std::string source_kind, source, relation, target_kind, target, framework, framework_version,
      detail;
};

class CsvWriter {
 public:
  explicit CsvWriter(const TraceModel& model) : model_(model) {
    Write({"source_kind", "source", "relation", "target_kind", "target", "framework",
           "framework_version", "detail"});
  }

  void Write(const Row& row) {
    const std::string* fields[] = {&row.source_kind, &row.source,    &row.relation,
                                   &row.target_kind, &row.target,    &row.framework,
                                   &row.framework_version, &row.detail};
    for (size_t i = 0; i < 8; ++i) {
      if (i != 0) out_ += ',';
      out_ += CsvField(*fields[i]);
    }
    out_ += "\r\n";
  }

  void Entity(const std::string& kind, const std::string& name, const std::string& relation,
              const std::string& target_kind, const std::string& target,
              const std::string& detail) {
    Write({kind, name, relation, target_kind, target, "", "", detail});
  }

  void Framework(const std::string& kind, const std::string& name, const std::string& relation,
                 const FrameworkRef& ref) {
    const CatalogInfo& catalog = model_.CatalogOf(ref);
    const CatalogEntryInfo& entry = model_.EntryOf(ref);
    std::vector<std::string> detail;
    if (!entry.title.empty()) detail.push_back(entry.title);
    if (!ref.pinned_version.empty()) detail.push_back("pinned to " + ref.pinned_version);
    if (entry.deprecated) detail.push_back("deprecated");
    Write({kind, name, relation, "framework_id", entry.id, catalog.framework, catalog.version,
           Join(detail, "; ")});
  }

  void Gaps(const std::string& kind, size_t index, const std::string& name) {
    for (const Gap& gap : model_.gaps) {
      if (gap.subject_kind == kind && gap.subject == index) {
        Entity(kind, name, "has_gap", "gap", GapKindName(gap.kind), gap.message);
      }
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  const TraceModel& model_;
  std::string out_;
};

}  // namespace

std::string PrintCsv(const TraceModel& model) {
  CsvWriter csv(model);
  for (size_t t = 0; t < model.threats.size(); ++t) {
    const ThreatTrace& threat = model.threats[t];
    const std::string& name = threat.info.name;
    for (size_t a : threat.assets) {
      csv.Entity("threat", name, "affects", "asset", model.assets[a].info.name,
                 model.assets[a].info.title);
    }
    for (const FrameworkGroup& group : threat.mappings) {
      for (const FrameworkRef& ref : group.refs) csv.Framework("threat", name, "maps_to", ref);
    }
    for (size_t m : threat.mitigations) {
      const MitigationTrace& mitigation = model.mitigations[m];
      csv.Entity("threat", name, "mitigated_by", "mitigation", mitigation.info.name,
                 "effectiveness " + mitigation.effectiveness);
    }
    for (size_t d : threat.detections) {
      const DetectionTrace& detection = model.detections[d];
      csv.Entity("threat", name, "detected_by", "detection", detection.info.name,
                 detection.kind + " rule " + detection.stable_id + "; " +
                     std::to_string(detection.tests.size()) + " tests");
    }
    for (size_t broader : threat.refines) {
      csv.Entity("threat", name, "refines", "threat", model.threats[broader].info.name,
                 model.threats[broader].info.title);
    }
    for (size_t narrower : threat.detected_through) {
      csv.Entity("threat", name, "detected_through", "threat", model.threats[narrower].info.name,
                 "detected by the detections of this refining threat");
    }
    csv.Entity("threat", name, "residual_risk", "rating", RatingName(threat.residual.rating),
               ResidualSummary(threat.residual));
    csv.Gaps("threat", t, name);
  }
  for (size_t m = 0; m < model.mitigations.size(); ++m) {
    const MitigationTrace& mitigation = model.mitigations[m];
    for (const FrameworkRef& ref : mitigation.controls) {
      csv.Framework("mitigation", mitigation.info.name, "implements", ref);
    }
    for (size_t a : mitigation.assets) {
      csv.Entity("mitigation", mitigation.info.name, "applies_to", "asset",
                 model.assets[a].info.name, model.assets[a].info.title);
    }
    csv.Gaps("mitigation", m, mitigation.info.name);
  }
  for (size_t d = 0; d < model.detections.size(); ++d) {
    const DetectionTrace& detection = model.detections[d];
    for (const TestInfo& test : detection.tests) {
      csv.Entity("detection", detection.info.name, "tested_by", "test", test.name,
                 test.expect_match ? "expect match" : "expect no_match");
    }
    csv.Gaps("detection", d, detection.info.name);
  }
  for (const AssetTrace& asset : model.assets) {
    for (const FrameworkRef& ref : asset.maps) csv.Framework("asset", asset.info.name, "maps_to", ref);
  }
  for (const PersonaTrace& persona : model.personas) {
    for (const FrameworkRef& ref : persona.maps) {
      csv.Framework("persona", persona.info.name, "maps_to", ref);
    }
  }
  return csv.Take();
}

}  // namespace ward::backends::mapping
