#ifndef WARD_COMPILER_DRIVER_INCREMENTAL_BUILD_H_
#define WARD_COMPILER_DRIVER_INCREMENTAL_BUILD_H_

// The incremental `ward build`: after a change to a few files, recompile
// only the packages those files can affect, and update the output
// directory and ward.lock in place.
//
// A package's Sigma and YARA outputs depend only on the entities they
// reference, and a reference to another package needs an import (E0206), so
// the packages a change can affect are those connected to the changed
// files' packages through imports, in either direction (`detects:` and
// `affects:` link back). A catalog links nothing back, so an unchanged
// package of catalogs does not connect its importers. The affected packages
// and the catalogs they import are compiled on their own; every other
// package's outputs, lock entries and counts are taken from the build state
// of the previous build (build_state.h).
//
// The result must be the bytes, lock and messages of a full build, so the
// incremental path is only taken when that is certain, and a full build runs
// otherwise: the previous build and this one reported nothing at all (not
// even a warning), no file was added, removed, moved to another package or
// given other imports, the options, ward.yaml, ward.lock and the recorded
// outputs are as the previous build left them, only `sigma` and `yara` are
// emitted, and at most half of the files are to be recompiled. Files that
// hold no rule (yara/all.yar) depend only on the set of rule files and the
// package graph, both unchanged then, and are kept.
//
// The outputs are updated in place, each changed file by a rename; the build
// state is deleted first and written last, so an interrupted update is
// followed by a full build.

#include <optional>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "compiler/driver/lock_build.h"
#include "compiler/driver/pipeline.h"

namespace ward::driver {

struct IncrementalRequest {
  CompileOptions compile;   // as for a full build
  LockedBuildOptions lock;  // the backends, their options, the lock flags
  std::string out_dir;
  std::string key;  // BuildKey() of the command line
};

struct IncrementalResult {
  size_t rebuilt_packages = 0;
  size_t total_packages = 0;
  std::string counts_line;  // CountsLine() of the whole program
  size_t output_files = 0;
};

// What of the command line decides the outputs (the backends, their
// options, the lock flags...), with ward's version and the build dates.
std::string BuildKey(const std::vector<std::string>& paths,
                     const std::vector<std::string>& option_words);

// Nullopt when the incremental path does not apply or failed before
// anything was final: the caller then does a full build, which reports
// whatever there is to report.
std::optional<IncrementalResult> TryIncrementalBuild(const IncrementalRequest& request);

// After a full build that reported nothing wrote `out` into `out_dir`:
// keeps the build state for the next build, with the times the outputs got.
// Best effort: without a state the next build is a full one.
void KeepBuildState(const Compilation& compilation, const backends::OutputSet& out,
                    bool lock_in_use, const std::string& lock_text, const std::string& key,
                    const std::string& out_dir);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_INCREMENTAL_BUILD_H_
