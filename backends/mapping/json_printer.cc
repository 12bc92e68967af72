// mappings/traceability.json: the trace in Ward's own format, described by
// docs/schemas/ward-mapping.schema.json. Keys keep insertion order
// (ordered_json) and every list comes sorted from the model, so the bytes
// only change when the threat model does. Entities refer to each other by
// qualified name; each threat also carries its mitigations and detections
// inline, so one threat can be read without joining tables.

#include <string>

#include <nlohmann/json.hpp>

#include "backends/mapping/printers.h"
#include "backends/mapping/trace_text.h"

namespace ward::backends::mapping {
namespace {

using Json = nlohmann::ordered_json;

Json Strings(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const std::string& item : items) out.push_back(item);
  return out;
}

template <typename T>
Json Names(const std::vector<size_t>& indices, const std::vector<T>& entities) {
  Json out = Json::array();
  for (size_t i : indices) out.push_back(entities[i].info.name);
  return out;
}

Json Ref(const TraceModel& model, const FrameworkRef& ref) {
  const CatalogInfo& catalog = model.CatalogOf(ref);
  const CatalogEntryInfo& entry = model.EntryOf(ref);
  Json out;
  out["framework"] = catalog.framework;
  out["catalog"] = catalog.name;
  out["version"] = catalog.version;
  out["id"] = entry.id;
  out["title"] = entry.title;
  out["kind"] = entry.kind;
  if (!ref.pinned_version.empty()) out["pinned_version"] = ref.pinned_version;
  return out;
}

Json Refs(const TraceModel& model, const std::vector<FrameworkRef>& refs) {
  Json out = Json::array();
  for (const FrameworkRef& ref : refs) out.push_back(Ref(model, ref));
  return out;
}

// The fields every entity has, in the same order everywhere.
void Common(Json& out, const EntityInfo& info) {
  out["name"] = info.name;
  out["title"] = info.title;
  out["description"] = info.description;
  out["status"] = info.status;
  out["date"] = info.date;
  out["modified"] = info.modified;
  out["references"] = Strings(info.references);
}

Json Residual(const ResidualRisk& risk) {
  Json out;
  out["rating"] = RatingName(risk.rating);
  out["severity"] = risk.severity;
  out["mitigated"] = risk.mitigated;
  out["detected"] = risk.detected;
  out["detection_tested"] = risk.detection_tested;
  out["best_effectiveness"] = risk.best_effectiveness;
  out["mitigation_credit"] = risk.mitigation_credit;
  out["detection_credit"] = risk.detection_credit;
  return out;
}

Json Threat(const TraceModel& model, const ThreatTrace& threat) {
  Json out;
  Common(out, threat.info);
  out["severity"] = threat.severity;
  out["likelihood"] = threat.likelihood;
  out["impact"] = threat.impact;
  out["category"] = threat.category;
  out["stages"] = Strings(threat.stages);
  out["assets"] = Names(threat.assets, model.assets);
  Json mappings = Json::array();
  for (const FrameworkGroup& group : threat.mappings) {
    const CatalogInfo& catalog = model.catalogs[group.catalog];
    Json g;
    g["framework"] = catalog.framework;
    g["catalog"] = catalog.name;
    g["version"] = catalog.version;
    g["entries"] = Refs(model, group.refs);
    mappings.push_back(std::move(g));
  }
  out["mappings"] = std::move(mappings);
  Json mitigations = Json::array();
  for (size_t m : threat.mitigations) {
    const MitigationTrace& mitigation = model.mitigations[m];
    Json j;
    j["name"] = mitigation.info.name;
    j["title"] = mitigation.info.title;
    j["type"] = mitigation.type;
    j["effectiveness"] = mitigation.effectiveness;
    j["controls"] = Refs(model, mitigation.controls);
    mitigations.push_back(std::move(j));
  }
  out["mitigations"] = std::move(mitigations);
  Json detections = Json::array();
  for (size_t d : threat.detections) {
    const DetectionTrace& detection = model.detections[d];
    Json j;
    j["name"] = detection.info.name;
    j["title"] = detection.info.title;
    j["kind"] = detection.kind;
    j["id"] = detection.stable_id;
    j["level"] = detection.level;
    j["tests"] = detection.tests.size();
    detections.push_back(std::move(j));
  }
  out["detections"] = std::move(detections);
  out["refines"] = Names(threat.refines, model.threats);
  out["refined_by"] = Names(threat.refined_by, model.threats);
  out["detected_through"] = Names(threat.detected_through, model.threats);
  out["detection_gap"] = threat.detection_gap;
  out["coverage"] = CoverageStateName(threat.coverage());
  out["residual_risk"] = Residual(threat.residual);
  return out;
}

Json CoverageJson(const TraceModel& model) {
  const Coverage& c = model.coverage;
  Json out;
  out["threats"] = c.threats;
  out["mitigated"] = c.mitigated;
  out["detected"] = c.detected;
  out["detected_through_refinement"] = c.detected_through_refinement;
  out["detection_gaps"] = c.detection_gaps;
  out["mitigated_and_detected"] = c.both;
  out["uncovered"] = c.uncovered;
  out["mitigations"] = c.mitigations;
  out["mitigations_unused"] = c.mitigations_unused;
  out["mitigations_unmapped"] = c.mitigations_unmapped;
  out["detections"] = c.detections;
  out["detections_tested"] = c.detections_tested;
  out["detections_orphan"] = c.detections_orphan;
  out["tests"] = c.tests;
  Json residual;
  for (Rating rating : kRatingsDescending) {
    residual[RatingName(rating)] = c.residual[static_cast<size_t>(rating)];
  }
  out["residual"] = std::move(residual);
  Json frameworks = Json::array();
  for (const FrameworkCoverage& fc : c.frameworks) {
    const CatalogInfo& catalog = model.catalogs[fc.catalog];
    Json f;
    f["framework"] = catalog.framework;
    f["catalog"] = catalog.name;
    f["version"] = catalog.version;
    f["entries"] = fc.entries;
    f["referenced"] = fc.referenced;
    f["mapped_by_threats"] = fc.mapped_by_threats;
    f["covered"] = fc.covered;
    f["implementable"] = fc.implementable;
    f["implemented"] = fc.implemented;
    frameworks.push_back(std::move(f));
  }
  out["frameworks"] = std::move(frameworks);
  return out;
}

}  // namespace

