#include "compiler/driver/pipeline.h"

#include <atomic>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

#include "compiler/driver/project.h"

#if WARD_HAVE_BACKEND_SIGMA
#include "backends/sigma/sigma_backend.h"
#endif
#if WARD_HAVE_BACKEND_YARA
#include "backends/yara/yara_backend.h"
#endif
#if WARD_HAVE_BACKEND_MAPPING
#include "backends/mapping/mapping_backend.h"
#endif

namespace ward::driver {

std::vector<std::unique_ptr<backends::Backend>> AllBackends() {
  std::vector<std::unique_ptr<backends::Backend>> out;
#if WARD_HAVE_BACKEND_SIGMA
  out.push_back(backends::sigma::MakeSigmaBackend());
#endif
#if WARD_HAVE_BACKEND_YARA
  out.push_back(backends::yara::MakeYaraBackend());
#endif
#if WARD_HAVE_BACKEND_MAPPING
  out.push_back(backends::mapping::MakeMappingBackend());
#endif
  return out;
}

std::unique_ptr<Compilation> Compile(const CompileOptions& options, DiagnosticEngine& diags) {
  auto compilation = std::make_unique<Compilation>();
  Project project;
  LoadOptions load;
  load.max_file_bytes = options.parse.max_file_bytes;
  if (!LoadProject(options.paths, load, compilation->sources, diags, project) &&
      project.files.empty()) {
    return nullptr;
  }

  // Parse in parallel: each file gets its own diagnostic engine (the engine
  // is not thread-safe), merged afterwards in file order for determinism.
  size_t count = project.files.size();
  std::vector<std::optional<ast::File>> parsed(count);
  std::vector<DiagnosticEngine> file_diags(count);
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, count));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < count; i = next++) {
      const SourceFile* file = compilation->sources.Get(project.files[i]);
      parsed[i] = syntax::ParseFile(*file, file_diags[i], options.parse);
    }
  };
  if (jobs <= 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(work);
    for (auto& t : threads) t.join();
  }

  std::vector<sema::ParsedFile> files;
  files.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    for (const Diagnostic& d : file_diags[i].diagnostics()) diags.Report(d);
    if (!parsed[i]) continue;
    // Only structural errors make a file too broken to check: a malformed
    // literal (hex pattern, escape, number) is kept in the AST marked
    // invalid, and the rest of the file is still checked.
    bool broken = parsed[i]->had_syntax_errors;
    auto ast = std::make_unique<ast::File>(std::move(*parsed[i]));
    parsed[i].reset();
    sema::ParsedFile file{ast.get(), broken, nullptr};
    // Without keep_asts, analysis owns each AST and frees it as soon as that
    // file is checked: at 100,000 detections the ASTs are most of the heap.
    if (options.keep_asts) {
      compilation->asts.push_back(std::move(ast));
    } else {
      file.owned = std::move(ast);
    }
    files.push_back(std::move(file));
  }
  compilation->program = sema::Analyze(std::move(files), project.manifest, compilation->sources,
                                       diags, options.sema);
  return compilation;
}

std::string BuildDateFromEnvironment() {
  std::string build_date;
  // Reproducible builds: a date only comes from SOURCE_DATE_EPOCH, never
  // from the clock, so two builds of the same input are byte-identical.
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long seconds = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && seconds >= 0) {
      std::time_t t = static_cast<std::time_t>(seconds);
      std::tm tm{};
      gmtime_r(&t, &tm);
      build_date = fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    }
  }
  return build_date;
}

bool RunBackends(const Compilation& compilation, const std::vector<std::string>& names,
                 const std::map<std::string, std::string>& backend_options,
                 DiagnosticEngine& diags, backends::OutputSet& out) {
  return RunBackendsAt(compilation, names, backend_options, BuildDateFromEnvironment(), diags,
                       out);
}

bool RunBackendsAt(const Compilation& compilation, const std::vector<std::string>& names,
                   const std::map<std::string, std::string>& backend_options,
                   const std::string& build_date, DiagnosticEngine& diags,
                   backends::OutputSet& out) {
  bool ok = true;
  size_t errors_before = diags.error_count();
  for (auto& backend : AllBackends()) {
    if (std::find(names.begin(), names.end(), backend->name()) == names.end()) continue;
    backends::BackendContext ctx{*compilation.program, compilation.sources, diags,
                                 backend_options, build_date};
    if (!backend->Emit(ctx, out)) ok = false;
  }
  return ok && diags.error_count() == errors_before;
}

}  // namespace ward::driver
