#include "compiler/ir/ir_json.h"

#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "compiler/support/text_util.h"

namespace ward::ir {
namespace {

using json = nlohmann::ordered_json;

class JsonWriter {
 public:
  JsonWriter(const Program& program, const SourceManager& sources)
      : program_(program), sources_(sources) {}

  json Write() {
    json out;
    out["format"] = "ward-ir";
    out["format_version"] = 1;
    out["project"] = {{"name", program_.manifest.name},
                      {"version", program_.manifest.version},
                      {"author", program_.manifest.author},
                      {"namespace", program_.manifest.namespace_uuid}};
    json catalogs = json::array();
    for (const auto& c : program_.catalogs) catalogs.push_back(Catalog(*c));
    out["catalogs"] = catalogs;
    json assets = json::array();
    for (const auto& a : program_.assets) {
      json j = Header(*a);
      j["kind"] = a->asset_kind;
      j["maps"] = Refs(a->maps);
      assets.push_back(j);
    }
    out["assets"] = assets;
    json personas = json::array();
    for (const auto& p : program_.personas) {
      json j = Header(*p);
      j["maps"] = Refs(p->maps);
      personas.push_back(j);
    }
    out["personas"] = personas;
    json threats = json::array();
    for (const auto& t : program_.threats) threats.push_back(Threat(*t));
    out["threats"] = threats;
    json mitigations = json::array();
    for (const auto& m : program_.mitigations) mitigations.push_back(Mitigation(*m));
    out["mitigations"] = mitigations;
    json detections = json::array();
    for (const auto& d : program_.detections) detections.push_back(Detection(*d));
    out["detections"] = detections;
    json filters = json::array();
    for (const auto& f : program_.filters) {
      json j = Header(*f);
      j["id"] = StableId(program_, *f);
      j["logsource"] = Logsource(f->logsource);
      j["applies_to_any"] = f->applies_to_any;
      j["rules"] = Names(f->rules);
      j["selections"] = Selections(f->selections);
      j["condition"] = f->condition ? Sigma(*f->condition) : json();
      filters.push_back(j);
    }
    out["filters"] = filters;
    return out;
  }

 private:
  // Paths are written relative to the ruleset root so the document is the
  // same on every machine.
  std::string RelativeToRoot(const std::string& path) const {
    if (program_.manifest.root.empty()) return path;
    std::error_code ec;
    auto rel = std::filesystem::relative(path, program_.manifest.root, ec);
    if (ec || rel.empty() || rel.native().rfind("..", 0) == 0) return path;
    return rel.generic_string();
  }

  std::string Where(Span span) const {
    const SourceFile* file = sources_.Get(span.file);
    if (!file) return "";
    Location loc = file->Locate(span.begin);
    return RelativeToRoot(file->path()) + ":" + std::to_string(loc.line) + ":" +
           std::to_string(loc.column);
  }

  json MetaJson(const Meta& m) const {
    json j;
    j["title"] = m.title;
    if (!m.description.empty()) j["description"] = m.description;
    if (!m.status.empty()) j["status"] = m.status;
    if (!m.author.empty()) j["author"] = m.author;
    if (m.date) j["date"] = m.date->str();
    if (m.modified) j["modified"] = m.modified->str();
    if (!m.references.empty()) j["references"] = m.references;
    if (!m.tags.empty()) j["tags"] = m.tags;
    return j;
  }

  json Header(const Entity& e) const {
    json j;
    j["name"] = e.qualified_name();
    j["location"] = Where(e.span);
    j["meta"] = MetaJson(e.meta);
    return j;
  }

  template <typename T>
  json Names(const std::vector<const T*>& items) const {
    json out = json::array();
    for (const T* item : items) out.push_back(item->qualified_name());
    return out;
  }

  json Refs(const std::vector<CatalogRef>& refs) const {
    json out = json::array();
    for (const CatalogRef& r : refs) {
      json j;
      j["catalog"] = r.entry->catalog->qualified_name();
      j["framework"] = r.entry->catalog->framework;
      j["id"] = r.entry->id;
      j["title"] = r.entry->title;
      if (!r.pinned_version.empty()) j["pinned_version"] = r.pinned_version;
      out.push_back(j);
    }
    return out;
  }

  json Catalog(const ir::Catalog& c) const {
    json j = Header(c);
    j["framework"] = c.framework;
    j["version"] = c.version;
    if (!c.url.empty()) j["url"] = c.url;
    json entries = json::array();
    for (const auto& e : c.entries) {
      json je;
      je["id"] = e->id;
      je["title"] = e->title;
      if (!e->kind.empty()) je["kind"] = e->kind;
      if (!e->parents.empty()) je["parents"] = e->parents;
      if (e->deprecated) je["deprecated"] = true;
      if (e->renamed_to) je["renamed_to"] = *e->renamed_to;
      for (const auto& [k, v] : e->extra) je[k] = v;
      entries.push_back(je);
    }
    j["entries"] = entries;
    return j;
  }