std::string PrintJson(const TraceModel& model) {
  Json root;
  root["format"] = "ward-mapping";
  root["format_version"] = "1.0";
  root["generated_on"] = model.document_date;
  Json project;
  project["name"] = model.project.name;
  project["version"] = model.project.version;
  project["author"] = model.project.author;
  project["namespace"] = model.project.namespace_uuid;
  root["project"] = std::move(project);
  root["residual_rule"] = std::string(kResidualRule);

  Json catalogs = Json::array();
  for (const CatalogInfo& catalog : model.catalogs) {
    Json c;
    c["name"] = catalog.name;
    c["title"] = catalog.title;
    c["framework"] = catalog.framework;
    c["version"] = catalog.version;
    c["url"] = catalog.url;
    c["entries"] = catalog.entries.size();
    catalogs.push_back(std::move(c));
  }
  root["catalogs"] = std::move(catalogs);

  Json threats = Json::array();
  for (const ThreatTrace& threat : model.threats) threats.push_back(Threat(model, threat));
  root["threats"] = std::move(threats);

  Json mitigations = Json::array();
  for (const MitigationTrace& mitigation : model.mitigations) {
    Json m;
    Common(m, mitigation.info);
    m["type"] = mitigation.type;
    m["effectiveness"] = mitigation.effectiveness;
    m["category"] = mitigation.category;
    m["controls"] = Refs(model, mitigation.controls);
    m["applies_to"] = Names(mitigation.assets, model.assets);
    m["threats"] = Names(mitigation.threats, model.threats);
    mitigations.push_back(std::move(m));
  }
  root["mitigations"] = std::move(mitigations);

  Json detections = Json::array();
  for (const DetectionTrace& detection : model.detections) {
    Json d;
    Common(d, detection.info);
    d["kind"] = detection.kind;
    d["id"] = detection.stable_id;
    d["level"] = detection.level;
    Json tests = Json::array();
    for (const TestInfo& test : detection.tests) {
      tests.push_back(Json{{"name", test.name}, {"expect", test.expect_match ? "match" : "no_match"}});
    }
    d["tests"] = std::move(tests);
    d["threats"] = Names(detection.threats, model.threats);
    detections.push_back(std::move(d));
  }
  root["detections"] = std::move(detections);

  Json assets = Json::array();
  for (const AssetTrace& asset : model.assets) {
    Json a;
    Common(a, asset.info);
    a["kind"] = asset.kind;
    a["maps"] = Refs(model, asset.maps);
    a["threats"] = Names(asset.threats, model.threats);
    assets.push_back(std::move(a));
  }
  root["assets"] = std::move(assets);

  Json controls = Json::array();
  for (const ControlView& view : model.controls) {
    Json c = Ref(model, view.control);
    c.erase("pinned_version");
    c["mitigations"] = Names(view.mitigations, model.mitigations);
    c["threats"] = Names(view.threats, model.threats);
    controls.push_back(std::move(c));
  }
  root["controls"] = std::move(controls);

  Json ids = Json::array();
  for (const FrameworkIdView& view : model.framework_ids) {
    Json v = Ref(model, view.ref);
    v.erase("pinned_version");
    v["deprecated"] = model.EntryOf(view.ref).deprecated;
    Json entities = Json::array();
    for (const EntityLink& link : view.entities) {
      entities.push_back(Json{{"kind", link.kind}, {"name", link.name}, {"relation", link.relation}});
    }
    v["entities"] = std::move(entities);
    ids.push_back(std::move(v));
  }
  root["framework_ids"] = std::move(ids);

  root["coverage"] = CoverageJson(model);

  Json gaps = Json::array();
  for (const Gap& gap : model.gaps) {
    Json g;
    g["kind"] = GapKindName(gap.kind);
    g["subject_kind"] = gap.subject_kind;
    if (gap.subject_kind == "threat") {
      g["subject"] = model.threats[gap.subject].info.name;
      g["severity"] = model.threats[gap.subject].severity;
    } else if (gap.subject_kind == "detection") {
      g["subject"] = model.detections[gap.subject].info.name;
    } else {
      g["subject"] = model.mitigations[gap.subject].info.name;
    }
    g["message"] = gap.message;
    gaps.push_back(std::move(g));
  }
  root["gaps"] = std::move(gaps);

  // Invalid UTF-8 cannot reach here through the frontend; `replace` keeps a
  // hand-built model from throwing all the same.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace ward::backends::mapping
