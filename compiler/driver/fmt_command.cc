#include "compiler/driver/fmt_command.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "compiler/format/formatter.h"
#include "compiler/format/unified_diff.h"
#include "compiler/support/diagnostic_render.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStdin = "-";

struct FmtRun {
  const FmtCommandOptions& options;
  const CliStreams& streams;
  SourceManager sources;
  DiagnosticEngine diags;
  bool io_error = false;
  bool input_error = false;
  size_t files = 0;
  std::vector<std::string> changed;

  void IoError(const std::string& message) {
    diags.Report(Diag(DiagCode::kIoError, Span{}, message));
    io_error = true;
  }
};

// Every *.ward file under `dir`, sorted so that output is deterministic.
std::vector<std::string> WardFilesUnder(const fs::path& dir, FmtRun& run) {
  std::vector<std::string> found;
  std::error_code ec;
  auto it =
      fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && it->path().extension() == ".ward") {
      found.push_back(it->path().generic_string());
    }
  }
  if (ec) run.IoError(fmt::format("cannot read directory `{}`: {}", dir.string(), ec.message()));
  std::sort(found.begin(), found.end());
  return found;
}

bool ReadFile(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Writes `text` beside `path` and renames it over `path`, keeping the mode.
bool ReplaceAtomically(const std::string& path, const std::string& text, std::string& error) {
  fs::path target(path);
  // Renaming over a symbolic link would replace the link: write its target.
  std::error_code link_ec;
  if (fs::is_symlink(target, link_ec)) {
    target = fs::canonical(target, link_ec);
    if (link_ec) {
      error = link_ec.message();
      return false;
    }
  }
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string temp = (dir / ("." + target.filename().string() + ".fmt-XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat st;
  if (stat(target.c_str(), &st) == 0) fchmod(fd, st.st_mode & 07777);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      close(fd);
      unlink(temp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    error = std::strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  if (rename(temp.c_str(), target.c_str()) != 0) {
    error = std::strerror(errno);
    unlink(temp.c_str());
    return false;
  }
  return true;
}

// Formats one file (or stdin when `path` is `-`).
void FormatOne(const std::string& path, const std::string& text, FmtRun& run) {
  ++run.files;
  FileId id = run.sources.Add(path == kStdin ? "<stdin>" : path, text);
  const SourceFile& file = *run.sources.Get(id);
  std::optional<std::string> formatted = format::FormatFile(file, run.diags);
  if (!formatted) {
    run.input_error = true;
    return;
  }
  bool stdin_mode = path == kStdin;
  if (*formatted == text) {
    if (stdin_mode && !run.options.check) run.streams.out << *formatted;
    return;
  }
  run.changed.push_back(path);
  std::string name = stdin_mode ? "<stdin>" : path;
  if (run.options.check) {
    if (run.options.diff) {
      run.streams.out << format::UnifiedDiff(text, *formatted, "a/" + name, "b/" + name);
    } else if (!stdin_mode) {
      run.streams.out << path << "\n";
    }
    return;
  }
  if (stdin_mode) {
    run.streams.out << *formatted;
    return;
  }
  std::string error;
  if (!ReplaceAtomically(path, *formatted, error)) {
    run.IoError(fmt::format("cannot write `{}`: {}", path, error));
    return;
  }
  if (!run.options.quiet) run.streams.err << "reformatted " << path << "\n";
}

bool UseColor(const FmtCommandOptions& options, const CliStreams& streams) {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return streams.err_is_terminal;
}

}  // namespace

CLI::App* AddFmtCommand(CLI::App& app, FmtCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "fmt", "Rewrite Ward files in the canonical layout (`-` formats stdin to stdout)");
  cmd->add_option("paths", options.paths, "Files, directories (every *.ward below) or -")
      ->required();
  cmd->add_flag("--check", options.check,
                "Write nothing; list the files that would change and exit 1 if there are any");
  cmd->add_flag("--diff", options.diff, "With --check, print a unified diff instead of names");
  cmd->add_flag("-q,--quiet", options.quiet, "Do not name the files that were reformatted");
  cmd->add_option("--color", options.color, "Colour the diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  return cmd;
}

int RunFmtCommand(const FmtCommandOptions& options, const CliStreams& streams, std::istream& in) {
  bool has_stdin =
      std::find(options.paths.begin(), options.paths.end(), kStdin) != options.paths.end();
  if (has_stdin && options.paths.size() > 1) {
    streams.err << "error: `-` (standard input) cannot be combined with other paths\n";
    return kExitUsage;
  }
  if (options.diff && !options.check && !has_stdin) {
    streams.err << "error: --diff goes with --check (`ward fmt --check --diff PATH`)\n";
    return kExitUsage;
  }
  FmtRun run{options, streams, {}, {}, false, false, 0, {}};
  if (has_stdin) {
    std::string text(std::istreambuf_iterator<char>(in), {});
    FmtCommandOptions stdin_options = options;
    if (options.diff) stdin_options.check = true;
    FmtRun stdin_run{stdin_options, streams, {}, {}, false, false, 0, {}};
    FormatOne(kStdin, text, stdin_run);
    TextOptions text_options;
    text_options.color = UseColor(options, streams);
    streams.err << RenderText(stdin_run.diags.Sorted(), stdin_run.sources, text_options);
    if (stdin_run.input_error) return kExitInputErrors;
    return stdin_options.check && !stdin_run.changed.empty() ? kExitInputErrors : kExitOk;
  }
  for (const std::string& path : options.paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      run.IoError(fmt::format("cannot read `{}`: no such file or directory", path));
      continue;
    }
    std::vector<std::string> files;
    if (fs::is_directory(status)) {
      files = WardFilesUnder(path, run);
      if (files.empty()) {
        run.diags.Report(Diag(DiagCode::kNoSources, Span{},
                              fmt::format("no .ward files were found under `{}`", path)));
        run.io_error = true;
      }
    } else {
      files.push_back(path);
    }
    for (const std::string& file : files) {
      std::string text;
      if (!ReadFile(file, text)) {
        run.IoError(fmt::format("cannot read `{}`: {}", file, std::strerror(errno)));
        continue;
      }
      FormatOne(file, text, run);
    }
  }
  TextOptions text_options;
  text_options.color = UseColor(options, streams);
  std::string rendered = RenderText(run.diags.Sorted(), run.sources, text_options);
  streams.err << rendered;
  if (!options.quiet) {
    size_t n = run.changed.size();
    if (options.check) {
      streams.err << fmt::format("ward: {} of {} file{} would be reformatted\n", n, run.files,
                                 run.files == 1 ? "" : "s");
    } else {
      streams.err << fmt::format("ward: reformatted {} of {} file{}\n", n, run.files,
                                 run.files == 1 ? "" : "s");
    }
  }
  if (run.io_error) return kExitUsage;
  if (run.input_error) return kExitInputErrors;
  if (options.check && !run.changed.empty()) return kExitInputErrors;
  return kExitOk;
}

}  // namespace ward::driver
