#ifndef WARD_COMPILER_DRIVER_BUILD_STATE_H_
#define WARD_COMPILER_DRIVER_BUILD_STATE_H_

// What a successful `ward build` saw and wrote, kept in
// <output>/.ward-cache/build-state so that the next build into the same
// directory can tell which packages changed (incremental_build.h). Like the
// rest of the cache it is safe to delete: a missing, damaged or foreign
// state only means a full build.
//
// The format is line-based text (fields separated by tabs), read much faster
// than JSON at 100,000 rules; a path holding a tab or a newline is not
// recorded (the next build is then a full one).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ward::driver {

inline constexpr const char* kBuildStateFile = "build-state";

struct BuildState {
  struct File {
    std::string path;  // canonical
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    // The status change time: unlike the modification time, no program can
    // set it back, so an edit that restores the old time is still seen.
    int64_t ctime_ns = 0;
    std::string sha256;
    std::string package;
    std::vector<std::string> imports;  // import paths as written
    friend bool operator==(const File&, const File&) = default;
  };
  struct Output {
    std::string path;     // relative to the output directory
    std::string package;  // of every rule in it; empty: a file that holds no rule
    uint64_t size = 0;
    std::string sha256;
    // When it was written (StatFile); 0: not known yet. A hand edit that
    // keeps the size still changes the time.
    int64_t mtime_ns = 0;
  };
  struct Package {
    size_t threats = 0;
    size_t mitigations = 0;
    std::map<std::string, size_t> detections;  // by detection kind
    // It declares catalogs and nothing else. A catalog never points back at
    // what references it, so importing one does not tie the importers
    // together (incremental_build.cc).
    bool catalogs_only = false;
    std::set<std::string> ids;       // stable IDs of its detections and filters
    std::set<std::string> rule_ids;  // IDs of the rules it emitted (ward.lock's keys)
  };

  // Everything that decides the outputs besides the sources: ward's version,
  // the options, ward.yaml, the build date (incremental_build.cc).
  std::string key;
  // SHA-256 of the ward.lock this build wrote; empty without a lock.
  std::string lock_sha256;
  // When the sources were looked at (ns since the epoch): a file modified in
  // the same clock tick may keep its recorded time, so files whose recorded
  // time is this close are hashed again.
  int64_t recorded_at_ns = 0;
  std::vector<File> files;  // sorted by path
  std::vector<Output> outputs;
  std::map<std::string, Package> packages;
};

std::string SerializeBuildState(const BuildState& state);

// Nullopt for anything that is not a complete state of this format.
std::optional<BuildState> ParseBuildState(const std::string& text);

// A regular file's size and modification time (stat(2), ns since the
// epoch); false when it cannot be stat'ed or is not a regular file.
bool StatFile(const std::string& path, uint64_t& size, int64_t& mtime_ns);
bool StatFile(const std::string& path, uint64_t& size, int64_t& mtime_ns, int64_t& ctime_ns);

// The wall clock in ns since the epoch, comparable with StatFile's times.
int64_t NowNs();

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_BUILD_STATE_H_
