#include "compiler/catalog_import/atlas_import.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/catalog_import/catalog_builder.h"
#include "compiler/catalog_import/ward_text.h"

namespace ward::import {
namespace {

class AtlasReader {
 public:
  AtlasReader(YamlSource& yaml, const YamlDocument& doc) : yaml_(yaml), doc_(doc), build_(yaml) {
    tactics_ = build_.AddSection("tactics (in matrix order)");
    techniques_ = build_.AddSection("techniques and sub-techniques");
    mitigations_ = build_.AddSection("mitigations");
  }

  void ReadMatrix(const YAML::Node& matrix, size_t index) {
    const std::string what = fmt::format("matrix {}", index + 1);
    if (!yaml_.ExpectMap(doc_, matrix, what)) return;
    const YAML::Node tactics = YamlSource::Get(matrix, "tactics");
    const YAML::Node techniques = YamlSource::Get(matrix, "techniques");
    if (!tactics.IsDefined() || !techniques.IsDefined()) {
      yaml_.Report(Diag(DiagCode::kImportBadStructure, yaml_.At(doc_, matrix),
                        fmt::format("{} has no `{}` list", what,
                                    tactics.IsDefined() ? "techniques" : "tactics"))
                       .Label("in this matrix")
                       .Help("an ATLAS matrix lists `tactics`, `techniques` and `mitigations`"));
      return;
    }
    if (yaml_.ExpectSequence(doc_, tactics, "`tactics`")) {
      for (const YAML::Node& tactic : tactics) ReadTactic(tactic);
    }
    if (yaml_.ExpectSequence(doc_, techniques, "`techniques`")) {
      for (const YAML::Node& technique : techniques) ReadTechnique(technique);
    }
    const YAML::Node mitigations = YamlSource::Get(matrix, "mitigations");
    if (mitigations.IsDefined() && !mitigations.IsNull() &&
        yaml_.ExpectSequence(doc_, mitigations, "`mitigations`")) {
      for (const YAML::Node& mitigation : mitigations) ReadMitigation(mitigation);
    }
  }

  bool Finish(ImportedCatalog& catalog) {
    // Sorting by ID puts each sub-technique (AML.T0051.000) right after its
    // technique (AML.T0051), and keeps the file stable across releases.
    for (size_t section : {techniques_, mitigations_}) {
      auto& entries = build_.Entries(section);
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& a, const auto& b) { return a->id < b->id; });
    }
    return build_.Finish(catalog);
  }

 private:
  // The `id` and `name` every ATLAS object has; nullptr after reporting.
  ImportedEntry* Declare(const YAML::Node& object, size_t section, const std::string& kind,
                         const char* what) {
    if (!yaml_.ExpectMap(doc_, object, fmt::format("an ATLAS {}", what))) return nullptr;
    std::optional<std::string> id = yaml_.RequiredString(doc_, object, "id", fmt::format("a {}", what));
    if (!id) return nullptr;
    const std::string described = fmt::format("{} {}", what, *id);
    std::optional<std::string> name = yaml_.RequiredString(doc_, object, "name", described);
    if (!name) return nullptr;
    ImportedEntry* entry = build_.Add(section, doc_, YamlSource::Get(object, "id"), *id,
                                      FoldWhitespace(*name), kind, what, /*merge_same=*/true);
    if (entry) ReadAttackReference(object, described, *entry);
    return entry;
  }

  void ReadAttackReference(const YAML::Node& object, const std::string& what,
                           ImportedEntry& entry) {
    const YAML::Node ref = YamlSource::Get(object, "ATT&CK-reference");
    if (!ref.IsDefined() || ref.IsNull()) return;
    if (!yaml_.ExpectMap(doc_, ref, fmt::format("`ATT&CK-reference` of {}", what))) return;
    if (auto id = yaml_.OptionalString(doc_, ref, "id", what)) {
      SetExtra(entry, "attack_id", {FoldWhitespace(*id)});
    }
  }

  static void SetExtra(ImportedEntry& entry, const std::string& key,
                       std::vector<std::string> values) {
    for (auto& [k, v] : entry.extra) {
      if (k == key) {
        for (std::string& value : values) {
          if (std::find(v.begin(), v.end(), value) == v.end()) v.push_back(std::move(value));
        }
        return;
      }
    }
    entry.extra.emplace_back(key, std::move(values));
  }

  static void AddParent(ImportedEntry& entry, const std::string& id) {
    if (std::find(entry.parents.begin(), entry.parents.end(), id) == entry.parents.end()) {
      entry.parents.push_back(id);
    }
  }

  void ReadTactic(const YAML::Node& tactic) { Declare(tactic, tactics_, "tactic", "tactic"); }

