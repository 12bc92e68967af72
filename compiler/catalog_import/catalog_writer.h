#ifndef WARD_COMPILER_CATALOG_IMPORT_CATALOG_WRITER_H_
#define WARD_COMPILER_CATALOG_IMPORT_CATALOG_WRITER_H_

#include <string>

#include "compiler/catalog_import/imported_catalog.h"

namespace ward::import {

// The catalog as a Ward source file: header comment, `package` line and one
// `catalog` declaration, formatted to 100 columns. The same catalog always
// gives the same bytes.
std::string WriteWardCatalog(const ImportedCatalog& catalog);

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_CATALOG_WRITER_H_
