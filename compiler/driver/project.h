#ifndef WARD_COMPILER_DRIVER_PROJECT_H_
#define WARD_COMPILER_DRIVER_PROJECT_H_

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
  std::vector<FileId> files;
};

struct LoadOptions {
  size_t max_file_bytes = 64u << 20;
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
