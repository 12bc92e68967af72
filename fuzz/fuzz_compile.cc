#include "fuzz/fuzz_compile.h"

#include <optional>

#include "compiler/support/uuid.h"

namespace ward::fuzz {

std::unique_ptr<driver::Compilation> CompileText(std::string text, DiagnosticEngine& diags) {
  auto compilation = std::make_unique<driver::Compilation>();
  FileId id = compilation->sources.Add("fuzz.ward", std::move(text));
  std::optional<ast::File> parsed = syntax::ParseFile(*compilation->sources.Get(id), diags);
  if (!parsed) return nullptr;
  bool broken = parsed->had_syntax_errors;
  compilation->asts.push_back(std::make_unique<ast::File>(std::move(*parsed)));
  ir::Manifest manifest;
  manifest.namespace_uuid = std::string(kDefaultNamespace);
  // A root with nothing in it: `file:` samples resolve to missing files.
  manifest.root = "/nonexistent/ward-fuzz-root";
  std::vector<sema::ParsedFile> files = {{compilation->asts.back().get(), broken}};
  compilation->program = sema::Analyze(files, manifest, compilation->sources, diags);
  return compilation;
}

}  // namespace ward::fuzz
