#include "compiler/driver/project.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/driver/build_state.h"
#include "compiler/support/content_hash.h"
#include "compiler/support/uuid.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

void IoError(DiagnosticEngine& diags, const std::string& message, const std::string& help) {
  diags.Report(Diag(DiagCode::kIoError, Span{}, message).Help(help));
}

bool ReadFile(const fs::path& path, size_t max_bytes, std::string& out, DiagnosticEngine& diags) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) {
    IoError(diags, fmt::format("cannot read `{}`: {}", path.string(), ec.message()),
            "check that the file exists and is readable");
    return false;
  }
  if (size > max_bytes) {
    diags.Report(Diag(DiagCode::kInputTooLarge, Span{},
                      fmt::format("`{}` is {} bytes, more than the limit of {} bytes",
                                  path.string(), size, max_bytes))
                     .Help("split the file, or raise the limit with --max-file-size"));
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    IoError(diags, fmt::format("cannot open `{}`", path.string()),
            "check the file's permissions");
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

fs::path Canonical(const fs::path& path) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(path, ec);
  return ec ? fs::absolute(path) : out;
}

bool Within(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

fs::path FindManifestDir(const fs::path& start) {
  fs::path dir = fs::is_directory(start) ? start : start.parent_path();
  dir = Canonical(dir);
  for (fs::path d = dir; !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / "ward.yaml")) return d;
    if (d == d.root_path()) break;
  }
  return {};
}

}  // namespace

bool ParseManifest(const std::string& text, const std::string& path, ir::Manifest& manifest,
                   DiagnosticEngine& diags) {
  auto bad = [&](const std::string& message, const std::string& help) {
    diags.Report(Diag(DiagCode::kInvalidManifest, Span{}, fmt::format("{}: {}", path, message))
                     .Help(help));
    return false;
  };
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return bad(fmt::format("not valid YAML (line {}, column {}): {}", e.mark.line + 1,
                           e.mark.column + 1, e.msg),
               "ward.yaml holds `key: value` lines: name, version, author, namespace");
  }
  if (root.IsNull()) return true;
  if (!root.IsMap()) return bad("expected a mapping of keys to values", "write `name: my-rules`");
  static const std::set<std::string> kKeys = {"name", "version", "author", "namespace"};
  try {
    for (const auto& item : root) {
      std::string key = item.first.as<std::string>();
      if (!kKeys.count(key)) {
        return bad(fmt::format("unknown key `{}`", key),
                   "ward.yaml accepts `name`, `version`, `author` and `namespace`");
      }
      if (!item.second.IsScalar()) {
        return bad(fmt::format("`{}` must be a single value", key), "write `key: value`");
      }
      std::string value = item.second.as<std::string>();
      if (key == "name") manifest.name = value;
      if (key == "version") manifest.version = value;
      if (key == "author") manifest.author = value;
      if (key == "namespace") {
        if (!IsUuid(value)) {
          return bad(fmt::format("`namespace` is `{}`, which is not a UUID", value),
                     "set it to a UUID generated once for your project (e.g. with `uuidgen`); "
                     "rule IDs are derived from it");
        }
        std::transform(value.begin(), value.end(), value.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        manifest.namespace_uuid = value;
      }
    }
  } catch (const YAML::Exception& e) {
    return bad(e.msg, "check the file's syntax");
  }
  return true;
}

bool LoadProject(const std::vector<std::string>& paths, const LoadOptions& options,
                 SourceManager& sources, DiagnosticEngine& diags, Project& project) {
  if (paths.empty()) {
    IoError(diags, "no input paths", "pass a ruleset directory, e.g. `ward build rulesets`");
    return false;
  }
  bool ok = true;
  fs::path manifest_dir = FindManifestDir(paths.front());
  fs::path root = manifest_dir.empty()
                      ? Canonical(fs::is_directory(paths.front()) ? fs::path(paths.front())
                                                                  : fs::path(paths.front()).parent_path())
                      : manifest_dir;
  project.manifest.root = root.string();
  project.manifest.namespace_uuid = std::string(kDefaultNamespace);
  if (!manifest_dir.empty()) {
    std::string text;
    fs::path manifest_path = manifest_dir / "ward.yaml";
    bool read = ReadFile(manifest_path, 1 << 20, text, diags);
    if (read) project.manifest_sha256 = Sha256Hex(text);
    if (!read ||
        !ParseManifest(text, manifest_path.string(), project.manifest, diags)) {
      ok = false;
    }
  }
  std::set<fs::path> files;
  if (options.exactly) files.insert(options.exactly->begin(), options.exactly->end());
  const std::vector<std::string> no_walk;
  for (const std::string& arg : options.exactly ? no_walk : paths) {
    fs::path path(arg);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      IoError(diags, fmt::format("`{}` does not exist", arg), "check the path");
      ok = false;
      continue;
    }
    if (fs::is_regular_file(path, ec)) {
      files.insert(Canonical(path));
      continue;
    }
    fs::path dir_root = Canonical(path);
    auto it = fs::recursive_directory_iterator(
        path, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      if (entry.is_symlink(ec)) {
        // Follow a link only when its target stays inside the root.
        fs::path target = Canonical(entry.path());
        if (!Within(target, root) && !Within(target, dir_root)) {
          diags.Report(Diag(DiagCode::kPathEscapesRoot, Span{},
                            fmt::format("`{}` links outside the ruleset root and is skipped",
                                        entry.path().string()))
                           .Help("copy the file into the ruleset instead of linking to it"));
          if (entry.is_directory(ec)) it.disable_recursion_pending();
          continue;
        }
      }
      if (entry.is_regular_file(ec) && entry.path().extension() == ".ward") {
        // Below the canonical directory, a path reached without following
        // a link is canonical already: no realpath per file (thousands of
        // readlink calls at 100,000 rules).
        files.insert(entry.is_symlink(ec) ? Canonical(entry.path())
                                          : dir_root / entry.path().lexically_relative(path));
      }
    }
    if (ec) {
      IoError(diags, fmt::format("cannot list `{}`: {}", arg, ec.message()),
              "check the directory's permissions");
      ok = false;
    }
  }
  if (files.empty() && ok) {
    diags.Report(Diag(DiagCode::kNoSources, Span{},
                      fmt::format("no .ward files found in {}", fmt::join(paths, ", ")))
                     .Help("Ward compiles every *.ward file under the given directories"));
    return false;
  }
  for (const fs::path& file : files) {
    Project::Found& found = project.found.emplace_back();
    found.path = file.string();
    if (options.only && !options.only->count(found.path)) continue;
    // Stat before reading: a change made while the file is read then shows
    // as a newer time next build, never as an old time with new content.
    uint64_t stat_size = 0;
    (void)StatFile(found.path, stat_size, found.mtime_ns, found.ctime_ns);
    std::string text;
    if (!ReadFile(file, options.max_file_bytes, text, diags)) {
      ok = false;
      continue;
    }
    // Paths in diagnostics are shown relative to the current directory when
    // that is shorter, the way compilers print them.
    std::error_code ec;
    fs::path shown = fs::relative(file, fs::current_path(), ec);
    std::string display = (!ec && !shown.empty() && shown.string().size() < file.string().size())
                              ? shown.generic_string()
                              : file.generic_string();
    found.size = text.size();
    found.id = sources.Add(display, std::move(text));
    project.files.push_back(found.id);
  }
  return ok;
}

}  // namespace ward::driver
