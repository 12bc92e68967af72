#include "backends/yara/rule_meta.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "backends/yara/rule_naming.h"
#include "compiler/ir/broader_threats.h"

namespace ward::backends::yara {
namespace {

// Meta values are one line in the style guides: runs of whitespace
// (including the newlines of a triple-quoted description) become one space.
std::string OneLine(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// The meta key for a catalog: its Ward name (what authors write in `maps:`),
// or its framework when the catalog has no name.
std::string CatalogKey(const ir::Catalog& catalog) {
  return SanitizeIdentifier(catalog.name.empty() ? catalog.framework : catalog.name);
}

}  // namespace

int ScoreForLevel(ir::Level level) {
  switch (level) {
    case ir::Level::kInformational: return 20;
    case ir::Level::kLow: return 40;
    case ir::Level::kMedium: return 60;
    case ir::Level::kHigh: return 75;
    case ir::Level::kCritical: return 90;
  }
  return 60;
}

std::vector<MetaEntry> BuildMeta(const ir::Program& program, const ir::Detection& detection,
                                 std::string_view build_date) {
  const ir::Meta& meta = detection.meta;
  std::vector<MetaEntry> out;

  std::string description = OneLine(meta.description);
  if (description.empty()) description = OneLine(meta.title);
  if (!description.empty()) out.push_back(MetaEntry::String("description", description));

  const std::string& author = meta.author.empty() ? program.manifest.author : meta.author;
  if (!author.empty()) out.push_back(MetaEntry::String("author", author));

  if (meta.date) {
    out.push_back(MetaEntry::String("date", meta.date->str()));
  } else if (!build_date.empty()) {
    out.push_back(MetaEntry::String("date", std::string(build_date)));
  }
  if (meta.modified) out.push_back(MetaEntry::String("modified", meta.modified->str()));
  for (const std::string& reference : meta.references) {
    out.push_back(MetaEntry::String("reference", reference));
  }

  out.push_back(MetaEntry::String("id", ir::StableId(program, detection)));
  out.push_back(MetaEntry::String("severity", ir::LevelName(detection.level)));
  out.push_back(MetaEntry::Integer("score", ScoreForLevel(detection.level)));

  std::vector<const ir::Threat*> threats = detection.threats;
  std::sort(threats.begin(), threats.end(), [](const ir::Threat* a, const ir::Threat* b) {
    return a->qualified_name() < b->qualified_name();
  });
  threats.erase(std::unique(threats.begin(), threats.end()), threats.end());
  for (const ir::Threat* threat : threats) {
    out.push_back(MetaEntry::String("threat", threat->qualified_name()));
  }
  // Framework IDs come from the linked threats and the broader threats they
  // refine, so that a rule for a narrow threat still names the CoSAI risk.
  std::set<std::pair<std::string, std::string>> mapped;
  for (const ir::Threat* threat : ir::WithBroaderThreats(threats)) {
    for (const ir::CatalogRef& ref : threat->maps) {
      if (ref.entry == nullptr || ref.entry->catalog == nullptr) continue;
      std::pair<std::string, std::string> item{CatalogKey(*ref.entry->catalog), ref.entry->id};
      if (mapped.insert(item).second) {
        out.push_back(MetaEntry::String(std::move(item.first), std::move(item.second)));
      }
    }
  }
  return out;
}

}  // namespace ward::backends::yara
