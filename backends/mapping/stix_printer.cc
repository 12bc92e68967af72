// mappings/stix-bundle.json: the trace as STIX 2.1, for threat-intelligence
// platforms. One identity (the project, creator of everything else), an
// attack-pattern per threat, a course-of-action per mitigation, an indicator
// per detection, and `mitigates` / `indicates` / `refines` relationships.
//
// Determinism: every id is `<type>--<UUIDv5(project namespace, key)>` with
// key "<type>:<qualified name>" (relationships: "relationship:<source id>
// <type> <target id>"), and timestamps come from the entities' own `date` /
// `modified` (else the document date), never from the clock.

#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "backends/mapping/framework_refs.h"
#include "backends/mapping/printers.h"
#include "compiler/support/uuid.h"

namespace ward::backends::mapping {
namespace {

using Json = nlohmann::ordered_json;

std::string Timestamp(const std::string& date) { return date + "T00:00:00.000Z"; }

struct Stamps {
  std::string created, modified;  // YYYY-MM-DD
};

Stamps StampsOf(const EntityInfo& info, const std::string& fallback) {
  Stamps s;
  s.created = info.date.empty() ? fallback : info.date;
  s.modified = std::max(info.modified.empty() ? s.created : info.modified, s.created);
  return s;
}

class StixWriter {
 public:
  StixWriter(const TraceModel& model, const std::map<std::string, EmittedRule>& rules)
      : model_(model), rules_(rules) {
    identity_ = Id("identity", model.project.name);
  }

  std::string Print() {
    Json objects = Json::array();
    objects.push_back(Identity());
    std::vector<Stamps> threat_stamps, mitigation_stamps, detection_stamps;
    for (const ThreatTrace& threat : model_.threats) {
      threat_stamps.push_back(StampsOf(threat.info, model_.document_date));
      objects.push_back(AttackPattern(threat, threat_stamps.back()));
    }
    for (const MitigationTrace& mitigation : model_.mitigations) {
      mitigation_stamps.push_back(StampsOf(mitigation.info, model_.document_date));
      objects.push_back(CourseOfAction(mitigation, mitigation_stamps.back()));
    }
    for (const DetectionTrace& detection : model_.detections) {
      detection_stamps.push_back(StampsOf(detection.info, model_.document_date));
      objects.push_back(Indicator(detection, detection_stamps.back()));
    }
    for (size_t t = 0; t < model_.threats.size(); ++t) {
      const std::string target = Id("attack-pattern", model_.threats[t].info.name);
      for (size_t m : model_.threats[t].mitigations) {
        objects.push_back(Relationship(Id("course-of-action", model_.mitigations[m].info.name),
                                       "mitigates", target, mitigation_stamps[m],
                                       threat_stamps[t]));
      }
      for (size_t d : model_.threats[t].detections) {
        objects.push_back(Relationship(Id("indicator", model_.detections[d].info.name),
                                       "indicates", target, detection_stamps[d],
                                       threat_stamps[t]));
      }
      // STIX defines no attack-pattern -> attack-pattern type for "is a
      // narrower case of"; the schema admits any lower-case token, so the
      // link keeps Ward's own word and says what it means.
      for (size_t broader : model_.threats[t].refines) {
        Json link = Relationship(target, "refines",
                                 Id("attack-pattern", model_.threats[broader].info.name),
                                 threat_stamps[t], threat_stamps[broader]);
        link["description"] = "The source threat is a narrower case of the target threat; a "
                              "detection of the source also detects the target.";
        objects.push_back(std::move(link));
      }
    }
    Json bundle;
    bundle["type"] = "bundle";
    bundle["id"] = Id("bundle", model_.project.name);
    bundle["objects"] = std::move(objects);
    return bundle.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  }

 private:
  std::string Id(const std::string& type, const std::string& key) const {
    return type + "--" +
           UuidV5(model_.project.namespace_uuid, type + ":" + key).value_or(std::string());
  }

