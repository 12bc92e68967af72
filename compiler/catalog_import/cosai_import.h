#ifndef WARD_COMPILER_CATALOG_IMPORT_COSAI_IMPORT_H_
#define WARD_COMPILER_CATALOG_IMPORT_COSAI_IMPORT_H_

#include <optional>
#include <vector>

#include "compiler/catalog_import/import_options.h"
#include "compiler/catalog_import/imported_catalog.h"
#include "compiler/catalog_import/yaml_source.h"

namespace ward::import {

// The CoSAI risk map from cosai-oasis/secure-ai-tooling `risk-map/yaml/`:
// risks.yaml and controls.yaml (required), components.yaml and personas.yaml
// (optional), each recognised by its top-level list. Risks, controls and
// components sit under their categories; the risk map's own links (control ->
// risks, components, personas; risk -> controls, personas; component -> next
// components) and framework mappings are kept on each entry. The files carry
// no version, so `options.version` is required.
std::optional<ImportedCatalog> ImportCosai(YamlSource& yaml, const std::vector<YamlDocument>& docs,
                                           const ImportOptions& options);

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_COSAI_IMPORT_H_
