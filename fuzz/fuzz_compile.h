#ifndef WARD_FUZZ_FUZZ_COMPILE_H_
#define WARD_FUZZ_FUZZ_COMPILE_H_

// Parse and check one Ward file held in memory, the way the driver does for
// a file on disk, and run every backend over it in memory. The fuzzers use
// this instead of the driver so that the fuzz build compiles only the
// compiler's layers and backends, not the CLI's commands, and never touches
// the file system in the hot loop.

#include <memory>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::fuzz {

struct Compilation {
  SourceManager sources;
  std::vector<std::unique_ptr<ast::File>> asts;
  std::unique_ptr<ir::Program> program;
};

// Null only when nothing could be parsed; check diags.has_errors() before
// handing the program to a backend or the evaluator.
std::unique_ptr<Compilation> CompileText(std::string text, DiagnosticEngine& diags);

// Sigma, YARA (checked with libyara) and every mapping document, with a
// fixed build date, as `ward build --emit all` runs them.
void RunAllBackends(const Compilation& compilation, DiagnosticEngine& diags,
                    backends::OutputSet& out);

}  // namespace ward::fuzz

#endif  // WARD_FUZZ_FUZZ_COMPILE_H_