  json Threat(const ir::Threat& t) const {
    json j = Header(t);
    j["severity"] = SeverityName(t.severity);
    j["likelihood"] = LikelihoodName(t.likelihood);
    j["impact"] = ImpactName(t.impact);
    if (!t.category.empty()) j["category"] = t.category;
    j["stages"] = t.stages;
    j["affects"] = Names(t.affects);
    j["personas"] = Names(t.personas);
    j["maps"] = Refs(t.maps);
    j["mitigations"] = Names(t.mitigations);
    j["detections"] = Names(t.detections);
    // Written only when used, so models without refinements read as before.
    if (!t.refines.empty()) j["refines"] = Names(t.refines);
    if (!t.refined_by.empty()) j["refined_by"] = Names(t.refined_by);
    if (!t.detection_gap.empty()) j["detection_gap"] = t.detection_gap;
    return j;
  }

  json Mitigation(const ir::Mitigation& m) const {
    json j = Header(m);
    j["type"] = MitigationTypeName(m.type);
    j["effectiveness"] = EffectivenessName(m.effectiveness);
    if (!m.category.empty()) j["category"] = m.category;
    j["implements"] = Refs(m.implements);
    j["applies_to"] = Names(m.applies_to);
    j["personas"] = Names(m.personas);
    j["threats"] = Names(m.threats);
    return j;
  }

  static json Value(const SigmaValue& v) {
    switch (v.kind) {
      case SigmaValue::Kind::kString:
        return v.wildcards ? json{{"pattern", v.text}} : json(v.text);
      case SigmaValue::Kind::kInteger: return v.integer;
      case SigmaValue::Kind::kFloat: return v.real;
      case SigmaValue::Kind::kBool: return v.boolean;
      case SigmaValue::Kind::kNull: return nullptr;
    }
    return nullptr;
  }

  json Sigma(const SigmaExpr& e) const {
    json j;
    switch (e.kind) {
      case SigmaExpr::Kind::kAnd:
      case SigmaExpr::Kind::kOr:
      case SigmaExpr::Kind::kNot: {
        json children = json::array();
        for (const auto& c : e.children) children.push_back(Sigma(*c));
        j[e.kind == SigmaExpr::Kind::kAnd ? "and" : e.kind == SigmaExpr::Kind::kOr ? "or" : "not"] =
            children;
        break;
      }
      case SigmaExpr::Kind::kSelection:
        j["selection"] = e.selection;
        break;
      case SigmaExpr::Kind::kMatch: {
        j["field"] = e.field.empty() ? json() : json(e.field);
        json mods = json::array();
        for (SigmaModifier m : e.modifiers) mods.push_back(SigmaModifierName(m));
        j["modifiers"] = mods;
        json values = json::array();
        for (const auto& v : e.values) values.push_back(Value(v));
        j["values"] = values;
        break;
      }
    }
    return j;
  }

  json Selections(const std::vector<SigmaSelection>& selections) const {
    json out = json::array();
    for (const auto& s : selections) {
      out.push_back({{"name", s.name}, {"expr", s.expr ? Sigma(*s.expr) : json()}});
    }
    return out;
  }

  static json Logsource(const ir::Logsource& l) {
    json j = json::object();
    if (!l.category.empty()) j["category"] = l.category;
    if (!l.product.empty()) j["product"] = l.product;
    if (!l.service.empty()) j["service"] = l.service;
    if (!l.definition.empty()) j["definition"] = l.definition;
    for (const auto& [k, v] : l.extra) j[k] = v;
    return j;
  }

  // Stable names: the enum's numbering is an implementation detail.
  static const char* YaraKindName(YaraExpr::Kind kind) {
    using K = YaraExpr::Kind;
    switch (kind) {
      case K::kOr: return "or";
      case K::kAnd: return "and";
      case K::kNot: return "not";
      case K::kDefined: return "defined";
      case K::kBinary: return "binary";
      case K::kUnary: return "unary";
      case K::kInteger: return "integer";
      case K::kFloat: return "float";
      case K::kText: return "text";
      case K::kRegex: return "regex";
      case K::kBool: return "bool";
      case K::kFilesize: return "filesize";
      case K::kEntrypoint: return "entrypoint";
      case K::kStringMatch: return "string_match";
      case K::kStringCount: return "string_count";
      case K::kStringOffset: return "string_offset";
      case K::kStringLength: return "string_length";
      case K::kRuleRef: return "rule_ref";
      case K::kModule: return "module";
      case K::kLoopVar: return "loop_var";
      case K::kMember: return "member";
      case K::kIndex: return "index";
      case K::kCall: return "call";
      case K::kOf: return "of";
      case K::kForOf: return "for_of";
      case K::kForIn: return "for_in";
    }
    return "unknown";
  }

