#include "compiler/driver/output_writer.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "compiler/driver/output_names.h"
#include "compiler/driver/output_staging.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

bool Fail(DiagnosticEngine& diags, const std::string& message, const std::string& help) {
  diags.Report(Diag(DiagCode::kIoError, Span{}, message).Help(help));
  return false;
}

bool SafeRelative(const std::string& path) {
  fs::path p(path);
  if (p.empty() || p.is_absolute()) return false;
  for (const auto& part : p) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

}  // namespace

bool WriteOutputs(const backends::OutputSet& out, const std::string& dir_arg,
                  DiagnosticEngine& diags, const std::map<std::string, std::string>& cache_files) {
  return WriteOutputsAndLock(out, dir_arg, "", "", diags, cache_files);
}

bool WriteOutputsAndLock(const backends::OutputSet& out, const std::string& dir_arg,
                         const std::string& lock_path, const std::string& lock_text,
                         DiagnosticEngine& diags,
                         const std::map<std::string, std::string>& cache_files) {
  // Names are checked before anything is created: a refused build leaves no
  // partial output directory behind.
  if (!CheckOutputNames(out, nullptr, diags)) return false;
  std::error_code ec;
  fs::path dir = fs::absolute(dir_arg, ec).lexically_normal();
  if (dir.has_filename() == false) dir = dir.parent_path();
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      return Fail(diags, fmt::format("`{}` exists and is not a directory", dir_arg),
                  "choose another output directory with -o");
    }
    bool empty = fs::is_empty(dir, ec);
    if (!empty && !fs::exists(dir / kOutputMarker, ec)) {
      return Fail(diags,
                  fmt::format("`{}` is not empty and was not written by ward; refusing to "
                              "replace it",
                              dir_arg),
                  "choose a new or empty directory with -o (ward replaces its output directory "
                  "as a whole)");
    }
  }
  fs::path parent = dir.parent_path();
  fs::create_directories(parent, ec);
  if (ec) {
    return Fail(diags, fmt::format("cannot create `{}`: {}", parent.string(), ec.message()),
                "check the permissions of the output location");
  }
  std::string stem = dir.filename().string();
  fs::path staging = parent / fmt::format(".{}.tmp-{}", stem, ::getpid());
  fs::remove_all(staging, ec);
  auto cleanup = [&] {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
  };
  fs::create_directories(staging, ec);
  if (ec) {
    return Fail(diags, fmt::format("cannot create `{}`: {}", staging.string(), ec.message()),
                "check the permissions of the output location");
  }
  auto write = [&](const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path(), ec);
    return !ec && WriteFileBytes(path, content);
  };
  for (const auto& [relative, content] : out.files()) {
    if (!SafeRelative(relative)) {
      cleanup();
      return Fail(diags, fmt::format("internal error: unsafe output path `{}`", relative),
                  "please report this bug");
    }
  }
  std::string failed_path;
  const fs::path previous = fs::exists(dir, ec) ? dir : fs::path();
  if (!StageFiles(out, previous, staging, failed_path)) {
    cleanup();
    return Fail(diags, fmt::format("cannot write `{}`", (dir / failed_path).string()),
                "check free space and permissions");
  }
  StageCache(previous, staging, cache_files);
  if (!write(staging / kOutputMarker,
             "This directory is written by ward and replaced on every build.\n")) {
    cleanup();
    return Fail(diags, "cannot write the output marker", "check free space and permissions");
  }
  fs::path lock_staging;
  if (!lock_path.empty()) {
    lock_staging = fs::path(lock_path).parent_path() /
                   fmt::format(".{}.tmp-{}", fs::path(lock_path).filename().string(), ::getpid());
    if (!write(lock_staging, lock_text)) {
      cleanup();
      std::error_code ignored;
      fs::remove(lock_staging, ignored);
      return Fail(diags, fmt::format("cannot write `{}`", lock_path),
                  "check free space and the permissions of the project directory");
    }
  }
  // Swap: old -> backup, staging -> dir, then drop the backup.
  fs::path backup = parent / fmt::format(".{}.old-{}", stem, ::getpid());
  bool had_old = fs::exists(dir, ec);
  if (had_old) {
    fs::rename(dir, backup, ec);
    if (ec) {
      cleanup();
      return Fail(diags, fmt::format("cannot replace `{}`: {}", dir_arg, ec.message()),
                  "check that no other program holds the directory");
    }
  }
  fs::rename(staging, dir, ec);
  if (ec) {
    std::error_code ignored;
    if (had_old) fs::rename(backup, dir, ignored);
    cleanup();
    return Fail(diags, fmt::format("cannot move the output into `{}`: {}", dir_arg, ec.message()),
                "check the permissions of the output location");
  }
  if (!lock_staging.empty()) {
    fs::rename(lock_staging, lock_path, ec);
    if (ec) {
      // Put the previous output back: the lock and the outputs go together.
      std::error_code ignored;
      std::string message = ec.message();
      fs::remove(lock_staging, ignored);
      fs::rename(dir, staging, ignored);
      if (had_old) fs::rename(backup, dir, ignored);
      cleanup();
      return Fail(diags, fmt::format("cannot replace `{}`: {}", lock_path, message),
                  "check the permissions of the project directory; the outputs were left as "
                  "they were");
    }
  }
  if (had_old) fs::remove_all(backup, ec);
  return true;
}

}  // namespace ward::driver
