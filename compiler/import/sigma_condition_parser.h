#ifndef WARD_COMPILER_IMPORT_SIGMA_CONDITION_PARSER_H_
#define WARD_COMPILER_IMPORT_SIGMA_CONDITION_PARSER_H_

// Sigma's condition language, parsed into ir::SigmaExpr:
//   expr := and ('or' and)*         loosest
//   and  := not ('and' not)*
//   not  := 'not' not | atom
//   atom := '(' expr ')' | ('1' | 'any' | 'all') 'of' (pattern | 'them') | identifier
// Keywords are case-insensitive. Identifiers become kSelection nodes;
// `1 of p` / `all of p` become kOr / kAnd over the identifiers matching the
// pattern (`*` is any run of characters), in declaration order; `them` means
// every identifier except those starting with `_` (as pySigma reads it).
// A Sigma 1 aggregation (`| count() ...`, `| near ...`) is refused with E1002.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::import {

struct ConditionSource {
  std::string_view text;
  // Span of character i of `text` is {file, base + i, ...} when `exact`;
  // otherwise every problem is reported at `whole`.
  FileId file = kNoFile;
  uint32_t base = 0;
  bool exact = false;
  Span whole;
};

// `identifiers` in declaration order; `used[i]` is set for every identifier
// the condition refers to. Returns null after reporting an error.
ir::SigmaExprPtr ParseSigmaCondition(const ConditionSource& source,
                                     const std::vector<std::string>& identifiers,
                                     std::vector<bool>& used, DiagnosticEngine& diags);

// `*` matches any run of characters, everything else itself; whole name.
bool MatchesIdentifierPattern(std::string_view pattern, std::string_view name);

}  // namespace ward::import

#endif  // WARD_COMPILER_IMPORT_SIGMA_CONDITION_PARSER_H_
