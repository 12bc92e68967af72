#ifndef WARD_BACKENDS_SIGMA_SIGMA_VALUES_H_
#define WARD_BACKENDS_SIGMA_SIGMA_VALUES_H_

// Sigma value text and modifier chains.
//
// Sigma strings are wildcard patterns: `*` and `?` are wildcards and a
// backslash escapes `*`, `?` and `\`; before any other character a backslash
// is literal (so `C:\Windows` needs no escaping). pySigma reads a trailing
// backslash literally too, but some backends append `*` for `contains` and
// turn it into an escape (pySigma#431), so we always double a trailing one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace ward::backends::sigma {

// The Sigma text that matches exactly `literal` (no wildcard left). Runs of
// backslashes are doubled when a single one could be misread: before a
// wildcard, at the end, or when the run has two or more backslashes (the
// spec recommends `\\\\` for two).
std::string EscapeSigmaString(std::string_view literal);

// pySigma's reading of a Sigma string: the literal text, or nullopt when the
// string contains an unescaped wildcard.
std::optional<std::string> UnescapeSigmaString(std::string_view sigma);

// A Sigma pattern whose only wildcards are a leading and/or a trailing `*`
// says what `contains`, `startswith` or `endswith` says (pySigma's
// wildcards_instead_of_modifiers check flags it). The modifier and the
// Sigma text between the stars; nullopt for any other pattern.
struct AffixPattern {
  ir::SigmaModifier modifier;
  std::string middle;  // still Sigma text: escapes kept
};
std::optional<AffixPattern> AsAffixPattern(std::string_view sigma);

// True if `sigma` contains an unescaped `*` or `?`.
bool HasSigmaWildcard(std::string_view sigma);

// Orders a modifier chain the way Sigma applies it and SigmaHQ writes it:
//   re with i, m, s; then transformations as given (expand, windash, wide,
//   utf16*, base64*); the time part (hour...); fieldref; the comparison
//   (contains, startswith, endswith, lt..gte, cidr, neq, exists); all; cased.
// Transformations keep their relative order: it changes the meaning.
std::vector<ir::SigmaModifier> CanonicalModifierOrder(std::vector<ir::SigmaModifier> mods);

bool HasModifier(const std::vector<ir::SigmaModifier>& mods, ir::SigmaModifier m);

// True if string values under these modifiers are not wildcard patterns
// (regexes, CIDR networks, field names), so they are written unescaped.
bool TakesRawString(const std::vector<ir::SigmaModifier>& mods);

// Shortest decimal text that reads back as `value`, always with a `.` so that
// YAML 1.1 and 1.2 readers both see a float ("3.0", "0.25", "1.0e+300").
std::string FormatFloat(double value);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_VALUES_H_
