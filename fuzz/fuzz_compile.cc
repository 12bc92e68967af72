#include "fuzz/fuzz_compile.h"

#include <optional>

#include "backends/mapping/mapping_backend.h"
#include "backends/sigma/sigma_backend.h"
#include "backends/yara/yara_backend.h"
#include "compiler/sema/analyzer.h"
#include "compiler/support/uuid.h"
#include "compiler/syntax/parser.h"

namespace ward::fuzz {

std::unique_ptr<Compilation> CompileText(std::string text, DiagnosticEngine& diags) {
  auto compilation = std::make_unique<Compilation>();
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

void RunAllBackends(const Compilation& compilation, DiagnosticEngine& diags,
                    backends::OutputSet& out) {
  std::unique_ptr<backends::Backend> all[] = {backends::sigma::MakeSigmaBackend(),
                                              backends::yara::MakeYaraBackend(),
                                              backends::mapping::MakeMappingBackend()};
  for (auto& backend : all) {
    backends::BackendContext ctx{*compilation.program, compilation.sources, diags, {},
                                 "2026-01-01"};
    backend->Emit(ctx, out);
  }
}

}  // namespace ward::fuzz
