// mappings/report.html: one self-contained page a reader can open from disk
// (no external script, font, image or request; a Content-Security-Policy
// meta tag makes the browser refuse any that slipped in). It holds the
// coverage summary, the tactic x technique matrix, the trace graph, one card
// per threat with its full trace, tables of mitigations, detections,
// controls and gaps, and a filter box. Every user string is escaped with
// HtmlEscape at the point where it is inserted.

#include <string>
#include <vector>

#include "backends/mapping/html_parts.h"
#include "backends/mapping/printers.h"
#include "backends/mapping/text_escape.h"
#include "backends/mapping/trace_text.h"

namespace ward::backends::mapping {

std::string ThreatAnchor(size_t index) { return "t-" + std::to_string(index); }
std::string MitigationAnchor(size_t index) { return "m-" + std::to_string(index); }
std::string DetectionAnchor(size_t index) { return "d-" + std::to_string(index); }

std::string CoverageClass(CoverageState state) {
  return std::string("cov-") + CoverageStateName(state);
}

namespace {

std::string E(const std::string& text) { return HtmlEscape(text); }

std::string Code(const std::string& text) { return "<code>" + E(text) + "</code>"; }

std::string Badge(const std::string& cls, const std::string& text) {
  return "<span class=\"badge " + cls + "\">" + E(text) + "</span>";
}

std::string CoverageText(CoverageState state) {
  switch (state) {
    case CoverageState::kNone: return "neither mitigated nor detected";
    case CoverageState::kMitigated: return "mitigated, not detected";
    case CoverageState::kDetected: return "detected, not mitigated";
    case CoverageState::kBoth: return "mitigated and detected";
  }
  return "";
}

std::string Stat(size_t value, const std::string& label) {
  return "<div class=\"stat\"><b>" + std::to_string(value) + "</b><span>" + E(label) +
         "</span></div>";
}

std::string RefHtml(const TraceModel& model, const FrameworkRef& ref) {
  const CatalogEntryInfo& entry = model.EntryOf(ref);
  std::string id = entry.id + (ref.pinned_version.empty() ? "" : "@" + ref.pinned_version);
  return "<span title=\"" + E(CatalogLabel(model.CatalogOf(ref)) + " " + EntryLabel(entry)) +
         "\">" + Code(id) + "</span>";
}

std::string RefsHtml(const TraceModel& model, const std::vector<FrameworkRef>& refs) {
  std::vector<std::string> parts;
  for (const FrameworkRef& ref : refs) {
    parts.push_back(E(CatalogLabel(model.CatalogOf(ref))) + " " + RefHtml(model, ref));
  }
  return parts.empty() ? "-" : Join(parts, ", ");
}

std::string Summary(const TraceModel& model) {
  const Coverage& c = model.coverage;
  std::string out = "<section id=\"summary\"><h2>Coverage summary</h2>\n<div class=\"cards\">";
  out += Stat(c.threats, "threats");
  out += Stat(c.mitigated, "mitigated (" + Percent(c.mitigated, c.threats) + ")");
  out += Stat(c.detected, "detected (" + Percent(c.detected, c.threats) + ")");
  if (c.detected_through_refinement != 0) {
    out += Stat(c.detected_through_refinement,
                "detected only through a refining threat (" +
                    Percent(c.detected_through_refinement, c.threats) + ")");
  }
  if (c.detection_gaps != 0) {
    out += Stat(c.detection_gaps,
                "declared detection gaps (" + Percent(c.detection_gaps, c.threats) + ")");
  }
  out += Stat(c.both, "both (" + Percent(c.both, c.threats) + ")");
  out += Stat(c.uncovered, "neither (" + Percent(c.uncovered, c.threats) + ")");
  out += Stat(c.mitigations, "mitigations");
  out += Stat(c.detections, "detections");
  out += Stat(c.tests, "test cases");
  out += Stat(model.gaps.size(), "gaps");
  out += "</div>\n<div class=\"bar\" title=\"threats by residual risk\">";
  for (Rating rating : kRatingsDescending) {
    const size_t n = c.residual[static_cast<size_t>(rating)];
    if (n == 0) continue;
    out += "<div class=\"r-" + std::string(RatingName(rating)) + "\" style=\"flex:" +
           std::to_string(n) + "\">" + RatingName(rating) + " " + std::to_string(n) + "</div>";
  }
  out += "</div><div class=\"legend\">Residual risk of the threats, most severe first.</div>\n";
  out += "</section>\n";
  return out;
}

std::string Legend() {
  return "<div class=\"legend\"><span><i class=\"cov-both\"></i>mitigated and detected</span>"
         "<span><i class=\"cov-mitigated\"></i>mitigated only</span>"
         "<span><i class=\"cov-detected\"></i>detected only</span>"
         "<span><i class=\"cov-none\"></i>mapped, neither</span>"
         "<span><i class=\"cov-unmapped\"></i>no threat maps here</span></div>\n";
}

std::string ThreatLinks(const std::vector<size_t>& indices,
                        const std::vector<ThreatTrace>& threats) {
  std::vector<std::string> parts;
  for (size_t t : indices) {
    parts.push_back("<a href=\"#" + ThreatAnchor(t) + "\">" + E(threats[t].info.label()) +
                    "</a> " + Code(threats[t].info.name));
  }
  return Join(parts, ", ");
}

std::string ThreatCard(const TraceModel& model, size_t t) {
  const ThreatTrace& threat = model.threats[t];
  const CoverageState state = threat.coverage();
  std::string out = "<article class=\"card threat searchable " + CoverageClass(state) +
                    "\" id=\"" + ThreatAnchor(t) + "\" data-state=\"" +
                    CoverageStateName(state) + "\">\n<header><h3>" + E(threat.info.label()) +
                    "</h3>" + Code(threat.info.name) + Badge("r-" + threat.severity,
                                                             "severity " + threat.severity) +
                    Badge("r-" + std::string(RatingName(threat.residual.rating)),
                          std::string("residual ") + RatingName(threat.residual.rating)) +
                    Badge(CoverageClass(state), CoverageText(state)) + "</header>\n";
  if (!threat.info.description.empty()) {
    out += "<p class=\"desc\">" + E(threat.info.description) + "</p>\n";
  }
  out += "<dl class=\"facts\">";
  out += "<dt>Likelihood / impact</dt><dd>" + E(threat.likelihood) + " / " + E(threat.impact) +
         "</dd>";
  if (!threat.category.empty()) out += "<dt>Category</dt><dd>" + E(threat.category) + "</dd>";
  if (!threat.stages.empty()) out += "<dt>Stages</dt><dd>" + E(Join(threat.stages, ", ")) + "</dd>";
  std::vector<std::string> assets;
  for (size_t a : threat.assets) {
    assets.push_back(E(model.assets[a].info.label()) + " " + Code(model.assets[a].info.name));
  }
  out += "<dt>Assets</dt><dd>" + (assets.empty() ? "-" : Join(assets, ", ")) + "</dd>";
  if (!threat.refines.empty()) {
    out += "<dt>Refines</dt><dd>" + ThreatLinks(threat.refines, model.threats) + "</dd>";
  }
  if (!threat.refined_by.empty()) {
    out += "<dt>Refined by</dt><dd>" + ThreatLinks(threat.refined_by, model.threats) + "</dd>";
  }
  for (const FrameworkGroup& group : threat.mappings) {
    const CatalogInfo& catalog = model.catalogs[group.catalog];
    std::vector<std::string> ids;
    for (const FrameworkRef& ref : group.refs) ids.push_back(RefHtml(model, ref));
    out += "<dt>" + E(CatalogLabel(catalog) + " " + catalog.version) + "</dt><dd>" +
           Join(ids, " ") + "</dd>";
  }
  out += "</dl>\n<h4>Mitigations</h4>";
  if (threat.mitigations.empty()) {
    out += "<p class=\"gap\">No mitigation: gap.</p>\n";
  } else {
    out += "<ul>";
    for (size_t m : threat.mitigations) {
      const MitigationTrace& mitigation = model.mitigations[m];
      out += "<li><a href=\"#" + MitigationAnchor(m) + "\">" + E(mitigation.info.label()) +
             "</a> " + Code(mitigation.info.name) + " " + E(mitigation.type) +
             ", effectiveness " + E(mitigation.effectiveness) + "; controls: " +
             RefsHtml(model, mitigation.controls) + "</li>";
    }
    out += "</ul>\n";
  }
  out += "<h4>Detections</h4>";
  if (threat.declared_gap()) {
    out += "<p class=\"gap\">No detection: declared gap. " + E(threat.detection_gap) + "</p>\n";
  } else if (threat.detections.empty() && !threat.detected_through.empty()) {
    out += "<p>Detected through the narrower threats that refine it: " +
           ThreatLinks(threat.detected_through, model.threats) + ".</p>\n";
  } else if (threat.detections.empty()) {
    out += "<p class=\"gap\">No detection: gap.</p>\n";
  } else {
    out += "<ul>";
    for (size_t d : threat.detections) {
      const DetectionTrace& detection = model.detections[d];
      std::vector<std::string> tests;
      for (const TestInfo& test : detection.tests) {
        tests.push_back(E(test.name) + (test.expect_match ? " (match)" : " (no match)"));
      }
      out += "<li><a href=\"#" + DetectionAnchor(d) + "\">" + E(detection.info.label()) +
             "</a> " + Code(detection.info.name) + " " + E(detection.kind) + ", level " +
             E(detection.level) + ", rule ID " + Code(detection.stable_id) + "; " +
             std::to_string(detection.tests.size()) + " tests" +
             (tests.empty() ? std::string(" (untested)") : ": " + Join(tests, ", ")) + "</li>";
    }
    out += "</ul>\n";
  }
  out += "<p><b>Residual risk:</b> " + E(ResidualSummary(threat.residual)) + "</p>\n</article>\n";
  return out;
}

std::string NameList(const std::vector<size_t>& indices, const std::vector<ThreatTrace>& threats) {
  std::vector<std::string> parts;
  for (size_t t : indices) {
    parts.push_back("<a href=\"#" + ThreatAnchor(t) + "\">" + E(threats[t].info.label()) + "</a>");
  }
  return parts.empty() ? "<span class=\"gap\">none</span>" : Join(parts, "<br>");
}

std::string MitigationTable(const TraceModel& model) {
  std::string out =
      "<section id=\"mitigations\"><h2>Mitigations</h2>\n<table><thead><tr><th>Mitigation</th>"
      "<th>Type</th><th>Effectiveness</th><th>Framework controls</th><th>Threats</th></tr>"
      "</thead><tbody>\n";
  for (size_t m = 0; m < model.mitigations.size(); ++m) {
    const MitigationTrace& mitigation = model.mitigations[m];
    out += "<tr class=\"searchable\" id=\"" + MitigationAnchor(m) + "\"><td>" +
           E(mitigation.info.label()) + "<br>" + Code(mitigation.info.name) + "</td><td>" +
           E(mitigation.type) + "</td><td>" + E(mitigation.effectiveness) + "</td><td>" +
           RefsHtml(model, mitigation.controls) + "</td><td>" +
           NameList(mitigation.threats, model.threats) + "</td></tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

std::string DetectionTable(const TraceModel& model) {
  std::string out =
      "<section id=\"detections\"><h2>Detections</h2>\n<table><thead><tr><th>Detection</th>"
      "<th>Kind</th><th>Level</th><th>Rule ID</th><th class=\"num\">Tests</th><th>Threats</th>"
      "</tr></thead><tbody>\n";
  for (size_t d = 0; d < model.detections.size(); ++d) {
    const DetectionTrace& detection = model.detections[d];
    out += "<tr class=\"searchable\" id=\"" + DetectionAnchor(d) + "\"><td>" +
           E(detection.info.label()) + "<br>" + Code(detection.info.name) + "</td><td>" +
           E(detection.kind) + "</td><td>" + E(detection.level) + "</td><td>" +
           Code(detection.stable_id) + "</td><td class=\"num\">" +
           std::to_string(detection.tests.size()) + "</td><td>" +
           NameList(detection.threats, model.threats) + "</td></tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

std::string ControlTable(const TraceModel& model) {
  std::string out = "<section id=\"controls\"><h2>Controls → threats</h2>\n";
  if (model.controls.empty()) return out + "<p>No mitigation implements a framework control.</p></section>\n";
  out += "<table><thead><tr><th>Framework</th><th>Control</th><th>Implemented by</th>"
         "<th>Threats addressed</th></tr></thead><tbody>\n";
  for (const ControlView& view : model.controls) {
    const CatalogInfo& catalog = model.CatalogOf(view.control);
    std::vector<std::string> mitigations;
    for (size_t m : view.mitigations) {
      mitigations.push_back("<a href=\"#" + MitigationAnchor(m) + "\">" +
                            E(model.mitigations[m].info.label()) + "</a>");
    }
    out += "<tr class=\"searchable\"><td>" + E(CatalogLabel(catalog) + " " + catalog.version) +
           "</td><td>" + Code(model.EntryOf(view.control).id) + " " +
           E(model.EntryOf(view.control).title) + "</td><td>" + Join(mitigations, "<br>") +
           "</td><td>" + NameList(view.threats, model.threats) + "</td></tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

std::string GapTable(const TraceModel& model) {
  std::string out = "<section id=\"gaps\"><h2>Gaps</h2>\n";
  if (model.gaps.empty()) return out + "<p>No gaps: every threat is mitigated and detected.</p></section>\n";
  out += "<table><thead><tr><th>Gap</th><th>Entity</th><th>Severity</th><th>Detail</th></tr>"
         "</thead><tbody>\n";
  for (const Gap& gap : model.gaps) {
    std::string entity, severity = "-";
    if (gap.subject_kind == "threat") {
      const ThreatTrace& threat = model.threats[gap.subject];
      entity = "<a href=\"#" + ThreatAnchor(gap.subject) + "\">" + E(threat.info.label()) + "</a>";
      severity = Badge("r-" + threat.severity, threat.severity);
    } else if (gap.subject_kind == "detection") {
      entity = "<a href=\"#" + DetectionAnchor(gap.subject) + "\">" +
               E(model.detections[gap.subject].info.label()) + "</a>";
    } else {
      entity = "<a href=\"#" + MitigationAnchor(gap.subject) + "\">" +
               E(model.mitigations[gap.subject].info.label()) + "</a>";
    }
    out += "<tr class=\"searchable\"><td>" + E(GapKindName(gap.kind)) + "</td><td>" + entity +
           "</td><td>" + severity + "</td><td>" + E(gap.message) + "</td></tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

}  // namespace

std::string PrintHtmlReport(const TraceModel& model) {
  const std::string title =
      "Traceability report: " + model.project.name + " " + model.project.version;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n";
  out += "<meta name=\"generator\" content=\"ward\">\n";
  out += "<title>" + E(title) + "</title>\n<style>" + kReportCss + "</style>\n</head>\n<body>\n";
  out += "<header class=\"page\"><h1>" + E(title) + "</h1><p>Generated by Ward on " +
         E(model.document_date) +
         ". Each threat is traced to its mitigations, the framework controls they implement, "
         "and the detections and tests that catch it.</p></header>\n";
  out += "<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#matrix\">Matrix</a>"
         "<a href=\"#graph\">Graph</a><a href=\"#threats\">Threats</a>"
         "<a href=\"#mitigations\">Mitigations</a><a href=\"#detections\">Detections</a>"
         "<a href=\"#controls\">Controls</a><a href=\"#gaps\">Gaps</a></nav>\n<main>\n";
  out += Summary(model);
  out += "<div class=\"filters\"><input id=\"filter-text\" type=\"search\" "
         "placeholder=\"Filter by name, title, framework ID, rule ID...\" "
         "aria-label=\"Filter\"><select id=\"filter-state\" aria-label=\"Coverage\">"
         "<option value=\"\">All threats</option><option value=\"gap\">Not fully covered</option>"
         "<option value=\"none\">Neither mitigated nor detected</option>"
         "<option value=\"mitigated\">Mitigated only</option>"
         "<option value=\"detected\">Detected only</option>"
         "<option value=\"both\">Mitigated and detected</option></select>"
         "<output id=\"filter-count\"></output></div>\n";
  out += "<section id=\"matrix\"><h2>Coverage matrix</h2>\n" + Legend() +
         HtmlCoverageMatrices(model) + "</section>\n";
  out += "<section id=\"graph\"><h2>Trace graph</h2>\n<div class=\"legend\">Threats are coloured "
         "by residual risk; orange edges lead to mitigations, blue edges to detections; grey "
         "detections have no test.</div>\n<div class=\"graph\">" +
         HtmlTraceGraph(model) + "</div></section>\n";
  out += "<section id=\"threats\"><h2>Threats</h2>\n";
  if (model.threats.empty()) out += "<p>No threats are declared.</p>\n";
  for (size_t t = 0; t < model.threats.size(); ++t) out += ThreatCard(model, t);
  out += "</section>\n";
  out += MitigationTable(model);
  out += DetectionTable(model);
  out += ControlTable(model);
  out += GapTable(model);
  out += "<footer><p>" + E(kResidualRule) + "</p><p>Project namespace " +
         Code(model.project.namespace_uuid) + ".</p></footer>\n</main>\n";
  out += "<script>" + std::string(kReportScript) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace ward::backends::mapping
