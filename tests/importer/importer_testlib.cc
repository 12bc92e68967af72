#include "tests/importer/importer_testlib.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backends/sigma/sigma_backend.h"
#include "backends/yara/yara_backend.h"
#include "compiler/sema/analyzer.h"
#include "compiler/syntax/parser.h"

namespace ward::importer_test {

Frontend::Frontend(const std::vector<std::pair<std::string, std::string>>& files) {
  asts.reserve(files.size());
  std::vector<sema::ParsedFile> parsed;
  for (const auto& [path, text] : files) {
    const FileId id = sources.Add(path, text);
    const size_t before = diags.error_count();
    std::optional<ast::File> file = syntax::ParseFile(*sources.Get(id), diags);
    if (!file) continue;
    asts.push_back(std::move(*file));
    parsed.push_back({&asts.back(), diags.error_count() != before});
  }
  ir::Manifest manifest;
  sema::SemaOptions options;
  options.coverage_warnings = false;
  options.untested_warnings = false;
  program = sema::Analyze(parsed, manifest, sources, diags, options);
}

std::string Frontend::Errors() const {
  std::string out;
  for (const Diagnostic& d : diags.Sorted()) {
    if (d.severity != Severity::kError) continue;
    std::string where;
    if (const SourceFile* f = sources.Get(d.primary.span.file)) {
      where = f->path() + ":" + std::to_string(f->Locate(d.primary.span.begin).line) + ": ";
    }
    out += where + std::string(Info(d.code).id) + " " + d.message + "\n";
    for (const std::string& n : d.notes) out += "  note: " + n + "\n";
  }
  return out;
}

std::map<std::string, std::string> EmitAll(const ir::Program& program) {
  SourceManager sources;
  DiagnosticEngine diags;
  backends::BackendContext ctx{program, sources, diags, {}, "2025-01-02"};
  backends::OutputSet out;
  backends::sigma::MakeSigmaBackend()->Emit(ctx, out);
  backends::yara::MakeYaraBackend()->Emit(ctx, out);
  std::map<std::string, std::string> files = out.files();
  for (const Diagnostic& d : diags.Sorted()) {
    files["#diagnostic " + std::string(Info(d.code).id)] += d.message + "\n";
  }
  return files;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string SharedDir() {
  // ../shared beside the checkout; WARD_SHARED_DIR overrides it (a git
  // worktree sits one level deeper than the checkout it belongs to).
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("WARD_SHARED_DIR"); env && *env) candidates.emplace_back(env);
  candidates.push_back(std::filesystem::path(WARD_SOURCE_DIR) / ".." / "shared");
  for (const auto& shared : candidates) {
    std::error_code ec;
    if (std::filesystem::is_directory(shared / "reference", ec)) {
      return shared.lexically_normal().string();
    }
  }
  return "";
}

}  // namespace ward::importer_test
