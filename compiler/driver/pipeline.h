#ifndef WARD_COMPILER_DRIVER_PIPELINE_H_
#define WARD_COMPILER_DRIVER_PIPELINE_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "compiler/driver/project.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/analyzer.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/parser.h"

namespace ward::driver {

struct CompileOptions {
  std::vector<std::string> paths;
  unsigned jobs = 0;  // 0: every core
  syntax::ParseOptions parse;
  sema::SemaOptions sema;
  // Keep every file's AST in Compilation::asts after analysis. Nothing in
  // the driver reads them once the IR exists (the IR owns its strings and
  // its spans point into the sources), so by default analysis frees each
  // one as soon as its file is checked: at 100,000 detections they are most
  // of the heap.
  bool keep_asts = false;
  // Start analysis from the files' outlines while they are parsed
  // (streaming_parse.h), unless keep_asts. Off: parse every file first, the
  // way the outline path falls back to; the result is the same either way.
  bool from_outlines = true;
  // Load and check exactly these files (canonical paths; the incremental
  // build's part of the project), without searching the directories. Null:
  // every file found under `paths`.
  const std::set<std::string>* only_files = nullptr;
};

// What the incremental build needs to know of one loaded file without its
// AST: its package and the paths it imports.
struct FileSummary {
  FileId file = kNoFile;
  std::string package;
  std::vector<std::string> imports;
};

// One compilation: the sources and the IR stay alive together because the
// IR's spans point into the sources; the ASTs only with keep_asts.
struct Compilation {
  SourceManager sources;
  std::vector<std::unique_ptr<ast::File>> asts;
  std::unique_ptr<ir::Program> program;
  // Every file found (loaded or not), and a summary of each parsed one.
  std::vector<Project::Found> found;
  std::vector<FileSummary> summaries;
  std::string manifest_sha256;
  int64_t loaded_at_ns = 0;  // when the sources were first looked at
  // CompileOptions::jobs (0: every core). The backends honour it too: with
  // 1 they run one after another on the calling thread.
  unsigned jobs = 0;
  // Analysis started from the outlines (CompileOptions::from_outlines), and
  // no file made it fall back.
  bool from_outlines = false;
  // What earlier builds' checks accepted (build_cache.h), set by `ward
  // build` before the backends run; null: check everything.
  backends::CheckCache* check_cache = nullptr;
};

// Load -> parse (files in parallel) -> analyze. Every problem goes to
// `diags`; the program is null only when the project could not be loaded.
std::unique_ptr<Compilation> Compile(const CompileOptions& options, DiagnosticEngine& diags);

// The backends this build of ward has, in --emit order.
std::vector<std::unique_ptr<backends::Backend>> AllBackends();

// Runs the named backends over a checked program. Returns false if any
// reported an error (nothing should then be written). Backends that read
// only the IR (sigma, yara) run side by side when compilation.jobs allows;
// their diagnostics and outputs are merged in --emit order afterwards, so
// the result is the same as running them one after another.
bool RunBackends(const Compilation& compilation, const std::vector<std::string>& names,
                 const std::map<std::string, std::string>& backend_options,
                 DiagnosticEngine& diags, backends::OutputSet& out);

// The same, with an explicit build date (YYYY-MM-DD or empty) instead of the
// one from SOURCE_DATE_EPOCH.
bool RunBackendsAt(const Compilation& compilation, const std::vector<std::string>& names,
                   const std::map<std::string, std::string>& backend_options,
                   const std::string& build_date, DiagnosticEngine& diags,
                   backends::OutputSet& out);

// YYYY-MM-DD from SOURCE_DATE_EPOCH, or empty when it is not set: output
// never depends on the clock unless asked to.
std::string BuildDateFromEnvironment();

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_PIPELINE_H_
