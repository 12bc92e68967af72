#include "compiler/catalog_import/cosai_import.h"

#include <array>
#include <map>

#include <fmt/format.h>

#include "compiler/catalog_import/catalog_builder.h"
#include "compiler/catalog_import/ward_text.h"

namespace ward::import {
namespace {

// The four lists the importer reads, each from the file that holds it.
enum class Part { kRisks, kControls, kComponents, kPersonas };
constexpr std::array<const char*, 4> kPartKeys = {"risks", "controls", "components", "personas"};

class CosaiReader {
 public:
  CosaiReader(YamlSource& yaml, const std::map<Part, const YamlDocument*>& parts)
      : yaml_(yaml), parts_(parts), build_(yaml) {
    risk_categories_ = build_.AddSection("risk categories");
    risks_ = build_.AddSection("risks");
    control_categories_ = build_.AddSection("control categories");
    controls_ = build_.AddSection("controls");
    component_categories_ = build_.AddSection("component categories and subcategories");
    components_ = build_.AddSection("components");
    personas_ = build_.AddSection("personas");
  }

  void Read() {
    ReadList(Part::kRisks, [this](const YamlDocument& d, const YAML::Node& n) { ReadRisk(d, n); });
    if (const YamlDocument* doc = Doc(Part::kControls)) ReadControlCategories(*doc);
    ReadList(Part::kControls,
             [this](const YamlDocument& d, const YAML::Node& n) { ReadControl(d, n); });
    if (const YamlDocument* doc = Doc(Part::kComponents)) ReadComponentCategories(*doc);
    ReadList(Part::kComponents,
             [this](const YamlDocument& d, const YAML::Node& n) { ReadComponent(d, n); });
    ReadList(Part::kPersonas,
             [this](const YamlDocument& d, const YAML::Node& n) { ReadPersona(d, n); });
  }

  bool Finish(ImportedCatalog& catalog) { return build_.Finish(catalog); }

 private:
  const YamlDocument* Doc(Part part) const {
    auto it = parts_.find(part);
    return it == parts_.end() ? nullptr : it->second;
  }
  bool Have(Part part) const { return Doc(part) != nullptr; }

  template <typename Fn>
  void ReadList(Part part, Fn read) {
    const YamlDocument* doc = Doc(part);
    if (!doc) return;
    const char* key = kPartKeys[static_cast<size_t>(part)];
    const YAML::Node list = YamlSource::Get(doc->root, key);
    if (!yaml_.ExpectSequence(*doc, list, fmt::format("`{}` in `{}`", key, doc->path))) return;
    for (const YAML::Node& item : list) read(*doc, item);
  }

  // id + title of one object; nullptr after reporting.
  ImportedEntry* Declare(const YamlDocument& doc, const YAML::Node& object, size_t section,
                         const std::string& kind, const char* what) {
    if (!yaml_.ExpectMap(doc, object, fmt::format("a CoSAI {}", what))) return nullptr;
    std::optional<std::string> id = yaml_.RequiredString(doc, object, "id", fmt::format("a {}", what));
    if (!id) return nullptr;
    const std::string described = fmt::format("{} {}", what, *id);
    std::optional<std::string> title = yaml_.Text(doc, object, "title", described);
    if (!title) return nullptr;
    if (title->empty()) {
      yaml_.RequiredString(doc, object, "title", described);  // reports the missing title
      return nullptr;
    }
    return build_.Add(section, doc, YamlSource::Get(object, "id"), *id, FoldWhitespace(*title),
                      kind, what);
  }

  // `key: [IDs]` kept on the entry as `extra_key`, each ID checked to be of
  // `kind` when the file defining that kind was given. `words` are the
  // special values (`all`, `none`) the risk map allows instead of a list.
  void Links(const YamlDocument& doc, const YAML::Node& object, ImportedEntry& entry,
             const char* key, const char* extra_key, const std::string& kind, Part defined_in,
             const std::vector<std::string>& words = {}) {
    const std::string what = fmt::format("{} {}", entry.kind, entry.id);
    auto items = yaml_.StringList(doc, object, key, what, words);
    if (!items || items->empty()) return;
    // StringList accepts a bare scalar only when it is one of `words`.
    const bool word = YamlSource::Get(object, key).IsScalar();
    std::vector<std::string> values;
    for (const YamlSource::Item& item : *items) {
      if (!word && Have(defined_in)) build_.Refer(doc, item.node, item.text, what, {kind});
      values.push_back(item.text);
    }
    entry.extra.emplace_back(extra_key, std::move(values));
  }

