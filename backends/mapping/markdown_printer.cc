// mappings/traceability.md: the tables a workstream author pastes into a
// paper or reads on GitHub. Every cell is built from plain text and escaped
// once, by MarkdownCell; the only markup added here is the <br> between the
// items of a multi-valued cell.

#include <string>
#include <vector>

#include "backends/mapping/printers.h"
#include "backends/mapping/text_escape.h"
#include "backends/mapping/trace_text.h"

namespace ward::backends::mapping {
namespace {

class Table {
 public:
  // `align` holds one character per column: 'l' or 'r'.
  Table(std::vector<std::string> header, std::string align)
      : header_(std::move(header)), align_(std::move(align)) {}

  // Each cell is a list of plain-text items, shown one per line.
  void Row(std::vector<std::vector<std::string>> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }

  std::string Print() const {
    std::string out = "|";
    for (const std::string& h : header_) out += " " + MarkdownCell(h) + " |";
    out += "\n|";
    for (char a : align_) out += a == 'r' ? "---:|" : "---|";
    out += "\n";
    for (const auto& row : rows_) {
      out += "|";
      for (const auto& cell : row) {
        std::vector<std::string> escaped;
        for (const std::string& item : cell) escaped.push_back(MarkdownCell(item));
        out += " " + Join(escaped, "<br>") + " |";
      }
      out += "\n";
    }
    return out;
  }

