#include "compiler/sema/sigma_expr_lowering.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>

#include "compiler/sema/sigma_predicate.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

constexpr size_t kNoSelection = static_cast<size_t>(-1);

struct Reference {
  size_t from;  // selection index, or kNoSelection for the condition
  size_t to;
  Span span;
};

class SelectionLowering {
 public:
  SelectionLowering(DiagnosticEngine& diags, std::vector<ir::SigmaSelection>& selections)
      : diags_(diags), selections_(selections) {}

  void Run(const std::vector<const ast::Member*>& lets, const ast::SigmaExpr* when,
           ir::SigmaExprPtr& condition) {
    // Declare every name first: a selection may use one declared after it.
    std::vector<bool> duplicate(lets.size(), false);
    for (size_t i = 0; i < lets.size(); ++i) {
      const ast::Name& name = lets[i]->let_name();
      auto [it, inserted] = index_.emplace(name.text, selections_.size());
      if (!inserted) {
        duplicate[i] = true;
        diags_.Report(Diag(DiagCode::kDuplicateName, name.span,
                           fmt::format("selection `{}` is defined twice", name.text))
                          .Label("second definition")
                          .Secondary(selections_[it->second].span, "first defined here")
                          .Help("rename one of them"));
        continue;
      }
      ir::SigmaSelection selection;
      selection.name = name.text;
      selection.span = name.span;
      selections_.push_back(std::move(selection));
      names_.push_back(name.text);
    }
    size_t next = 0;
    for (size_t i = 0; i < lets.size(); ++i) {
      if (!lets[i]->sigma()) continue;
      if (duplicate[i]) {
        current_ = kNoSelection;
        (void)Lower(*lets[i]->sigma());  // still checked, but not part of the IR
        continue;
      }
      current_ = next;
      selections_[next].expr = Lower(*lets[i]->sigma());
      ++next;
    }
    if (when) {
      current_ = kNoSelection;
      condition = Lower(*when);
    }
    ReportCycles();
    // With a name unresolved, "unused" would mostly repeat the did-you-mean.
    if (when && !unresolved_) ReportUnused();
  }

 private:
  ir::SigmaExprPtr Lower(const ast::SigmaExpr& expr) {
    using K = ast::SigmaExpr::Kind;
    switch (expr.kind) {
      case K::kAnd:
      case K::kOr:
      case K::kNot: {
        auto out = std::make_unique<ir::SigmaExpr>();
        out->kind = expr.kind == K::kAnd  ? ir::SigmaExpr::Kind::kAnd
                    : expr.kind == K::kOr ? ir::SigmaExpr::Kind::kOr
                                          : ir::SigmaExpr::Kind::kNot;
        out->span = expr.span;
        for (const auto& child : expr.children) {
          if (child) out->children.push_back(Lower(*child));
        }
        return out;
      }
      case K::kPredicate:
      case K::kExists:
      case K::kKeywords: return LowerSigmaLeaf(expr, diags_);
      case K::kSelection: return LowerReference(expr);
      case K::kOfPattern: return LowerPattern(expr);
    }
    return Placeholder(expr.span);
  }

  // Stands in for a reference that could not be resolved (already reported).
  static ir::SigmaExprPtr Placeholder(Span span) {
    auto out = std::make_unique<ir::SigmaExpr>();
    out->kind = ir::SigmaExpr::Kind::kAnd;
    out->span = span;
    return out;
  }

  ir::SigmaExprPtr SelectionNode(size_t index, Span span) {
    references_.push_back({current_, index, span});
    auto out = std::make_unique<ir::SigmaExpr>();
    out->kind = ir::SigmaExpr::Kind::kSelection;
    out->selection = index;
    out->span = span;
    return out;
  }

  std::optional<size_t> Resolve(const ast::Name& name) {
    auto it = index_.find(name.text);
    if (it != index_.end()) return it->second;
    unresolved_ = true;
    DiagBuilder diag = Diag(DiagCode::kUndefinedSelection, name.span,
                            fmt::format("undefined selection `{}`", name.text));
    diag.Label("no `let` with this name");
    if (auto close = ClosestMatch(name.text, names_)) {
      diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(name.span, *close);
    } else {
      diag.Help(fmt::format("define it with `let {} = ...`", name.text));
    }
    diags_.Report(std::move(diag));
    return std::nullopt;
  }

  ir::SigmaExprPtr LowerReference(const ast::SigmaExpr& expr) {
    if (expr.names.empty()) return Placeholder(expr.span);
    if (auto index = Resolve(expr.names[0])) return SelectionNode(*index, expr.names[0].span);
    return Placeholder(expr.span);
  }