  Json Common(const std::string& type, const std::string& id, const Stamps& stamps) const {
    Json out;
    out["type"] = type;
    out["spec_version"] = "2.1";
    out["id"] = id;
    if (type != "identity") out["created_by_ref"] = identity_;
    out["created"] = Timestamp(stamps.created);
    out["modified"] = Timestamp(stamps.modified);
    return out;
  }

  Json Identity() const {
    Json out = Common("identity", identity_, {model_.document_date, model_.document_date});
    out["name"] = model_.project.name;
    std::string description = "Threat model " + model_.project.name + " " +
                              model_.project.version + ", compiled by Ward";
    if (!model_.project.author.empty()) description += "; author: " + model_.project.author;
    out["description"] = description;
    out["identity_class"] = "organization";
    return out;
  }

  static Json WardRef(const std::string& name) {
    return Json{{"source_name", "ward"}, {"external_id", name}};
  }

  Json FrameworkRefJson(const FrameworkRef& ref) const {
    const CatalogInfo& catalog = model_.CatalogOf(ref);
    const CatalogEntryInfo& entry = model_.EntryOf(ref);
    Json out;
    out["source_name"] = StixSourceName(catalog.framework);
    out["external_id"] = entry.id;
    std::string description = catalog.title.empty() ? catalog.framework : catalog.title;
    description += " " + catalog.version;
    if (!entry.title.empty()) description += ": " + entry.title;
    out["description"] = description;
    if (auto url = EntryUrl(catalog.framework, entry.id)) out["url"] = *url;
    return out;
  }

  // Ward's own reference first, then the framework IDs, then the sources.
  Json ExternalRefs(const EntityInfo& info, const std::vector<FrameworkRef>& refs) const {
    Json out = Json::array();
    out.push_back(WardRef(info.name));
    for (const FrameworkRef& ref : refs) out.push_back(FrameworkRefJson(ref));
    for (const std::string& url : info.references) {
      out.push_back(Json{{"source_name", "reference"}, {"url", url}});
    }
    return out;
  }

  // The tactics of every ATLAS / ATT&CK technique the threat maps to, as
  // kill-chain phases (a sub-technique inherits its parent's tactics).
  Json KillChain(const ThreatTrace& threat) const {
    Json out = Json::array();
    std::set<std::pair<std::string, std::string>> seen;
    for (const FrameworkGroup& group : threat.mappings) {
      const CatalogInfo& catalog = model_.catalogs[group.catalog];
      const KnownFramework known = Classify(catalog.framework);
      if (known != KnownFramework::kAtlas && known != KnownFramework::kAttack) continue;
      const std::string chain = StixSourceName(catalog.framework);
      for (const FrameworkRef& ref : group.refs) {
        for (const CatalogEntryInfo* tactic : TacticsOf(catalog, catalog.entries[ref.entry])) {
          std::string phase = TacticShortName(tactic->title.empty() ? tactic->id : tactic->title);
          if (seen.insert({chain, phase}).second) {
            out.push_back(Json{{"kill_chain_name", chain}, {"phase_name", phase}});
          }
        }
      }
    }
    return out;
  }

  static std::vector<const CatalogEntryInfo*> TacticsOf(const CatalogInfo& catalog,
                                                        const CatalogEntryInfo& entry) {
    std::vector<const CatalogEntryInfo*> out;
    if (!IsTechnique(entry)) return out;
    for (const std::string& parent_id : entry.parents) {
      size_t p = catalog.Find(parent_id);
      if (p == catalog.entries.size()) continue;
      const CatalogEntryInfo& parent = catalog.entries[p];
      if (IsTactic(parent)) {
        out.push_back(&parent);
      } else if (IsTechnique(parent)) {
        for (const std::string& grand_id : parent.parents) {
          size_t g = catalog.Find(grand_id);
          if (g != catalog.entries.size() && IsTactic(catalog.entries[g])) {
            out.push_back(&catalog.entries[g]);
          }
        }
      }
    }
    return out;
  }

