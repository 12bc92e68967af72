#ifndef WARD_COMPILER_DRIVER_BUILD_CHECK_H_
#define WARD_COMPILER_DRIVER_BUILD_CHECK_H_

// `ward build --check`: compares a build made in memory with the output
// directory and ward.lock on disk, and changes nothing. The CI gate.

#include <string>
#include <vector>

#include "compiler/driver/lock_build.h"
#include "compiler/support/diagnostic.h"

namespace ward::driver {

struct StaleReport {
  std::vector<std::string> added, changed, removed;  // output files, relative to the directory
  std::vector<std::string> lock;                     // one line per lock difference
  bool stale() const {
    return !added.empty() || !changed.empty() || !removed.empty() || !lock.empty();
  }
};

// What writing `build` into `dir` (and its lock) would change.
StaleReport CompareWithDisk(const LockedBuild& build, const std::string& dir);

// E0901 with the differences as notes (the first 50; a count of the rest).
void ReportStale(const StaleReport& report, const std::string& dir, const LockedBuild& build,
                 DiagnosticEngine& diags);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_BUILD_CHECK_H_