  // YARA text literals are bytes; JSON strings must be UTF-8.
  static std::string EscapeBytes(std::string_view bytes) {
    if (IsValidUtf8(bytes)) return std::string(bytes);
    std::string out;
    for (char c : bytes) {
      auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7f && c != '\\') {
        out += c;
      } else {
        out += fmt::format("\\x{:02x}", u);
      }
    }
    return out;
  }

  json Yara(const YaraExpr& e) const {
    json j;
    j["kind"] = YaraKindName(e.kind);
    if (!e.op.empty()) j["op"] = e.op;
    if (e.kind == YaraExpr::Kind::kInteger) j["value"] = e.integer;
    if (e.kind == YaraExpr::Kind::kFloat) j["value"] = e.real;
    if (e.kind == YaraExpr::Kind::kBool) j["value"] = e.boolean;
    if (!e.text.empty()) {
      if (e.kind == YaraExpr::Kind::kText && !IsValidUtf8(e.text)) {
        j["text_escaped"] = EscapeBytes(e.text);
      } else {
        j["text"] = EscapeBytes(e.text);
      }
    }
    if (!e.string_id.empty()) j["string"] = e.string_id;
    if (e.rule) j["rule"] = e.rule->qualified_name();
    if (!e.set.empty()) j["set"] = e.set;
    if (e.them) j["them"] = true;
    if (!e.vars.empty()) j["vars"] = e.vars;
    json children = json::array();
    for (const auto& c : e.children) children.push_back(Yara(*c));
    if (!children.empty()) j["children"] = children;
    if (e.range_low) j["range"] = {Yara(*e.range_low), Yara(*e.range_high)};
    if (e.body) j["body"] = Yara(*e.body);
    return j;
  }

  json Detection(const ir::Detection& d) const {
    json j = Header(d);
    j["kind"] = d.detection_kind;
    j["id"] = StableId(program_, d);
    j["level"] = LevelName(d.level);
    if (!d.falsepositives.empty()) j["falsepositives"] = d.falsepositives;
    json related = json::array();
    for (const auto& r : d.related) related.push_back({{"type", r.type}, {"id", r.id}});
    if (!related.empty()) j["related"] = related;
    j["threats"] = Names(d.threats);
    if (const auto* sigma = d.As<SigmaLogic>()) {
      j["logsource"] = Logsource(sigma->logsource);
      j["selections"] = Selections(sigma->selections);
      if (sigma->condition) j["condition"] = Sigma(*sigma->condition);
      if (sigma->correlation) {
        const Correlation& c = *sigma->correlation;
        json jc;
        jc["type"] = c.type;
        jc["rules"] = Names(c.rules);
        jc["group_by"] = c.group_by;
        jc["timespan"] = c.timespan;
        json cond = json::array();
        for (const auto& t : c.condition) cond.push_back({{"op", t.op}, {"value", t.value}});
        jc["condition"] = cond;
        if (!c.condition_field.empty()) jc["field"] = c.condition_field;
        jc["generate"] = c.generate;
        j["correlation"] = jc;
      }
    } else if (const auto* yara = d.As<YaraLogic>()) {
      json strings = json::array();
      for (const auto& s : yara->strings) {
        const char* kind = s.kind == YaraString::Kind::kText  ? "text"
                           : s.kind == YaraString::Kind::kHex ? "hex"
                                                              : "regex";
        strings.push_back({{"id", s.id}, {"kind", kind}});
      }
      j["strings"] = strings;
      if (yara->condition) j["condition"] = Yara(*yara->condition);
      j["modules"] = yara->modules;
      j["private"] = yara->is_private;
      j["global"] = yara->is_global;
    }
    json tests = json::array();
    for (const auto& t : d.tests) {
      json jt;
      jt["name"] = t.name;
      jt["expect"] = t.expect_match ? "match" : "no_match";
      if (!t.events.empty()) jt["events"] = t.events.size();
      if (t.file) jt["file"] = RelativeToRoot(*t.file);
      if (t.data) jt["data_bytes"] = t.data->size();
      tests.push_back(jt);
    }
    j["tests"] = tests;
    return j;
  }

  const Program& program_;
  const SourceManager& sources_;
};

}  // namespace

nlohmann::ordered_json ToJson(const Program& program, const SourceManager& sources) {
  return JsonWriter(program, sources).Write();
}

}  // namespace ward::ir
