#ifndef WARD_COMPILER_DRIVER_LOCK_BUILD_H_
#define WARD_COMPILER_DRIVER_LOCK_BUILD_H_

// A build that keeps ward.lock. Its meaning is that of two backend passes:
//   1. without anything the lock or the environment drives (no lock
//      `modified`, no build-date fallback, no libyara check): each rule's
//      text is hashed and the new lock computed (version_lock.h);
//   2. with the lock's `modified` dates written into the IR (Meta::modified
//      of every rule whose source declares none): the real outputs.
// When no build date is set the rule backends run only once, with a
// sentinel date in place of the lock's (lock_sentinels.h), which gives the
// same bytes; BuildWithLockInTwoPasses is the two-pass reference.
// Nothing is written here; the caller writes (output_writer.h) or compares
// (build_check.h).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "compiler/driver/pipeline.h"
#include "compiler/driver/version_lock.h"

namespace ward::driver {

struct LockedBuildOptions {
  std::vector<std::string> backends;
  std::map<std::string, std::string> backend_options;
  bool use_lock = true;      // false: --no-lock, the backends run once
  bool create_lock = false;  // --lock: start a ward.lock when there is none
  // The lock to update instead of the one on disk: the incremental build
  // passes the entries of the packages it recompiles (incremental_build.h).
  const VersionLock* old_lock = nullptr;
};

struct LockedBuild {
  backends::OutputSet out;
  bool lock_in_use = false;  // a lock is kept (ward.lock exists, or --lock)
  std::string lock_path;
  std::optional<std::string> old_lock_text;  // nullopt: there was no ward.lock
  VersionLock old_lock;                      // parsed from old_lock_text
  std::string new_lock_text;
  LockUpdate update;
  bool one_pass = false;  // the rule backends ran once (lock_sentinels.h)
};

// ward.lock next to the project's ward.yaml; empty when it has none. A build
// keeps the lock when that file exists, or when asked to start one.
std::string LockPathFor(const ir::Manifest& manifest);

// The date given to rules whose content changed: the build date from
// SOURCE_DATE_EPOCH, or today's (UTC) date.
std::string LockDate();

// Returns false after reporting (E0900 for a malformed lock, any backend
// error). `compilation`'s IR gets the lock's `modified` dates.
bool BuildWithLock(Compilation& compilation, const LockedBuildOptions& options,
                   DiagnosticEngine& diags, LockedBuild& result);

// The same result by the two passes described above, always.
bool BuildWithLockInTwoPasses(Compilation& compilation, const LockedBuildOptions& options,
                              DiagnosticEngine& diags, LockedBuild& result);

// W0902 for every rule the lock had that this build no longer emits.
void ReportRemovedRules(const LockedBuild& build, DiagnosticEngine& diags);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_LOCK_BUILD_H_
