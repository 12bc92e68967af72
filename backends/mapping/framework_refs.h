#ifndef WARD_BACKENDS_MAPPING_FRAMEWORK_REFS_H_
#define WARD_BACKENDS_MAPPING_FRAMEWORK_REFS_H_

// What the mapping outputs need to know about particular frameworks: the
// names other tools use for them (STIX source names, Navigator domains),
// the public page of an ATLAS or ATT&CK ID, tactic short names, and the
// OSCAL spelling of NIST SP 800-53 controls. Everything else is treated
// generically, by its catalog's framework name.

#include <optional>
#include <string>
#include <string_view>

#include "backends/mapping/trace_model.h"

namespace ward::backends::mapping {

enum class KnownFramework { kOther, kAtlas, kAttack, kNist80053 };

// mitre_atlas / atlas -> kAtlas, mitre_attack / attack -> kAttack, ...
KnownFramework Classify(std::string_view framework);

// STIX external_references source_name: "mitre-atlas", "mitre-attack", or
// the framework name with `_` turned into `-` ("owasp-llm").
std::string StixSourceName(std::string_view framework);

// The Navigator `domain` for a framework that has a matrix, else nullopt.
std::optional<std::string> NavigatorDomain(std::string_view framework);

// The public page of an ATLAS or ATT&CK tactic, technique, sub-technique or
// mitigation, decided from the ID's shape; nullopt for anything else.
std::optional<std::string> EntryUrl(std::string_view framework, std::string_view id);

// True for entries that a Navigator layer or a matrix cell can show.
bool IsTechnique(const CatalogEntryInfo& entry);
bool IsTactic(const CatalogEntryInfo& entry);

// "AI Model Access" -> "ai-model-access" (the STIX/Navigator short name).
std::string TacticShortName(std::string_view title);

// The ID a control has in the framework's OSCAL catalog: SP 800-53 labels
// become OSCAL ids ("AC-2(1)" -> "ac-2.1"); other IDs are kept as written.
std::string OscalControlId(std::string_view framework, std::string_view id);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_FRAMEWORK_REFS_H_
