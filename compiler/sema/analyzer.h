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
//
// `owned`, when set, hands the AST to the analyzer (`ast` then points at it),
// which frees it as soon as that file's bodies are lowered: the symbol table
// keeps what later files need (names, spans), so at most one file's AST is
// read at a time and the others need not stay in memory beside the IR.
// (Shared, not unique, so that a ParsedFile stays copyable for brace lists;
// the memory is freed when no copy is left, which is at once for `ward build`.)
struct ParsedFile {
  const ast::File* ast = nullptr;
  bool had_syntax_errors = false;
  std::shared_ptr<ast::File> owned = nullptr;
};

// Resolves names, checks every declaration and builds the IR. Reports every
// problem to `diags` and never throws. The returned program is complete and
// consistent only when diags.has_errors() is false; it is returned either way
// so tools can still inspect what was understood. This overload only reads
// the ASTs (the caller keeps them); files must not set `owned`.
std::unique_ptr<ir::Program> Analyze(const std::vector<ParsedFile>& files, ir::Manifest manifest,
                                     const SourceManager& sources, DiagnosticEngine& diags,
                                     const SemaOptions& options = {});
// The same, taking the ASTs of the files that set `owned` and freeing each
// one once analysis no longer reads it.
std::unique_ptr<ir::Program> Analyze(std::vector<ParsedFile>&& files, ir::Manifest manifest,
                                     const SourceManager& sources, DiagnosticEngine& diags,
                                     const SemaOptions& options = {});

// The ASTs of files that analysis started from the outlines of
// (syntax/outline.h), handed over one at a time, in the order analysis needs
// them: first the files that declare a catalog, then every other file, each
// in file order.
class AstFeed {
 public:
  virtual ~AstFeed() = default;
  // The whole AST of file `index` (its position in `outlines`), parsed
  // cleanly and with the declarations and imports of its outline; null
  // otherwise, and analysis then stops.
  virtual std::unique_ptr<ast::File> Take(size_t index) = 0;
};

// The same as Analyze, with each file's declarations known from its outline
// before its AST exists: every AST is taken from `feed` when its bodies are
// lowered and freed right after, so at most a few are in memory at once.
// Returns null when the feed declined a file (its outline was not the whole
// truth): what was reported to `diags` is then meaningless, and the caller
// analyses the files the ordinary way, into a fresh engine.
std::unique_ptr<ir::Program> AnalyzeFromOutlines(std::vector<std::unique_ptr<ast::File>> outlines,
                                                 AstFeed& feed, ir::Manifest manifest,
                                                 const SourceManager& sources,
                                                 DiagnosticEngine& diags,
                                                 const SemaOptions& options = {});

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_ANALYZER_H_
