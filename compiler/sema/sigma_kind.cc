// The "sigma" detection kind and Sigma meta filters: sorts the members of a
// declaration and hands each part to its lowering (sigma_logsource,
// sigma_expr_lowering, sigma_correlation, sigma_tests).

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compiler/sema/detection_kind.h"
#include "compiler/sema/sigma_correlation.h"
#include "compiler/sema/sigma_expr_lowering.h"
#include "compiler/sema/sigma_logsource.h"
#include "compiler/sema/sigma_tests.h"
#include "compiler/sema/values.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void ReportDuplicate(const ast::Member& member, Span first, DiagnosticEngine& diags) {
  std::string name = MemberName(member);
  diags.Report(Diag(DiagCode::kDuplicateProperty, MemberNameSpan(member),
                    fmt::format("`{}` is given twice", name))
                   .Label("second occurrence")
                   .Secondary(first, "first given here")
                   .Help(fmt::format("keep one `{}`", name)));
}

// E0300 with a did-you-mean, plus pointers for members of the other kinds.
void ReportUnknown(const ast::Member& member, std::string_view where,
                   const std::vector<std::string>& known, DiagnosticEngine& diags) {
  std::string name = MemberName(member);
  Span span = MemberNameSpan(member);
  DiagBuilder diag = Diag(DiagCode::kUnknownProperty, span,
                          fmt::format("unknown member `{}` in {}", name, where));
  diag.Label("not allowed here");
  if (member.kind == ast::Member::Kind::kCondition || member.kind == ast::Member::Kind::kStrings) {
    diag.Help(fmt::format("`{}` belongs to YARA detections; Sigma uses `let` and `when:`", name));
  } else if (member.kind == ast::Member::Kind::kWhere) {
    diag.Help("`where:` belongs inside a `correlation` block");
  } else if (member.kind == ast::Member::Kind::kProperty &&
             (name == "logsource" || name == "correlation" || name == "test")) {
    diag.Help(fmt::format("`{0}` is a block: write `{0} {{ ... }}`", name));
  } else if (auto close = ClosestMatch(name, known)) {
    diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(span, *close);
  } else {
    diag.Note(fmt::format("allowed here: {}", JoinAlternatives(known)));
  }
  diags.Report(std::move(diag));
}

void CheckSigmaFilters(const ir::Program& program, DiagnosticEngine& diags);

// The members of a Sigma detection or filter, sorted by role.
struct SigmaMembers {
  std::vector<const ast::Member*> lets;
  const ast::Member* when = nullptr;
  const ast::Block* logsource = nullptr;
  const ast::Block* correlation = nullptr;
  const ast::Property* taxonomy = nullptr;
  const ast::Property* rules = nullptr;  // filters
  std::vector<const ast::Block*> tests;
};

class SigmaKind : public DetectionKind {
 public:
  std::string_view name() const override { return "sigma"; }

  std::vector<std::string> MemberNames() const override {
    return {"logsource", "let", "when", "correlation", "taxonomy", "test"};
  }

  std::unique_ptr<ir::DetectionLogic> Lower(const ast::Decl& decl, ir::Detection& detection,
                                            LoweringContext& ctx) override {
    DiagnosticEngine& diags = ctx.diags;
    SigmaMembers members = Sort(decl, diags);
    auto logic = std::make_unique<ir::SigmaLogic>();
    if (members.taxonomy) {
      if (auto taxonomy = GetSigmaWord(*members.taxonomy, diags)) logic->taxonomy = *taxonomy;
    }
    if (members.correlation) {
      LowerCorrelationParts(decl, members, detection, *logic, ctx);
    } else {
      LowerRuleParts(decl, members, *logic, diags);
    }
    LowerTests(members, detection, diags);
    return logic;
  }

  void Finish(ir::Program& program, DiagnosticEngine& diags) override {
    ReportCorrelationCycles(program, diags);
    CheckSigmaFilters(program, diags);
    for (const PendingTests& pending : pending_tests_) {
      CheckSigmaTestFields(pending.fields, SigmaReferencedFields(*pending.detection), diags);
    }
  }

