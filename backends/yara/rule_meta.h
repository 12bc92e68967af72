#ifndef WARD_BACKENDS_YARA_RULE_META_H_
#define WARD_BACKENDS_YARA_RULE_META_H_

// The meta section of an emitted rule, after the common YARA style guides
// (Neo23x0's YARA-Style-Guide, signature-base): description, author, date,
// modified, reference (one per URL), id, severity, score, then traceability
// to the threat model: the linked threats and their mapped framework IDs.

#include <string_view>
#include <vector>

#include "backends/yara/yara_model.h"
#include "compiler/ir/ir.h"

namespace ward::backends::yara {

// The style guide's 0-100 score for a detection level:
// informational 20, low 40, medium 60, high 75, critical 90.
int ScoreForLevel(ir::Level level);

// Meta entries in their fixed order. `build_date` (YYYY-MM-DD, may be empty)
// stands in for a missing `date`.
std::vector<MetaEntry> BuildMeta(const ir::Program& program, const ir::Detection& detection,
                                 std::string_view build_date);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_RULE_META_H_
