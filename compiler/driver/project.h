#ifndef WARD_COMPILER_DRIVER_PROJECT_H_
#define WARD_COMPILER_DRIVER_PROJECT_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::driver {

// The inputs of a compilation: the manifest and every .ward file, loaded
// into the SourceManager in a deterministic order (sorted paths).
struct Project {
  ir::Manifest manifest;
  std::string manifest_sha256;  // of ward.yaml's bytes; empty without one
  std::vector<FileId> files;
  // Every .ward file found, canonical and sorted, loaded or not (see
  // LoadOptions::only), with its size and modification and status change
  // times as they were
  // just before it was read: the incremental build compares them with the
  // next build's (incremental_build.h).
  struct Found {
    std::string path;
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    FileId id = kNoFile;  // kNoFile: not loaded
  };
  std::vector<Found> found;
};

struct LoadOptions {
  size_t max_file_bytes = 64u << 20;
  // When set, only these canonical paths are read and loaded; the others
  // are listed in Project::found but not read.
  const std::set<std::string>* only = nullptr;
  // When set, these canonical paths are the files, and the directories are
  // not searched (the incremental build found them already).
  const std::set<std::string>* exactly = nullptr;
};

// Loads `paths` (files or directories, searched recursively for *.ward).
// The manifest is the ward.yaml in the first directory argument, or in the
// nearest parent directory of the first argument that has one; without one,
// defaults apply. Symlinks that point outside the root are not followed.
// Reports E0001/E0002/E0003/E0007; returns false on any error.
bool LoadProject(const std::vector<std::string>& paths, const LoadOptions& options,
                 SourceManager& sources, DiagnosticEngine& diags, Project& project);

// Parses a ward.yaml text (exposed for tests).
bool ParseManifest(const std::string& text, const std::string& path, ir::Manifest& manifest,
                   DiagnosticEngine& diags);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_PROJECT_H_