 private:
  std::vector<std::string> header_;
  std::string align_;
  std::vector<std::vector<std::vector<std::string>>> rows_;
};

std::string Count(size_t n) { return std::to_string(n); }

std::string PrintCoverage(const TraceModel& model) {
  const Coverage& c = model.coverage;
  Table table({"Measure", "Count", "Share"}, "lrr");
  table.Row({{"Threats"}, {Count(c.threats)}, {""}});
  table.Row({{"Threats with a mitigation"}, {Count(c.mitigated)}, {Percent(c.mitigated, c.threats)}});
  table.Row({{"Threats with a detection"}, {Count(c.detected)}, {Percent(c.detected, c.threats)}});
  // Rows for refinement and declared gaps appear once a model uses them.
  if (c.detected_through_refinement != 0) {
    table.Row({{"Of those, detected only through a refining threat"},
               {Count(c.detected_through_refinement)},
               {Percent(c.detected_through_refinement, c.threats)}});
  }
  if (c.detection_gaps != 0) {
    table.Row({{"Threats with a declared detection gap (not covered)"}, {Count(c.detection_gaps)},
               {Percent(c.detection_gaps, c.threats)}});
  }
  table.Row({{"Threats with both"}, {Count(c.both)}, {Percent(c.both, c.threats)}});
  table.Row({{"Threats with neither"}, {Count(c.uncovered)}, {Percent(c.uncovered, c.threats)}});
  table.Row({{"Mitigations"}, {Count(c.mitigations)}, {""}});
  table.Row({{"Mitigations addressing no threat"}, {Count(c.mitigations_unused)},
             {Percent(c.mitigations_unused, c.mitigations)}});
  table.Row({{"Mitigations implementing no framework control"}, {Count(c.mitigations_unmapped)},
             {Percent(c.mitigations_unmapped, c.mitigations)}});
  table.Row({{"Detections"}, {Count(c.detections)}, {""}});
  table.Row({{"Detections with test cases"}, {Count(c.detections_tested)},
             {Percent(c.detections_tested, c.detections)}});
  table.Row({{"Detections linked to no threat"}, {Count(c.detections_orphan)},
             {Percent(c.detections_orphan, c.detections)}});
  table.Row({{"Test cases"}, {Count(c.tests)}, {""}});
  std::string out = "## Coverage summary\n\n" + table.Print();

  Table residual({"Residual risk", "Threats", "Share"}, "lrr");
  for (Rating rating : kRatingsDescending) {
    size_t n = c.residual[static_cast<size_t>(rating)];
    residual.Row({{RatingName(rating)}, {Count(n)}, {Percent(n, c.threats)}});
  }
  out += "\n" + residual.Print() + "\n" + MarkdownCell(kResidualRule) + "\n";

  Table frameworks({"Framework", "Catalog", "Version", "Entries", "Referenced",
                    "Mapped by threats", "Of those covered", "Controls implemented"},
                   "lllrrrrr");
  for (const FrameworkCoverage& fc : c.frameworks) {
    const CatalogInfo& catalog = model.catalogs[fc.catalog];
    std::string implemented = Count(fc.implemented);
    if (fc.implementable != 0) implemented += " of " + Count(fc.implementable);
    frameworks.Row({{CatalogLabel(catalog)}, {catalog.name}, {catalog.version}, {Count(fc.entries)},
                    {Count(fc.referenced)}, {Count(fc.mapped_by_threats)},
                    {Count(fc.covered) + " (" + Percent(fc.covered, fc.mapped_by_threats) + ")"},
                    {implemented}});
  }
  if (!frameworks.empty()) out += "\n### Frameworks\n\n" + frameworks.Print();
  return out;
}

std::string PrintThreats(const TraceModel& model) {
  Table table({"Threat", "Severity", "Maps to", "Mitigations and their controls", "Detections",
               "Residual risk"},
              "llllll");
  for (const ThreatTrace& threat : model.threats) {
    std::vector<std::string> maps;
    for (const FrameworkGroup& group : threat.mappings) {
      std::vector<std::string> ids;
      for (const FrameworkRef& ref : group.refs) {
        ids.push_back(model.EntryOf(ref).id +
                      (ref.pinned_version.empty() ? "" : "@" + ref.pinned_version));
      }
      maps.push_back(CatalogLabel(model.catalogs[group.catalog]) + ": " + Join(ids, ", "));
    }
    std::vector<std::string> mitigations;
    for (size_t m : threat.mitigations) {
      const MitigationTrace& mitigation = model.mitigations[m];
      std::vector<std::string> controls;
      for (const FrameworkRef& ref : mitigation.controls) controls.push_back(RefLabel(model, ref));
      std::string line = MitigationLabel(mitigation);
      if (!controls.empty()) line += " → " + Join(controls, ", ");
      mitigations.push_back(line);
    }
    std::vector<std::string> detections;
    for (size_t d : threat.detections) {
      const DetectionTrace& detection = model.detections[d];
      detections.push_back(DetectionLabel(detection) + " " + detection.stable_id);
    }
    for (size_t narrower : threat.detected_through) {
      detections.push_back("through " + model.threats[narrower].info.name);
    }
    if (mitigations.empty()) mitigations.push_back("none (gap)");
    if (threat.declared_gap()) {
      detections.push_back("none (declared gap: " + threat.detection_gap + ")");
    } else if (detections.empty()) {
      detections.push_back("none (gap)");
    }
    if (maps.empty()) maps.push_back("-");
    std::vector<std::string> name = {threat.info.label(), threat.info.name};
    for (size_t broader : threat.refines) {
      name.push_back("refines " + model.threats[broader].info.name);
    }
    table.Row({name, {threat.severity}, maps, mitigations, detections,
               {ResidualSummary(threat.residual)}});
  }
  if (table.empty()) return "## Threats\n\nNo threats are declared.\n";
  return "## Threats → mitigations → controls → detections\n\n" + table.Print();
}

std::string PrintControls(const TraceModel& model) {
  Table table({"Framework", "Control", "Title", "Implemented by", "Threats addressed"}, "lllll");
  for (const ControlView& view : model.controls) {
    const CatalogEntryInfo& entry = model.EntryOf(view.control);
    std::vector<std::string> mitigations, threats;
    for (size_t m : view.mitigations) mitigations.push_back(model.mitigations[m].info.name);
    for (size_t t : view.threats) threats.push_back(model.threats[t].info.name);
    if (threats.empty()) threats.push_back("-");
    table.Row({{CatalogLabel(model.CatalogOf(view.control))}, {entry.id}, {entry.title},
               mitigations, threats});
  }
  if (table.empty()) return "## Controls → threats\n\nNo mitigation implements a framework control.\n";
  return "## Controls → threats\n\n" + table.Print();
}

std::string PrintFrameworkIds(const TraceModel& model) {
  Table table({"Framework", "ID", "Title", "Version", "Ward entities"}, "lllll");
  for (const FrameworkIdView& view : model.framework_ids) {
    const CatalogInfo& catalog = model.CatalogOf(view.ref);
    const CatalogEntryInfo& entry = model.EntryOf(view.ref);
    std::vector<std::string> entities;
    for (const EntityLink& link : view.entities) {
      entities.push_back(link.kind + " " + link.name + " (" + link.relation + ")");
    }
    std::string title = entry.title;
    if (entry.deprecated) title += title.empty() ? "(deprecated)" : " (deprecated)";
    table.Row({{CatalogLabel(catalog)}, {entry.id}, {title}, {catalog.version}, entities});
  }
  if (table.empty()) return "## Framework IDs → Ward entities\n\nNo framework IDs are referenced.\n";
  return "## Framework IDs → Ward entities\n\n" + table.Print();
}

std::string PrintGaps(const TraceModel& model) {
  Table table({"Gap", "Kind", "Entity", "Severity", "Detail"}, "lllll");
  for (const Gap& gap : model.gaps) {
    std::string name, severity;
    if (gap.subject_kind == "threat") {
      name = model.threats[gap.subject].info.name;
      severity = model.threats[gap.subject].severity;
    } else if (gap.subject_kind == "detection") {
      name = model.detections[gap.subject].info.name;
    } else {
      name = model.mitigations[gap.subject].info.name;
    }
    table.Row({{GapKindName(gap.kind)}, {gap.subject_kind}, {name}, {severity.empty() ? "-" : severity},
               {gap.message}});
  }
  if (table.empty()) return "## Gaps\n\nNo gaps: every threat is mitigated and detected.\n";
  return "## Gaps\n\n" + table.Print();
}

}  // namespace

std::string PrintMarkdown(const TraceModel& model) {
  std::string out = "# Traceability: " + MarkdownCell(model.project.name) + " " +
                    MarkdownCell(model.project.version) + "\n\n";
  out += "Generated by Ward from the threat model on " + model.document_date +
         "; do not edit. Each threat is traced to the mitigations that address it, the framework "
         "controls those implement, and the detections (with their test cases) that catch it.\n\n";
  out += PrintCoverage(model) + "\n";
  out += PrintThreats(model) + "\n";
  out += PrintControls(model) + "\n";
  out += PrintFrameworkIds(model) + "\n";
  out += PrintGaps(model);
  return out;
}

}  // namespace ward::backends::mapping
