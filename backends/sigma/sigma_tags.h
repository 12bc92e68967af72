#ifndef WARD_BACKENDS_SIGMA_SIGMA_TAGS_H_
#define WARD_BACKENDS_SIGMA_SIGMA_TAGS_H_

// Sigma `tags` of a detection: the catalog entries its threats map to, then
// the detection's own `tags`.
//
// ATT&CK (framework `mitre_attack`) follows Sigma's tag appendix: techniques
// as `attack.t1059.006`, tactics as `attack.<kebab-case name>`, and each
// technique brings the tactics it belongs to (SigmaHQ flags techniques
// without tactics). Sigma has no namespace for the other AI frameworks, so
// Ward writes `<namespace>.<lowercased ID>` with characters outside Sigma's
// tag alphabet turned into `_`: `atlas.aml.t0051.000`, `owasp_llm.llm01_2025`,
// `cosai.riskpromptinjection`. docs/sigma.md explains the choice.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/sigma/sigma_options.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::backends::sigma {

// `^[a-z0-9_-]+\.[a-z0-9._-]+$`, the v2.1 schema's tag pattern.
bool IsValidSigmaTag(std::string_view tag);

// The seven namespaces of Sigma's tag appendix (pySigma's namespace_tag).
bool HasStandardNamespace(std::string_view tag);

// The namespace used for a catalog: attack, atlas, owasp_llm, cosai, or the
// framework name in Sigma's alphabet.
std::string TagNamespace(const ir::Catalog& catalog);

// The tags for one mapped entry (tactics first for ATT&CK techniques).
std::vector<std::string> TagsForEntry(const ir::CatalogEntry& entry);

// A user tag lowercased with spaces as `_`; nullopt if it still does not
// fit the tag pattern.
std::optional<std::string> SanitizeUserTag(std::string_view tag);

// All tags of a detection, de-duplicated in order. Under the sigmahq profile,
// tags outside the standard namespaces are left out (SigmaHQ's validators
// flag both non-standard namespaces and custom top-level fields). User tags
// that cannot be made valid are reported (W0803) and left out.
std::vector<std::string> TagsFor(const ir::Entity& entity,
                                 const std::vector<const ir::Threat*>& threats, Profile profile,
                                 DiagnosticEngine& diags);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_TAGS_H_
