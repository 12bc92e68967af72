#ifndef WARD_BACKENDS_MAPPING_MAPPING_OPTIONS_H_
#define WARD_BACKENDS_MAPPING_MAPPING_OPTIONS_H_

// Options of the mapping backend (BackendContext::options).
//
//   mapping-formats=markdown,csv,json,stix,oscal,navigator,html   (default: all)
//
// selects which documents Emit adds under mappings/. An unknown format name
// is reported (E0802) and ignored.

#include <map>
#include <string>

#include "compiler/support/diagnostic.h"

namespace ward::backends::mapping {

struct MappingOptions {
  bool markdown = true;   // traceability.md
  bool csv = true;        // traceability.csv
  bool json = true;       // traceability.json
  bool stix = true;       // stix-bundle.json
  bool oscal = true;      // oscal-mapping.json
  bool navigator = true;  // navigator-atlas.json, navigator-attack.json
  bool html = true;       // report.html
};

// Reads the options this backend knows and ignores the others (the map is
// shared by all backends).
MappingOptions ParseMappingOptions(const std::map<std::string, std::string>& options,
                                   DiagnosticEngine& diags);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_MAPPING_OPTIONS_H_
