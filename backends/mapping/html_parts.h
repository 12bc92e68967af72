#ifndef WARD_BACKENDS_MAPPING_HTML_PARTS_H_
#define WARD_BACKENDS_MAPPING_HTML_PARTS_H_

// The pieces of report.html (html_printer.cc assembles them). Each returns
// finished HTML in which every user string has gone through HtmlEscape.

#include <string>

#include "backends/mapping/trace_model.h"

namespace ward::backends::mapping {

// The inline stylesheet and script: constant, no user data, no network.
extern const char kReportCss[];
extern const char kReportScript[];

// Coverage matrices (tactics x techniques) for every catalog with tactics.
std::string HtmlCoverageMatrices(const TraceModel& model);

// An inline SVG graph: mitigations | threats | detections, with edges.
std::string HtmlTraceGraph(const TraceModel& model);

// Anchors the parts link to: threat cards, mitigation and detection rows.
std::string ThreatAnchor(size_t index);      // "t-3"
std::string MitigationAnchor(size_t index);  // "m-3"
std::string DetectionAnchor(size_t index);   // "d-3"

// The CSS class colouring a coverage state: cov-none, cov-mitigated, ...
std::string CoverageClass(CoverageState state);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_HTML_PARTS_H_
