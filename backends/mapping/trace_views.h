#ifndef WARD_BACKENDS_MAPPING_TRACE_VIEWS_H_
#define WARD_BACKENDS_MAPPING_TRACE_VIEWS_H_

// The derived parts of a TraceModel, computed once its entities and links
// are in place: reverse views, coverage counts and the list of gaps. Also the
// per-technique coverage that the matrix and the Navigator layers show.

#include <vector>

#include "backends/mapping/trace_model.h"

namespace ward::backends::mapping {

// Fills model.controls and model.framework_ids.
void BuildReverseViews(TraceModel& model);

// Fills model.coverage (needs the reverse views).
void ComputeCoverage(TraceModel& model);

// Fills model.gaps. Every uncovered threat is listed: gaps are never hidden.
void CollectGaps(TraceModel& model);

// How the threats that map to one catalog entry are covered.
struct EntryCoverage {
  size_t entry = 0;             // index into the catalog's entries
  std::vector<size_t> threats;  // threats mapping to it
  std::vector<size_t> mitigations;  // linked to those threats
  std::vector<size_t> detections;   // linked to those threats
  CoverageState state = CoverageState::kNone;
};

// One element per entry of `catalog` that at least one threat maps to, in
// catalog declaration order.
std::vector<EntryCoverage> CatalogCoverage(const TraceModel& model, size_t catalog);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_TRACE_VIEWS_H_