 private:
  SigmaMembers Sort(const ast::Decl& decl, DiagnosticEngine& diags) const {
    SigmaMembers out;
    std::vector<std::string> known = MemberNames();
    known.insert(known.end(), CommonDetectionMembers().begin(), CommonDetectionMembers().end());
    std::map<std::string, Span> firsts;
    auto keep_once = [&](const ast::Member& member, auto*& slot, const auto* item) {
      std::string name = MemberName(member);
      if (slot) {
        ReportDuplicate(member, firsts[name], diags);
        return;
      }
      slot = item;
      firsts[name] = MemberNameSpan(member);
    };
    for (const ast::Member& member : decl.body.members) {
      std::string name = MemberName(member);
      if (Contains(CommonDetectionMembers(), name)) continue;  // the analyzer's
      switch (member.kind) {
        case ast::Member::Kind::kLet: out.lets.push_back(&member); continue;
        case ast::Member::Kind::kWhen: keep_once(member, out.when, &member); continue;
        case ast::Member::Kind::kProperty:
          if (name == "taxonomy") {
            keep_once(member, out.taxonomy, &member.property);
            continue;
          }
          break;
        case ast::Member::Kind::kBlock:
          if (name == "logsource") {
            keep_once(member, out.logsource, member.block().get());
            continue;
          }
          if (name == "correlation") {
            keep_once(member, out.correlation, member.block().get());
            continue;
          }
          if (name == "test") {
            out.tests.push_back(member.block().get());
            continue;
          }
          break;
        default: break;
      }
      ReportUnknown(member, "a sigma detection", known, diags);
    }
    return out;
  }

  void LowerRuleParts(const ast::Decl& decl, const SigmaMembers& members, ir::SigmaLogic& logic,
                      DiagnosticEngine& diags) {
    if (members.logsource) {
      logic.logsource = LowerSigmaLogsource(*members.logsource, diags);
    } else {
      diags.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                        fmt::format("sigma detection `{}` has no `logsource`", decl.name.text))
                       .Label("`logsource` is required")
                       .Help("add e.g. `logsource { product: llm  category: prompt }`"));
    }
    if (!members.when) {
      diags.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                        fmt::format("sigma detection `{}` has no `when:` condition",
                                    decl.name.text))
                       .Label("`when:` is required")
                       .Help("add `when: SELECTION`, or a `correlation` block"));
    }
    LowerSigmaSelections(members.lets, members.when ? members.when->sigma().get() : nullptr, diags,
                         logic.selections, logic.condition);
  }

  void LowerCorrelationParts(const ast::Decl& decl, const SigmaMembers& members,
                             ir::Detection& detection, ir::SigmaLogic& logic,
                             LoweringContext& ctx) {
    (void)decl;
    DiagnosticEngine& diags = ctx.diags;
    Span correlation_span = members.correlation->kind.span;
    if (members.logsource) {
      diags.Report(Diag(DiagCode::kInvalidCorrelation, members.logsource->kind.span,
                        "a correlation has no `logsource`")
                       .Label("not part of a correlation")
                       .Secondary(correlation_span, "correlation here")
                       .Help("the correlated rules carry the log source; remove this block"));
    }
    if (members.when) {
      diags.Report(Diag(DiagCode::kInvalidCorrelation, MemberNameSpan(*members.when),
                        "a detection cannot have both `when:` and a `correlation`")
                       .Label("condition of a single-event rule")
                       .Secondary(correlation_span, "correlation here")
                       .Help("move the condition into a detection of its own and list it in "
                             "the correlation's `rules`"));
    }
    if (!members.lets.empty()) {
      diags.Report(Diag(DiagCode::kInvalidCorrelation, MemberNameSpan(*members.lets.front()),
                        "a correlation has no `let` selections")
                       .Label("not part of a correlation")
                       .Secondary(correlation_span, "correlation here")
                       .Help("move the selections into a detection of its own and list it in "
                             "the correlation's `rules`"));
    }
    std::vector<SigmaRuleRef>& refs = correlation_refs_[&detection];
    logic.correlation = LowerSigmaCorrelation(*members.correlation, detection, ctx, refs);
  }

  void LowerTests(const SigmaMembers& members, ir::Detection& detection,
                  DiagnosticEngine& diags) {
    PendingTests pending{&detection, {}};
    std::map<std::string, Span> names;
    for (const ast::Block* block : members.tests) {
      auto test = LowerSigmaTest(*block, members.correlation != nullptr, diags, pending.fields);
      if (!test) continue;
      if (!block->args.empty()) {
        auto [it, inserted] = names.emplace(test->name, block->args[0].second);
        if (!inserted) {
          diags.Report(Diag(DiagCode::kDuplicateProperty, block->args[0].second,
                            fmt::format("two tests are named \"{}\"", test->name))
                           .Label("second test with this name")
                           .Secondary(it->second, "first test")
                           .Help("give each test a name of its own"));
        }
      }
      detection.tests.push_back(std::move(*test));
    }
    if (!pending.fields.empty()) pending_tests_.push_back(std::move(pending));
  }

  // Correlations may chain, but not in a circle: A -> B -> A never fires.
  void ReportCorrelationCycles(const ir::Program& program, DiagnosticEngine& diags) {
    std::map<const ir::Detection*, int> color;  // absent new, 1 on stack, 2 done
    std::vector<const ir::Detection*> stack;
    for (const auto& detection : program.detections) {
      if (correlation_refs_.count(detection.get()) && !color.count(detection.get())) {
        Visit(detection.get(), color, stack, diags);
      }
    }
  }

  void Visit(const ir::Detection* node, std::map<const ir::Detection*, int>& color,
             std::vector<const ir::Detection*>& stack, DiagnosticEngine& diags) {
    color[node] = 1;
    stack.push_back(node);
    auto it = correlation_refs_.find(node);
    if (it != correlation_refs_.end()) {
      for (const SigmaRuleRef& ref : it->second) {
        auto state = color.find(ref.rule);
        if (state == color.end()) {
          Visit(ref.rule, color, stack, diags);
        } else if (state->second == 1) {
          std::string path;
          bool in_cycle = false;
          for (const ir::Detection* d : stack) {
            in_cycle = in_cycle || d == ref.rule;
            if (in_cycle) path += fmt::format("`{}` -> ", d->name);
          }
          path += fmt::format("`{}`", ref.rule->name);
          diags.Report(Diag(DiagCode::kInvalidCorrelation, ref.span,
                            fmt::format("correlations refer to each other in a cycle: {}", path))
                           .Label("this reference closes the cycle")
                           .Help("a correlation can build on another one, but not on itself"));
        }
      }
    }
    stack.pop_back();
    color[node] = 2;
  }

  struct PendingTests {
    const ir::Detection* detection;
    std::vector<SigmaEventField> fields;
  };

  std::map<const ir::Detection*, std::vector<SigmaRuleRef>> correlation_refs_;
  std::vector<PendingTests> pending_tests_;
};

