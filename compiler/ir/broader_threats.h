// The threats a detection speaks for once refinement is followed upwards.
//
// A detection linked to `ws4_agentic.tool_description_poisoning`, which
// `refines: riskmap.prompt_injection`, catches a prompt injection too: the
// rule it emits should carry the broader threat's framework IDs (the CoSAI
// risk, the OWASP entry) even though only the narrow threat names them.
#pragma once

#include <set>
#include <vector>

#include "compiler/ir/ir.h"

namespace ward::ir {

// `threats` first, in their order, then every threat they refine,
// transitively, breadth first in each threat's `refines` order; each threat
// once. Sema rejects refinement cycles, but the walk stops on them anyway.
inline std::vector<const Threat*> WithBroaderThreats(const std::vector<const Threat*>& threats) {
  std::vector<const Threat*> out;
  std::set<const Threat*> seen;
  for (const Threat* threat : threats) {
    if (threat != nullptr && seen.insert(threat).second) out.push_back(threat);
  }
  for (size_t i = 0; i < out.size(); ++i) {
    for (const Threat* broader : out[i]->refines) {
      if (broader != nullptr && seen.insert(broader).second) out.push_back(broader);
    }
  }
  return out;
}

}  // namespace ward::ir