  void ReadTechnique(const YAML::Node& technique) {
    const YAML::Node parent = YamlSource::Get(technique, "subtechnique-of");
    const bool sub = parent.IsDefined() && !parent.IsNull();
    ImportedEntry* entry = Declare(technique, techniques_, sub ? "subtechnique" : "technique",
                                   sub ? "sub-technique" : "technique");
    if (!entry) return;
    const std::string what = fmt::format("{} {}", sub ? "sub-technique" : "technique", entry->id);
    if (sub) {
      if (auto id = yaml_.RequiredString(doc_, technique, "subtechnique-of", what)) {
        AddParent(*entry, *id);
        build_.Refer(doc_, parent, *id, "sub-technique " + entry->id, {"technique"});
      }
    } else if (auto tactics = yaml_.StringList(doc_, technique, "tactics", what)) {
      for (const YamlSource::Item& item : *tactics) {
        AddParent(*entry, item.text);
        build_.Refer(doc_, item.node, item.text, "technique " + entry->id, {"tactic"});
      }
    }
    if (auto maturity = yaml_.OptionalString(doc_, technique, "maturity", what)) {
      SetExtra(*entry, "maturity", {FoldWhitespace(*maturity)});
    }
  }

  void ReadMitigation(const YAML::Node& mitigation) {
    ImportedEntry* entry = Declare(mitigation, mitigations_, "mitigation", "mitigation");
    if (!entry) return;
    const std::string what = "mitigation " + entry->id;
    if (auto categories = yaml_.StringList(doc_, mitigation, "category", what)) {
      std::vector<std::string> values;
      for (const YamlSource::Item& item : *categories) values.push_back(FoldWhitespace(item.text));
      if (!values.empty()) SetExtra(*entry, "category", std::move(values));
    }
    // `techniques` holds {id, use} pairs; the `use` prose is MITRE's text and
    // stays out of the catalog, the IDs are facts.
    const YAML::Node techniques = YamlSource::Get(mitigation, "techniques");
    if (!techniques.IsDefined() || techniques.IsNull()) return;
    if (!yaml_.ExpectSequence(doc_, techniques, "`techniques` of " + what)) return;
    std::vector<std::string> ids;
    for (const YAML::Node& use : techniques) {
      // Never assign one YAML::Node to another: yaml-cpp's operator= writes
      // through to the document instead of rebinding.
      const YAML::Node id_node = use.IsMap() ? YamlSource::Get(use, "id") : use;
      std::optional<std::string> id;
      if (use.IsScalar()) {
        id = use.Scalar();
      } else if (yaml_.ExpectMap(doc_, use, "a technique use of " + what)) {
        id = yaml_.RequiredString(doc_, use, "id", "a technique use of " + what);
      }
      if (!id) continue;
      build_.Refer(doc_, id_node, *id, what, {"technique", "subtechnique"});
      if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
    }
    std::sort(ids.begin(), ids.end());
    if (!ids.empty()) SetExtra(*entry, "mitigates", std::move(ids));
  }

  YamlSource& yaml_;
  const YamlDocument& doc_;
  CatalogBuilder build_;
  size_t tactics_ = 0, techniques_ = 0, mitigations_ = 0;
};

}  // namespace

std::optional<ImportedCatalog> ImportAtlas(YamlSource& yaml, const YamlDocument& doc,
                                           const ImportOptions& options) {
  const size_t errors_before = yaml.diags().error_count();
  if (!yaml.ExpectMap(doc, doc.root, "the ATLAS file")) return std::nullopt;
  ImportedCatalog catalog;
  catalog.package = options.package;
  catalog.name = options.name.empty() ? "atlas" : options.name;
  catalog.title = "MITRE ATLAS";
  catalog.framework = "mitre_atlas";
  catalog.url = "https://atlas.mitre.org";
  catalog.header = options.header;

  std::optional<std::string> version = yaml.OptionalString(doc, doc.root, "version", "the ATLAS file");
  if (!options.version.empty()) version = options.version;
  if (!version || FoldWhitespace(*version).empty()) {
    yaml.Report(Diag(DiagCode::kImportNoVersion, yaml.At(doc, doc.root),
                     fmt::format("`{}` states no ATLAS version", doc.path))
                    .Label("no top-level `version` in this file")
                    .Help("pass the release with `--version 5.6.0`, or use the ATLAS.yaml of a "
                          "tagged atlas-data release"));
  } else {
    catalog.version = FoldWhitespace(*version);
  }

  const YAML::Node matrices = YamlSource::Get(doc.root, "matrices");
  if (!matrices.IsDefined()) {
    yaml.Report(Diag(DiagCode::kImportBadStructure, yaml.At(doc, doc.root),
                     fmt::format("`{}` has no `matrices` list", doc.path))
                    .Label("expected `matrices:` at the top level")
                    .Help("pass `dist/ATLAS.yaml` of mitre-atlas/atlas-data"));
    return std::nullopt;
  }
  if (!yaml.ExpectSequence(doc, matrices, "`matrices`")) return std::nullopt;
  AtlasReader reader(yaml, doc);
  size_t index = 0;
  for (const YAML::Node& matrix : matrices) reader.ReadMatrix(matrix, index++);
  if (!reader.Finish(catalog)) return std::nullopt;
  if (yaml.diags().error_count() != errors_before) return std::nullopt;
  if (catalog.sections.size() < 2 || catalog.sections[1].entries.empty()) {
    yaml.Report(Diag(DiagCode::kImportBadStructure, yaml.At(doc, matrices),
                     fmt::format("`{}` holds no techniques", doc.path))
                    .Label("no matrix here lists any technique")
                    .Help("pass `dist/ATLAS.yaml` of mitre-atlas/atlas-data"));
    return std::nullopt;
  }
  return catalog;
}

}  // namespace ward::import
