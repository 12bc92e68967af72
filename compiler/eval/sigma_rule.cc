// SigmaRule: a single-event Sigma rule with the filters that apply to it,
// and the explanation of one verdict.

#include <fmt/format.h>

#include <algorithm>

#include "compiler/eval/rule_logic.h"
#include "compiler/eval/sigma_eval.h"

namespace ward::eval {
namespace {

bool Within(const std::string& filter_value, const std::string& rule_value) {
  return filter_value.empty() || filter_value == rule_value;
}

std::string Shortened(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

}  // namespace

struct SigmaRule::Impl {
  const ir::Detection* detection = nullptr;
  RuleLogic logic;
  struct AppliedFilter {
    const ir::Filter* filter;
    RuleLogic logic;
  };
  std::vector<AppliedFilter> filters;
};

bool FilterApplies(const ir::Filter& filter, const ir::Detection& detection) {
  const auto* logic = detection.As<ir::SigmaLogic>();
  if (!logic || logic->correlation) return false;
  bool named =
      filter.applies_to_any || filter.rules.empty() ||
      std::find(filter.rules.begin(), filter.rules.end(), &detection) != filter.rules.end();
  if (!named) return false;
  const ir::Logsource& f = filter.logsource;
  const ir::Logsource& r = logic->logsource;
  return Within(f.category, r.category) && Within(f.product, r.product) &&
         Within(f.service, r.service);
}

SigmaRule::SigmaRule(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigmaRule::~SigmaRule() = default;

std::unique_ptr<SigmaRule> SigmaRule::Compile(const ir::Detection& detection,
                                              const std::vector<const ir::Filter*>& filters,
                                              const EvalOptions& options,
                                              std::vector<EvalError>& errors) {
  const std::string name = detection.qualified_name();
  const auto* logic = detection.As<ir::SigmaLogic>();
  if (!logic) {
    errors.push_back({name, "not a Sigma detection", detection.span});
    return nullptr;
  }
  if (logic->correlation) {
    errors.push_back({name, "a correlation needs Correlation::Compile", detection.span});
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->detection = &detection;
  bool ok = impl->logic.Compile(name, logic->selections, logic->condition.get(), options, errors);
  std::vector<const ir::Filter*> applied;
  for (const ir::Filter* filter : filters) {
    if (filter && FilterApplies(*filter, detection)) applied.push_back(filter);
  }
  std::sort(applied.begin(), applied.end(), [](const ir::Filter* a, const ir::Filter* b) {
    return a->qualified_name() < b->qualified_name();
  });
  for (const ir::Filter* filter : applied) {
    impl->filters.push_back({filter, {}});
    ok = impl->filters.back().logic.Compile(filter->qualified_name(), filter->selections,
                                            filter->condition.get(), options, errors) &&
         ok;
  }
  if (!ok) return nullptr;
  return std::unique_ptr<SigmaRule>(new SigmaRule(std::move(impl)));
}

const ir::Detection& SigmaRule::detection() const { return *impl_->detection; }

template <class Event>
static bool MatchWithFilters(const SigmaRule::Impl& impl, const Event& event) {
  if (!impl.logic.Match(event)) return false;
  for (const SigmaRule::Impl::AppliedFilter& f : impl.filters) {
    if (!f.logic.Match(event)) return false;
  }
  return true;
}

bool SigmaRule::Match(const nlohmann::json& event) const { return MatchWithFilters(*impl_, event); }

bool SigmaRule::Match(const FlatEvent& event) const { return MatchWithFilters(*impl_, event); }

uint32_t SigmaRule::AppendProgram(std::vector<RuleOp>& ops) const {
  // An `and` of the rule's condition and each filter's, in the order
  // MatchWithFilters tests them: each a kSelection op standing for the
  // condition, whose ops follow the `and`.
  const auto root = static_cast<uint32_t>(ops.size());
  const size_t parts = 1 + impl_->filters.size();
  ops.resize(ops.size() + 1 + parts);
  ops[root].kind = ir::SigmaExpr::Kind::kAnd;
  ops[root].end = root + 1 + static_cast<uint32_t>(parts);
  for (size_t i = 0; i < parts; ++i) {
    const RuleLogic& logic = i == 0 ? impl_->logic : impl_->filters[i - 1].logic;
    const uint32_t condition = logic.AppendOps(ops);
    RuleOp& part = ops[root + 1 + i];
    part.kind = ir::SigmaExpr::Kind::kSelection;
    part.end = root + 2 + static_cast<uint32_t>(i);
    part.target = condition;
  }
  return root;
}

Explanation SigmaRule::Explain(const nlohmann::json& event) const {
  Explanation out;
  out.condition_matched = impl_->logic.Match(event);
  out.matched = out.condition_matched;
  const auto& names = impl_->logic.selection_names();
  for (size_t i = 0; i < names.size(); ++i) {
    out.selections.push_back({names[i], impl_->logic.MatchSelection(i, event)});
  }
  for (const RuleLogic::Leaf& leaf : impl_->logic.Leaves()) {
    out.predicates.push_back({leaf.scope, leaf.predicate->sigma_text(), leaf.predicate->Eval(event),
                              leaf.predicate->Actual(event), leaf.predicate->span()});
  }
  for (const Impl::AppliedFilter& f : impl_->filters) {
    FilterVerdict verdict;
    verdict.filter = f.filter->qualified_name();
    verdict.passed = f.logic.Match(event);
    const auto& filter_names = f.logic.selection_names();
    for (size_t i = 0; i < filter_names.size(); ++i) {
      verdict.selections.push_back({filter_names[i], f.logic.MatchSelection(i, event)});
    }
    for (const RuleLogic::Leaf& leaf : f.logic.Leaves()) {
      out.predicates.push_back({verdict.filter + (leaf.scope.empty() ? "" : "." + leaf.scope),
                                leaf.predicate->sigma_text(), leaf.predicate->Eval(event),
                                leaf.predicate->Actual(event), leaf.predicate->span()});
    }
    out.matched = out.matched && verdict.passed;
    out.filters.push_back(std::move(verdict));
  }
  return out;
}

std::string Explanation::ToText(const std::string& indent) const {
  std::string out;
  auto predicates_of = [&](const std::string& scope) {
    for (const PredicateVerdict& p : predicates) {
      if (p.scope != scope) continue;
      out += fmt::format("{}    {} {}  <- {}\n", indent, p.matched ? "+" : "-",
                         Shortened(p.predicate, 160), p.actual);
    }
  };
  out += fmt::format("{}condition: {}\n", indent, condition_matched ? "true" : "false");
  predicates_of("");
  for (const SelectionVerdict& s : selections) {
    out += fmt::format("{}  selection {}: {}\n", indent, s.name, s.matched ? "true" : "false");
    predicates_of(s.name);
  }
  for (const FilterVerdict& f : filters) {
    out += fmt::format("{}filter {}: {}\n", indent, f.filter,
                       f.passed ? "true (lets a match stand)" : "false (drops the match)");
    predicates_of(f.filter);
    for (const SelectionVerdict& s : f.selections) {
      out += fmt::format("{}  selection {}: {}\n", indent, s.name, s.matched ? "true" : "false");
      predicates_of(f.filter + "." + s.name);
    }
  }
  return out;
}

nlohmann::json Explanation::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  out["matched"] = matched;
  out["condition_matched"] = condition_matched;
  out["selections"] = nlohmann::json::array();
  for (const SelectionVerdict& s : selections) {
    out["selections"].push_back({{"name", s.name}, {"matched", s.matched}});
  }
  out["filters"] = nlohmann::json::array();
  for (const FilterVerdict& f : filters) {
    nlohmann::json selections_json = nlohmann::json::array();
    for (const SelectionVerdict& s : f.selections) {
      selections_json.push_back({{"name", s.name}, {"matched", s.matched}});
    }
    out["filters"].push_back(
        {{"filter", f.filter}, {"passed", f.passed}, {"selections", selections_json}});
  }
  out["predicates"] = nlohmann::json::array();
  for (const PredicateVerdict& p : predicates) {
    out["predicates"].push_back({{"scope", p.scope},
                                 {"predicate", p.predicate},
                                 {"matched", p.matched},
                                 {"actual", p.actual}});
  }
  return out;
}

}  // namespace ward::eval