  Json AttackPattern(const ThreatTrace& threat, const Stamps& stamps) const {
    Json out = Common("attack-pattern", Id("attack-pattern", threat.info.name), stamps);
    out["name"] = threat.info.label();
    if (!threat.info.description.empty()) out["description"] = threat.info.description;
    std::vector<FrameworkRef> refs;
    for (const FrameworkGroup& group : threat.mappings) {
      refs.insert(refs.end(), group.refs.begin(), group.refs.end());
    }
    out["external_references"] = ExternalRefs(threat.info, refs);
    Json kill_chain = KillChain(threat);
    if (!kill_chain.empty()) out["kill_chain_phases"] = std::move(kill_chain);
    // STIX reserves `severity` (core.json forbids it on SDOs), hence x_ward_.
    out["x_ward_severity"] = threat.severity;
    out["x_ward_likelihood"] = threat.likelihood;
    out["x_ward_impact"] = threat.impact;
    out["x_ward_coverage"] = CoverageStateName(threat.coverage());
    out["x_ward_residual_risk"] = RatingName(threat.residual.rating);
    if (threat.declared_gap()) out["x_ward_detection_gap"] = threat.detection_gap;
    return out;
  }

  Json CourseOfAction(const MitigationTrace& mitigation, const Stamps& stamps) const {
    Json out = Common("course-of-action", Id("course-of-action", mitigation.info.name), stamps);
    out["name"] = mitigation.info.label();
    if (!mitigation.info.description.empty()) out["description"] = mitigation.info.description;
    out["external_references"] = ExternalRefs(mitigation.info, mitigation.controls);
    out["x_ward_type"] = mitigation.type;
    out["x_ward_effectiveness"] = mitigation.effectiveness;
    return out;
  }

  Json Indicator(const DetectionTrace& detection, const Stamps& stamps) const {
    Json out = Common("indicator", Id("indicator", detection.info.name), stamps);
    out["name"] = detection.info.label();
    if (!detection.info.description.empty()) out["description"] = detection.info.description;
    out["indicator_types"] = Json::array({"malicious-activity"});
    auto rule = rules_.find(EmittedRuleKey(detection.kind, detection.stable_id));
    if (rule != rules_.end()) {
      out["pattern"] = rule->second.text;
    } else {
      // The rule was not emitted in this build (say `--emit mapping` alone):
      // a reference a reader can follow, flagged so no tool runs it.
      out["pattern"] = detection.kind + " rule " + detection.stable_id + " (Ward detection " +
                       detection.info.name + "); emit it with `ward build --emit " +
                       detection.kind + "`";
    }
    out["pattern_type"] = detection.kind;
    out["valid_from"] = Timestamp(stamps.created);
    out["external_references"] = Json::array({WardRef(detection.info.name)});
    out["x_ward_rule_id"] = detection.stable_id;
    out["x_ward_level"] = detection.level;
    out["x_ward_test_count"] = detection.tests.size();
    if (rule != rules_.end()) {
      out["x_ward_rule_path"] = rule->second.path;
    } else {
      out["x_ward_pattern_is_reference"] = true;
    }
    return out;
  }

  Json Relationship(const std::string& source, const std::string& type,
                    const std::string& target, const Stamps& a, const Stamps& b) const {
    const Stamps stamps{std::max(a.created, b.created), std::max(a.modified, b.modified)};
    Json out = Common("relationship", Id("relationship", source + " " + type + " " + target),
                      stamps);
    out["relationship_type"] = type;
    out["source_ref"] = source;
    out["target_ref"] = target;
    return out;
  }

  const TraceModel& model_;
  const std::map<std::string, EmittedRule>& rules_;
  std::string identity_;
};

}  // namespace

std::string PrintStixBundle(const TraceModel& model,
                            const std::map<std::string, EmittedRule>& rules) {
  return StixWriter(model, rules).Print();
}

}  // namespace ward::backends::mapping
