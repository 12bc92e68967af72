#include "compiler/driver/output_names.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Relative, without `.`/`..` segments, without backslashes or a drive colon
// (both separate paths on Windows).
bool StaysInside(const std::string& path) {
  if (path.empty() || path.find_first_of("\\:") != std::string::npos) return false;
  fs::path p(path);
  if (p.is_absolute() || p.has_root_name()) return false;
  for (const auto& part : p) {
    if (part.empty() || part == ".." || part == ".") return false;
  }
  return true;
}

// Windows refuses these device names as file and directory names, in any
// case and with any extension: `nul.yml` and `con.models.yar` are reserved
// too, since only the part before the first dot counts.
bool ReservedOnWindows(std::string_view segment) {
  const std::string stem = Lower(segment.substr(0, segment.find('.')));
  if (stem == "con" || stem == "prn" || stem == "aux" || stem == "nul") return true;
  return stem.size() == 4 && (stem.compare(0, 3, "com") == 0 || stem.compare(0, 3, "lpt") == 0) &&
         stem[3] >= '0' && stem[3] <= '9';
}

// `path` up to and including its first reserved segment, or "" if none is.
std::string ReservedPrefix(const std::string& path) {
  for (size_t start = 0; start < path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (ReservedOnWindows(std::string_view(path).substr(start, end - start))) {
      return path.substr(0, end);
    }
    start = end + 1;
  }
  return {};
}

// The rule that an output file holds (its first), to point the diagnostic at.
class Culprits {
 public:
  Culprits(const backends::OutputSet& out, const ir::Program* program) {
    if (program == nullptr) return;
    std::map<std::string, const ir::Entity*> by_id;
    for (const auto& detection : program->detections) {
      by_id.emplace(ir::StableId(*program, *detection), detection.get());
    }
    for (const auto& filter : program->filters) {
      by_id.emplace(ir::StableId(*program, *filter), filter.get());
    }
    for (const backends::EmittedRule& rule : out.rules()) {
      auto it = by_id.find(rule.id);
      if (it != by_id.end()) by_path_.emplace(rule.path, it->second);
    }
  }
  const ir::Entity* For(const std::string& path) const {
    auto it = by_path_.find(path);
    return it == by_path_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, const ir::Entity*> by_path_;
};

DiagBuilder Located(DiagCode code, const ir::Entity* entity, std::string message) {
  return Diag(code, entity ? entity->name_span : Span{}, std::move(message));
}

std::string From(const ir::Entity* entity) {
  return entity ? fmt::format(" (from `{}`)", entity->qualified_name()) : "";
}

}  // namespace

bool CheckOutputNames(const backends::OutputSet& out, const ir::Program* program,
                      DiagnosticEngine& diags) {
  const size_t errors_before = diags.error_count();
  Culprits culprits(out, program);
  std::map<std::string, std::string> folded;  // lowercase path -> first path
  for (const auto& file : out.files()) {
    const std::string& path = file.first;
    const ir::Entity* culprit = culprits.For(path);
    if (!StaysInside(path)) {
      diags.Report(Located(DiagCode::kInternalError, culprit,
                           fmt::format("internal error: output `{}`{} would leave the output "
                                       "directory",
                                       path, From(culprit)))
                       .Label("its output path is not a plain relative path")
                       .Help("rename the package or rule so that its name is made of letters, "
                             "digits and `_`; if it already is, please report this bug"));
      continue;
    }
    auto [it, inserted] = folded.emplace(Lower(path), path);
    if (inserted) continue;
    std::string first = it->second, second = path;
    const ir::Entity* other = culprits.For(first);
    // Point at a declaration when either file has one (an index file such as
    // yara/all.yar has none).
    if (culprit == nullptr) {
      std::swap(first, second);
      std::swap(culprit, other);
    }
    DiagBuilder diag = Located(
        DiagCode::kOutputPathCollision, culprit,
        fmt::format("outputs `{}`{} and `{}`{} differ only in letter case", second,
                    From(culprit), first, From(other)));
    diag.Label("written to a file whose name differs from another only in case");
    if (other) diag.Secondary(other->name_span, "the other output comes from here");
    diags.Report(std::move(diag)
                     .Note("on case-insensitive file systems (macOS, Windows) one file would "
                           "overwrite the other")
                     .Help("rename one of the packages or rules so that the names differ in "
                           "more than letter case"));
  }
  return diags.error_count() == errors_before;
}

bool WarnAboutReservedNames(const backends::OutputSet& out, const ir::Program* program,
                            DiagnosticEngine& diags) {
  const size_t errors_before = diags.error_count();  // --deny-warnings makes them errors
  Culprits culprits(out, program);
  std::set<std::string> reported;  // one warning per file or directory, not per file in it
  for (const auto& file : out.files()) {
    const std::string& path = file.first;
    const std::string reserved = ReservedPrefix(path);
    if (reserved.empty() || !reported.insert(reserved).second) continue;
    const ir::Entity* culprit = culprits.For(path);
    const bool is_directory = reserved.size() < path.size();
    const std::string name = reserved.substr(reserved.rfind('/') + 1);
    diags.Report(Located(DiagCode::kOutputNameReserved, culprit,
                         fmt::format("output {} `{}`{} cannot be created on Windows: `{}` is a "
                                     "reserved device name",
                                     is_directory ? "directory" : "file",
                                     reserved + (is_directory ? "/" : ""), From(culprit),
                                     name.substr(0, name.find('.'))))
                     .Label("the output name comes from this declaration's package or name")
                     .Note("Windows reserves CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9 as file "
                           "and directory names, with any extension; Git for Windows will not "
                           "check such a path out")
                     .Help("rename the package or the rule, e.g. add a word: `aux` -> "
                           "`aux_tools`"));
  }
  return diags.error_count() == errors_before;
}

}  // namespace ward::driver
