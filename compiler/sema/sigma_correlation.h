#ifndef WARD_COMPILER_SEMA_SIGMA_CORRELATION_H_
#define WARD_COMPILER_SEMA_SIGMA_CORRELATION_H_

// `correlation TYPE { rules group_by timespan where generate alias }` of a
// Sigma detection -> ir::Correlation, checked against the Sigma v2.1
// correlation specification:
//   - TYPE is one of event_count, value_count, temporal, temporal_ordered,
//     value_sum, value_avg, value_percentile;
//   - rules, group_by and timespan are required for every type; `where` for
//     all but the temporal types (whose count of distinct rules is optional);
//   - timespans use s, m, h or d;
//   - the aggregate of `where` fits the type: `count` (event_count, temporal*),
//     `count(FIELD)` (value_count), `sum/avg/percentile(FIELD)` (value_*);
//   - temporal types correlate two or more rules; a rule cannot correlate
//     itself (cycles through other correlations are found in Finish()).

#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/sema/detection_kind.h"

namespace ward::sema {

struct SigmaRuleRef {
  const ir::Detection* rule = nullptr;
  Span span;  // where `rules:` names it
};

// `self` is the detection that holds the block. Resolved rules are appended
// to `refs` as well, with their spans, for the cycle check.
ir::Correlation LowerSigmaCorrelation(const ast::Block& block, const ir::Detection& self,
                                      LoweringContext& ctx, std::vector<SigmaRuleRef>& refs);

const std::vector<std::string>& SigmaCorrelationTypes();

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SIGMA_CORRELATION_H_
