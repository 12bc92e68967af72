#ifndef WARD_BACKENDS_MAPPING_TRACE_TEXT_H_
#define WARD_BACKENDS_MAPPING_TRACE_TEXT_H_

// Wording shared by the human-readable outputs (Markdown, CSV details, HTML),
// so a threat, a control or a percentage reads the same in each. Results are
// plain text: each printer escapes them for its own format.

#include <cstddef>
#include <string>
#include <vector>

#include "backends/mapping/trace_model.h"

namespace ward::backends::mapping {

std::string Join(const std::vector<std::string>& items, const std::string& separator);

// "60%" (rounded to the nearest whole percent); "-" when `total` is 0.
std::string Percent(size_t part, size_t total);

// The catalog as a reader knows it: its title, else its framework name.
std::string CatalogLabel(const CatalogInfo& catalog);

// "AML.T0051 LLM Prompt Injection" (ID, then the title when there is one).
std::string EntryLabel(const CatalogEntryInfo& entry);

// "MITRE ATLAS AML.T0051" with "@5.0.1" appended when the reference is pinned.
std::string RefLabel(const TraceModel& model, const FrameworkRef& ref);

// "Title (effectiveness)"; "Title [kind, N tests]".
std::string MitigationLabel(const MitigationTrace& mitigation);
std::string DetectionLabel(const DetectionTrace& detection);

// "high, mitigated (high) and detected (tested)" and similar: the residual
// rating with the reason, in one line.
std::string ResidualSummary(const ResidualRisk& risk);

// The residual-risk rule in one paragraph (mirrors residual_risk.h).
extern const char kResidualRule[];

// Ratings from the most to the least severe, for summaries.
inline constexpr Rating kRatingsDescending[] = {Rating::kCritical, Rating::kHigh, Rating::kMedium,
                                                Rating::kLow, Rating::kInfo};

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_TRACE_TEXT_H_
