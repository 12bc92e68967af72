#include "compiler/driver/lock_build.h"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "compiler/driver/lock_sentinels.h"

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

// Finds and reads ward.lock (result.lock_path, lock_in_use, old_lock_text,
// old_lock).
bool PrepareLock(const Compilation& compilation, const LockedBuildOptions& options,
                 DiagnosticEngine& diags, LockedBuild& result) {
  result.lock_path = options.use_lock ? LockPathFor(compilation.program->manifest) : "";
  if (options.old_lock && !result.lock_path.empty()) {
    result.lock_in_use = true;
    result.old_lock_text = std::string();
    result.old_lock = *options.old_lock;
    return true;
  }
  std::error_code ec;
  result.lock_in_use =
      !result.lock_path.empty() && (options.create_lock || fs::exists(result.lock_path, ec));
  if (!result.lock_in_use) return true;
  if (!ReadLock(result.lock_path, result.old_lock_text, diags)) return false;
  if (result.old_lock_text) {
    std::optional<VersionLock> parsed = ParseLock(*result.old_lock_text, result.lock_path, diags);
    if (!parsed) return false;
    result.old_lock = std::move(*parsed);
  }
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

namespace {

// Moves `rule`'s place in its file through the edits PatchSentinelLines
// made to the file, counting those inside the rule into `patched`. False when
// an edit is not wholly inside or outside the rule, or changes the rule's
// first line (patching the rule's own text alone would not have made it).
bool MoveThroughEdits(const std::vector<LineEdit>& edits, backends::EmittedRule& rule,
                      size_t& patched) {
  const size_t begin = rule.offset, end = rule.offset + rule.length;
  size_t new_begin = begin, new_end = end;
  for (const LineEdit& edit : edits) {
    if (edit.begin >= end) break;
    if (edit.end <= begin) {
      new_begin = new_begin - (edit.end - edit.begin) + edit.length;
      new_end = new_end - (edit.end - edit.begin) + edit.length;
    } else if (edit.begin > begin && edit.end <= end) {
      new_end = new_end - (edit.end - edit.begin) + edit.length;
      ++patched;
    } else {
      return false;
    }
  }
  rule.offset = new_begin;
  rule.length = new_end - new_begin;
  return true;
}

// The sigma and yara backends run once, every rule without a declared
// `modified` printed with a sentinel date (lock_sentinels.h); the copy the
// lock hashes has that line cut out, the outputs get the lock's date. The
// other backends then run with the lock's dates in the IR. Returns nullopt,
// with the IR and `result` as they were, when this cannot give the two-pass
// build's exact bytes (a build date is set, a backend failed, a sentinel is
// not where expected): the caller then runs the two passes, which also
// report any error with the right options.
std::optional<bool> BuildInOnePass(Compilation& compilation, const LockedBuildOptions& options,
                                   const VersionLock& old, DiagnosticEngine& diags,
                                   LockedBuild& result) {
  const std::string build_date = BuildDateFromEnvironment();
  std::vector<std::string> rule_backends, other_backends;
  std::set<std::string> backends_run;
  for (const std::string& name : options.backends) {
    bool rules = name == "sigma" || name == "yara";
    (rules ? rule_backends : other_backends).push_back(name);
    if (rules) backends_run.insert(name);
  }
  std::map<std::string, ir::Entity*> entities = RuleEntities(*compilation.program);
  std::set<std::string> taken;
  for (const auto& [id, entity] : entities) {
    if (entity->meta.date) taken.insert(entity->meta.date->str());
    if (entity->meta.modified) taken.insert(entity->meta.modified->str());
  }
  SentinelDates sentinels(std::move(taken));
  std::map<std::string, std::string> sentinel_of;  // entity ID -> its sentinel date
  for (const auto& [id, entity] : entities) {
    // The first pass prints a declared `modified` that Sigma's second pass
    // leaves out as equal to a build-date `date`: not a case the cut handles.
    if (!build_date.empty() && !entity->meta.date && entity->meta.modified &&
        entity->meta.modified->str() == build_date) {
      return std::nullopt;
    }
  }
  for (const auto& [id, entity] : entities) {
    if (entity->meta.modified) continue;
    entity->meta.modified = sentinels.Next();
    sentinel_of[id] = entity->meta.modified->str();
  }
  auto undo = [&] {
    for (const auto& [id, date] : sentinel_of) entities[id]->meta.modified.reset();
    return std::nullopt;
  };

  DiagnosticEngine scratch;
  backends::OutputSet out;
  if (!RunBackendsAt(compilation, rule_backends, options.backend_options, build_date, scratch,
                     out)) {
    return undo();
  }
  // The texts to hash: without the sentinel `modified` line and without a
  // `date` that can only have come from the build date (the source declares
  // none), as the first pass, run without a build date, prints them. Each is
  // cut from a copy of one rule's text at a time, here to check that the cut
  // works and again while hashing, so that no copy of every rule is held.
  std::set<std::string> sigma_build_dated;  // IDs whose Sigma `date` is the build date
  auto cut_for_hash = [&](const backends::EmittedRule& rule, std::string& text) {
    auto entity = entities.find(rule.id);
    if (entity == entities.end()) return false;
    bool yara = rule.kind == "yara";
    if (!build_date.empty() && !entity->second->meta.date) {
      size_t cut = CutDateLine(text, yara, "date", build_date);
      if (cut > 1 || (yara && cut != 1)) return false;
      if (cut == 1 && !yara) sigma_build_dated.insert(rule.id);
    }
    auto sentinel = sentinel_of.find(rule.id);
    return sentinel == sentinel_of.end() ||
           CutDateLine(text, yara, "modified", sentinel->second) == 1;
  };
  size_t sentinel_rules = 0;
  for (const backends::EmittedRule& rule : out.rules()) {
    std::string text(out.TextOf(rule));
    if (!cut_for_hash(rule, text)) return undo();
    if (sentinel_of.count(rule.id) != 0) ++sentinel_rules;
  }
  std::map<std::string, RuleSource> sources;
  for (const auto& [id, entity] : entities) {
    RuleSource& source = sources[id];
    source.name = entity->qualified_name();
    if (entity->meta.modified && !sentinel_of.count(id)) {
      source.declared_modified = entity->meta.modified->str();
    }
  }
  LockUpdate update = UpdateLock(old, out, sources, backends_run, LockDate(),
                                 [&](const backends::EmittedRule& rule, std::string& hashed) {
                                   std::string text(out.TextOf(rule));
                                   cut_for_hash(rule, text);
                                   hashed += text;
                                 });

  // The lock's dates, as the second pass of the two-pass build prints them:
  // Sigma leaves out a `modified` equal to `date`.
  std::unordered_map<std::string, std::string> sigma_dates, yara_dates;
  std::map<std::string, std::optional<ir::Date>> final_dates;
  for (const auto& [id, sentinel] : sentinel_of) {
    std::optional<ir::Date> date;
    auto entry = update.lock.rules.find(id);
    if (entry != update.lock.rules.end()) date = ParseDate(entry->second.modified);
    final_dates[id] = date;
    const ir::Entity& entity = *entities[id];
    std::string printed_date = entity.meta.date              ? entity.meta.date->str()
                               : sigma_build_dated.count(id) ? build_date
                                                             : "";
    bool same_as_date = date && date->str() == printed_date;
    sigma_dates[sentinel] = date && !same_as_date ? date->str() : "";
    yara_dates[sentinel] = date ? date->str() : "";
  }
  // Patched in the files; each rule's place in its file moves with the edits.
  std::map<std::string, std::vector<backends::EmittedRule*>> rules_of_file;
  for (backends::EmittedRule& rule : out.mutable_rules()) rules_of_file[rule.path].push_back(&rule);
  size_t patched_rules = 0, patched_files = 0;
  for (auto& [path, text] : out.mutable_files()) {
    bool yara = path.size() > 4 && path.compare(path.size() - 4, 4, ".yar") == 0;
    std::vector<LineEdit> edits;
    patched_files += PatchSentinelLines(text, yara, yara ? yara_dates : sigma_dates, &edits);
    auto rules = rules_of_file.find(path);
    if (rules == rules_of_file.end()) continue;
    for (backends::EmittedRule* rule : rules->second) {
      if (!MoveThroughEdits(edits, *rule, patched_rules)) return undo();
    }
  }
  // Every rule of a sentinel entity had its line, each in one file.
  if (patched_rules != sentinel_rules || patched_files != sentinel_rules) return undo();

  for (const auto& [id, date] : final_dates) entities[id]->meta.modified = date;
  for (const Diagnostic& d : scratch.diagnostics()) diags.Report(d);
  result.update = std::move(update);
  result.new_lock_text = SerializeLock(result.update.lock);
  result.out = std::move(out);
  result.one_pass = true;
  return RunBackends(compilation, other_backends, options.backend_options, diags, result.out);
}

}  // namespace

bool BuildWithLock(Compilation& compilation, const LockedBuildOptions& options,
                   DiagnosticEngine& diags, LockedBuild& result) {
  if (!PrepareLock(compilation, options, diags, result)) return false;
  if (!result.lock_in_use) {
    return RunBackends(compilation, options.backends, options.backend_options, diags, result.out);
  }
  std::optional<bool> one_pass =
      BuildInOnePass(compilation, options, result.old_lock, diags, result);
  if (one_pass) return *one_pass;
  return BuildWithLockInTwoPasses(compilation, options, diags, result);
}

bool BuildWithLockInTwoPasses(Compilation& compilation, const LockedBuildOptions& options,
                              DiagnosticEngine& diags, LockedBuild& result) {
  if (result.lock_path.empty() && !PrepareLock(compilation, options, diags, result)) return false;
  if (!result.lock_in_use) {
    return RunBackends(compilation, options.backends, options.backend_options, diags, result.out);
  }
  const VersionLock& old = result.old_lock;

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
  result.update = UpdateLock(old, hashed, sources, backends_run, LockDate());
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
