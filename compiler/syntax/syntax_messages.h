#ifndef WARD_COMPILER_SYNTAX_SYNTAX_MESSAGES_H_
#define WARD_COMPILER_SYNTAX_SYNTAX_MESSAGES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ward::syntax {

// Words for syntax error messages ("expected X, found `tok`"). Kept apart
// from parser.cc, and free of ANTLR types, so the wording is unit-testable:
// tokens are named by their grammar symbols (`LBRACE`, `ID`, `EOF`).
struct ExpectedToken {
  std::string symbol;   // "LBRACE", "ID", "STRING", "EOF"...
  std::string literal;  // the fixed spelling without quotes ("{", "package"); empty if none
};

// "`{`", "a name or `}`", "a string, a number or `[`"; nullopt when the set
// is empty or has more than `max_items` entries (too many to help).
std::optional<std::string> DescribeExpected(const std::vector<ExpectedToken>& tokens,
                                            size_t max_items = 5);

// What a grammar rule reads, for when the expected set is too large to list:
// "value" -> "a value", "yaraExpr" -> "an expression".
std::string DescribeRule(std::string_view rule_name);

// The offending token as shown after "found": "`foo`", "end of file"; long
// or multi-line text is shortened.
std::string DescribeFound(std::string_view symbol, std::string_view text);

// "a", "a or b", "a, b or c" (items used as given).
std::string JoinWithOr(const std::vector<std::string>& items);

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_SYNTAX_MESSAGES_H_
