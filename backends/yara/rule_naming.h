#ifndef WARD_BACKENDS_YARA_RULE_NAMING_H_
#define WARD_BACKENDS_YARA_RULE_NAMING_H_

// Identifiers in emitted YARA: rule names, tags and meta keys. All are C
// identifiers of at most 128 characters that are not YARA keywords.
//
// A rule is named after its qualified Ward name with the package's dots
// turned into `_` and `__` between package and name:
//   cosai.supply_chain.pickle_code_exec -> cosai_supply_chain__pickle_code_exec
// all.yar includes every package file, so names must be unique across the
// whole program; RuleNamer resolves the (rare) clashes deterministically.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ward::backends::yara {

inline constexpr size_t kMaxIdentifierLength = 128;

bool IsYaraKeyword(std::string_view word);

// Any text as a YARA identifier: characters outside [A-Za-z0-9_] become `_`,
// a leading digit gets a `_` prefix, a keyword gets a `_` suffix, and text
// longer than 128 characters is cut and ends in `_` plus 8 hex digits of a
// hash of the full text (so two long names stay distinct).
std::string SanitizeIdentifier(std::string_view text);

// The preferred rule name for a qualified Ward name (before clash handling).
std::string BaseRuleName(std::string_view package, std::string_view name);

// 8 lowercase hex digits of FNV-1a over `text`: stable across runs and
// platforms, used for disambiguating suffixes.
std::string ShortHash(std::string_view text);

// Hands out unique rule names. Call Assign in a deterministic order (by
// qualified name): the first holder of a base name keeps it, a later clash
// gets `_<hash of its qualified name>` and, if even that is taken, a counter.
class RuleNamer {
 public:
  std::string Assign(std::string_view package, std::string_view name);

 private:
  std::set<std::string, std::less<>> taken_;
};

// Tags from free-form Ward tags ("supply-chain" -> supply_chain), sanitised
// and deduplicated in first-seen order.
std::vector<std::string> SanitizeTags(const std::vector<std::string>& tags);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_RULE_NAMING_H_