// ---- filters -------------------------------------------------------------------

void LowerFilterRules(const ast::Property& prop, ir::Filter& filter, LoweringContext& ctx) {
  DiagnosticEngine& diags = ctx.diags;
  std::vector<const ast::Value*> values = Flatten(prop);
  if (values.empty()) {
    diags.Report(Diag(DiagCode::kEmptyValue, prop.key.span, "`rules` is empty")
                     .Label("no rules")
                     .Help("name the detections the filter applies to, or write `rules: any`"));
    return;
  }
  auto is_any = [](const ast::Value* value) {
    return value->kind == ast::Value::Kind::kRef && !value->catalog_key() &&
           value->ref.parts.size() == 1 && value->ref.parts[0].text == "any";
  };
  for (const ast::Value* value : values) {
    if (!is_any(value)) continue;
    if (values.size() > 1) {
      diags.Report(Diag(DiagCode::kWrongValueType, value->span,
                        "`any` cannot be combined with rule names")
                       .Label("`any` already covers every rule")
                       .Help("write either `rules: any` or a list of detections"));
      return;
    }
    filter.applies_to_any = true;
    return;
  }
  std::map<const ir::Detection*, Span> seen;
  for (const ast::Value* value : values) {
    if (value->kind != ast::Value::Kind::kRef || value->catalog_key()) {
      diags.Report(Diag(DiagCode::kWrongValueType, value->span,
                        fmt::format("`rules` expects detection names, found {}",
                                    DescribeValue(*value)))
                       .Label("expected a detection name")
                       .Help("name sigma detections without quotes, or write `rules: any`"));
      continue;
    }
    const ir::Detection* rule = ctx.resolver.ResolveDetection(value->ref, "sigma");
    if (!rule) continue;
    auto [it, inserted] = seen.emplace(rule, value->span);
    if (!inserted) {
      diags.Report(Diag(DiagCode::kDuplicateProperty, value->span,
                        fmt::format("`{}` is listed twice", value->ref.str()))
                       .Label("listed again")
                       .Secondary(it->second, "first listed here")
                       .Help("list each rule once"));
      continue;
    }
    filter.rules.push_back(rule);
    filter.rule_spans.push_back(value->span);
  }
}