  ir::SigmaExprPtr LowerPattern(const ast::SigmaExpr& expr) {
    bool all = expr.quantifier == ast::Quantifier::kAll;
    std::vector<std::pair<size_t, Span>> matched;
    if (expr.wildcard) {
      std::string prefix = expr.names.empty() ? "" : expr.names[0].text;
      for (size_t i = 0; i < selections_.size(); ++i) {
        const std::string& name = selections_[i].name;
        if (i == current_ || name.compare(0, prefix.size(), prefix) != 0) continue;
        // Like Sigma's `them`, a bare `*` skips names starting with `_`.
        if (prefix.empty() && !name.empty() && name[0] == '_') continue;
        matched.emplace_back(i, expr.span);
      }
      if (matched.empty()) {
        unresolved_ = true;
        DiagBuilder diag = Diag(DiagCode::kUndefinedSelection, expr.span,
                                fmt::format("`{}*` matches no selection", prefix));
        diag.Label("nothing to expand");
        if (names_.empty()) {
          diag.Help("define selections with `let NAME = ...`");
        } else {
          diag.Note(fmt::format("the selections are {}", JoinAlternatives(names_)));
        }
        diags_.Report(std::move(diag));
        return Placeholder(expr.span);
      }
    } else {
      for (const ast::Name& name : expr.names) {
        auto index = Resolve(name);
        if (!index) continue;
        bool seen = false;
        for (const auto& entry : matched) seen = seen || entry.first == *index;
        if (!seen) matched.emplace_back(*index, name.span);
      }
      if (matched.empty()) return Placeholder(expr.span);
    }
    if (matched.size() == 1) return SelectionNode(matched[0].first, matched[0].second);
    auto out = std::make_unique<ir::SigmaExpr>();
    out->kind = all ? ir::SigmaExpr::Kind::kAnd : ir::SigmaExpr::Kind::kOr;
    out->span = expr.span;
    for (const auto& [index, span] : matched) out->children.push_back(SelectionNode(index, span));
    return out;
  }

  // ---- whole-declaration checks ----------------------------------------------
  void ReportCycles() {
    std::vector<int> color(selections_.size(), 0);  // 0 new, 1 on stack, 2 done
    std::vector<size_t> stack;
    for (size_t i = 0; i < selections_.size(); ++i) {
      if (color[i] == 0) Visit(i, color, stack);
    }
  }

  void Visit(size_t node, std::vector<int>& color, std::vector<size_t>& stack) {
    color[node] = 1;
    stack.push_back(node);
    for (const Reference& ref : references_) {
      if (ref.from != node) continue;
      if (color[ref.to] == 0) {
        Visit(ref.to, color, stack);
      } else if (color[ref.to] == 1) {
        ReportCycle(ref, stack);
      }
    }
    stack.pop_back();
    color[node] = 2;
  }

  void ReportCycle(const Reference& ref, const std::vector<size_t>& stack) {
    if (ref.from == ref.to) {
      diags_.Report(Diag(DiagCode::kSelectionCycle, ref.span,
                         fmt::format("selection `{}` refers to itself",
                                     selections_[ref.to].name))
                        .Label("self-reference")
                        .Help("a selection cannot contain itself; refer to other selections"));
      return;
    }
    std::string path;
    bool in_cycle = false;
    for (size_t node : stack) {
      in_cycle = in_cycle || node == ref.to;
      if (in_cycle) path += fmt::format("`{}` -> ", selections_[node].name);
    }
    path += fmt::format("`{}`", selections_[ref.to].name);
    diags_.Report(Diag(DiagCode::kSelectionCycle, ref.span,
                       fmt::format("selections refer to each other in a cycle: {}", path))
                      .Label("this reference closes the cycle")
                      .Secondary(selections_[ref.to].span, "cycle starts here")
                      .Help("break the cycle by inlining the shared part into one selection"));
  }

  void ReportUnused() {
    std::vector<bool> used(selections_.size(), false);
    for (const Reference& ref : references_) {
      if (ref.from != ref.to) used[ref.to] = true;
    }
    for (size_t i = 0; i < selections_.size(); ++i) {
      if (used[i]) continue;
      diags_.Report(Diag(DiagCode::kUnusedSelection, selections_[i].span,
                         fmt::format("selection `{}` is never used", selections_[i].name))
                        .Label("defined here")
                        .Help("refer to it in `when:` or remove it"));
    }
  }

  DiagnosticEngine& diags_;
  std::vector<ir::SigmaSelection>& selections_;
  std::map<std::string, size_t, std::less<>> index_;
  std::vector<std::string> names_;
  std::vector<Reference> references_;
  size_t current_ = kNoSelection;
  bool unresolved_ = false;
};

}  // namespace

void LowerSigmaSelections(const std::vector<const ast::Member*>& lets, const ast::SigmaExpr* when,
                          DiagnosticEngine& diags, std::vector<ir::SigmaSelection>& selections,
                          ir::SigmaExprPtr& condition) {
  SelectionLowering(diags, selections).Run(lets, when, condition);
}

}  // namespace ward::sema
