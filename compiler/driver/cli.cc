#include "compiler/driver/cli.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>

#include <fmt/format.h>

#include "compiler/driver/build_cache.h"
#include "compiler/driver/build_check.h"
#include "compiler/driver/build_state.h"
#include "compiler/driver/incremental_build.h"
#include "compiler/driver/fmt_command.h"
#include "compiler/driver/hunt_command.h"
#include "compiler/driver/lock_build.h"
#include "compiler/driver/import_command.h"
#include "compiler/driver/output_names.h"
#include "compiler/driver/output_writer.h"
#include "compiler/driver/pipeline.h"
#include "compiler/driver/report.h"
#include "compiler/catalog_import/catalog_import.h"
#include "compiler/driver/scan_command.h"
#include "compiler/driver/test_command.h"
#include "compiler/ir/ir_json.h"
#include "compiler/support/diagnostic_render.h"
#include "compiler/support/time_report.h"

namespace ward::driver {
namespace {

struct CommonFlags {
  std::string format = "text";
  std::string color = "auto";
  bool quiet = false;
  bool deny_warnings = false;
  size_t max_errors = 1000;
  unsigned jobs = 0;
  bool no_coverage_warnings = false;
  size_t max_file_size = 64u << 20;
};

struct Session {
  const CliStreams& streams;
  CommonFlags flags;

