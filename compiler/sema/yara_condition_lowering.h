#ifndef WARD_COMPILER_SEMA_YARA_CONDITION_LOWERING_H_
#define WARD_COMPILER_SEMA_YARA_CONDITION_LOWERING_H_

// Resolves and lowers the `condition:` of a YARA detection: string
// references ($a #a @a !a, sets, `them`), loop variables, modules, built-in
// readers (uint8 ...) and references to other YARA detections, with the
// limits of libyara 4.2 (loop nesting, loop variables, percentages, 4.3-only
// features). Rule-set wildcards (`any of (pickle_*)`) need every detection
// and are resolved later by ResolveYaraRuleSets.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/sema/detection_kind.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// Where the members of a rule set were written: `entries` is aligned with
// ir::YaraExpr::set, `rules` with ir::YaraExpr::rule_set.
struct RuleSetSpans {
  std::vector<Span> entries;
  std::vector<Span> rules;
};
using RuleSetSpanTable = std::map<const ir::YaraExpr*, RuleSetSpans>;

// The modules YARA 4.2 (Debian's build) can import.
const std::vector<std::string>& YaraModules();

class YaraConditionLowering {
 public:
  // `strings` get their `used` flag set; `modules` collects the modules used.
  YaraConditionLowering(LoweringContext& ctx, const ir::Detection& self,
                        std::vector<ir::YaraString>& strings, std::set<std::string>& modules,
                        RuleSetSpanTable& rule_set_spans);
  ~YaraConditionLowering();
  YaraConditionLowering(const YaraConditionLowering&) = delete;
  YaraConditionLowering& operator=(const YaraConditionLowering&) = delete;

  ir::YaraExprPtr Lower(const ast::YaraExpr& condition);

  // An unused-string error for a string the author meant to name would only
  // repeat an undefined-string error. True once a string pattern (`$a*`)
  // matched nothing, when any string may be the one meant...
  bool reported_undefined_string() const;
  // ...and otherwise the strings offered as "did you mean" for an undefined
  // name (`$popen` for `$pope`); other unused strings are still reported.
  const std::set<std::string>& meant_strings() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Resolves the wildcard entries of rule sets (`any of (pickle_*)`) to the
// YARA detections of the same package, the referring one excluded (YARA
// wildcards cover rules defined before the rule itself). Reports E0607 for a
// pattern that matches none.
void ResolveYaraRuleSets(ir::Program& program, RuleSetSpanTable& spans, DiagnosticEngine& diags);

// Reports E0614 for every cycle of rule references (rule names and rule
// sets): YARA rules can only use rules defined before them.
void CheckYaraRuleCycles(const ir::Program& program, const RuleSetSpanTable& spans,
                         DiagnosticEngine& diags);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_YARA_CONDITION_LOWERING_H_
