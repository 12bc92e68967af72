#include "compiler/driver/lock_build.h"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

std::optional<ir::Date> ParseDate(const std::string& text) {
  ir::Date date;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d", &date.year, &date.month, &date.day) != 3) {
    return std::nullopt;
  }
  return date;
}

// Every entity that emits a rule, by stable ID.
std::map<std::string, ir::Entity*> RuleEntities(ir::Program& program) {
  std::map<std::string, ir::Entity*> out;
  for (auto& detection : program.detections) {
    out.emplace(ir::StableId(program, *detection), detection.get());
  }
  for (auto& filter : program.filters) out.emplace(ir::StableId(program, *filter), filter.get());
  return out;
}

bool ReadLock(const std::string& path, std::optional<std::string>& text, DiagnosticEngine& diags) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return true;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in) {
    diags.Report(Diag(DiagCode::kIoError, Span{}, fmt::format("cannot read `{}`", path))
                     .Help("check the file's permissions"));
    return false;
  }
  text = buffer.str();
  return true;
}

}  // namespace

std::string LockPathFor(const ir::Manifest& manifest) {
  std::error_code ec;
  fs::path root(manifest.root);
  if (manifest.root.empty() || !fs::exists(root / "ward.yaml", ec)) return {};
  return (root / kLockFileName).string();
}

std::string LockDate() {
  std::string date = BuildDateFromEnvironment();
  if (!date.empty()) return date;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

bool BuildWithLock(Compilation& compilation, const LockedBuildOptions& options,
                   DiagnosticEngine& diags, LockedBuild& result) {
  result.lock_path = options.use_lock ? LockPathFor(compilation.program->manifest) : "";
  std::error_code ec;
  result.lock_in_use =
      !result.lock_path.empty() && (options.create_lock || fs::exists(result.lock_path, ec));
  if (!result.lock_in_use) {
    return RunBackends(compilation, options.backends, options.backend_options, diags, result.out);
  }
  VersionLock old;
  if (!ReadLock(result.lock_path, result.old_lock_text, diags)) return false;
  if (result.old_lock_text) {
    std::optional<VersionLock> parsed = ParseLock(*result.old_lock_text, result.lock_path, diags);
    if (!parsed) return false;
    old = std::move(*parsed);
  }

  // Pass 1: the content the lock hashes. Its diagnostics are dropped: pass 2
  // reports the same problems, with the real options.
  std::map<std::string, std::string> hash_options = options.backend_options;
  hash_options["yara-check"] = "false";
  std::vector<std::string> rule_backends;
  std::set<std::string> backends_run;
  for (const std::string& name : options.backends) {
    if (name == "sigma" || name == "yara") {
      rule_backends.push_back(name);
      backends_run.insert(name);
    }
  }
  DiagnosticEngine scratch;
  // Held only until the lock is computed: pass 2 must not hold every
  // emitted file twice (peak memory, docs/performance.md).
  auto hashed_holder = std::make_unique<backends::OutputSet>();
  backends::OutputSet& hashed = *hashed_holder;
  bool hash_ok = RunBackendsAt(compilation, rule_backends, hash_options, "", scratch, hashed);
  if (!hash_ok) {
    bool ok =
        RunBackends(compilation, options.backends, options.backend_options, diags, result.out);
    if (ok) {
      for (const Diagnostic& d : scratch.diagnostics()) diags.Report(d);
    }
    return false;
  }

  std::map<std::string, ir::Entity*> entities = RuleEntities(*compilation.program);
  std::map<std::string, RuleSource> sources;
  for (const auto& [id, entity] : entities) {
    RuleSource& source = sources[id];
    source.name = entity->qualified_name();
    if (entity->meta.modified) source.declared_modified = entity->meta.modified->str();
  }
  result.update = UpdateLock(old, hashed.rules(), sources, backends_run, LockDate());
  result.new_lock_text = SerializeLock(result.update.lock);
  hashed_holder.reset();

  // Pass 2: the outputs, with the lock's dates.
  for (const auto& [id, entry] : result.update.lock.rules) {
    auto entity = entities.find(id);
    if (entity == entities.end() || entity->second->meta.modified) continue;
    entity->second->meta.modified = ParseDate(entry.modified);
  }
  return RunBackends(compilation, options.backends, options.backend_options, diags, result.out);
}

void ReportRemovedRules(const LockedBuild& build, DiagnosticEngine& diags) {
  for (const LockChange& change : build.update.changes) {
    if (change.kind != LockChange::Kind::kRemoved || !change.before) continue;
    const LockEntry& entry = *change.before;
    std::vector<std::string> deleted, kept;
    for (const std::string& path : entry.paths) {
      (build.out.Contains(path) ? kept : deleted).push_back(path);
    }
    auto diag = Diag(DiagCode::kLockRuleRemoved, Span{},
                     fmt::format("rule `{}` ({}) is no longer emitted; its entry in ward.lock "
                                 "is dropped",
                                 entry.name, change.id));
    for (const std::string& path : deleted) diag.Note(fmt::format("deleted `{}`", path));
    for (const std::string& path : kept) diag.Note(fmt::format("removed from `{}`", path));
    diag.Help(
        "to rename or move a rule and keep its ID and version, pin its old ID with "
        "`id: \"" +
        change.id + "\"`");
    diags.Report(std::move(diag));
  }
}

}  // namespace ward::driver
