#include "compiler/driver/incremental_build.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "compiler/driver/build_cache.h"
#include "compiler/driver/build_state.h"
#include "compiler/driver/lock_text.h"
#include "compiler/driver/output_staging.h"
#include "compiler/driver/output_writer.h"
#include "compiler/driver/project.h"
#include "compiler/driver/report.h"
#include "compiler/driver/version_lock.h"
#include "compiler/support/content_hash.h"
#include "compiler/syntax/parser.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

// A file whose recorded time is this close to when the sources were looked
// at may have changed within the same clock tick: it is hashed again.
constexpr int64_t kRacyNs = 2'000'000'000;

bool ReadAll(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return static_cast<bool>(in) || in.eof();
}

// Writes by a rename over the old file, never into it: an unchanged output
// may share its inode with the previous build's (output_staging.h).
bool ReplaceFile(const fs::path& path, const std::string& content) {
  fs::path temp =
      path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  if (!WriteFileBytes(temp, content)) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return false;
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) fs::remove(temp, ec);
  return !ec;
}

std::string FullKey(const std::string& key, const std::string& manifest_sha256) {
  return Sha256Hex(key + "\nward.yaml " + manifest_sha256);
}

// The package an import path depends on: the path itself when it names a
// package, else its parent (an import of one declaration).
std::string PackageOfImport(const std::string& import, const std::set<std::string>& packages) {
  if (packages.count(import)) return import;
  size_t dot = import.rfind('.');
  if (dot != std::string::npos && packages.count(import.substr(0, dot))) {
    return import.substr(0, dot);
  }
  return "";
}

// What a change to the packages `changed` can reach.
struct Reach {
  // Packages whose outputs and messages may change: connected to a changed
  // one through imports, in either direction (a reference reads what it
  // points to; a `detects:` or `affects:` also links back). An unchanged
  // catalogs-only package is not a link: nothing in it points back.
  std::set<std::string> rebuilt;
  // `rebuilt` and the catalogs-only packages they import: what is compiled.
  std::set<std::string> compiled;
};

Reach Reachable(const std::vector<BuildState::File>& files,
                const std::map<std::string, BuildState::Package>& packages,
                const std::set<std::string>& changed) {
  std::set<std::string> names;
  for (const auto& f : files) names.insert(f.package);
  auto provider = [&](const std::string& name) {
    auto package = packages.find(name);
    return package != packages.end() && package->second.catalogs_only && !changed.count(name);
  };
  std::map<std::string, std::set<std::string>> links, imports;
  for (const auto& f : files) {
    for (const std::string& import : f.imports) {
      std::string dep = PackageOfImport(import, names);
      if (dep.empty() || dep == f.package) continue;
      imports[f.package].insert(dep);
      if (provider(dep)) continue;
      links[f.package].insert(dep);
      links[dep].insert(f.package);
    }
  }
  auto closure = [](std::set<std::string> seen,
                    std::map<std::string, std::set<std::string>>& edges) {
    std::deque<std::string> queue(seen.begin(), seen.end());
    while (!queue.empty()) {
      std::string package = queue.front();
      queue.pop_front();
      for (const std::string& next : edges[package]) {
        if (seen.insert(next).second) queue.push_back(next);
      }
    }
    return seen;
  };
  Reach reach;
  reach.rebuilt = closure(changed, links);
  reach.compiled = closure(reach.rebuilt, imports);
  return reach;
}

// SHA-256 of each text, on up to `jobs` threads (0: every core): at 10,000
// detections the sources and outputs are 40 MB, hashed after the build.
std::vector<std::string> Sha256All(const std::vector<std::string_view>& texts, unsigned jobs) {
  std::vector<std::string> out(texts.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < texts.size(); i = next++) out[i] = Sha256Hex(texts[i]);
  };
  unsigned threads = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> helpers;
  for (unsigned j = 1; j < std::min<size_t>(threads, texts.size() / 64 + 1); ++j) {
    helpers.emplace_back(work);
  }
  work();
  for (std::thread& helper : helpers) helper.join();
  return out;
}

