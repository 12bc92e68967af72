#ifndef WARD_COMPILER_CATALOG_IMPORT_ATLAS_IMPORT_H_
#define WARD_COMPILER_CATALOG_IMPORT_ATLAS_IMPORT_H_

#include <optional>

#include "compiler/catalog_import/import_options.h"
#include "compiler/catalog_import/imported_catalog.h"
#include "compiler/catalog_import/yaml_source.h"

namespace ward::import {

// MITRE ATLAS from `dist/ATLAS.yaml` of mitre-atlas/atlas-data: every tactic
// (matrix order), technique and sub-technique (by ID, each sub-technique after
// its technique) and mitigation (by ID). The version is the file's `version`.
// Techniques list their tactics as parents, sub-techniques their technique;
// mitigations keep the techniques they address as `mitigates`.
// Returns nullopt after reporting when the file cannot be used.
std::optional<ImportedCatalog> ImportAtlas(YamlSource& yaml, const YamlDocument& doc,
                                           const ImportOptions& options);

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_ATLAS_IMPORT_H_