  // `mappings: {framework: [values]}` as `maps_<framework>` properties.
  void Mappings(const YamlDocument& doc, const YAML::Node& object, ImportedEntry& entry) {
    const YAML::Node mappings = YamlSource::Get(object, "mappings");
    if (!mappings.IsDefined() || mappings.IsNull()) return;
    const std::string what = fmt::format("`mappings` of {} {}", entry.kind, entry.id);
    if (!yaml_.ExpectMap(doc, mappings, what)) return;
    for (const auto& pair : mappings) {
      if (!pair.first.IsScalar()) continue;
      const std::string framework = pair.first.Scalar();
      auto values = yaml_.StringList(doc, mappings, framework, what);
      if (!values || values->empty()) continue;
      std::string key = "maps_" + ToWardIdentifier(framework);
      for (int n = 2; HasExtra(entry, key); ++n) key = fmt::format("maps_{}_{}", ToWardIdentifier(framework), n);
      std::vector<std::string> texts;
      for (const YamlSource::Item& item : *values) texts.push_back(FoldWhitespace(item.text));
      entry.extra.emplace_back(key, std::move(texts));
    }
  }

  static bool HasExtra(const ImportedEntry& entry, const std::string& key) {
    for (const auto& [k, v] : entry.extra) {
      if (k == key) return true;
    }
    return false;
  }

  // A `category: ID` (or `subcategory`) field that must name an entry of `kind`.
  std::optional<std::string> Parent(const YamlDocument& doc, const YAML::Node& object,
                                    ImportedEntry& entry, const char* key, const std::string& kind,
                                    bool required = true) {
    const std::string what = fmt::format("{} {}", entry.kind, entry.id);
    std::optional<std::string> id = required ? yaml_.RequiredString(doc, object, key, what)
                                             : yaml_.OptionalString(doc, object, key, what);
    if (!id) return std::nullopt;
    entry.parents.push_back(*id);
    build_.Refer(doc, YamlSource::Get(object, key), *id, what, {kind});
    return id;
  }

  void ReadRisk(const YamlDocument& doc, const YAML::Node& risk) {
    ImportedEntry* entry = Declare(doc, risk, risks_, "risk", "risk");
    if (!entry) return;
    // Risk categories have IDs but no titles in the risk map: declare each
    // the first time a risk names it.
    const YAML::Node category = YamlSource::Get(risk, "category");
    if (auto id = Parent(doc, risk, *entry, "category", "risk_category")) {
      build_.Add(risk_categories_, doc, category, *id, "", "risk_category",
                 "risk category", /*merge_same=*/true);
    }
    Links(doc, risk, *entry, "controls", "controls", "control", Part::kControls);
    Links(doc, risk, *entry, "personas", "personas", "persona", Part::kPersonas);
    Mappings(doc, risk, *entry);
  }

  void ReadControlCategories(const YamlDocument& doc) {
    const YAML::Node categories = YamlSource::Get(doc.root, "categories");
    if (!categories.IsDefined() || categories.IsNull()) return;
    if (!yaml_.ExpectSequence(doc, categories, "`categories` of the controls file")) return;
    for (const YAML::Node& category : categories) {
      Declare(doc, category, control_categories_, "control_category", "control category");
    }
  }

  void ReadControl(const YamlDocument& doc, const YAML::Node& control) {
    ImportedEntry* entry = Declare(doc, control, controls_, "control", "control");
    if (!entry) return;
    Parent(doc, control, *entry, "category", "control_category");
    Links(doc, control, *entry, "risks", "risks", "risk", Part::kRisks, {"all"});
    Links(doc, control, *entry, "components", "components", "component", Part::kComponents,
          {"all", "none"});
    Links(doc, control, *entry, "personas", "personas", "persona", Part::kPersonas);
    Mappings(doc, control, *entry);
  }

  void ReadComponentCategories(const YamlDocument& doc) {
    const YAML::Node categories = YamlSource::Get(doc.root, "categories");
    if (!categories.IsDefined() || categories.IsNull()) return;
    if (!yaml_.ExpectSequence(doc, categories, "`categories` of the components file")) return;
    for (const YAML::Node& category : categories) {
      ImportedEntry* entry = Declare(doc, category, component_categories_, "component_category",
                                     "component category");
      if (!entry) continue;
      const std::string parent = entry->id;
      const YAML::Node subs = YamlSource::Get(category, "subcategory");
      if (!subs.IsDefined() || subs.IsNull()) continue;
      if (!yaml_.ExpectSequence(doc, subs, "`subcategory` of component category " + parent)) {
        continue;
      }
      for (const YAML::Node& sub : subs) {
        ImportedEntry* child = Declare(doc, sub, component_categories_, "component_subcategory",
                                       "component subcategory");
        if (child) child->parents.push_back(parent);
      }
    }
  }