// The state of what `compilation` compiled and `out` holds. `ok` turns
// false when some output cannot be given to a single package.
BuildState StateOf(const Compilation& compilation, const backends::OutputSet& out, bool& ok) {
  BuildState state;
  state.recorded_at_ns = compilation.loaded_at_ns;
  std::map<FileId, const FileSummary*> summaries;
  for (const FileSummary& s : compilation.summaries) summaries[s.file] = &s;
  // Sources, then outputs: hashed together below.
  std::vector<std::string_view> texts;
  for (const Project::Found& found : compilation.found) {
    if (found.id == kNoFile) continue;
    auto summary = summaries.find(found.id);
    if (summary == summaries.end()) {
      ok = false;
      continue;
    }
    BuildState::File& file = state.files.emplace_back();
    file.path = found.path;
    file.size = found.size;
    file.mtime_ns = found.mtime_ns;
    file.ctime_ns = found.ctime_ns;
    file.package = summary->second->package;
    file.imports = summary->second->imports;
    state.packages[file.package];
    texts.push_back(compilation.sources.Get(found.id)->text());
  }
  const size_t source_count = texts.size();
  for (const auto& [path, content] : out.files()) texts.push_back(content);
  std::vector<std::string> hashes = Sha256All(texts, compilation.jobs);
  for (size_t i = 0; i < source_count; ++i) state.files[i].sha256 = std::move(hashes[i]);
  const ir::Program& program = *compilation.program;
  std::set<std::string> with_catalogs, with_others;
  for (const auto& c : program.catalogs) with_catalogs.insert(c->package);
  auto other = [&](const auto& entities) {
    for (const auto& e : entities) with_others.insert(e->package);
  };
  other(program.assets);
  other(program.personas);
  other(program.threats);
  other(program.mitigations);
  other(program.detections);
  other(program.filters);
  for (const std::string& name : with_catalogs) {
    if (!with_others.count(name)) state.packages[name].catalogs_only = true;
  }
  for (const auto& t : program.threats) ++state.packages[t->package].threats;
  for (const auto& m : program.mitigations) ++state.packages[m->package].mitigations;
  std::map<std::string, std::string> package_of_id;
  for (const auto& d : program.detections) {
    BuildState::Package& package = state.packages[d->package];
    ++package.detections[d->detection_kind];
    std::string id = ir::StableId(program, *d);
    package.ids.insert(id);
    package_of_id[id] = d->package;
  }
  for (const auto& f : program.filters) {
    std::string id = ir::StableId(program, *f);
    state.packages[f->package].ids.insert(id);
    package_of_id[id] = f->package;
  }
  std::map<std::string, std::set<std::string>> packages_of_path;
  for (const backends::EmittedRule& rule : out.rules()) {
    auto package = package_of_id.find(rule.id);
    if (package == package_of_id.end()) {
      ok = false;
      continue;
    }
    state.packages[package->second].rule_ids.insert(rule.id);
    packages_of_path[rule.path].insert(package->second);
  }
  for (const auto& [path, content] : out.files()) {
    BuildState::Output& output = state.outputs.emplace_back();
    output.path = path;
    auto packages = packages_of_path.find(path);
    if (packages != packages_of_path.end()) {
      if (packages->second.size() != 1) ok = false;
      output.package = *packages->second.begin();
    }
    output.size = content.size();
    output.sha256 = std::move(hashes[source_count + state.outputs.size() - 1]);
  }
  return state;
}

std::string Counts(const std::map<std::string, BuildState::Package>& packages) {
  size_t threats = 0, mitigations = 0;
  std::map<std::string, size_t> detections;
  for (const auto& [name, p] : packages) {
    threats += p.threats;
    mitigations += p.mitigations;
    for (const auto& [kind, count] : p.detections) detections[kind] += count;
  }
  return CountsLine(threats, mitigations, detections);
}

}  // namespace

std::string BuildKey(const std::vector<std::string>& paths,
                     const std::vector<std::string>& option_words) {
  std::string text = "ward " WARD_VERSION "\n";
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    text += "path " + (ec ? path : canonical.string()) + "\n";
  }
  for (const std::string& word : option_words) text += "option " + word + "\n";
  // Output depends on the date only through these two (lock_build.h).
  text += "build-date " + BuildDateFromEnvironment() + "\n";
  text += "lock-date " + LockDate() + "\n";
  return Sha256Hex(text);
}

