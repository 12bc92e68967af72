#include "compiler/driver/pipeline.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <thread>

#include <fmt/format.h>

#include "compiler/driver/build_state.h"
#include "compiler/driver/project.h"
#include "compiler/driver/streaming_parse.h"
#include "compiler/syntax/outline.h"
#include "compiler/support/time_report.h"

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

namespace {

unsigned Jobs(unsigned requested, size_t work) {
  unsigned jobs = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(jobs, work)));
}

// Analysis that starts from every file's outline and takes their ASTs from a
// parse running alongside (streaming_parse.h): the same program and the same
// diagnostics as parsing everything first, without every AST in memory at
// once. Null when it does not apply: a file whose top level the outline scan
// does not read, or one that does not parse cleanly to that outline; the
// caller then parses and analyses the ordinary way.
std::unique_ptr<ir::Program> AnalyzeStreaming(const CompileOptions& options, const Project& project,
                                              Compilation& compilation, DiagnosticEngine& diags) {
  size_t count = project.files.size();
  if (count == 0) return nullptr;
  PhaseTimer outline_timer("outline scan");
  std::vector<std::optional<ast::File>> scanned(count);
  unsigned jobs = Jobs(options.jobs, count);
  std::atomic<size_t> next{0};
  auto scan = [&] {
    for (size_t i = next++; i < count; i = next++) {
      scanned[i] = syntax::ScanOutline(*compilation.sources.Get(project.files[i]), options.parse);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(scan);
  scan();
  for (auto& t : threads) t.join();
  outline_timer.Stop();

  std::vector<std::unique_ptr<ast::File>> outlines;
  std::vector<const ast::File*> views;
  std::vector<FileSummary> summaries;
  for (std::optional<ast::File>& outline : scanned) {
    if (!outline) return nullptr;
    FileSummary& summary = summaries.emplace_back();
    summary.file = outline->file;
    summary.package = outline->package.str();
    for (const ast::Import& import : outline->imports) summary.imports.push_back(import.path.str());
    outlines.push_back(std::make_unique<ast::File>(std::move(*outline)));
    views.push_back(outlines.back().get());
  }
  scanned.clear();

  PhaseTimer timer("parse and analysis");
  // Analysis reports into a copy: if a file turns out not to fit its
  // outline, what was reported so far is dropped with the attempt.
  DiagnosticEngine attempt = diags;
  StreamingParse feed(compilation.sources, project.files, std::move(views), options.parse, jobs);
  std::unique_ptr<ir::Program> program = sema::AnalyzeFromOutlines(
      std::move(outlines), feed, project.manifest, compilation.sources, attempt, options.sema);
  if (!program) return nullptr;
  diags = std::move(attempt);
  compilation.summaries = std::move(summaries);
  return program;
}

}  // namespace

std::unique_ptr<Compilation> Compile(const CompileOptions& options, DiagnosticEngine& diags) {
  auto compilation = std::make_unique<Compilation>();
  compilation->jobs = options.jobs;
  Project project;
  LoadOptions load;
  load.max_file_bytes = options.parse.max_file_bytes;
  load.exactly = options.only_files;
  compilation->loaded_at_ns = NowNs();
  PhaseTimer load_timer("read sources");
  bool loaded = LoadProject(options.paths, load, compilation->sources, diags, project);
  compilation->found = project.found;
  compilation->manifest_sha256 = project.manifest_sha256;
  load_timer.Stop();
  if (!loaded && project.files.empty()) return nullptr;

  if (options.from_outlines && !options.keep_asts) {
    if (std::unique_ptr<ir::Program> program =
            AnalyzeStreaming(options, project, *compilation, diags)) {
      compilation->program = std::move(program);
      compilation->from_outlines = true;
      return compilation;
    }
  }

  // Parse in parallel: each file gets its own diagnostic engine (the engine
  // is not thread-safe), merged afterwards in file order for determinism.
  size_t count = project.files.size();
  std::vector<std::optional<ast::File>> parsed(count);
  std::vector<DiagnosticEngine> file_diags(count);
  unsigned jobs = Jobs(options.jobs, count);
  PhaseTimer parse_timer("parse");
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

  parse_timer.Stop();
  std::vector<sema::ParsedFile> files;
  files.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    for (const Diagnostic& d : file_diags[i].diagnostics()) diags.Report(d);
    if (!parsed[i]) continue;
    // Only structural errors make a file too broken to check: a malformed
    // literal (hex pattern, escape, number) is kept in the AST marked
    // invalid, and the rest of the file is still checked.
    FileSummary& summary = compilation->summaries.emplace_back();
    summary.file = parsed[i]->file;
    summary.package = parsed[i]->package.str();
    for (const ast::Import& import : parsed[i]->imports) {
      summary.imports.push_back(import.path.str());
    }
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
  PhaseTimer sema_timer("semantic analysis");
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

namespace {

// Backends whose Emit reads only the IR and the sources, never the OutputSet
// another backend filled: they can run side by side. The mapping backend
// indexes the rule backends' outputs (its STIX bundle names the emitted
// rules), so it runs after them.
bool ReadsOnlyTheIr(std::string_view name) { return name == "sigma" || name == "yara"; }

// One backend run on its own engine and output set. The engine starts as a
// copy of the build's engine: a backend sees the diagnostics reported before
// it (the YARA check looks for sema's W0608) and counts errors from the same
// start, with the same --deny-warnings and --max-errors.
struct IsolatedRun {
  explicit IsolatedRun(const DiagnosticEngine& build_diags)
      : diags(build_diags), first_new(build_diags.diagnostics().size()) {}
  DiagnosticEngine diags;
  size_t first_new;  // diags.diagnostics()[first_new..] are this backend's
  backends::OutputSet out;
  bool ok = false;
  std::exception_ptr failure;
};

// Reports a run's own diagnostics into `diags`, as if it had reported them
// there. Where the run's engine stopped at --max-errors (its "too many
// errors" note stands for the first error it dropped), `diags` holds at
// least as many errors, so reporting an error there makes it stop in the
// same place, with its own note, once.
void ReportInto(const IsolatedRun& run, DiagnosticEngine& diags) {
  const std::vector<Diagnostic>& reported = run.diags.diagnostics();
  for (size_t i = run.first_new; i < reported.size(); ++i) {
    if (reported[i].code == DiagCode::kTooManyErrors && !diags.limit_reached()) continue;
    diags.Report(reported[i]);
  }
}

bool EmitInto(backends::Backend& backend, const Compilation& compilation,
              const std::map<std::string, std::string>& backend_options,
              const std::string& build_date, DiagnosticEngine& diags, backends::OutputSet& out) {
  backends::BackendContext ctx{*compilation.program, compilation.sources, diags, backend_options,
                               build_date, compilation.jobs, compilation.check_cache};
  PhaseTimer timer(backend.name() == "sigma"  ? "sigma backend"
                   : backend.name() == "yara" ? "yara backend"
                                              : "mapping backend");
  return backend.Emit(ctx, out);
}

// Runs `backends` on up to `jobs` threads, then merges them in order into
// `diags` and `out` (which starts empty).
bool RunSideBySide(const Compilation& compilation, const std::vector<backends::Backend*>& backends,
                   const std::map<std::string, std::string>& backend_options,
                   const std::string& build_date, unsigned jobs, DiagnosticEngine& diags,
                   backends::OutputSet& out) {
  std::vector<std::unique_ptr<IsolatedRun>> runs;
  for (size_t i = 0; i < backends.size(); ++i) runs.push_back(std::make_unique<IsolatedRun>(diags));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < backends.size(); i = next++) {
      IsolatedRun& run = *runs[i];
      try {
        run.ok = EmitInto(*backends[i], compilation, backend_options, build_date, run.diags,
                          run.out);
      } catch (...) {
        run.failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> helpers;
  for (size_t j = 1; j < std::min<size_t>(jobs, backends.size()); ++j) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();

  bool ok = true;
  const size_t errors_at_start = diags.error_count();
  for (size_t i = 0; i < runs.size(); ++i) {
    IsolatedRun& run = *runs[i];
    if (run.failure) std::rethrow_exception(run.failure);
    // A backend that ran alone made the same decisions as after the earlier
    // ones, unless they reported errors and --max-errors then stopped
    // counting some of its own (its "did I report an error" checks would
    // have seen fewer). Only then is it, and every later one, run again in
    // turn: a build with that many errors pays twice for them.
    bool same_start = diags.error_count() == errors_at_start;
    if (!same_start) {
      DiagnosticEngine trial = diags;
      ReportInto(run, trial);
      size_t own_errors = run.diags.error_count() - errors_at_start;
      if (trial.error_count() - diags.error_count() != own_errors) {
        for (size_t j = i; j < runs.size(); ++j) {
          if (!EmitInto(*backends[j], compilation, backend_options, build_date, diags, out)) {
            ok = false;
          }
        }
        return ok;
      }
    }
    ReportInto(run, diags);
    for (auto& [path, content] : run.out.mutable_files()) out.Add(path, std::move(content));
    for (auto& rule : run.out.mutable_rules()) out.AddRule(std::move(rule));
    if (!run.ok) ok = false;
  }
  return ok;
}

}  // namespace

bool RunBackendsAt(const Compilation& compilation, const std::vector<std::string>& names,
                   const std::map<std::string, std::string>& backend_options,
                   const std::string& build_date, DiagnosticEngine& diags,
                   backends::OutputSet& out) {
  std::vector<std::unique_ptr<backends::Backend>> selected;
  for (auto& backend : AllBackends()) {
    if (std::find(names.begin(), names.end(), backend->name()) != names.end()) {
      selected.push_back(std::move(backend));
    }
  }
  bool ok = true;
  size_t errors_before = diags.error_count();
  unsigned jobs =
      compilation.jobs ? compilation.jobs : std::max(1u, std::thread::hardware_concurrency());
  // The leading backends that read only the IR run side by side (into an
  // empty `out`, so that no path can collide with what was there before).
  size_t side_by_side = 0;
  while (side_by_side < selected.size() && ReadsOnlyTheIr(selected[side_by_side]->name())) {
    ++side_by_side;
  }
  size_t first_in_turn = 0;
  if (jobs > 1 && side_by_side > 1 && out.files().empty() && out.rules().empty()) {
    std::vector<backends::Backend*> together;
    for (size_t i = 0; i < side_by_side; ++i) together.push_back(selected[i].get());
    if (!RunSideBySide(compilation, together, backend_options, build_date, jobs, diags, out)) {
      ok = false;
    }
    first_in_turn = side_by_side;
  }
  for (size_t i = first_in_turn; i < selected.size(); ++i) {
    if (!EmitInto(*selected[i], compilation, backend_options, build_date, diags, out)) ok = false;
  }
  return ok && diags.error_count() == errors_before;
}

}  // namespace ward::driver
