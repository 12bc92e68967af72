#ifndef WARD_BACKENDS_YARA_YARA_ESCAPE_H_
#define WARD_BACKENDS_YARA_YARA_ESCAPE_H_

// Literal syntax of YARA 4.2 rule text. Everything produced here is pure
// printable ASCII: libyara 4.2.3 rejects non-ASCII bytes in a rule body, so
// other bytes are written as \xNN escapes that stand for exactly that byte.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backends/yara/yara_model.h"

namespace ward::backends::yara {

// A double-quoted text string (text strings, meta values, condition
// literals, base64 alphabets) that YARA reads back as exactly `bytes`.
std::string QuoteText(std::string_view bytes);

// A regex body to put between slashes. The Ward body is kept as written,
// except that raw control and non-ASCII bytes become \xNN and an unescaped
// `/` becomes `\/`, which do not change what it matches.
std::string EscapeRegexBody(std::string_view body);

// `/body/` followed by the i and s flags.
std::string FormatRegex(std::string_view body, bool nocase, bool dotall);

// The body of a hex string without braces: `4D 5A ?? 4? [2-4] ( 00 | 01 )`.
std::string FormatHexTokens(const std::vector<HexToken>& tokens);

// A decimal integer literal (negative values keep their minus sign; the
// printer decides whether they need parentheses).
std::string FormatInteger(int64_t value);

// A float literal in YARA's only form, digits.digits (no exponent).
std::string FormatFloat(double value);

// Modifiers in one fixed order: nocase wide ascii fullword private xor
// base64 base64wide. An empty result means no modifier.
std::string FormatModifiers(const StringModifiers& modifiers);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_ESCAPE_H_
