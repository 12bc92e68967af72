#ifndef WARD_COMPILER_DRIVER_OUTPUT_WRITER_H_
#define WARD_COMPILER_DRIVER_OUTPUT_WRITER_H_

#include <map>
#include <string>

#include "backends/common/backend.h"
#include "compiler/support/diagnostic.h"

namespace ward::driver {

// The marker file that says "Ward owns this directory". A non-empty output
// directory without it is never replaced, so `-o .` cannot wipe a project.
inline constexpr const char* kOutputMarker = ".ward-output";

// Writes every file of `out` under `dir`, atomically: files are written to a
// staging directory beside `dir`, which then replaces `dir` by rename. On any
// failure the previous contents of `dir` are left untouched. Reports E0001.
// `cache_files` go to <dir>/.ward-cache/ (build_cache.h), which is otherwise
// carried over from the previous output.
bool WriteOutputs(const backends::OutputSet& out, const std::string& dir,
                  DiagnosticEngine& diags,
                  const std::map<std::string, std::string>& cache_files = {});

// The same, and replaces the file `lock_path` with `lock_text` in the same
// step: the lock is staged beside itself and renamed into place right after
// the directory swap; if that fails, the previous directory is put back, so
// outputs and lock are either both new or both untouched.
bool WriteOutputsAndLock(const backends::OutputSet& out, const std::string& dir,
                         const std::string& lock_path, const std::string& lock_text,
                         DiagnosticEngine& diags,
                         const std::map<std::string, std::string>& cache_files = {});

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_OUTPUT_WRITER_H_
