#ifndef WARD_COMPILER_EVAL_RULE_LOGIC_H_
#define WARD_COMPILER_EVAL_RULE_LOGIC_H_

// The boolean structure of one rule or filter (its named selections and its
// condition) compiled over Predicates.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/eval/predicate.h"
#include "compiler/ir/ir.h"

namespace ward::eval {

// One node of a rule's logic, flattened in pre-order: a rule's whole logic
// is one contiguous block, walked without chasing a pointer per node (with
// 1,000 rules, those were mostly cache misses). `ward hunt` lays every
// rule's blocks out in one array (SigmaRule::AppendProgram).
struct RuleOp {
  const Predicate* predicate = nullptr;  // kMatch
  uint32_t end = 0;                      // the index after this node's subtree
  uint32_t target = 0;                   // kSelection: the op evaluated in its place
  uint32_t verdict_id = 0;  // kMatch: predicate->verdict_id(), read without touching it
  ir::SigmaExpr::Kind kind = ir::SigmaExpr::Kind::kAnd;
};

// The verdict of the subtree at `ops[at]`.
template <class Event>  // nlohmann::json or FlatEvent
bool EvalOps(const RuleOp* ops, uint32_t at, const Event& event);

class RuleLogic {
 public:
  // `owner` names the rule or filter in errors; false after appending to
  // `errors`.
  bool Compile(const std::string& owner, const std::vector<ir::SigmaSelection>& selections,
               const ir::SigmaExpr* condition, const EvalOptions& options,
               std::vector<EvalError>& errors);
  bool Match(const nlohmann::json& event) const;
  bool Match(const FlatEvent& event) const;
  bool MatchSelection(size_t index, const nlohmann::json& event) const;
  const std::vector<std::string>& selection_names() const { return selection_names_; }
  // Each predicate, tagged with the selection it belongs to ("" for the condition).
  struct Leaf {
    const Predicate* predicate;
    std::string scope;
  };
  std::vector<Leaf> Leaves() const;
  // Appends the ops to `out`, moved to where they land; returns the
  // condition's op there.
  uint32_t AppendOps(std::vector<RuleOp>& out) const;

 private:
  struct Node {
    ir::SigmaExpr::Kind kind = ir::SigmaExpr::Kind::kAnd;
    std::vector<Node> children;
    size_t index = 0;  // kSelection: selection index; kMatch: predicate index
  };
  bool BuildNode(const ir::SigmaExpr& expr, const std::string& scope, Node& out,
                 const EvalOptions& options, EvalError& error, int depth);
  uint32_t Flatten(const Node& node);
  template <class Event>  // nlohmann::json or FlatEvent
  bool Eval(uint32_t op, const Event& event) const;

  std::vector<std::string> selection_names_;
  std::vector<Node> selections_;  // cleared once flattened
  Node condition_;
  std::vector<RuleOp> ops_;
  std::vector<uint32_t> selection_ops_;  // each selection's first op
  uint32_t condition_op_ = 0;
  std::vector<std::unique_ptr<Predicate>> predicates_;
  std::vector<std::string> predicate_scopes_;
};

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_RULE_LOGIC_H_
