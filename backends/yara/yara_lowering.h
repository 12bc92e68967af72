#ifndef WARD_BACKENDS_YARA_YARA_LOWERING_H_
#define WARD_BACKENDS_YARA_YARA_LOWERING_H_

// IR -> YARA model. Every YARA detection becomes one Rule; rules are grouped
// into one RuleFile per Ward package; files and the rules inside them are
// put in an order in which every rule is defined before it is used (see
// rule_order.h). The result is fully resolved: printing needs no IR.
//
// Lowering is planned for the whole program (names, orders, imports: small)
// and then done one file at a time, so that a caller can print and free each
// file's model before lowering the next (peak memory, docs/performance.md).

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

// One package file as planned: everything but its rules' content.
struct FilePlan {
  std::string package;                      // "cosai.supply_chain"
  std::string path;                         // "cosai.supply_chain.yar", relative to yara/
  std::vector<const ir::Detection*> rules;  // dependency order
  std::vector<std::string> imports;         // union of the rules' modules, sorted
  std::vector<std::string> depends_on;      // other files' paths this one refers to
};

struct ProgramPlan {
  std::vector<FilePlan> files;  // include order: dependencies first
  std::map<const ir::Detection*, std::string> rule_names;
};

// The emitted name of every YARA detection, unique across the program.
std::map<const ir::Detection*, std::string> AssignRuleNames(const ir::Program& program);

// One rule, with its references resolved through `names`. Reports E0607 for
// a reference to something that is not an emitted YARA rule.
Rule LowerRule(const ir::Program& program, const ir::Detection& detection,
               const std::map<const ir::Detection*, std::string>& names,
               const LoweringOptions& options, DiagnosticEngine& diags);

// The whole program's plan. Lowers every rule's condition once, in name
// order, to find its references (and reports what LowerRule would), then
// drops it. Returns nullopt, after reporting, when references form a cycle
// (E0614) or name something that is not a YARA rule (E0607).
std::optional<ProgramPlan> PlanProgram(const ir::Program& program, DiagnosticEngine& diags);

// The rules of one planned file. PlanProgram reported their problems, so
// lowering them again reports nothing.
RuleFile LowerFile(const ir::Program& program, const FilePlan& plan,
                   const std::map<const ir::Detection*, std::string>& names,
                   const LoweringOptions& options);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_LOWERING_H_
