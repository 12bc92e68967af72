#include "compiler/driver/build_check.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/driver/build_cache.h"
#include "compiler/driver/output_writer.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxNotes = 50;

std::optional<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Every regular file under `dir` (relative, generic form) but the marker
// and the build cache, which no build would write as an output.
std::set<std::string> FilesOnDisk(const fs::path& dir) {
  std::set<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string relative = it->path().lexically_relative(dir).generic_string();
    if (relative == kCacheDirName) {
      if (it->is_directory(ec) && !it->is_symlink(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) && !it->is_symlink(ec)) continue;
    if (relative != kOutputMarker) out.insert(relative);
  }
  return out;
}

std::string LockLine(const LockChange& change) {
  switch (change.kind) {
    case LockChange::Kind::kAdded:
      return fmt::format("{} ({}): new rule, version 1", change.after->name, change.after->kind);
    case LockChange::Kind::kChanged:
      return fmt::format("{} ({}): version {} -> {}, content changed", change.after->name,
                         change.after->kind, change.before->version, change.after->version);
    case LockChange::Kind::kRenamed:
      if (change.before->name != change.after->name) {
        return fmt::format("{} ({}): renamed from {}, keeps version {}", change.after->name,
                           change.after->kind, change.before->name, change.after->version);
      }
      return fmt::format("{} ({}): moved to {}, keeps version {}", change.after->name,
                         change.after->kind, fmt::join(change.after->paths, ", "),
                         change.after->version);
    case LockChange::Kind::kRemoved:
      return fmt::format("{} ({}): removed", change.before->name, change.before->kind);
  }
  return {};
}

}  // namespace

StaleReport CompareWithDisk(const LockedBuild& build, const std::string& dir_arg) {
  StaleReport report;
  fs::path dir(dir_arg);
  std::set<std::string> on_disk = FilesOnDisk(dir);
  for (const auto& [relative, content] : build.out.files()) {
    if (!on_disk.count(relative)) {
      report.added.push_back(relative);
      continue;
    }
    std::optional<std::string> existing = ReadText(dir / relative);
    if (!existing || *existing != content) report.changed.push_back(relative);
  }
  for (const std::string& relative : on_disk) {
    if (!build.out.Contains(relative)) report.removed.push_back(relative);
  }
  if (build.lock_in_use) {
    if (!build.old_lock_text) {
      report.lock.push_back(fmt::format("{} would be created with {} rules", kLockFileName,
                                        build.update.lock.rules.size()));
    } else if (*build.old_lock_text != build.new_lock_text) {
      for (const LockChange& change : build.update.changes) report.lock.push_back(LockLine(change));
      if (report.lock.empty()) {
        report.lock.push_back(
            fmt::format("{} is not in the form ward writes (edited by hand?)", kLockFileName));
      }
    }
  }
  return report;
}

void ReportStale(const StaleReport& report, const std::string& dir, const LockedBuild& build,
                 DiagnosticEngine& diags) {
  std::string what = build.lock_in_use ? fmt::format("`{}` or {} is", dir, kLockFileName)
                                       : fmt::format("`{}` is", dir);
  auto diag = Diag(DiagCode::kBuildStale, Span{},
                   fmt::format("{} out of date: {} files would be added, {} changed, {} "
                               "deleted; {} lock entries would change",
                               what, report.added.size(), report.changed.size(),
                               report.removed.size(), report.lock.size()));
  size_t notes = 0, total = 0;
  auto note = [&](const std::string& text) {
    ++total;
    if (notes < kMaxNotes) {
      diag.Note(text);
      ++notes;
    }
  };
  for (const std::string& path : report.added) note("added    " + path);
  for (const std::string& path : report.changed) note("changed  " + path);
  for (const std::string& path : report.removed) note("deleted  " + path);
  for (const std::string& line : report.lock) note("lock     " + line);
  if (total > notes) diag.Note(fmt::format("... and {} more", total - notes));
  diag.Help("run the same `ward build` without --check and commit the output directory" +
            std::string(build.lock_in_use ? " and ward.lock together" : "") +
            "; do not edit generated files by hand");
  diags.Report(std::move(diag));
}

}  // namespace ward::driver
