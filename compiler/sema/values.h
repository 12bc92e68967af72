#ifndef WARD_COMPILER_SEMA_VALUES_H_
#define WARD_COMPILER_SEMA_VALUES_H_

// Typed access to property values, reporting E0303/E0301/E0302/E0309 with the
// span of the offending value. Every getter returns nullopt after reporting.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// `key: a, b` and `key: [a, b]` both give {a, b}; nested lists are flattened.
std::vector<const ast::Value*> Flatten(const ast::Property& prop);

// Exactly one value expected (a one-element list is accepted).
const ast::Value* Single(const ast::Property& prop, DiagnosticEngine& diags);

// Reports E0010 and returns false when `text`, given by the string at
// `span`, is not valid UTF-8 (a `\xNN` escape above 0x7F). Text that goes
// into documents must be UTF-8; only YARA strings and data take raw bytes.
bool RequireUtf8(std::string_view text, Span span, std::string_view what,
                 DiagnosticEngine& diags);

// GetString and GetStrings are for text (metadata, IDs): they also require
// UTF-8. AsString takes any bytes.
std::optional<std::string> GetString(const ast::Property& prop, DiagnosticEngine& diags);
std::optional<std::string> AsString(const ast::Value& value, std::string_view what,
                                    DiagnosticEngine& diags);
std::optional<std::vector<std::string>> GetStrings(const ast::Property& prop,
                                                   DiagnosticEngine& diags);
std::optional<bool> GetBool(const ast::Property& prop, DiagnosticEngine& diags);
std::optional<int64_t> GetInteger(const ast::Property& prop, DiagnosticEngine& diags);

// An enum written as a bare name (`severity: high`) or a string. Reports
// E0301 with the allowed values and a did-you-mean.
std::optional<std::string> GetEnum(const ast::Property& prop,
                                   const std::vector<std::string>& allowed,
                                   DiagnosticEngine& diags);
// Same, for one value (used for list properties such as `stage`).
std::optional<std::string> AsEnum(const ast::Value& value, std::string_view property,
                                  const std::vector<std::string>& allowed,
                                  DiagnosticEngine& diags);

// A calendar date, written 2025-06-01 or "2025-06-01" (E0302).
std::optional<ir::Date> GetDate(const ast::Property& prop, DiagnosticEngine& diags);
// Parses YYYY-MM-DD; nullopt if malformed or not a real date.
std::optional<ir::Date> ParseDate(std::string_view text);

// A Sigma-style timespan `10m` (s, m, h, d; also w, M, y): seconds (E0309).
std::optional<uint64_t> GetDurationSeconds(const ast::Property& prop, std::string* as_written,
                                           DiagnosticEngine& diags);

// Converts an object/list/scalar value to JSON (test events). Object keys
// with dots become nested objects: { user.role: "x" } -> {"user":{"role":"x"}}.
nlohmann::json ToJson(const ast::Value& value);

// Human name of a value's kind for messages: "a string", "a list"...
const char* DescribeValue(const ast::Value& value);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_VALUES_H_