// Filters are lowered in file order, possibly before the rules they name, so
// what depends on those rules' logic is checked once everything is lowered.
void CheckSigmaFilters(const ir::Program& program, DiagnosticEngine& diags) {
  for (const auto& filter : program.filters) {
    for (size_t i = 0; i < filter->rules.size(); ++i) {
      const ir::Detection* rule = filter->rules[i];
      const auto* logic = rule ? rule->As<ir::SigmaLogic>() : nullptr;
      if (!logic) continue;
      Span span = i < filter->rule_spans.size() ? filter->rule_spans[i] : filter->name_span;
      if (logic->correlation) {
        diags.Report(Diag(DiagCode::kWrongKind, span,
                          fmt::format("`{}` is a correlation; filters apply to single-event rules",
                                      rule->name))
                         .Label("a correlation")
                         .Help("name the rules the correlation lists instead"));
        continue;
      }
      if (!LogsourceCovers(filter->logsource, logic->logsource)) {
        diags.Report(Diag(DiagCode::kFilterLogsourceMismatch, span,
                          fmt::format("the log source of filter `{}` does not cover `{}`",
                                      filter->name, rule->name))
                         .Label("the filter will not be applied to this rule")
                         .Note("a filter applies only to rules whose category, product and "
                               "service match the ones the filter sets")
                         .Help("make the filter's `logsource` match the rule's, or drop the "
                               "attributes that differ"));
      }
    }
  }
}
}  // namespace

std::unique_ptr<DetectionKind> MakeSigmaKind() { return std::make_unique<SigmaKind>(); }

void LowerSigmaFilter(const ast::Decl& decl, ir::Filter& filter, LoweringContext& ctx) {
  DiagnosticEngine& diags = ctx.diags;
  std::vector<std::string> known = {"logsource", "rules", "let", "when"};
  known.insert(known.end(), CommonFilterMembers().begin(), CommonFilterMembers().end());
  SigmaMembers members;
  std::map<std::string, Span> firsts;
  auto keep_once = [&](const ast::Member& member, auto*& slot, const auto* item) {
    std::string name = MemberName(member);
    if (slot) {
      ReportDuplicate(member, firsts[name], diags);
      return;
    }
    slot = item;
    firsts[name] = MemberNameSpan(member);
  };
  for (const ast::Member& member : decl.body.members) {
    std::string name = MemberName(member);
    if (Contains(CommonFilterMembers(), name)) continue;
    if (member.kind == ast::Member::Kind::kLet) {
      members.lets.push_back(&member);
    } else if (member.kind == ast::Member::Kind::kWhen) {
      keep_once(member, members.when, &member);
    } else if (member.kind == ast::Member::Kind::kProperty && name == "rules") {
      keep_once(member, members.rules, &member.property);
    } else if (member.kind == ast::Member::Kind::kBlock && name == "logsource") {
      keep_once(member, members.logsource, member.block().get());
    } else {
      ReportUnknown(member, "a filter", known, diags);
    }
  }
  if (members.logsource) {
    filter.logsource = LowerSigmaLogsource(*members.logsource, diags);
  } else {
    diags.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                      fmt::format("filter `{}` has no `logsource`", decl.name.text))
                     .Label("`logsource` is required")
                     .Help("add the log source of the rules it filters, e.g. "
                           "`logsource { product: llm }`"));
  }
  if (members.rules) {
    LowerFilterRules(*members.rules, filter, ctx);
  } else {
    diags.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                      fmt::format("filter `{}` has no `rules`", decl.name.text))
                     .Label("`rules` is required")
                     .Help("name the detections it applies to, or write `rules: any`"));
  }
  if (!members.when) {
    diags.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                      fmt::format("filter `{}` has no `when:` condition", decl.name.text))
                     .Label("`when:` is required")
                     .Help("add the condition events must meet, e.g. "
                           "`when: not user.role == \"red_team\"`"));
  }
  LowerSigmaSelections(members.lets, members.when ? members.when->sigma().get() : nullptr, diags,
                       filter.selections, filter.condition);
}

}  // namespace ward::sema
