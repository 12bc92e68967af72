#ifndef WARD_COMPILER_CATALOG_IMPORT_IMPORTED_CATALOG_H_
#define WARD_COMPILER_CATALOG_IMPORT_IMPORTED_CATALOG_H_

#include <string>
#include <utility>
#include <vector>

namespace ward::import {

// One entry of a catalog built from an official distribution, before it is
// written as Ward text. Everything here is already checked: IDs are unique and
// non-empty, parents name IDs of the same catalog, keys are Ward identifiers.
struct ImportedEntry {
  std::string id;
  std::string title;  // may be empty
  std::string kind;   // a Ward identifier: tactic, technique, risk, control...
  std::vector<std::string> parents;
  bool deprecated = false;
  std::string renamed_to;  // empty when the entry was not renamed
  // Further facts kept on the entry, in the order they are written. Each
  // value is one or more strings (a list when there are several).
  std::vector<std::pair<std::string, std::vector<std::string>>> extra;
};

// A run of entries written under one `// ---- heading` comment.
struct ImportedSection {
  std::string heading;
  std::vector<ImportedEntry> entries;
};

struct ImportedCatalog {
  std::string package = "catalogs";
  std::string name;       // the catalog declaration's name, e.g. `atlas`
  std::string title;      // "MITRE ATLAS"
  std::string framework;  // a Ward identifier, e.g. `mitre_atlas`
  std::string version;    // from the source file (or --version)
  std::string url;
  std::vector<std::string> header;  // comment lines written above `package`
  std::vector<ImportedSection> sections;

  size_t EntryCount() const {
    size_t n = 0;
    for (const ImportedSection& section : sections) n += section.entries.size();
    return n;
  }
};

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_IMPORTED_CATALOG_H_
