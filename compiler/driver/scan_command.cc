#include "compiler/driver/scan_command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "compiler/driver/pipeline.h"
#include "compiler/support/diagnostic_render.h"

#ifdef WARD_HAVE_BACKEND_YARA
#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_backend.h"
#endif

namespace ward::driver {

CLI::App* AddScanCommand(CLI::App& app, ScanCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "scan", "Scan files and directory trees with the ruleset's YARA detections");
  cmd->add_option("ruleset", options.ruleset, "The ruleset directory or .ward file")->required();
  cmd->add_option("paths", options.paths, "Files and directories to scan (recursively)")
      ->required();
  cmd->add_option("--format", options.format, "Matches on stdout: text or jsonl (JSON Lines)")
      ->check(CLI::IsMember({"text", "jsonl"}));
  cmd->add_option("-t,--threads", options.threads, "Scan with N threads (default: every core)");
  cmd->add_option("--timeout", options.timeout_seconds, "Give up on a file after N seconds")
      ->check(CLI::Range(1, 86400));
  cmd->add_flag("-q,--quiet", options.quiet, "Print only the matches");
  return cmd;
}

#ifdef WARD_HAVE_BACKEND_YARA
namespace {

namespace fs = std::filesystem;

// A read-only view of a whole file, memory-mapped (no copy of large files).
class MappedFile {
 public:
  bool Open(const std::string& path, std::string& error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = std::strerror(errno);
      return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      return false;
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* data = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (data == MAP_FAILED) {
        error = std::strerror(errno);
        ::close(fd);
        return false;
      }
      data_ = data;
    }
    ::close(fd);
    return true;
  }
  ~MappedFile() {
    if (data_) ::munmap(data_, size_);
  }
  std::string_view view() const {
    return data_ ? std::string_view(static_cast<const char*>(data_), size_) : std::string_view();
  }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

struct FileResult {
  std::vector<std::string> matched;  // YARA rule names
  std::string error;
};

}  // namespace
#endif

int RunScanCommand(const ScanCommandOptions& options, const CliStreams& streams) {
#ifndef WARD_HAVE_BACKEND_YARA
  (void)options;
  streams.err << "error: this build of ward has no YARA backend\n";
  return kExitUsage;
#else
  CompileOptions compile;
  compile.paths = {options.ruleset};
  compile.sema.coverage_warnings = false;
  compile.sema.untested_warnings = false;
  DiagnosticEngine diags;
  auto compilation = Compile(compile, diags);
  TextOptions text;
  text.color = streams.err_is_terminal && !std::getenv("NO_COLOR");
  std::optional<backends::yara::GeneratedRules> generated;
  if (compilation && compilation->program && !diags.has_errors()) {
    generated = backends::yara::GenerateRules(*compilation->program, {"", false}, diags);
  }
  if (!generated || diags.has_errors()) {
    SourceManager none;
    streams.err << RenderText(diags.Sorted(), compilation ? compilation->sources : none, text);
    streams.err << "ward scan: the ruleset has errors; nothing was scanned\n";
    return kExitUsage;
  }
  if (generated->rule_names.empty()) {
    streams.err << fmt::format("error: `{}` has no YARA detection to scan with\n", options.ruleset);
    return kExitUsage;
  }
  std::vector<std::string_view> chunks(generated->texts.begin(), generated->texts.end());
  auto compiled = backends::yara::CompileRules(chunks);
  if (!compiled.ok()) {
    for (const auto& m : compiled.messages) {
      if (m.is_error) streams.err << fmt::format("error: libyara: {} (rule {})\n", m.text, m.rule);
    }
    return kExitUsage;
  }
  std::map<std::string, const ir::Detection*> by_rule;
  for (const auto& [detection, name] : generated->rule_names) by_rule[name] = detection;

  // Every regular file under the paths, sorted, so output is deterministic.
  std::vector<std::string> files;
  size_t path_errors = 0;
  for (const std::string& path : options.paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      streams.err << fmt::format("error: cannot scan `{}`: no such file or directory\n", path);
      ++path_errors;
      continue;
    }
    if (fs::is_directory(status)) {
      fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec)) files.push_back(it->path().string());
      }
      if (ec) {
        streams.err << fmt::format("error: cannot read directory `{}`: {}\n", path, ec.message());
        ++path_errors;
      }
    } else {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());

  std::vector<FileResult> results(files.size());
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min<unsigned>(threads, 32));  // libyara's thread limit
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(files.size(), 1)));
  std::atomic<size_t> next{0}, done{0};
  std::mutex progress_mutex;
  const bool progress = streams.err_is_terminal && !options.quiet;
  auto worker = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      MappedFile file;
      if (!file.Open(files[i], results[i].error)) {
        ++done;
        continue;
      }
      auto scan = backends::yara::Scan(*compiled.rules, file.view(), options.timeout_seconds);
      if (scan.ok) {
        results[i].matched = std::move(scan.matched);
      } else {
        results[i].error = scan.error;
      }
      size_t finished = ++done;
      if (progress && (finished % 64 == 0 || finished == files.size())) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        streams.err << fmt::format("\rscanning: {}/{} files", finished, files.size()) << std::flush;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (progress && !files.empty()) streams.err << "\r\x1b[K";

  size_t matched_files = 0, matches = 0, errors = path_errors;
  for (size_t i = 0; i < files.size(); ++i) {
    const FileResult& r = results[i];
    if (!r.error.empty()) {
      streams.err << fmt::format("error: cannot scan `{}`: {}\n", files[i], r.error);
      ++errors;
      continue;
    }
    if (!r.matched.empty()) ++matched_files;
    for (const std::string& name : r.matched) {
      ++matches;
      auto it = by_rule.find(name);
      const ir::Detection* d = it == by_rule.end() ? nullptr : it->second;
      std::string rule = d ? d->qualified_name() : name;
      if (options.format == "jsonl") {
        nlohmann::json line = {{"path", files[i]}, {"rule", rule}, {"yara_rule", name}};
        if (d) {
          line["title"] = d->meta.title;
          line["level"] = ir::LevelName(d->level);
        }
        streams.out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      } else {
        streams.out << fmt::format("{}: {}\n", files[i], rule);
      }
    }
  }
  if (!options.quiet) {
    streams.err << fmt::format(
        "ward scan: {} file{} scanned, {} matched ({} match{}), {} error{}\n", files.size(),
        files.size() == 1 ? "" : "s", matched_files, matches, matches == 1 ? "" : "es", errors,
        errors == 1 ? "" : "s");
  }
  if (matches > 0) return kExitInputErrors;
  return errors > 0 ? kExitUsage : kExitOk;
#endif
}

}  // namespace ward::driver
