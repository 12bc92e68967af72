#include "compiler/eval/rule_logic.h"

#include <type_traits>

namespace ward::eval {
namespace {
// Sema bounds nesting well below this; the limit guards hand-built IR.
constexpr int kMaxDepth = 256;
}  // namespace

bool RuleLogic::Compile(const std::string& owner, const std::vector<ir::SigmaSelection>& selections,
                        const ir::SigmaExpr* condition, const EvalOptions& options,
                        std::vector<EvalError>& errors) {
  bool ok = true;
  // Sized first: a selection may use one declared after it.
  selections_.resize(selections.size());
  for (const ir::SigmaSelection& selection : selections) selection_names_.push_back(selection.name);
  for (size_t i = 0; i < selections.size(); ++i) {
    const ir::SigmaSelection& selection = selections[i];
    if (!selection.expr) {
      errors.push_back({owner, "selection `" + selection.name + "` is empty", selection.span});
      ok = false;
      continue;
    }
    EvalError error{owner, {}, {}};
    if (!BuildNode(*selection.expr, selection.name, selections_[i], options, error, 0)) {
      errors.push_back(std::move(error));
      ok = false;
    }
  }
  if (!condition) {
    errors.push_back({owner, "the rule has no condition", {}});
    return false;
  }
  EvalError error{owner, {}, {}};
  if (!BuildNode(*condition, "", condition_, options, error, 0)) {
    errors.push_back(std::move(error));
    ok = false;
  }
  if (!ok) return false;
  for (const Node& selection : selections_) selection_ops_.push_back(Flatten(selection));
  condition_op_ = Flatten(condition_);
  for (RuleOp& op : ops_) {
    if (op.kind == ir::SigmaExpr::Kind::kSelection) op.target = selection_ops_[op.target];
  }
  selections_.clear();
  condition_ = Node();
  return true;
}

uint32_t RuleLogic::Flatten(const Node& node) {
  const auto at = static_cast<uint32_t>(ops_.size());
  ops_.emplace_back();
  ops_[at].kind = node.kind;
  switch (node.kind) {
    case ir::SigmaExpr::Kind::kMatch:
      ops_[at].predicate = predicates_[node.index].get();
      ops_[at].verdict_id = ops_[at].predicate->verdict_id();
      break;
    case ir::SigmaExpr::Kind::kSelection:
      // The selection's index for now: a selection may use one flattened
      // after it, so Compile turns every index into an op once all are.
      ops_[at].target = static_cast<uint32_t>(node.index);
      break;
    default:
      for (const Node& child : node.children) Flatten(child);
      break;
  }
  ops_[at].end = static_cast<uint32_t>(ops_.size());
  return at;
}

bool RuleLogic::BuildNode(const ir::SigmaExpr& expr, const std::string& scope, Node& out,
                          const EvalOptions& options, EvalError& error, int depth) {
  if (depth > kMaxDepth) {
    error.message = "the expression is nested too deeply";
    error.span = expr.span;
    return false;
  }
  out.kind = expr.kind;
  switch (expr.kind) {
    case ir::SigmaExpr::Kind::kSelection:
      if (expr.selection >= selections_.size()) {
        error.message = "reference to an unknown selection";
        error.span = expr.span;
        return false;
      }
      out.index = expr.selection;
      return true;
    case ir::SigmaExpr::Kind::kMatch: {
      auto predicate = Predicate::Compile(expr, options, error);
      if (!predicate) return false;
      out.index = predicates_.size();
      predicates_.push_back(std::move(predicate));
      predicate_scopes_.push_back(scope);
      return true;
    }
    case ir::SigmaExpr::Kind::kNot:
      if (expr.children.size() != 1 || !expr.children[0]) {
        error.message = "`not` needs exactly one operand";
        error.span = expr.span;
        return false;
      }
      break;
    case ir::SigmaExpr::Kind::kAnd:
    case ir::SigmaExpr::Kind::kOr:
      break;
  }
  for (const auto& child : expr.children) {
    if (!child) continue;
    out.children.emplace_back();
    if (!BuildNode(*child, scope, out.children.back(), options, error, depth + 1)) return false;
  }
  return true;
}

template <class Event>
bool EvalOps(const RuleOp* ops, uint32_t at, const Event& event) {
  const RuleOp& op = ops[at];
  switch (op.kind) {
    case ir::SigmaExpr::Kind::kAnd:
      for (uint32_t child = at + 1; child < op.end; child = ops[child].end) {
        if (!EvalOps(ops, child, event)) return false;
      }
      return true;
    case ir::SigmaExpr::Kind::kOr:
      for (uint32_t child = at + 1; child < op.end; child = ops[child].end) {
        if (EvalOps(ops, child, event)) return true;
      }
      return false;
    case ir::SigmaExpr::Kind::kNot:
      return !EvalOps(ops, at + 1, event);
    case ir::SigmaExpr::Kind::kMatch:
      if constexpr (std::is_same_v<Event, FlatEvent>) {
        // Another rule may have evaluated the same predicate on this event.
        if (const bool* cached = event.CachedVerdict(op.verdict_id)) return *cached;
      }
      return op.predicate->Eval(event);
    case ir::SigmaExpr::Kind::kSelection:
      return EvalOps(ops, op.target, event);
  }
  return false;
}

template bool EvalOps(const RuleOp*, uint32_t, const nlohmann::json&);
template bool EvalOps(const RuleOp*, uint32_t, const FlatEvent&);

template <class Event>
bool RuleLogic::Eval(uint32_t at, const Event& event) const {
  return EvalOps(ops_.data(), at, event);
}

uint32_t RuleLogic::AppendOps(std::vector<RuleOp>& out) const {
  const auto base = static_cast<uint32_t>(out.size());
  for (RuleOp op : ops_) {
    op.end += base;
    if (op.kind == ir::SigmaExpr::Kind::kSelection) op.target += base;
    out.push_back(op);
  }
  return condition_op_ + base;
}

bool RuleLogic::Match(const nlohmann::json& event) const { return Eval(condition_op_, event); }

bool RuleLogic::Match(const FlatEvent& event) const { return Eval(condition_op_, event); }

bool RuleLogic::MatchSelection(size_t index, const nlohmann::json& event) const {
  return Eval(selection_ops_[index], event);
}

std::vector<RuleLogic::Leaf> RuleLogic::Leaves() const {
  std::vector<Leaf> out;
  for (size_t i = 0; i < predicates_.size(); ++i) {
    out.push_back({predicates_[i].get(), predicate_scopes_[i]});
  }
  return out;
}

}  // namespace ward::eval
