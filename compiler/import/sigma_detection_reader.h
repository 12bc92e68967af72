#ifndef WARD_COMPILER_IMPORT_SIGMA_DETECTION_READER_H_
#define WARD_COMPILER_IMPORT_SIGMA_DETECTION_READER_H_

// The `detection:` section of a rule (and the `filter:` section of a meta
// filter): search identifiers -> ir::SigmaSelection, `condition` ->
// ir::SigmaExpr.
//   - a map ANDs its `field|modifier...: value(s)` items (a value list is
//     ORed, or ANDed under `all`); an empty field (`'|all': [...]`) is a
//     keyword search;
//   - a list of maps ORs the maps; a list of plain values is a keyword list;
//   - string values keep Sigma's wildcard syntax (SigmaValue::wildcards)
//     when they contain an unescaped `*` or `?`, and are unescaped to the
//     exact text otherwise; `re`, `cidr` and `fieldref` values stay raw.

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "compiler/import/sigma_yaml.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::import {

// `section_key` is the key node of `detection` / `filter`, for positions of
// problems about the section as a whole. Keys in `skip` (a filter's `rules`)
// are not search identifiers. Returns false after reporting errors.
bool ReadDetectionSection(const YamlFile& file, const YAML::Node& section_key,
                          const YAML::Node& section, const std::vector<std::string>& skip,
                          DiagnosticEngine& diags, std::vector<ir::SigmaSelection>& selections,
                          ir::SigmaExprPtr& condition);

// The modifier called `name` in a key (`contains`, `re`, `i`...).
std::optional<ir::SigmaModifier> SigmaModifierFromName(std::string_view name);

// pySigma's reading of a Sigma string: after `\`, one of `*`, `?`, `\` is
// literal; any other character keeps the backslash. nullopt if the string
// has an unescaped wildcard.
std::optional<std::string> UnescapeWildcards(std::string_view sigma);

}  // namespace ward::import

#endif  // WARD_COMPILER_IMPORT_SIGMA_DETECTION_READER_H_
