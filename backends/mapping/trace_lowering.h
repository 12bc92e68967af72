#ifndef WARD_BACKENDS_MAPPING_TRACE_LOWERING_H_
#define WARD_BACKENDS_MAPPING_TRACE_LOWERING_H_

// IR -> TraceModel. Semantic analysis has already checked every link and
// catalog reference (drift, dangling IDs), so lowering reports nothing: it
// only copies, indexes, sorts and counts. Links are read from both sides
// (threat.mitigations and mitigation.threats) and merged, so a hand-built or
// partially linked IR still yields a consistent model.

#include <string>

#include "backends/mapping/trace_model.h"
#include "compiler/ir/ir.h"

namespace ward::backends::mapping {

struct TraceOptions {
  std::string build_date;  // YYYY-MM-DD or empty (BackendContext::build_date)
};

TraceModel LowerTraceModel(const ir::Program& program, const TraceOptions& options);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_TRACE_LOWERING_H_
