// The report's coverage matrix: one column per tactic (catalog entries of
// kind `tactic`, in declaration order, which for ATLAS is the matrix order),
// each listing the techniques whose `parents` name it, with their
// sub-techniques indented below. A cell is coloured by how the threats that
// map to it are covered, and links to the first such threat's card.

#include <map>
#include <string>
#include <vector>

#include "backends/mapping/framework_refs.h"
#include "backends/mapping/html_parts.h"
#include "backends/mapping/text_escape.h"
#include "backends/mapping/trace_text.h"
#include "backends/mapping/trace_views.h"

namespace ward::backends::mapping {
namespace {

bool HasParent(const CatalogEntryInfo& entry, const std::string& id) {
  for (const std::string& parent : entry.parents) {
    if (parent == id) return true;
  }
  return false;
}

class MatrixWriter {
 public:
  MatrixWriter(const TraceModel& model, size_t catalog)
      : model_(model), catalog_(model.catalogs[catalog]) {
    for (EntryCoverage& coverage : CatalogCoverage(model, catalog)) {
      coverage_.emplace(coverage.entry, std::move(coverage));
    }
  }

  std::string Print() {
    std::string columns;
    std::vector<bool> placed(catalog_.entries.size(), false);
    for (const CatalogEntryInfo& tactic : catalog_.entries) {
      if (!IsTactic(tactic)) continue;
      columns += "<div class=\"tactic\"><div class=\"tactic-head\">" +
                 HtmlEscape(tactic.title.empty() ? tactic.id : tactic.title) + "<small>" +
                 HtmlEscape(tactic.id) + "</small></div>";
      for (size_t e = 0; e < catalog_.entries.size(); ++e) {
        const CatalogEntryInfo& entry = catalog_.entries[e];
        if (entry.kind != "technique" || !HasParent(entry, tactic.id)) continue;
        placed[e] = true;
        columns += Cell(e, false);
        for (size_t s = 0; s < catalog_.entries.size(); ++s) {
          const CatalogEntryInfo& sub = catalog_.entries[s];
          if (IsTechnique(sub) && sub.kind != "technique" && HasParent(sub, entry.id)) {
            placed[s] = true;
            columns += Cell(s, true);
          }
        }
      }
      columns += "</div>";
    }
    // Techniques the catalog places under no tactic still get a column, so
    // a mapped one is never missing from the picture.
    std::string other;
    for (size_t e = 0; e < catalog_.entries.size(); ++e) {
      if (!placed[e] && IsTechnique(catalog_.entries[e])) other += Cell(e, false);
    }
    if (!other.empty()) {
      columns += "<div class=\"tactic\"><div class=\"tactic-head\">No tactic<small>-</small></div>" +
                 other + "</div>";
    }
    return "<h3>" + HtmlEscape(CatalogLabel(catalog_)) + " " + HtmlEscape(catalog_.version) +
           "</h3>\n<div class=\"matrix-wrap\"><div class=\"matrix\">" + columns +
           "</div></div>\n";
  }

 private:
  std::string Cell(size_t e, bool sub) const {
    const CatalogEntryInfo& entry = catalog_.entries[e];
    std::string label = entry.id + (entry.title.empty() ? "" : " " + entry.title);
    std::string classes = std::string("tech") + (sub ? " sub" : "");
    auto it = coverage_.find(e);
    if (it == coverage_.end()) {
      return "<span class=\"" + classes + " cov-unmapped\" title=\"no threat maps here\">" +
             HtmlEscape(label) + "</span>";
    }
    const EntryCoverage& coverage = it->second;
    std::vector<std::string> threats;
    for (size_t t : coverage.threats) threats.push_back(model_.threats[t].info.label());
    std::string tooltip = std::string(CoverageStateName(coverage.state)) + " - threats: " +
                          Join(threats, "; ");
    return "<a class=\"" + classes + " " + CoverageClass(coverage.state) + "\" href=\"#" +
           ThreatAnchor(coverage.threats.front()) + "\" title=\"" + HtmlEscape(tooltip) + "\">" +
           HtmlEscape(label) + "</a>";
  }

  const TraceModel& model_;
  const CatalogInfo& catalog_;
  std::map<size_t, EntryCoverage> coverage_;
};

}  // namespace

std::string HtmlCoverageMatrices(const TraceModel& model) {
  std::string out;
  for (size_t c = 0; c < model.catalogs.size(); ++c) {
    bool has_tactics = false;
    for (const CatalogEntryInfo& entry : model.catalogs[c].entries) has_tactics |= IsTactic(entry);
    if (has_tactics) out += MatrixWriter(model, c).Print();
  }
  if (out.empty()) return "<p>No catalog declares tactics, so there is no matrix to draw.</p>\n";
  return out;
}

}  // namespace ward::backends::mapping