  void ReadComponent(const YamlDocument& doc, const YAML::Node& component) {
    ImportedEntry* entry = Declare(doc, component, components_, "component", "component");
    if (!entry) return;
    // The subcategory is the closer parent; the category is implied by it,
    // but is checked too so that a mismatched pair is caught.
    const std::string what = "component " + entry->id;
    std::optional<std::string> category = yaml_.RequiredString(doc, component, "category", what);
    if (category) {
      build_.Refer(doc, YamlSource::Get(component, "category"), *category, what,
                   {"component_category"});
    }
    if (!Parent(doc, component, *entry, "subcategory", "component_subcategory", false) &&
        category) {
      entry->parents.push_back(*category);
    }
    const YAML::Node edges = YamlSource::Get(component, "edges");
    if (edges.IsDefined() && !edges.IsNull() && yaml_.ExpectMap(doc, edges, "`edges` of " + what)) {
      Links(doc, edges, *entry, "to", "flows_to", "component", Part::kComponents);
    }
  }

  void ReadPersona(const YamlDocument& doc, const YAML::Node& persona) {
    ImportedEntry* entry = Declare(doc, persona, personas_, "persona", "persona");
    if (!entry) return;
    const std::string what = "persona " + entry->id;
    if (auto deprecated = yaml_.OptionalString(doc, persona, "deprecated", what)) {
      if (*deprecated == "true") {
        entry->deprecated = true;
      } else if (*deprecated != "false") {
        yaml_.Report(Diag(DiagCode::kImportBadStructure,
                          yaml_.At(doc, YamlSource::Get(persona, "deprecated")),
                          fmt::format("`deprecated` of {} should be true or false", what))
                         .Label("expected true or false")
                         .Help("write `deprecated: true`"));
      }
    }
    Mappings(doc, persona, *entry);
  }

  YamlSource& yaml_;
  const std::map<Part, const YamlDocument*>& parts_;
  CatalogBuilder build_;
  size_t risk_categories_ = 0, risks_ = 0, control_categories_ = 0, controls_ = 0;
  size_t component_categories_ = 0, components_ = 0, personas_ = 0;
};

}  // namespace

std::optional<ImportedCatalog> ImportCosai(YamlSource& yaml, const std::vector<YamlDocument>& docs,
                                           const ImportOptions& options) {
  const size_t errors_before = yaml.diags().error_count();
  std::map<Part, const YamlDocument*> parts;
  for (const YamlDocument& doc : docs) {
    if (!yaml.ExpectMap(doc, doc.root, fmt::format("`{}`", doc.path))) continue;
    bool any = false;
    for (size_t i = 0; i < kPartKeys.size(); ++i) {
      const YAML::Node list = YamlSource::Get(doc.root, kPartKeys[i]);
      if (!list.IsDefined()) continue;
      any = true;
      const Part part = static_cast<Part>(i);
      if (auto it = parts.find(part); it != parts.end()) {
        yaml.Report(Diag(DiagCode::kImportWrongFiles, yaml.At(doc, list),
                         fmt::format("`{}` is the second file holding `{}` (the first is `{}`)",
                                     doc.path, kPartKeys[i], it->second->path))
                        .Label("given again here")
                        .Help("pass each file of the risk map once"));
        continue;
      }
      parts[part] = &doc;
    }
    if (!any) {
      yaml.Report(Diag(DiagCode::kImportWrongFiles, yaml.At(doc, doc.root),
                       fmt::format("`{}` holds none of the lists `risks`, `controls`, "
                                   "`components` or `personas`",
                                   doc.path))
                      .Label("not a CoSAI risk-map file")
                      .Help("pass risks.yaml, controls.yaml and optionally components.yaml and "
                            "personas.yaml from risk-map/yaml/"));
    }
  }
  for (Part required : {Part::kRisks, Part::kControls}) {
    if (parts.count(required) || yaml.diags().error_count() != errors_before) continue;
    const char* key = kPartKeys[static_cast<size_t>(required)];
    yaml.Report(Diag(DiagCode::kImportWrongFiles, Span{},
                     fmt::format("no file given holds the `{}` list", key))
                    .Help(fmt::format("pass {}.yaml of the risk map as well", key)));
  }
  if (options.version.empty()) {
    const YamlDocument& first = docs.front();
    yaml.Report(Diag(DiagCode::kImportNoVersion, yaml.At(first, first.root),
                     "the CoSAI risk map files state no version")
                    .Label("no version in this file")
                    .Help("pass the version of the snapshot, e.g. `--version 2026-08-19` (the "
                          "date of the secure-ai-tooling commit you imported)"));
  }
  if (yaml.diags().error_count() != errors_before) return std::nullopt;

  ImportedCatalog catalog;
  catalog.package = options.package;
  catalog.name = options.name.empty() ? "cosai" : options.name;
  catalog.title = "CoSAI Risk Map";
  catalog.framework = "cosai_risk_map";
  catalog.version = FoldWhitespace(options.version);
  catalog.url = "https://github.com/cosai-oasis/secure-ai-tooling";
  catalog.header = options.header;
  CosaiReader reader(yaml, parts);
  reader.Read();
  if (!reader.Finish(catalog)) return std::nullopt;
  if (yaml.diags().error_count() != errors_before) return std::nullopt;
  return catalog;
}

}  // namespace ward::import