  bool UseColor() const {
    if (flags.color == "always") return true;
    if (flags.color == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    return streams.err_is_terminal;
  }

  // Prints the diagnostics in the chosen format. JSON and SARIF go to
  // stdout (machine-readable), text to stderr.
  void Emit(const DiagnosticEngine& diags, const SourceManager& sources,
            const std::string& root) const {
    std::vector<Diagnostic> sorted = diags.Sorted();
    if (flags.format == "json") {
      streams.out << RenderJson(sorted, sources).dump(2) << "\n";
    } else if (flags.format == "sarif") {
      streams.out << RenderSarif(sorted, sources, WARD_VERSION, root).dump(2) << "\n";
    } else {
      TextOptions options;
      options.color = UseColor();
      std::string text = RenderText(sorted, sources, options);
      if (!text.empty()) streams.err << text;
      std::string summary = RenderSummary(diags.error_count(), diags.warning_count(), options.color);
      if (!summary.empty() && !(flags.quiet && diags.error_count() == 0)) {
        streams.err << summary << "\n";
      }
    }
  }

  DiagnosticEngine MakeEngine() const {
    DiagnosticEngine::Options options;
    options.deny_warnings = flags.deny_warnings;
    options.max_errors = flags.max_errors;
    return DiagnosticEngine(options);
  }

  CompileOptions MakeCompileOptions(const std::vector<std::string>& paths) const {
    CompileOptions options;
    options.paths = paths;
    options.jobs = flags.jobs;
    options.sema.coverage_warnings = !flags.no_coverage_warnings;
    options.sema.untested_warnings = !flags.no_coverage_warnings;
    options.parse.max_file_bytes = flags.max_file_size;
    return options;
  }
};

void AddCommonFlags(CLI::App* app, CommonFlags& flags) {
  app->add_option("--format", flags.format, "Diagnostics format: text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  app->add_option("--color", flags.color, "Colour the text output: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app->add_flag("-q,--quiet", flags.quiet, "Print nothing but diagnostics");
  app->add_flag("--deny-warnings", flags.deny_warnings, "Treat warnings as errors");
  app->add_option("--max-errors", flags.max_errors, "Stop reporting after N errors (0: no limit)");
  app->add_option("-j,--jobs", flags.jobs, "Parse with N threads (default: every core)");
  app->add_option("--max-file-size", flags.max_file_size,
                  "Refuse source files larger than N bytes (default 64 MiB)");
  app->add_flag("--no-coverage-warnings", flags.no_coverage_warnings,
                "Do not warn about threats without mitigations/detections or untested rules");
}

std::vector<std::string> BackendNames() {
  std::vector<std::string> names;
  for (const auto& backend : AllBackends()) names.emplace_back(backend->name());
  return names;
}

int RunCheck(Session& session, const std::vector<std::string>& paths,
             const std::map<std::string, std::string>& options) {
  DiagnosticEngine diags = session.MakeEngine();
  auto compilation = Compile(session.MakeCompileOptions(paths), diags);
  if (compilation && compilation->program && !diags.has_errors()) {
    // Backends run in memory: YARA is compiled by libyara, Sigma checked,
    // so `check` finds everything `build` would, without writing.
    backends::OutputSet discard;
    if (RunBackends(*compilation, BackendNames(), options, diags, discard)) {
      if (CheckOutputNames(discard, compilation->program.get(), diags)) {
        WarnAboutReservedNames(discard, compilation->program.get(), diags);
      }
    }
  }
  std::string root = compilation && compilation->program ? compilation->program->manifest.root : "";
  SourceManager no_sources;
  session.Emit(diags, compilation ? compilation->sources : no_sources, root);
  if (!compilation) return kExitUsage;
  if (diags.has_errors()) return kExitInputErrors;
  if (!session.flags.quiet && session.flags.format == "text") {
    session.streams.err << fmt::format("ward: checked {}\n", CountsLine(*compilation->program));
  }
  return kExitOk;
}

int RunBuild(Session& session, const std::vector<std::string>& paths, const std::string& out_dir,
             std::vector<std::string> emit, const std::map<std::string, std::string>& options,
             bool summary, bool check_only, bool use_lock, bool create_lock) {
  std::vector<std::string> available = BackendNames();
  bool want_ir = false;
  if (emit.empty()) emit = available;
  std::vector<std::string> backends;
  for (const std::string& name : emit) {
    if (name == "ir") {
      want_ir = true;
    } else if (name == "all") {
      backends = available;
      want_ir = true;
    } else if (std::find(available.begin(), available.end(), name) != available.end()) {
      backends.push_back(name);
    } else {
      session.streams.err << fmt::format(
          "error: unknown output `{}` for --emit; choose from {}, ir, all\n", name,
          fmt::join(available, ", "));
      return kExitUsage;
    }
  }
  // Everything of the command line that decides the outputs.
  std::vector<std::string> key_words = {
      "emit " + fmt::format("{}", fmt::join(backends, ",")),
      fmt::format("ir {}", want_ir),
      fmt::format("lock {} {}", use_lock, create_lock),
      fmt::format("deny-warnings {} max-errors {}", session.flags.deny_warnings,
                  session.flags.max_errors),
      fmt::format("coverage-warnings {}", !session.flags.no_coverage_warnings),
      fmt::format("max-file-size {}", session.flags.max_file_size)};
  for (const auto& [name, value] : options) key_words.push_back("backend " + name + "=" + value);
  const std::string key = BuildKey(paths, key_words);
  // The incremental path gives exactly a full build's result, or declines;
  // it is not tried where the whole program is needed (incremental_build.h).
  bool whole_program = want_ir || summary || check_only || session.flags.format != "text" ||
                       std::find(backends.begin(), backends.end(), "mapping") != backends.end();
  if (!whole_program) {
    IncrementalRequest request{session.MakeCompileOptions(paths),
                               {backends, options, use_lock, create_lock, nullptr},
                               out_dir,
                               key};
    PhaseTimer timer("incremental rebuild");
    std::optional<IncrementalResult> done = TryIncrementalBuild(request);
    timer.Stop();
    if (done) {
      if (!session.flags.quiet) {
        session.streams.err << fmt::format("ward: built {} -> {}/ ({} files)\n",
                                           done->counts_line, out_dir, done->output_files);
        session.streams.err << fmt::format(
            "ward: rebuilt {} of {} packages; the others were up to date\n",
            done->rebuilt_packages, done->total_packages);
      }
      return kExitOk;
    }
  }
  DiagnosticEngine diags = session.MakeEngine();
  auto compilation = Compile(session.MakeCompileOptions(paths), diags);
  LockedBuild locked;
  backends::OutputSet& out = locked.out;
  bool ok = compilation && compilation->program && !diags.has_errors();
  if (ok && create_lock && LockPathFor(compilation->program->manifest).empty()) {
    session.streams.err << "error: --lock keeps ward.lock next to ward.yaml, and this ruleset "
                           "has no ward.yaml\n";
    return kExitUsage;
  }
  // What libyara accepted in the previous build into out_dir; --check
  // neither reads nor writes the cache.
  backends::CheckCache check_cache;
  if (ok && !check_only) {
    check_cache = LoadCheckCache(out_dir);
    compilation->check_cache = &check_cache;
  }
  if (ok) {
    PhaseTimer timer("backends and ward.lock");
    ok = BuildWithLock(*compilation, {backends, options, use_lock, create_lock}, diags, locked);
  }
  if (ok && want_ir) {
    // Text the checks let through as raw bytes must not abort the build:
    // invalid UTF-8 becomes U+FFFD.
    out.Add("ir.json", ir::ToJson(*compilation->program, compilation->sources)
                               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                           "\n");
  }
  if (ok) ok = CheckOutputNames(out, compilation->program.get(), diags);
  if (ok) ok = WarnAboutReservedNames(out, compilation->program.get(), diags);
  bool stale = false;
  if (ok && check_only) {
    // --check: compare with what is on disk, write nothing.
    StaleReport report = CompareWithDisk(locked, out_dir);
    stale = report.stale();
    if (stale) ReportStale(report, out_dir, locked, diags);
  } else if (ok) {
    ReportRemovedRules(locked, diags);
    // The previous build's state never survives the replacement (an empty
    // one is written in its place); the new one is kept once the outputs
    // are in place, with their times.
    std::map<std::string, std::string> cache_files = CacheFiles(check_cache);
    cache_files[kBuildStateFile] = "";
    PhaseTimer write_timer("write outputs");
    // Nothing is written unless the whole build succeeded.
    ok = locked.lock_in_use ? WriteOutputsAndLock(out, out_dir, locked.lock_path,
                                                  locked.new_lock_text, diags, cache_files)
                            : WriteOutputs(out, out_dir, diags, cache_files);
    // The next build may be incremental only after one that reported
    // nothing, with options that allow it.
    if (ok && diags.diagnostics().empty() && !whole_program) {
      KeepBuildState(*compilation, out, locked.lock_in_use, locked.new_lock_text, key, out_dir);
    }
  }
  std::string root = compilation && compilation->program ? compilation->program->manifest.root : "";
  SourceManager no_sources;
  session.Emit(diags, compilation ? compilation->sources : no_sources, root);
  if (!compilation) return kExitUsage;
  if (!ok) {
    // An I/O failure while writing is a usage/I/O error, not an input error.
    bool input_errors = false;
    for (const Diagnostic& d : diags.diagnostics()) {
      if (d.severity == Severity::kError && d.code != DiagCode::kIoError) input_errors = true;
    }
    return input_errors ? kExitInputErrors : kExitUsage;
  }
  if (stale) return kExitInputErrors;
  if (check_only) {
    if (!session.flags.quiet && session.flags.format == "text") {
      session.streams.err << fmt::format("ward: {}/{} up to date ({} files)\n", out_dir,
                                         locked.lock_in_use ? " and ward.lock are" : " is",
                                         out.files().size());
    }
    return kExitOk;
  }
  if (!session.flags.quiet && session.flags.format == "text") {
    session.streams.err << fmt::format("ward: built {} -> {}/ ({} files)\n",
                                       CountsLine(*compilation->program), out_dir,
                                       out.files().size());
    if (summary) session.streams.err << SummaryTable(*compilation->program, out, out_dir);
  }
  return kExitOk;
}

int RunImportCatalog(Session& session, const import::CatalogImportRequest& request) {
  if (auto problem = import::CheckCatalogImportRequest(request)) {
    session.streams.err << "error: " << *problem << "\n";
    return kExitUsage;
  }
  DiagnosticEngine diags = session.MakeEngine();
  SourceManager sources;
  import::CatalogImportResult result = import::ImportCatalog(request, sources, diags);
  session.Emit(diags, sources, "");
  if (result.io_error) return kExitUsage;
  if (!result.ok) return kExitInputErrors;
  if (!session.flags.quiet && session.flags.format == "text") {
    session.streams.err << fmt::format("ward: imported {} -> {}\n", result.summary, request.output);
  }
  return kExitOk;
}

int RunExplain(const CliStreams& streams, const std::string& code, bool list) {
  if (list || code.empty()) {
    for (const DiagInfo& info : AllDiags()) {
      streams.out << fmt::format("{}  {:<8} {}\n", info.id, SeverityName(info.default_severity),
                                 info.summary);
    }
    return kExitOk;
  }
  const DiagInfo* info = FindDiag(code);
  if (!info) {
    streams.err << fmt::format("error: `{}` is not a Ward diagnostic code; `ward explain --list` "
                               "lists them\n",
                               code);
    return kExitUsage;
  }
  streams.out << fmt::format("{} ({}, group `{}`): {}\n\n{}\n", info->id,
                             SeverityName(info->default_severity), info->group, info->summary,
                             Explanation(info->code));
  return kExitOk;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, const CliStreams& streams) {
  try {
    CLI::App app{"ward: a compiler for AI threat models (Sigma, YARA, control mappings)", "ward"};
    app.set_version_flag("-V,--version", std::string("ward ") + WARD_VERSION);
    app.require_subcommand(1);
    Session session{streams, {}};

    std::vector<std::string> check_paths;
    CLI::App* check = app.add_subcommand("check", "Check a ruleset and report every problem");
    check->add_option("paths", check_paths, "Ruleset directories or .ward files")->required();
    std::string check_sigma_profile;
    check->add_option("--sigma-profile", check_sigma_profile,
                      "Also report what the Sigma profile (default or sigmahq) lacks")
        ->check(CLI::IsMember({"default", "sigmahq"}));
    std::string check_mapping_formats;
    check->add_option("--mapping-formats", check_mapping_formats,
                      "Check only these mapping documents (as `ward build --mapping-formats`)");
    AddCommonFlags(check, session.flags);

    std::vector<std::string> build_paths, emit;
    std::string out_dir = "out";
    std::string sigma_profile;
    bool summary = false;
    CLI::App* build = app.add_subcommand("build", "Check a ruleset and write its outputs");
    build->add_option("paths", build_paths, "Ruleset directories or .ward files")->required();
    build->add_option("-o,--output", out_dir, "Output directory (replaced as a whole)");
    build->add_option("--emit", emit, "Outputs to write: sigma, yara, mapping, ir, all")
        ->delimiter(',');
    build->add_option("--sigma-profile", sigma_profile, "Sigma conventions: default or sigmahq")
        ->check(CLI::IsMember({"default", "sigmahq"}));
    std::string mapping_formats;
    build->add_option("--mapping-formats", mapping_formats,
                      "Mapping documents to write: a comma-separated list of markdown, csv, "
                      "json, stix, oscal, navigator, html (default: all)");
    build->add_flag("--summary", summary, "Print a summary of the threat model and outputs");
    bool check_only = false, no_lock = false, create_lock = false;
    build->add_flag("--check", check_only,
                    "Write nothing; exit 1 if the output directory or ward.lock is out of date");
    build->add_flag("--lock", create_lock,
                    "Start ward.lock next to ward.yaml if there is none (kept from then on)");
    build->add_flag("--no-lock", no_lock, "Neither read nor write ward.lock");
    bool time_report = false;
    build->add_flag("--time-report", time_report,
                    "After the build, print the wall time of each phase, CPU time and peak memory");
    AddCommonFlags(build, session.flags);

    TestCommandOptions test_options;
    CLI::App* test = AddTestCommand(app, test_options);
    ScanCommandOptions scan_options;
    CLI::App* scan = AddScanCommand(app, scan_options);
    HuntCommandOptions hunt_options;
    CLI::App* hunt = AddHuntCommand(app, hunt_options);
    FmtCommandOptions fmt_options;
    CLI::App* fmt_cmd = AddFmtCommand(app, fmt_options);

    std::string code;
    bool list = false;
    CLI::App* explain = app.add_subcommand("explain", "Explain a diagnostic code, e.g. E0200");
    explain->add_option("code", code, "The code to explain");
    explain->add_flag("--list", list, "List every code");

    import::CatalogImportRequest import_request;
    CLI::App* import_cmd =
        app.add_subcommand("import", "Import catalogs and existing rules as Ward source");
    import_cmd->require_subcommand(1);
    ImportCommands import_commands;
    RegisterImportCommands(*import_cmd, import_commands);
    CLI::App* import_catalog = import_cmd->add_subcommand(
        "catalog", "Turn an official framework distribution (ATLAS, CoSAI) into a Ward catalog");
    import_catalog->add_option("format", import_request.format, "Source format: atlas or cosai")
        ->required()
        ->check(CLI::IsMember(import::CatalogImportFormats()));
    import_catalog->add_option("files", import_request.inputs, "Source YAML files")->required();
    import_catalog->add_option("-o,--output", import_request.output, "The .ward file to write")
        ->required();
    import_catalog->add_option("--name", import_request.name, "Catalog name (default: the format)");
    import_catalog->add_option("--package", import_request.package, "Package (default: catalogs)");
    import_catalog->add_option("--version", import_request.version,
                               "Framework version, when the source states none or to override it");
    import_catalog->add_option("--note", import_request.notes,
                               "A line of provenance for the header comment (repeatable)");
    import_catalog->add_option("--format", session.flags.format, "Diagnostics format")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
    import_catalog->add_option("--color", session.flags.color, "Colour: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    import_catalog->add_flag("-q,--quiet", session.flags.quiet, "Print nothing but diagnostics");

    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      // --help and --version arrive here too, with exit code 0.
      int code_from_cli = app.exit(e, streams.out, streams.err);
      return code_from_cli == 0 ? kExitOk : kExitUsage;
    }
    if (check->parsed()) {
      std::map<std::string, std::string> options;
      if (!check_sigma_profile.empty()) options["sigma-profile"] = check_sigma_profile;
      if (!check_mapping_formats.empty()) options["mapping-formats"] = check_mapping_formats;
      return RunCheck(session, check_paths, options);
    }
    if (build->parsed()) {
      std::map<std::string, std::string> options;
      if (!sigma_profile.empty()) options["sigma-profile"] = sigma_profile;
      if (!mapping_formats.empty()) options["mapping-formats"] = mapping_formats;
      if (time_report) TimeReport::Enable();
      int rc = RunBuild(session, build_paths, out_dir, emit, options, summary, check_only,
                        !no_lock, create_lock);
      if (time_report) streams.err << TimeReport::Render();
      TimeReport::Disable();
      return rc;
    }
    if (explain->parsed()) return RunExplain(streams, code, list);
    if (import_catalog->parsed()) return RunImportCatalog(session, import_request);
    if (auto rc = RunImportCommands(import_commands, streams)) return *rc;
    if (test->parsed()) return RunTestCommand(test_options, streams);
    if (scan->parsed()) return RunScanCommand(scan_options, streams);
    if (hunt->parsed()) return RunHuntCommand(hunt_options, streams);
    if (fmt_cmd->parsed()) return RunFmtCommand(fmt_options, streams, std::cin);
    streams.out << app.help();
    return kExitUsage;
  } catch (const std::exception& e) {
    streams.err << "error[E0009]: internal compiler error: " << e.what()
                << "\nplease report this bug with the input that caused it\n";
    return kExitUsage;
  }
}

}  // namespace ward::driver
