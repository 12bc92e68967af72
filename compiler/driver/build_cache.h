#ifndef WARD_COMPILER_DRIVER_BUILD_CACHE_H_
#define WARD_COMPILER_DRIVER_BUILD_CACHE_H_

// The build cache under <output>/.ward-cache/: what a rebuild may skip.
// Today it holds the YARA check's results (`yara-verified`: the SHA-256 of
// every exact set of rule texts libyara 4.2 compiled without an error or a
// warning, under the libyara version that compiled them). It is safe to
// delete, never an output (not listed, not compared by `build --check`, not
// a stale file), and carried over when the output directory is replaced
// (output_staging.h). A missing, unreadable or malformed cache is an empty
// one, never an error.

#include <map>
#include <string>

#include "backends/common/backend.h"

namespace ward::driver {

inline constexpr const char* kCacheDirName = ".ward-cache";
inline constexpr const char* kYaraVerifiedFile = "yara-verified";

// The cache of the output directory `out_dir`, read only when it is an
// output ward wrote (its marker exists).
backends::CheckCache LoadCheckCache(const std::string& out_dir);

// The cache files to write for the next build (paths relative to
// .ward-cache/): what this build's checks accepted. Empty when this ward
// has no YARA backend.
std::map<std::string, std::string> CacheFiles(const backends::CheckCache& cache);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_BUILD_CACHE_H_
