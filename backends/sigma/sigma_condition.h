#ifndef WARD_BACKENDS_SIGMA_SIGMA_CONDITION_H_
#define WARD_BACKENDS_SIGMA_SIGMA_CONDITION_H_

// The `condition:` string of a Sigma detection: printing with minimal
// parentheses, and folding `a and b` / `not x and not y` into `all of
// selection_*` / `not 1 of filter_main_*` where a pattern names exactly the
// identifiers in question.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "backends/sigma/sigma_model.h"

namespace ward::backends::sigma {

// Flattens nested and/or of the same kind, removes double negation and
// repeated operands, and collapses one-operand and/or nodes.
void SimplifyCondition(Condition& cond);

// Replaces groups of two or more references under one and/or by an `x of
// pattern` when the pattern (which always contains `*`) matches exactly that
// group among `identifiers`:
//   a and b -> all of p        not a and not b -> not 1 of p
//   a or b  -> 1 of p          not a or not b  -> not all of p
void FoldQuantifiers(Condition& cond, const std::vector<std::string>& identifiers);

// Sigma's precedence, loosest first: or, and, not, `x of`/identifier.
std::string PrintCondition(const Condition& cond);

// `*` matches any run of characters; everything else literally; whole name.
bool GlobMatch(std::string_view pattern, std::string_view name);

// The identifiers a condition uses (patterns expanded against `identifiers`).
std::set<std::string> ReferencedIdentifiers(const Condition& cond,
                                            const std::vector<std::string>& identifiers);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_CONDITION_H_
