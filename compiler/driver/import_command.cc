#include "compiler/driver/import_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ostream>

#include "compiler/driver/import_run.h"
#include "compiler/driver/output_writer.h"
#include "compiler/support/diagnostic_render.h"

namespace ward::driver {
namespace {

void AddFlags(CLI::App* app, ImportCommands& c, const char* what) {
  app->add_option("paths", c.paths, fmt::format("{} files or folders of them", what))->required();
  app->add_option("-o,--output", c.out_dir, "Output directory for the Ward files (replaced)")
      ->required();
  app->add_option("--format", c.format, "Diagnostics format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app->add_flag("-q,--quiet", c.quiet, "Print nothing but diagnostics");
}

int Run(const ImportCommands& c, const CliStreams& streams, bool sigma) {
  SourceManager sources;
  DiagnosticEngine diags;
  ImportResult result =
      sigma ? ImportSigma(c.paths, sources, diags) : ImportYara(c.paths, sources, diags);
  bool written = true;
  if (!result.out.files().empty()) written = WriteOutputs(result.out, c.out_dir, diags);
  std::vector<Diagnostic> sorted = diags.Sorted();
  if (c.format == "json") {
    streams.out << RenderJson(sorted, sources).dump(2) << "\n";
  } else {
    TextOptions options;
    options.color = false;
    std::string text = RenderText(sorted, sources, options);
    if (!text.empty()) streams.err << text;
  }
  const ImportStats& s = result.stats;
  if (!c.quiet && c.format == "text") {
    streams.err << fmt::format(
        "ward: import {}: {} rules in {} files: {} imported ({} with warnings), {} refused; "
        "{} Ward files -> {}/\n",
        sigma ? "sigma" : "yara", s.rules, s.files, s.imported, s.warned, s.refused,
        result.out.files().size(), c.out_dir);
  }
  if (!written) return kExitUsage;
  return diags.error_count() > 0 ? kExitInputErrors : kExitOk;
}

}  // namespace

void RegisterImportCommands(CLI::App& import_group, ImportCommands& commands) {
  commands.sigma = import_group.add_subcommand(
      "sigma", "Import Sigma rules, correlations and filters as Ward detections");
  AddFlags(commands.sigma, commands, "Sigma YAML");
  commands.yara = import_group.add_subcommand("yara", "Import YARA rules as Ward detections");
  AddFlags(commands.yara, commands, "YARA rule");
}

std::optional<int> RunImportCommands(const ImportCommands& commands, const CliStreams& streams) {
  if (commands.sigma && commands.sigma->parsed()) return Run(commands, streams, true);
  if (commands.yara && commands.yara->parsed()) return Run(commands, streams, false);
  return std::nullopt;
}

}  // namespace ward::driver
