#ifndef WARD_COMPILER_CATALOG_IMPORT_IMPORT_OPTIONS_H_
#define WARD_COMPILER_CATALOG_IMPORT_IMPORT_OPTIONS_H_

#include <string>
#include <vector>

namespace ward::import {

// What every importer needs besides its input files.
struct ImportOptions {
  std::string name;                // catalog name; empty: the importer's default
  std::string package = "catalogs";
  std::string version;             // overrides (or supplies) the source's version
  std::vector<std::string> header;  // comment lines: the command, notes
};

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_IMPORT_OPTIONS_H_
