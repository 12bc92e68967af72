#ifndef WARD_COMPILER_DRIVER_REPORT_H_
#define WARD_COMPILER_DRIVER_REPORT_H_

#include <map>
#include <string>

#include "backends/common/backend.h"
#include "compiler/ir/ir.h"

namespace ward::driver {

// "3 threats, 4 mitigations, 5 detections (3 sigma, 2 yara)"
std::string CountsLine(const ir::Program& program);
// The same from counts (the incremental build adds them up per package).
std::string CountsLine(size_t threats, size_t mitigations,
                       const std::map<std::string, size_t>& detections_by_kind);

// The multi-line summary printed by `ward build --summary` (and `make run`):
// counts by kind, test cases, threat coverage, mapped ATLAS techniques.
std::string SummaryTable(const ir::Program& program, const backends::OutputSet& out,
                         const std::string& out_dir);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_REPORT_H_
