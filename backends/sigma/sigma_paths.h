#ifndef WARD_BACKENDS_SIGMA_SIGMA_PATHS_H_
#define WARD_BACKENDS_SIGMA_SIGMA_PATHS_H_

// Output paths: `sigma/<package path>/<file>.yml`, with SigmaHQ's file-name
// rule `[a-z0-9_]{10,90}\.yml` (and at least one `_`).

#include <string>
#include <string_view>

namespace ward::backends::sigma {

// "cosai.supply_chain" -> "cosai/supply_chain".
std::string PackageDir(std::string_view package);

// The file name without `.yml`: `prefix` + the lowercased name. Names that
// are too short (or have no `_`) get the package's segments in front, last
// segment first (`supply_chain_probe`), then `_sigma_rule` behind; names that
// are too long are cut to 81 characters plus `_` and 8 hex digits of a hash
// of the whole name, so the result stays unique and deterministic.
std::string FileStem(std::string_view name, std::string_view package, std::string_view prefix);

// "sigma/<package dir>/<stem>.yml" ("sigma/<stem>.yml" without a package).
std::string OutputPath(std::string_view package, std::string_view stem);

// True for names matching `[a-z0-9_]{10,90}\.yml` that contain `_` before
// the extension.
bool IsValidSigmaFileName(std::string_view file_name);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_PATHS_H_
