#ifndef WARD_COMPILER_SEMA_SIGMA_VALUE_CHECKS_H_
#define WARD_COMPILER_SEMA_SIGMA_VALUE_CHECKS_H_

// Checks of single Sigma values that need more than a type test: regular
// expressions (compiled with PCRE2, the flavour Sigma's `re` is a subset
// of), CIDR networks and `expand` placeholders. Each returns what is wrong,
// or nothing; the caller turns it into a diagnostic with the value's span.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ward::sema {

struct RegexFlags {
  bool caseless = false;   // i
  bool multiline = false;  // m
  bool dotall = false;     // s
};

struct RegexError {
  std::string message;  // PCRE2's own text
  size_t offset = 0;    // byte offset in the pattern where PCRE2 stopped
};

std::optional<RegexError> CheckSigmaRegex(std::string_view pattern, RegexFlags flags);

struct CidrError {
  std::string message;
  std::optional<std::string> suggestion;  // the network address, for host bits
};

// An IPv4 or IPv6 network such as `10.0.0.0/8` or `fe80::/10`; a bare address
// is a /32 or /128. Host bits must be zero, as Python's ip_network (pySigma)
// requires.
std::optional<CidrError> CheckCidr(std::string_view text);

// `expand` values need at least one `%name%` placeholder; `\%` is a literal
// percent sign. Returns what is wrong.
std::optional<std::string> CheckPlaceholders(std::string_view text);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SIGMA_VALUE_CHECKS_H_
