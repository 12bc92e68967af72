#ifndef WARD_COMPILER_DRIVER_IMPORT_COMMON_H_
#define WARD_COMPILER_DRIVER_IMPORT_COMMON_H_

// The parts both importers share: finding input files and naming their
// packages, and writing Ward files that are checked by Ward's own frontend
// before they are kept.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/driver/import_run.h"
#include "compiler/writer/ward_writer.h"

namespace ward::driver {

struct InputFile {
  std::string path;     // as found (input path joined with the relative path)
  std::string package;  // the Ward package it goes to
};

// Every file under `paths` whose extension is in `extensions` (".yml"),
// sorted by path. Folder names become package segments: for an input folder
// F, a file F/a/b/x.yml belongs to `f.a.b` (`per_file` adds `.x`). A path
// that does not exist or holds no such file is E1047.
std::vector<InputFile> CollectInputs(const std::vector<std::string>& paths,
                                     const std::vector<std::string>& extensions, bool per_file,
                                     DiagnosticEngine& diags, ImportStats& stats);

// Reads a file into the source manager; E0001 when it cannot be read.
std::optional<FileId> LoadFile(const std::string& path, SourceManager& sources,
                               DiagnosticEngine& diags);

// One Ward file to write.
struct WardUnit {
  std::string relative_path;  // "rules/windows/process_creation.ward"
  writer::WardFileInput input;
};

// Why a declaration was refused, reported by the caller at the original
// rule.
struct Refusal {
  DiagCode code;
  std::string message;
  std::vector<std::string> notes;
};

// Writes every unit, runs Ward's parser and analyzer over all of them
// together, and leaves out each declaration that fails to be written or
// checked, then does it again until everything left is clean. Declarations
// that refer to a refused one are refused too. `extra_check` may refuse
// more after the frontend passes (the YARA rebuild). Returns the refused
// declarations; the written files go into `out`.
using ExtraCheck = std::function<std::map<const ir::Entity*, Refusal>(
    const ir::Program& program, const std::map<std::string, const ir::Entity*>& by_name)>;
std::map<const ir::Entity*, Refusal> WriteChecked(std::vector<WardUnit> units,
                                                  backends::OutputSet& out,
                                                  const ExtraCheck& extra_check = {});

// "ward import": a package segment made of a folder or file name.
std::string PackageSegment(std::string_view name);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_IMPORT_COMMON_H_
