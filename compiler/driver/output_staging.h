#ifndef WARD_COMPILER_DRIVER_OUTPUT_STAGING_H_
#define WARD_COMPILER_DRIVER_OUTPUT_STAGING_H_

// Fills the staging directory of an output replacement (output_writer.h).
// A file whose bytes equal the previous build's file at the same path is
// hard-linked from the previous output instead of written again: creating
// and later deleting thousands of files was most of the output writing's
// time, all of it in the kernel. The staging tree is still complete and new,
// so the atomic swap keeps its guarantee: on any failure the previous output
// is untouched (a link only adds a name to its file; nothing ever writes
// into a file of the previous output).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "backends/common/backend.h"

namespace ward::driver {

// Writes `content` to `path` (created or truncated). False on any error.
bool WriteFileBytes(const std::filesystem::path& path, std::string_view content);

// Writes every file of `out` under `staging` (which exists and is empty).
// `previous` is the output directory being replaced, or empty; only regular
// files reached through real directories under it are reused. Files are
// written by two threads when there are many. On failure, `failed_path` is
// the relative path that could not be written.
bool StageFiles(const backends::OutputSet& out, const std::filesystem::path& previous,
                const std::filesystem::path& staging, std::string& failed_path);

// Fills <staging>/.ward-cache/ (build_cache.h): every file of the previous
// output's cache is carried over (hard-linked, as reused outputs are) unless
// `cache_files` replaces it, then `cache_files` (paths relative to the cache
// directory) are written. Best effort: a cache that cannot be written only
// makes the next build slower, so failures are ignored.
void StageCache(const std::filesystem::path& previous, const std::filesystem::path& staging,
                const std::map<std::string, std::string>& cache_files);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_OUTPUT_STAGING_H_
