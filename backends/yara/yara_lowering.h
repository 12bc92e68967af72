#ifndef WARD_BACKENDS_YARA_YARA_LOWERING_H_
#define WARD_BACKENDS_YARA_YARA_LOWERING_H_

// IR -> YARA model. Every YARA detection becomes one Rule; rules are grouped
// into one RuleFile per Ward package; files and the rules inside them are
// put in an order in which every rule is defined before it is used (see
// rule_order.h). The result is fully resolved: printing needs no IR.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backends/yara/yara_model.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::backends::yara {

struct LoweringOptions {
  std::string build_date;  // fallback for a missing `date` meta
};

struct LoweredProgram {
  std::vector<RuleFile> files;  // include order: dependencies first
  std::map<const ir::Detection*, std::string> rule_names;
};

// The emitted name of every YARA detection, unique across the program.
std::map<const ir::Detection*, std::string> AssignRuleNames(const ir::Program& program);

// One rule, with its references resolved through `names`. Reports E0607 for
// a reference to something that is not an emitted YARA rule.
Rule LowerRule(const ir::Program& program, const ir::Detection& detection,
               const std::map<const ir::Detection*, std::string>& names,
               const LoweringOptions& options, DiagnosticEngine& diags);

// The whole program. Returns nullopt, after reporting, when references form
// a cycle (E0614) or name something that is not a YARA rule (E0607).
std::optional<LoweredProgram> LowerProgram(const ir::Program& program,
                                           const LoweringOptions& options,
                                           DiagnosticEngine& diags);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_LOWERING_H_
