#ifndef WARD_COMPILER_CATALOG_IMPORT_CATALOG_IMPORT_H_
#define WARD_COMPILER_CATALOG_IMPORT_CATALOG_IMPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::import {

// `ward import catalog FORMAT FILE... [-o OUT]`: turns an official
// machine-readable distribution into a Ward catalog file.
struct CatalogImportRequest {
  std::string format;               // "atlas" or "cosai"
  std::vector<std::string> inputs;  // source files
  std::string output;               // the .ward file to write; empty: return the text only
  std::string name;                 // catalog name (default: the format's)
  std::string package = "catalogs";
  std::string version;              // overrides or supplies the source's version
  std::vector<std::string> notes;   // extra header comment lines (provenance)
};

struct CatalogImportResult {
  bool ok = false;
  bool io_error = false;  // the output could not be written (E0001)
  std::string text;       // the catalog file (also when it was written)
  std::string summary;    // "MITRE ATLAS 5.6.0: 16 tactics, ..."
};

// The formats `ward import catalog` reads.
const std::vector<std::string>& CatalogImportFormats();

// A command-line mistake (unknown format, a name that is not a Ward
// identifier, wrong number of files), or nullopt if the request is usable.
std::optional<std::string> CheckCatalogImportRequest(const CatalogImportRequest& request);

// Reads the inputs, reports every problem to `diags` (E1020-E1026, with
// file:line:col through `sources`) and, when there is none, writes the
// catalog to `request.output` atomically: a failed import leaves an existing
// file untouched.
CatalogImportResult ImportCatalog(const CatalogImportRequest& request, SourceManager& sources,
                                  DiagnosticEngine& diags);

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_CATALOG_IMPORT_H_
