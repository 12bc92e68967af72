#include "tests/eval/eval_testlib.h"

#include <gtest/gtest.h>

namespace ward::eval_test {

ir::SigmaValue Str(std::string text) {
  ir::SigmaValue v;
  v.kind = ir::SigmaValue::Kind::kString;
  v.text = std::move(text);
  return v;
}

ir::SigmaValue Like(std::string pattern) {
  ir::SigmaValue v = Str(std::move(pattern));
  v.wildcards = true;
  return v;
}

ir::SigmaValue Int(int64_t value) {
  ir::SigmaValue v;
  v.kind = ir::SigmaValue::Kind::kInteger;
  v.integer = value;
  return v;
}

ir::SigmaValue Real(double value) {
  ir::SigmaValue v;
  v.kind = ir::SigmaValue::Kind::kFloat;
  v.real = value;
  return v;
}

ir::SigmaValue Bool(bool value) {
  ir::SigmaValue v;
  v.kind = ir::SigmaValue::Kind::kBool;
  v.boolean = value;
  return v;
}

ir::SigmaValue Null() {
  ir::SigmaValue v;
  v.kind = ir::SigmaValue::Kind::kNull;
  return v;
}

ir::SigmaExprPtr Leaf(std::string field, std::vector<Mod> modifiers,
                      std::vector<ir::SigmaValue> values) {
  auto e = std::make_unique<ir::SigmaExpr>();
  e->kind = ir::SigmaExpr::Kind::kMatch;
  e->field = std::move(field);
  e->modifiers = std::move(modifiers);
  e->values = std::move(values);
  return e;
}

ir::SigmaExprPtr Keywords(std::vector<Mod> modifiers, std::vector<ir::SigmaValue> values) {
  return Leaf("", std::move(modifiers), std::move(values));
}

ir::SigmaExprPtr Sel(size_t index) {
  auto e = std::make_unique<ir::SigmaExpr>();
  e->kind = ir::SigmaExpr::Kind::kSelection;
  e->selection = index;
  return e;
}

ir::SigmaExprPtr Not(ir::SigmaExprPtr child) {
  auto e = std::make_unique<ir::SigmaExpr>();
  e->kind = ir::SigmaExpr::Kind::kNot;
  e->children.push_back(std::move(child));
  return e;
}

namespace {
ir::SigmaExprPtr Nary(ir::SigmaExpr::Kind kind, std::vector<ir::SigmaExprPtr> children) {
  auto e = std::make_unique<ir::SigmaExpr>();
  e->kind = kind;
  e->children = std::move(children);
  return e;
}
}  // namespace

ir::SigmaExprPtr And(std::vector<ir::SigmaExprPtr> children) {
  return Nary(ir::SigmaExpr::Kind::kAnd, std::move(children));
}

ir::SigmaExprPtr Or(std::vector<ir::SigmaExprPtr> children) {
  return Nary(ir::SigmaExpr::Kind::kOr, std::move(children));
}

ir::Logsource GenAiInference() {
  ir::Logsource logsource;
  logsource.category = "inference";
  logsource.product = "gen_ai";
  return logsource;
}

ir::SigmaSelection Selection(std::string name, ir::SigmaExprPtr expr) {
  ir::SigmaSelection s;
  s.name = std::move(name);
  s.expr = std::move(expr);
  return s;
}

std::unique_ptr<ir::Detection> MakeRule(std::string name, ir::SigmaExprPtr condition,
                                        std::vector<ir::SigmaSelection> selections,
                                        ir::Logsource logsource) {
  auto d = std::make_unique<ir::Detection>();
  d->package = "test";
  d->name = std::move(name);
  d->detection_kind = "sigma";
  auto logic = std::make_unique<ir::SigmaLogic>();
  logic->logsource = std::move(logsource);
  logic->selections = std::move(selections);
  logic->condition = std::move(condition);
  d->logic = std::move(logic);
  return d;
}

std::unique_ptr<ir::Detection> MakeCorrelation(std::string name, std::string type,
                                               std::vector<const ir::Detection*> rules,
                                               std::vector<std::string> group_by,
                                               uint64_t timespan_seconds,
                                               std::vector<ir::CorrelationThreshold> condition,
                                               std::string condition_field) {
  auto d = std::make_unique<ir::Detection>();
  d->package = "test";
  d->name = std::move(name);
  d->detection_kind = "sigma";
  auto logic = std::make_unique<ir::SigmaLogic>();
  ir::Correlation corr;
  corr.type = std::move(type);
  corr.rules = std::move(rules);
  corr.group_by = std::move(group_by);
  corr.timespan_seconds = timespan_seconds;
  corr.timespan = std::to_string(timespan_seconds) + "s";
  corr.condition = std::move(condition);
  corr.condition_field = std::move(condition_field);
  logic->correlation = std::move(corr);
  d->logic = std::move(logic);
  return d;
}

bool Matches(ir::SigmaExprPtr condition, const json& event, const eval::EvalOptions& options) {
  auto rule = MakeRule("rule", std::move(condition));
  std::vector<eval::EvalError> errors;
  auto compiled = eval::SigmaRule::Compile(*rule, {}, options, errors);
  if (!compiled) {
    ADD_FAILURE() << "rule does not compile: " << (errors.empty() ? "" : errors[0].message);
    return false;
  }
  bool matched = compiled->Match(event);
  // The flat form `ward hunt` evaluates must agree on every case.
  std::string line;
  try {
    if (event.is_object()) line = event.dump();
  } catch (const nlohmann::json::exception&) {
    line.clear();  // invalid UTF-8 built in C++: no JSON text has it
  }
  if (!line.empty()) {
    eval::FlatEvent flat;
    if (flat.Parse(line)) {
      EXPECT_EQ(compiled->Match(flat), matched) << "the flat form disagrees on " << event.dump();
    }
  }
  return matched;
}

std::vector<eval::EvalError> CompileErrors(ir::SigmaExprPtr condition,
                                           const eval::EvalOptions& options) {
  auto rule = MakeRule("rule", std::move(condition));
  std::vector<eval::EvalError> errors;
  eval::SigmaRule::Compile(*rule, {}, options, errors);
  return errors;
}

}  // namespace ward::eval_test
