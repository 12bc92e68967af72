#ifndef WARD_TESTS_EVAL_EVAL_TESTLIB_H_
#define WARD_TESTS_EVAL_EVAL_TESTLIB_H_

// Hand-built Sigma IR for the evaluator tests: predicates, expressions,
// rules, filters and correlations, without the frontend.

#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/eval/sigma_eval.h"
#include "compiler/ir/ir.h"

namespace ward::eval_test {

using Mod = ir::SigmaModifier;
using nlohmann::json;

ir::SigmaValue Str(std::string text);
ir::SigmaValue Like(std::string pattern);  // Sigma wildcard syntax
ir::SigmaValue Int(int64_t value);
ir::SigmaValue Real(double value);
ir::SigmaValue Bool(bool value);
ir::SigmaValue Null();

ir::SigmaExprPtr Leaf(std::string field, std::vector<Mod> modifiers,
                      std::vector<ir::SigmaValue> values);
ir::SigmaExprPtr Keywords(std::vector<Mod> modifiers, std::vector<ir::SigmaValue> values);
ir::SigmaExprPtr Sel(size_t index);
ir::SigmaExprPtr Not(ir::SigmaExprPtr child);
ir::SigmaExprPtr And(std::vector<ir::SigmaExprPtr> children);
ir::SigmaExprPtr Or(std::vector<ir::SigmaExprPtr> children);

ir::Logsource GenAiInference();  // category inference, product gen_ai

// A Sigma detection `package.name` with the given selections and condition.
std::unique_ptr<ir::Detection> MakeRule(std::string name, ir::SigmaExprPtr condition,
                                        std::vector<ir::SigmaSelection> selections = {},
                                        ir::Logsource logsource = GenAiInference());
ir::SigmaSelection Selection(std::string name, ir::SigmaExprPtr expr);

// A correlation detection over `rules`.
std::unique_ptr<ir::Detection> MakeCorrelation(std::string name, std::string type,
                                               std::vector<const ir::Detection*> rules,
                                               std::vector<std::string> group_by,
                                               uint64_t timespan_seconds,
                                               std::vector<ir::CorrelationThreshold> condition,
                                               std::string condition_field = "");

// Compiles a rule whose condition is `condition` and matches `event`;
// fails the test if the rule does not compile.
bool Matches(ir::SigmaExprPtr condition, const json& event, const eval::EvalOptions& options = {});
// The compile errors of a rule with this condition (empty when it compiles).
std::vector<eval::EvalError> CompileErrors(ir::SigmaExprPtr condition,
                                           const eval::EvalOptions& options = {});

}  // namespace ward::eval_test

#endif  // WARD_TESTS_EVAL_EVAL_TESTLIB_H_
