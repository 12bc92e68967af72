// The report's trace graph, as inline SVG: mitigations on the left, threats
// in the middle, detections on the right, an edge for every link. Threats
// keep model order; a mitigation or detection sits at the mean row of the
// threats it is linked to (ties by name, unlinked ones last), which keeps
// most edges short and makes the layout a pure function of the model.

#include <algorithm>
#include <string>
#include <vector>

#include "backends/mapping/html_parts.h"
#include "backends/mapping/text_escape.h"
#include "backends/mapping/trace_text.h"

namespace ward::backends::mapping {
namespace {

constexpr int kNodeWidth = 380;
constexpr int kNodeHeight = 34;
constexpr int kRowGap = 10;
constexpr int kTop = 40;
constexpr int kColumnX[] = {10, 470, 930};
constexpr int kWidth = 1320;
constexpr size_t kLabelChars = 46;

int RowY(size_t row) { return kTop + static_cast<int>(row) * (kNodeHeight + kRowGap); }

// Indices 0..n-1 ordered by the mean of their linked threat rows.
template <typename T>
std::vector<size_t> ByBarycenter(const std::vector<T>& entities) {
  std::vector<size_t> order(entities.size());
  std::vector<double> key(entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    order[i] = i;
    const std::vector<size_t>& threats = entities[i].threats;
    double sum = 0;
    for (size_t t : threats) sum += static_cast<double>(t);
    key[i] = threats.empty() ? 1e18 : sum / static_cast<double>(threats.size());
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key[a] < key[b]; });
  return order;
}

std::string ThreatList(const std::vector<size_t>& threats) {
  std::vector<std::string> ids;
  for (size_t t : threats) ids.push_back(ThreatAnchor(t));
  return Join(ids, " ");
}

std::string Node(int x, int y, const std::string& fill, const std::string& label,
                 const std::string& tooltip, const std::string& href,
                 const std::string& threats) {
  std::string out = "<a href=\"#" + href + "\"><g data-threat=\"" + threats + "\">";
  out += "<title>" + HtmlEscape(tooltip) + "</title>";
  out += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
         std::to_string(kNodeWidth) + "\" height=\"" + std::to_string(kNodeHeight) +
         "\" rx=\"6\" fill=\"" + fill + "\"/>";
  out += "<text x=\"" + std::to_string(x + 10) + "\" y=\"" +
         std::to_string(y + kNodeHeight / 2 + 5) + "\">" +
         HtmlEscape(TruncateUtf8(label, kLabelChars)) + "</text>";
  out += "</g></a>\n";
  return out;
}

std::string Edge(int x1, int y1, int x2, int y2, const char* cls, const std::string& threat) {
  const int bend = (x2 - x1) / 2;
  return "<path class=\"" + std::string(cls) + "\" data-threat=\"" + threat + "\" d=\"M" +
         std::to_string(x1) + " " + std::to_string(y1) + " C" + std::to_string(x1 + bend) + " " +
         std::to_string(y1) + " " + std::to_string(x2 - bend) + " " + std::to_string(y2) + " " +
         std::to_string(x2) + " " + std::to_string(y2) + "\"/>\n";
}

const char* RatingFill(Rating rating) {
  switch (rating) {
    case Rating::kCritical: return "#f6aea9";
    case Rating::kHigh: return "#fbc8a8";
    case Rating::kMedium: return "#fde293";
    case Rating::kLow: return "#ceead6";
    case Rating::kInfo: return "#e8eaed";
  }
  return "#e8eaed";
}

}  // namespace

std::string HtmlTraceGraph(const TraceModel& model) {
  if (model.threats.empty() && model.mitigations.empty() && model.detections.empty()) {
    return "<p>Nothing to draw: the model has no threats, mitigations or detections.</p>\n";
  }
  const std::vector<size_t> mitigations = ByBarycenter(model.mitigations);
  const std::vector<size_t> detections = ByBarycenter(model.detections);
  std::vector<size_t> mitigation_row(model.mitigations.size()), detection_row(model.detections.size());
  for (size_t row = 0; row < mitigations.size(); ++row) mitigation_row[mitigations[row]] = row;
  for (size_t row = 0; row < detections.size(); ++row) detection_row[detections[row]] = row;

  const size_t rows = std::max({model.threats.size(), mitigations.size(), detections.size()});
  const int height = RowY(rows) + 10;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(kWidth) + " " + std::to_string(height) +
                    "\" role=\"img\" aria-label=\"Trace graph of mitigations, threats and "
                    "detections\">\n";
  const char* heads[] = {"Mitigations", "Threats", "Detections"};
  for (int c = 0; c < 3; ++c) {
    out += "<text class=\"colhead\" x=\"" + std::to_string(kColumnX[c]) + "\" y=\"24\">" +
           heads[c] + "</text>\n";
  }
  // Edges first, so nodes are drawn over them.
  const int half = kNodeHeight / 2;
  for (size_t t = 0; t < model.threats.size(); ++t) {
    const std::string anchor = ThreatAnchor(t);
    for (size_t m : model.threats[t].mitigations) {
      out += Edge(kColumnX[0] + kNodeWidth, RowY(mitigation_row[m]) + half, kColumnX[1],
                  RowY(t) + half, "edge-m", anchor);
    }
    for (size_t d : model.threats[t].detections) {
      out += Edge(kColumnX[1] + kNodeWidth, RowY(t) + half, kColumnX[2],
                  RowY(detection_row[d]) + half, "edge-d", anchor);
    }
  }
  for (size_t row = 0; row < mitigations.size(); ++row) {
    const MitigationTrace& m = model.mitigations[mitigations[row]];
    out += Node(kColumnX[0], RowY(row), "#fef7e0", MitigationLabel(m),
                m.info.name + " - " + MitigationLabel(m), MitigationAnchor(mitigations[row]),
                ThreatList(m.threats));
  }
  for (size_t t = 0; t < model.threats.size(); ++t) {
    const ThreatTrace& threat = model.threats[t];
    out += Node(kColumnX[1], RowY(t), RatingFill(threat.residual.rating), threat.info.label(),
                threat.info.name + " - severity " + threat.severity + ", residual " +
                    ResidualSummary(threat.residual),
                ThreatAnchor(t), ThreatAnchor(t));
  }
  for (size_t row = 0; row < detections.size(); ++row) {
    const DetectionTrace& d = model.detections[detections[row]];
    out += Node(kColumnX[2], RowY(row), d.tests.empty() ? "#f1f3f4" : "#e8f0fe", DetectionLabel(d),
                d.info.name + " - " + DetectionLabel(d) + " " + d.stable_id,
                DetectionAnchor(detections[row]), ThreatList(d.threats));
  }
  out += "</svg>\n";
  return out;
}

}  // namespace ward::backends::mapping
