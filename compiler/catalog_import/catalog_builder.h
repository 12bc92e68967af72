#ifndef WARD_COMPILER_CATALOG_IMPORT_CATALOG_BUILDER_H_
#define WARD_COMPILER_CATALOG_IMPORT_CATALOG_BUILDER_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog_import/imported_catalog.h"
#include "compiler/catalog_import/yaml_source.h"

namespace ward::import {

// Collects the entries of an imported catalog with the source position of
// each ID, so that unusable or duplicate IDs (E1023) and references to IDs
// the source does not define (E1024) are reported where they are written.
class CatalogBuilder {
 public:
  explicit CatalogBuilder(YamlSource& yaml) : yaml_(yaml) {}

  // Starts a section; entries added to it are written under `heading`.
  size_t AddSection(std::string heading);

  // Adds an entry, or returns nullptr after reporting E1023 when the ID is
  // unusable or taken (`what` names the kind of object: "tactic"). With
  // `merge_same`, an ID declared again with the same kind and title (a tactic
  // listed by two matrices) returns the first entry.
  ImportedEntry* Add(size_t section, const YamlDocument& doc, const YAML::Node& id_node,
                     const std::string& id, const std::string& title, const std::string& kind,
                     std::string_view what, bool merge_same = false);

  // Records that `from` names `id`, which must be an entry of one of `kinds`
  // once every file has been read (checked by Finish).
  void Refer(const YamlDocument& doc, const YAML::Node& node, const std::string& id,
             std::string from, std::vector<std::string> kinds);

  bool Has(std::string_view id) const { return index_.count(std::string(id)) > 0; }

  // Checks every reference and moves the entries into `catalog`'s sections.
  // Returns false if a reference dangled (the diagnostics say which).
  bool Finish(ImportedCatalog& catalog);

  // Entries of a section, to sort them before Finish.
  std::vector<std::unique_ptr<ImportedEntry>>& Entries(size_t section) {
    return sections_[section].entries;
  }

 private:
  struct Section {
    std::string heading;
    std::vector<std::unique_ptr<ImportedEntry>> entries;
  };
  struct Declared {
    ImportedEntry* entry;
    Span span;
  };
  struct Reference {
    Span span;
    std::string id;
    std::string from;
    std::vector<std::string> kinds;
  };

  YamlSource& yaml_;
  std::vector<Section> sections_;
  std::map<std::string, Declared> index_;
  std::vector<Reference> references_;
};

// Why `id` cannot be a Ward catalog ID, or empty if it can.
std::string ProblemWithId(std::string_view id);

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_CATALOG_BUILDER_H_
