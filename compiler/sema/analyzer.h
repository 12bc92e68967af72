#ifndef WARD_COMPILER_SEMA_ANALYZER_H_
#define WARD_COMPILER_SEMA_ANALYZER_H_

#include <memory>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

struct SemaOptions {
  // W0400-W0403: threats without mitigation/detection, orphan detections.
  bool coverage_warnings = true;
  // W0704: detections without a test case.
  bool untested_warnings = true;
};

// One parsed file. Files with syntax errors still contribute their names
// (so references to them resolve) but their bodies are not checked, which
// keeps one typo from cascading into dozens of follow-on errors.
struct ParsedFile {
  const ast::File* ast = nullptr;
  bool had_syntax_errors = false;
};

// Resolves names, checks every declaration and builds the IR. Reports every
// problem to `diags` and never throws. The returned program is complete and
// consistent only when diags.has_errors() is false; it is returned either way
// so tools can still inspect what was understood.
std::unique_ptr<ir::Program> Analyze(const std::vector<ParsedFile>& files, ir::Manifest manifest,
                                     const SourceManager& sources, DiagnosticEngine& diags,
                                     const SemaOptions& options = {});

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_ANALYZER_H_
