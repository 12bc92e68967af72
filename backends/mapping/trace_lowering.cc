#include "backends/mapping/trace_lowering.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "backends/mapping/residual_risk.h"
#include "backends/mapping/trace_views.h"
#include "compiler/support/uuid.h"

namespace ward::backends::mapping {
namespace {

EntityInfo InfoOf(const ir::Entity& entity) {
  EntityInfo info;
  info.name = entity.qualified_name();
  info.title = entity.meta.title;
  info.description = entity.meta.description;
  info.status = entity.meta.status;
  if (entity.meta.date) info.date = entity.meta.date->str();
  if (entity.meta.modified) info.modified = entity.meta.modified->str();
  info.references = entity.meta.references;
  return info;
}

void SortUnique(std::vector<size_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Sorted by catalog and declaration order; a second mention of the same
// entry (say once pinned, once not) keeps the first.
void SortRefs(std::vector<FrameworkRef>& refs) {
  std::stable_sort(refs.begin(), refs.end(), [](const FrameworkRef& a, const FrameworkRef& b) {
    return std::tie(a.catalog, a.entry) < std::tie(b.catalog, b.entry);
  });
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
}

// Maps IR pointers to model indices. Everything the model refers to goes
// through here, so an IR link to an entity the program does not own (only
// possible in hand-built IR) is dropped instead of followed.
class Indexer {
 public:
  explicit Indexer(const ir::Program& program) : program_(program) {}

  void IndexCatalogs(TraceModel& model) {
    std::vector<const ir::Catalog*> order;
    for (const auto& catalog : program_.catalogs) order.push_back(catalog.get());
    std::stable_sort(order.begin(), order.end(), [](const ir::Catalog* a, const ir::Catalog* b) {
      return std::make_pair(a->framework, a->qualified_name()) <
             std::make_pair(b->framework, b->qualified_name());
    });
    for (const ir::Catalog* catalog : order) {
      CatalogInfo info;
      info.name = catalog->qualified_name();
      info.title = catalog->meta.title;
      info.framework = catalog->framework;
      info.version = catalog->version;
      info.url = catalog->url;
      for (const auto& entry : catalog->entries) {
        entries_[entry.get()] = {model.catalogs.size(), info.entries.size()};
        CatalogEntryInfo e;
        e.id = entry->id;
        e.title = entry->title;
        e.kind = entry->kind;
        e.parents = entry->parents;
        e.deprecated = entry->deprecated;
        info.entries.push_back(std::move(e));
      }
      model.catalogs.push_back(std::move(info));
    }
  }

  std::vector<FrameworkRef> Refs(const std::vector<ir::CatalogRef>& refs) const {
    std::vector<FrameworkRef> out;
    for (const ir::CatalogRef& ref : refs) {
      auto it = entries_.find(ref.entry);
      if (it == entries_.end()) continue;
      out.push_back({it->second.first, it->second.second, ref.pinned_version});
    }
    SortRefs(out);
    return out;
  }

  template <typename T>
  void Index(const std::vector<std::unique_ptr<T>>& entities) {
    for (size_t i = 0; i < entities.size(); ++i) index_[entities[i].get()] = i;
  }

  template <typename T>
  std::vector<size_t> Indices(const std::vector<const T*>& entities) const {
    std::vector<size_t> out;
    for (const T* entity : entities) {
      auto it = index_.find(entity);
      if (it != index_.end()) out.push_back(it->second);
    }
    SortUnique(out);
    return out;
  }

 private:
  const ir::Program& program_;
  std::map<const ir::CatalogEntry*, std::pair<size_t, size_t>> entries_;
  std::map<const ir::Entity*, size_t> index_;
};

std::vector<FrameworkGroup> GroupByCatalog(const std::vector<FrameworkRef>& refs) {
  std::vector<FrameworkGroup> groups;
  for (const FrameworkRef& ref : refs) {  // already sorted by catalog
    if (groups.empty() || groups.back().catalog != ref.catalog) {
      groups.push_back({ref.catalog, {}});
    }
    groups.back().refs.push_back(ref);
  }
  return groups;
}

// Merges a link declared on either side: (threat, other) pairs collected
// from both directions fill both directions.
void MergeLinks(const std::vector<std::pair<size_t, size_t>>& pairs,
                std::vector<ThreatTrace>& threats, std::vector<size_t> ThreatTrace::*forward,
                auto& others) {
  for (const auto& [t, o] : pairs) {
    (threats[t].*forward).push_back(o);
    others[o].threats.push_back(t);
  }
  for (ThreatTrace& threat : threats) SortUnique(threat.*forward);
  for (auto& other : others) SortUnique(other.threats);
}

// refined_by from refines, then each threat's detected_through: every
// narrower threat reachable along refined_by that has a detection. Sema
// rejects cycles; the visited set keeps hand-built IR from looping.
void LinkRefinements(std::vector<ThreatTrace>& threats) {
  for (size_t t = 0; t < threats.size(); ++t) {
    for (size_t broader : threats[t].refines) threats[broader].refined_by.push_back(t);
  }
  for (ThreatTrace& threat : threats) SortUnique(threat.refined_by);
  for (size_t t = 0; t < threats.size(); ++t) {
    std::set<size_t> seen;
    std::vector<size_t> todo = threats[t].refined_by;
    while (!todo.empty()) {
      size_t next = todo.back();
      todo.pop_back();
      if (next == t || !seen.insert(next).second) continue;
      if (!threats[next].detections.empty()) threats[t].detected_through.push_back(next);
      todo.insert(todo.end(), threats[next].refined_by.begin(), threats[next].refined_by.end());
    }
    SortUnique(threats[t].detected_through);
  }
}

std::string DocumentDate(const ir::Program& program, const std::string& build_date) {
  if (!build_date.empty()) return build_date;
  std::optional<ir::Date> newest;
  auto consider = [&](const ir::Entity& entity) {
    for (const auto& date : {entity.meta.date, entity.meta.modified}) {
      if (date && (!newest || *newest < *date)) newest = date;
    }
  };
  for (const auto& e : program.threats) consider(*e);
  for (const auto& e : program.mitigations) consider(*e);
  for (const auto& e : program.detections) consider(*e);
  for (const auto& e : program.assets) consider(*e);
  return newest ? newest->str() : "1970-01-01";
}

}  // namespace

TraceModel LowerTraceModel(const ir::Program& program, const TraceOptions& options) {
  TraceModel model;
  model.project.name = program.manifest.name;
  model.project.version = program.manifest.version;
  model.project.author = program.manifest.author;
  model.project.namespace_uuid = IsUuid(program.manifest.namespace_uuid)
                                     ? program.manifest.namespace_uuid
                                     : std::string(kDefaultNamespace);
  model.document_date = DocumentDate(program, options.build_date);

  Indexer index(program);
  index.IndexCatalogs(model);
  index.Index(program.assets);
  index.Index(program.threats);
  index.Index(program.mitigations);
  index.Index(program.detections);

  for (const auto& asset : program.assets) {
    AssetTrace trace;
    trace.info = InfoOf(*asset);
    trace.kind = asset->asset_kind;
    trace.maps = index.Refs(asset->maps);
    trace.threats = index.Indices(asset->threats);
    model.assets.push_back(std::move(trace));
  }
  for (const auto& persona : program.personas) {
    model.personas.push_back({InfoOf(*persona), index.Refs(persona->maps)});
  }

  std::vector<std::pair<size_t, size_t>> mitigates, detects;
  for (size_t t = 0; t < program.threats.size(); ++t) {
    const ir::Threat& threat = *program.threats[t];
    ThreatTrace trace;
    trace.info = InfoOf(threat);
    trace.severity = ir::SeverityName(threat.severity);
    trace.likelihood = ir::LikelihoodName(threat.likelihood);
    trace.impact = ir::ImpactName(threat.impact);
    trace.category = threat.category;
    trace.stages = threat.stages;
    trace.assets = index.Indices(threat.affects);
    trace.mappings = GroupByCatalog(index.Refs(threat.maps));
    for (size_t m : index.Indices(threat.mitigations)) mitigates.emplace_back(t, m);
    for (size_t d : index.Indices(threat.detections)) detects.emplace_back(t, d);
    trace.refines = index.Indices(threat.refines);
    trace.detection_gap = threat.detection_gap;
    model.threats.push_back(std::move(trace));
  }
  for (size_t m = 0; m < program.mitigations.size(); ++m) {
    const ir::Mitigation& mitigation = *program.mitigations[m];
    MitigationTrace trace;
    trace.info = InfoOf(mitigation);
    trace.type = ir::MitigationTypeName(mitigation.type);
    trace.effectiveness = ir::EffectivenessName(mitigation.effectiveness);
    trace.category = mitigation.category;
    trace.controls = index.Refs(mitigation.implements);
    trace.assets = index.Indices(mitigation.applies_to);
    for (size_t t : index.Indices(mitigation.threats)) mitigates.emplace_back(t, m);
    model.mitigations.push_back(std::move(trace));
  }
  for (size_t d = 0; d < program.detections.size(); ++d) {
    const ir::Detection& detection = *program.detections[d];
    DetectionTrace trace;
    trace.info = InfoOf(detection);
    trace.kind = detection.detection_kind;
    trace.stable_id = ir::StableId(program, detection);
    trace.level = ir::LevelName(detection.level);
    for (const ir::TestCase& test : detection.tests) {
      trace.tests.push_back({test.name, test.expect_match});
    }
    for (size_t t : index.Indices(detection.threats)) detects.emplace_back(t, d);
    model.detections.push_back(std::move(trace));
  }
  // Asset links are read from both sides too (affects and its reverse).
  for (size_t t = 0; t < model.threats.size(); ++t) {
    for (size_t a : model.threats[t].assets) model.assets[a].threats.push_back(t);
  }
  for (AssetTrace& asset : model.assets) SortUnique(asset.threats);
  MergeLinks(mitigates, model.threats, &ThreatTrace::mitigations, model.mitigations);
  MergeLinks(detects, model.threats, &ThreatTrace::detections, model.detections);
  LinkRefinements(model.threats);

  for (ThreatTrace& threat : model.threats) {
    threat.residual = ComputeResidualRisk(threat, model.mitigations, model.detections);
  }
  BuildReverseViews(model);
  ComputeCoverage(model);
  CollectGaps(model);
  return model;
}

}  // namespace ward::backends::mapping
