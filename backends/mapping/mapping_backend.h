#ifndef WARD_BACKENDS_MAPPING_MAPPING_BACKEND_H_
#define WARD_BACKENDS_MAPPING_MAPPING_BACKEND_H_

// The mapping backend: traceability documents from threat to mitigation to
// framework control to detection, under mappings/ (docs/mappings.md):
// traceability.md / .csv / .json, stix-bundle.json, oscal-mapping.json,
// navigator-atlas.json / navigator-attack.json and report.html.
//
// It runs after the Sigma and YARA backends (the driver's order) and copies
// the rules they emitted into the STIX indicators' patterns.

#include <memory>

#include "backends/common/backend.h"

namespace ward::backends::mapping {

std::unique_ptr<Backend> MakeMappingBackend();

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_MAPPING_BACKEND_H_