void KeepBuildState(const Compilation& compilation, const backends::OutputSet& out,
                    bool lock_in_use, const std::string& lock_text, const std::string& key,
                    const std::string& out_dir) {
  if (!compilation.program) return;
  bool ok = true;
  BuildState state = StateOf(compilation, out, ok);
  if (!ok) return;
  state.key = FullKey(key, compilation.manifest_sha256);
  state.lock_sha256 = lock_in_use ? Sha256Hex(lock_text) : "";
  const std::string prefix = (fs::path(out_dir) / "").string();
  for (BuildState::Output& output : state.outputs) {
    uint64_t size = 0;
    if (!StatFile(prefix + output.path, size, output.mtime_ns)) output.mtime_ns = 0;
  }
  std::string text = SerializeBuildState(state);
  std::error_code ec;
  fs::create_directories(fs::path(prefix) / kCacheDirName, ec);
  if (!text.empty() && !ec)
    (void)ReplaceFile(fs::path(prefix) / kCacheDirName / kBuildStateFile, text);
}

std::optional<IncrementalResult> TryIncrementalBuild(const IncrementalRequest& request) {
  const fs::path out_dir(request.out_dir);
  std::error_code ec;
  if (!fs::is_regular_file(out_dir / kOutputMarker, ec)) return std::nullopt;
  const fs::path state_path = out_dir / kCacheDirName / kBuildStateFile;
  std::string state_text;
  if (fs::is_symlink(state_path, ec) || !ReadAll(state_path, state_text)) return std::nullopt;
  std::optional<BuildState> old = ParseBuildState(state_text);
  if (!old) return std::nullopt;
  const int64_t started = NowNs();

  // The project as it is now: its files (not read yet), ward.yaml, the key.
  DiagnosticEngine scratch;
  SourceManager unread;
  Project project;
  LoadOptions load;
  const std::set<std::string> none;
  load.only = &none;
  load.max_file_bytes = request.compile.parse.max_file_bytes;
  if (!LoadProject(request.compile.paths, load, unread, scratch, project) ||
      !scratch.diagnostics().empty()) {
    return std::nullopt;
  }
  if (FullKey(request.key, project.manifest_sha256) != old->key) return std::nullopt;
  std::string lock_path = request.lock.use_lock ? LockPathFor(project.manifest) : "";
  bool lock_in_use = !lock_path.empty() && (request.lock.create_lock || fs::exists(lock_path, ec));
  std::string lock_text;
  if (lock_in_use && !ReadAll(lock_path, lock_text)) return std::nullopt;
  if ((lock_in_use ? Sha256Hex(lock_text) : "") != old->lock_sha256) return std::nullopt;

  // Which files changed: same list, then size and time, then content.
  if (project.found.size() != old->files.size()) return std::nullopt;
  std::vector<BuildState::File> files = old->files;
  std::vector<size_t> changed;
  for (size_t i = 0; i < files.size(); ++i) {
    BuildState::File& file = files[i];
    if (project.found[i].path != file.path) return std::nullopt;
    uint64_t size = 0;
    int64_t mtime = 0, ctime = 0;
    if (!StatFile(file.path, size, mtime, ctime)) return std::nullopt;
    bool racy = std::max(file.mtime_ns, file.ctime_ns) + kRacyNs > old->recorded_at_ns;
    if (size == file.size && mtime == file.mtime_ns && ctime == file.ctime_ns && !racy) {
      continue;
    }
    std::string text;
    if (size > request.compile.parse.max_file_bytes || !ReadAll(file.path, text)) {
      return std::nullopt;
    }
    file.size = size;
    file.mtime_ns = mtime;
    file.ctime_ns = ctime;
    if (Sha256Hex(text) != file.sha256) changed.push_back(i);
  }
  // The outputs must be there as recorded: a full build would restore a
  // file deleted by hand.
  // With one slash whether or not `-o` ended with one.
  const std::string out_prefix = (out_dir / "").string();
  std::unordered_set<std::string_view> recorded, folders;
  for (const BuildState::Output& output : old->outputs) {
    uint64_t size = 0;
    int64_t mtime = 0;
    if (!StatFile(out_prefix + output.path, size, mtime) || size != output.size ||
        (output.mtime_ns != 0 && mtime != output.mtime_ns)) {
      return std::nullopt;
    }
    recorded.insert(output.path);
    std::string_view folder = output.path;
    for (size_t slash = folder.rfind('/'); slash != std::string_view::npos;
         slash = folder.rfind('/')) {
      folder = folder.substr(0, slash);
      if (!folders.insert(folder).second) break;
    }
  }
  // And nothing else: a full build drops a file or folder added by hand.
  for (auto it = fs::recursive_directory_iterator(out_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string path = it->path().string();
    if (path.compare(0, out_prefix.size(), out_prefix) != 0) return std::nullopt;
    std::string_view relative = std::string_view(path).substr(out_prefix.size());
    if (relative == kOutputMarker) continue;
    if (relative == kCacheDirName) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink(ec)) return std::nullopt;
    if (!(it->is_directory(ec) ? folders : recorded).count(relative)) return std::nullopt;
  }
  if (ec) return std::nullopt;

  // A changed file must keep its package and imports: the package graph,
  // and with it yara/all.yar, stays what it was.
  std::set<std::string> affected;
  for (size_t i : changed) {
    SourceManager sources;
    std::string text;
    if (!ReadAll(files[i].path, text)) return std::nullopt;
    FileId id = sources.Add(files[i].path, std::move(text));
    DiagnosticEngine parse_diags;
    std::optional<ast::File> ast = syntax::ParseFile(*sources.Get(id), parse_diags, {});
    if (!ast || !parse_diags.diagnostics().empty()) return std::nullopt;
    std::vector<std::string> imports;
    for (const ast::Import& import : ast->imports) imports.push_back(import.path.str());
    if (ast->package.str() != files[i].package || imports != files[i].imports) {
      return std::nullopt;
    }
    affected.insert(files[i].package);
  }
  std::set<std::string> all_packages;
  for (const auto& f : files) all_packages.insert(f.package);
  const Reach reach = Reachable(files, old->packages, affected);
  const std::set<std::string>& rebuilt = reach.rebuilt;
  std::set<std::string> reduced;
  for (const auto& f : files) {
    if (reach.compiled.count(f.package)) reduced.insert(f.path);
  }
  if (!changed.empty() && reduced.size() * 2 > files.size()) return std::nullopt;

  IncrementalResult result;
  result.rebuilt_packages = changed.empty() ? 0 : rebuilt.size();
  result.total_packages = all_packages.size();
  result.output_files = old->outputs.size();
  if (changed.empty()) {
    // Nothing to compile; only newer times of unchanged files to remember.
    if (files != old->files) {
      BuildState state = *old;
      state.files = files;
      state.recorded_at_ns = started;
      std::string text = SerializeBuildState(state);
      if (text.empty() || !ReplaceFile(state_path, text)) fs::remove(state_path, ec);
    }
    result.counts_line = Counts(old->packages);
    return result;
  }

  // Compile the affected packages on their own; anything to report means
  // a full build, which reports it with the whole program in view.
  CompileOptions compile = request.compile;
  compile.only_files = &reduced;
  DiagnosticEngine diags;
  std::unique_ptr<Compilation> compilation = Compile(compile, diags);
  if (!compilation || !compilation->program || !diags.diagnostics().empty()) return std::nullopt;
  // The lock entries of the recompiled packages, cut out of the text.
  VersionLock scoped_lock;
  if (lock_in_use) {
    std::set<std::string> scope;
    for (const std::string& name : rebuilt) {
      auto package = old->packages.find(name);
      if (package != old->packages.end()) {
        scope.insert(package->second.rule_ids.begin(), package->second.rule_ids.end());
      }
    }
    std::optional<VersionLock> scoped = ExtractLockEntries(lock_text, scope);
    if (!scoped) return std::nullopt;
    scoped_lock = std::move(*scoped);
  }
  backends::CheckCache check_cache = LoadCheckCache(request.out_dir);
  compilation->check_cache = &check_cache;
  LockedBuildOptions lock_options = request.lock;
  lock_options.old_lock = lock_in_use ? &scoped_lock : nullptr;
  LockedBuild locked;
  if (!BuildWithLock(*compilation, lock_options, diags, locked) || !diags.diagnostics().empty()) {
    return std::nullopt;
  }
  for (const LockChange& change : locked.update.changes) {
    if (change.kind == LockChange::Kind::kRemoved) return std::nullopt;  // W0902
  }
  bool ok = true;
  BuildState part = StateOf(*compilation, locked.out, ok);
  if (!ok) return std::nullopt;
  for (const auto& [name, package] : old->packages) {
    if (rebuilt.count(name)) continue;
    for (const auto& [part_name, part_package] : part.packages) {
      for (const std::string& id : part_package.ids) {
        if (package.ids.count(id)) return std::nullopt;  // E0207 across packages
      }
    }
  }
  // The recompiled packages must write the same files as before.
  std::set<std::string> before, after;
  for (const BuildState::Output& o : old->outputs) {
    if (!o.package.empty() && rebuilt.count(o.package)) before.insert(o.path);
  }
  std::map<std::string, const BuildState::Output*> new_outputs;
  for (const BuildState::Output& o : part.outputs) {
    if (o.package.empty()) continue;  // all.yar of the part: the old one stays
    after.insert(o.path);
    new_outputs[o.path] = &o;
  }
  if (before != after) return std::nullopt;

  std::string new_lock_text;
  if (lock_in_use) {
    std::set<std::string> replaced;
    for (const auto& [id, entry] : scoped_lock.rules) replaced.insert(id);
    std::optional<std::string> spliced = SpliceLockText(lock_text, replaced, locked.update.lock);
    if (!spliced) return std::nullopt;
    new_lock_text = std::move(*spliced);
  }

  // The files to write, then the new state: the old one's other packages
  // and what was recompiled.
  std::set<std::string> to_write;
  BuildState state;
  state.key = old->key;
  state.lock_sha256 = lock_in_use ? Sha256Hex(new_lock_text) : "";
  state.recorded_at_ns = started;
  std::map<std::string, BuildState::File> part_files;
  for (BuildState::File& f : part.files) part_files[f.path] = std::move(f);
  state.files = std::move(files);
  for (BuildState::File& f : state.files) {
    auto recompiled = part_files.find(f.path);
    if (recompiled != part_files.end()) f = std::move(recompiled->second);
  }
  state.outputs = std::move(old->outputs);
  for (BuildState::Output& o : state.outputs) {
    auto fresh = new_outputs.find(o.path);
    if (fresh == new_outputs.end()) continue;
    if (fresh->second->sha256 != o.sha256) to_write.insert(o.path);
    o = *fresh->second;
  }
  state.packages = std::move(old->packages);
  for (const std::string& name : rebuilt) state.packages.erase(name);
  for (auto& [name, package] : part.packages) state.packages[name] = std::move(package);

  // Write: the state goes first, so that an interrupted update is followed
  // by a full build; then the changed outputs, the lock, the caches.
  fs::remove(state_path, ec);
  if (ec) return std::nullopt;
  const std::map<std::string, std::string>& contents = locked.out.files();
  for (const std::string& path : to_write) {
    if (!ReplaceFile(out_dir / path, contents.at(path))) return std::nullopt;
  }
  if (lock_in_use && new_lock_text != lock_text && !ReplaceFile(lock_path, new_lock_text)) {
    return std::nullopt;
  }
  // The libyara results of both builds: a later full build keeps only its own.
  check_cache.accepted.insert(check_cache.known.begin(), check_cache.known.end());
  for (const auto& [name, content] : CacheFiles(check_cache)) {
    (void)ReplaceFile(out_dir / kCacheDirName / name, content);
  }
  for (BuildState::Output& o : state.outputs) {
    if (!to_write.count(o.path)) continue;
    uint64_t size = 0;
    if (!StatFile(out_prefix + o.path, size, o.mtime_ns)) o.mtime_ns = 0;
  }
  std::string new_state_text = SerializeBuildState(state);
  if (!new_state_text.empty()) (void)ReplaceFile(state_path, new_state_text);
  result.counts_line = Counts(state.packages);
  return result;
}

}  // namespace ward::driver
