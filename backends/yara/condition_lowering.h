#ifndef WARD_BACKENDS_YARA_CONDITION_LOWERING_H_
#define WARD_BACKENDS_YARA_CONDITION_LOWERING_H_

// IR YaraExpr -> model Expr: rule references become emitted rule names,
// modules and loop variables plain identifiers, string forms lose their
// sigil (the printer adds the right one), rule sets become explicit lists.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "backends/yara/yara_model.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::backends::yara {

class ConditionLowering {
 public:
  ConditionLowering(const std::map<const ir::Detection*, std::string>& names,
                    DiagnosticEngine& diags)
      : names_(names), diags_(diags) {}

  // The frontend bounds the nesting depth of conditions (E0105), so plain
  // recursion is safe here.
  ExprPtr Lower(const ir::YaraExpr& expr);

  // Every rule referenced so far, first use first, each once.
  const std::vector<RuleReference>& references() const { return references_; }
  bool failed() const { return failed_; }

 private:
  ExprPtr LowerOptional(const ir::YaraExpr* expr);
  std::string RuleName(const ir::Detection* rule, Span span);

  const std::map<const ir::Detection*, std::string>& names_;
  DiagnosticEngine& diags_;
  std::vector<RuleReference> references_;
  bool failed_ = false;
};

// "$a", "#a", "@a", "!a" or "a" -> "a"; "$" -> "".
std::string StripSigil(std::string_view id);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_CONDITION_LOWERING_H_
