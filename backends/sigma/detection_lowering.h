#ifndef WARD_BACKENDS_SIGMA_DETECTION_LOWERING_H_
#define WARD_BACKENDS_SIGMA_DETECTION_LOWERING_H_

// Lowers a Ward Sigma expression (IR SigmaExpr plus its `let` selections) to
// idiomatic Sigma: named search identifiers and a condition. The meaning is
// kept exactly; only rewrites that are equivalences are applied:
//   - several values of one field in an `or` become one value list;
//   - fields ANDed together become one map; `contains` of one field ANDed
//     becomes `|contains|all`;
//   - maps ORed together become a list of maps;
//   - negated parts become `filter_main_*` identifiers (`filter_optional_*`
//     for a `let optional_...`), positive parts `selection_*`, and `let`
//     names are kept (`selection_phrases`);
//   - `a and b` / `not x and not y` are folded into `all of selection_*` /
//     `not 1 of filter_main_*` when the pattern names exactly those parts.
// An identifier's body is never split across a negation, so `not (a and b)`
// stays one identifier under one `not`.

#include <optional>
#include <vector>

#include "backends/sigma/sigma_model.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::backends::sigma {

enum class DetectionLayout {
  kRule,    // identifiers named selection_* / filter_main_* ...
  kFilter,  // a meta filter: the schema requires one identifier named `selection`
};

// Returns nullopt after reporting an error (E0800) for anything Sigma cannot
// express. `span` locates the detection for errors without a better span.
std::optional<Detection> LowerDetection(const std::vector<ir::SigmaSelection>& selections,
                                        const ir::SigmaExpr& condition, DetectionLayout layout,
                                        Span span, DiagnosticEngine& diags);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_DETECTION_LOWERING_H_
