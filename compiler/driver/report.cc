#include "compiler/driver/report.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/sema/refinement.h"

namespace ward::driver {

std::string CountsLine(const ir::Program& program) {
  std::map<std::string, size_t> kinds;
  for (const auto& d : program.detections) ++kinds[d->detection_kind];
  return CountsLine(program.threats.size(), program.mitigations.size(), kinds);
}

std::string CountsLine(size_t threats, size_t mitigations,
                       const std::map<std::string, size_t>& detections_by_kind) {
  size_t detections = 0;
  std::string by_kind;
  for (const auto& [kind, count] : detections_by_kind) {
    detections += count;
    if (!by_kind.empty()) by_kind += ", ";
    by_kind += fmt::format("{} {}", count, kind);
  }
  auto plural = [](size_t n, const char* word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  std::string line = fmt::format("{}, {}, {}", plural(threats, "threat"),
                                 plural(mitigations, "mitigation"),
                                 plural(detections, "detection"));
  if (!by_kind.empty()) line += " (" + by_kind + ")";
  return line;
}

std::string SummaryTable(const ir::Program& program, const backends::OutputSet& out,
                         const std::string& out_dir) {
  size_t tests = 0, mitigated = 0, detected = 0, both = 0, through = 0, gaps = 0;
  for (const auto& d : program.detections) tests += d->tests.size();
  std::set<std::string> atlas_mapped, atlas_covered;
  size_t atlas_techniques = 0;
  for (const auto& c : program.catalogs) {
    if (c->framework != "mitre_atlas") continue;
    for (const auto& e : c->entries) {
      if (e->kind == "technique" || e->kind == "subtechnique") ++atlas_techniques;
    }
  }
  for (const auto& t : program.threats) {
    // A threat is detected by its own detections or through a narrower
    // threat that refines it; a declared gap is counted, never as detected.
    const bool own = !t->detections.empty();
    bool m = !t->mitigations.empty(), d = own || sema::DetectedRefiner(*t) != nullptr;
    mitigated += m;
    detected += d;
    both += m && d;
    through += d && !own;
    gaps += !d && !t->detection_gap.empty();
    for (const ir::CatalogRef& ref : t->maps) {
      if (ref.entry->catalog->framework != "mitre_atlas") continue;
      atlas_mapped.insert(ref.entry->id);
      if (d) atlas_covered.insert(ref.entry->id);
    }
  }
  std::map<std::string, size_t> files_by_dir;
  for (const auto& [path, content] : out.files()) {
    files_by_dir[path.substr(0, path.find('/'))]++;
  }
  std::string text;
  text += fmt::format("  threat model   {}\n", CountsLine(program));
  text += fmt::format("  catalogs       {} ({} entries)\n", program.catalogs.size(), [&] {
    size_t n = 0;
    for (const auto& c : program.catalogs) n += c->entries.size();
    return n;
  }());
  text += fmt::format("  tests          {} test cases next to the rules\n", tests);
  size_t total = program.threats.size();
  text += fmt::format("  coverage       {}/{} threats mitigated, {}/{} detected, {}/{} both\n",
                      mitigated, total, detected, total, both, total);
  if (through != 0 || gaps != 0) {
    text += fmt::format("                 {} detected only through a refining threat, {} with a "
                        "declared detection gap\n",
                        through, gaps);
  }
  text += fmt::format("  ATLAS          {} techniques mapped by threats, {} of them detected",
                      atlas_mapped.size(), atlas_covered.size());
  if (atlas_techniques) text += fmt::format(" (catalog lists {})", atlas_techniques);
  text += "\n";
  std::string outputs;
  for (const auto& [dir, n] : files_by_dir) {
    if (!outputs.empty()) outputs += ", ";
    outputs += fmt::format("{} {}", n, dir);
  }
  text += fmt::format("  output         {} files in {}/ ({})\n", out.files().size(), out_dir,
                      outputs);
  return text;
}

}  // namespace ward::driver
