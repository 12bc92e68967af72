// The `yara` detection kind: checks the kind-specific members of
// `detection yara NAME { ... }` and lowers them to ir::YaraLogic. Strings,
// the condition and test blocks each have their own file; this one
// dispatches members and runs the checks that need the whole rule (unused
// strings) or the whole program (rule sets, reference cycles).

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "compiler/sema/detection_kind.h"
#include "compiler/sema/values.h"
#include "compiler/sema/yara_condition_lowering.h"
#include "compiler/sema/yara_string_checks.h"
#include "compiler/sema/yara_test_cases.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

Span MemberSpan(const ast::Member& member) {
  switch (member.kind) {
    case ast::Member::Kind::kProperty:
      return member.property.key.span;
    case ast::Member::Kind::kBlock:
      if (member.block()) return member.block()->kind.span;
      break;
    default:
      break;
  }
  return member.keyword_span.valid() ? member.keyword_span : member.span;
}

std::string MemberName(const ast::Member& member) {
  switch (member.kind) {
    case ast::Member::Kind::kProperty: return member.property.key.text;
    case ast::Member::Kind::kWhen: return "when";
    case ast::Member::Kind::kCondition: return "condition";
    case ast::Member::Kind::kWhere: return "where";
    case ast::Member::Kind::kLet: return "let";
    case ast::Member::Kind::kStrings: return "strings";
    case ast::Member::Kind::kBlock: return member.block() ? member.block()->kind.text : "";
  }
  return "";
}

bool IsCommonMember(std::string_view name) {
  for (const std::string& common : CommonDetectionMembers()) {
    if (common == name) return true;
  }
  return false;
}

class YaraKind : public DetectionKind {
 public:
  std::string_view name() const override { return "yara"; }

  std::vector<std::string> MemberNames() const override {
    return {"strings", "condition", "private", "global", "test"};
  }

  std::unique_ptr<ir::DetectionLogic> Lower(const ast::Decl& decl, ir::Detection& detection,
                                            LoweringContext& ctx) override {
    auto logic = std::make_unique<ir::YaraLogic>();
    const ast::Member* strings = nullptr;
    const ast::Member* condition = nullptr;
    std::map<std::string, const ast::Member*> seen;

    for (const ast::Member& member : decl.body.members) {
      std::string key = MemberName(member);
      if (IsCommonMember(key)) continue;  // the analyzer's
      if (key == "test" && member.kind == ast::Member::Kind::kBlock) {
        if (auto test = LowerYaraTest(*member.block(), ctx)) {
          detection.tests.push_back(std::move(*test));
        }
        continue;
      }
      bool known = (key == "strings" && member.kind == ast::Member::Kind::kStrings) ||
                   (key == "condition" && member.kind == ast::Member::Kind::kCondition) ||
                   ((key == "private" || key == "global") &&
                    member.kind == ast::Member::Kind::kProperty);
      if (!known) {
        ReportUnknownMember(member, key, ctx.diags);
        continue;
      }
      if (auto [it, inserted] = seen.emplace(key, &member); !inserted) {
        ctx.diags.Report(Diag(DiagCode::kDuplicateProperty, MemberSpan(member),
                              fmt::format("`{}` is given twice", key))
                             .Label("given again here")
                             .Secondary(MemberSpan(*it->second), "first given here")
                             .Help("keep one of them"));
        continue;
      }
      if (key == "strings") {
        strings = &member;
      } else if (key == "condition") {
        condition = &member;
      } else if (auto flag = GetBool(member.property, ctx.diags)) {
        (key == "private" ? logic->is_private : logic->is_global) = *flag;
      }
    }

    LoweredYaraStrings lowered;
    if (strings) lowered = LowerYaraStrings(strings->strings(), ctx.sources, ctx.diags);
    logic->strings = std::move(lowered.strings);

    if (!condition || !condition->yara()) {
      if (!condition) {
        ctx.diags.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                              fmt::format("yara detection `{}` has no `condition`",
                                          decl.name.text))
                             .Label("condition missing")
                             .Help(logic->strings.empty()
                                       ? "add a condition, e.g. `condition: uint8(0) == 0x80`"
                                       : "add a condition, e.g. `condition: any of them`"));
      }
      return logic;
    }

    std::set<std::string> modules;
    YaraConditionLowering lowering(ctx, detection, logic->strings, modules, rule_set_spans_);
    logic->condition = lowering.Lower(*condition->yara());
    logic->modules.assign(modules.begin(), modules.end());
    if (!lowering.reported_undefined_string()) {
      ReportUnusedStrings(logic->strings, lowered.id_spans, lowering.meant_strings(), ctx.diags);
    }
    return logic;
  }

  void Finish(ir::Program& program, DiagnosticEngine& diags) override {
    ResolveYaraRuleSets(program, rule_set_spans_, diags);
    CheckYaraRuleCycles(program, rule_set_spans_, diags);
  }

 private:
  void ReportUnknownMember(const ast::Member& member, const std::string& key,
                           DiagnosticEngine& diags) const {
    Span span = MemberSpan(member);
    DiagBuilder diag(DiagCode::kUnknownProperty, span,
                     fmt::format("unknown member `{}` in a yara detection", key));
    diag.Label("not a yara detection member");
    if (key == "when" || key == "let" || key == "where" || key == "logsource" ||
        key == "correlation") {
      diag.Help(fmt::format("`{}` belongs to sigma detections; a yara detection matches bytes "
                            "with `strings {{ }}` and `condition:`",
                            key));
    } else {
      std::vector<std::string> candidates = MemberNames();
      candidates.insert(candidates.end(), CommonDetectionMembers().begin(),
                        CommonDetectionMembers().end());
      if (auto close = ClosestMatch(key, candidates)) {
        diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(span, *close);
      } else {
        diag.Note("a yara detection takes " + JoinAlternatives(MemberNames()) +
                  " and the members every detection has");
      }
    }
    diags.Report(std::move(diag));
  }

  // libyara rejects a rule with an unreferenced string, so this is an error.
  static void ReportUnusedStrings(const std::vector<ir::YaraString>& strings,
                                  const std::vector<Span>& id_spans,
                                  const std::set<std::string>& meant, DiagnosticEngine& diags) {
    std::set<std::string> seen;
    for (size_t i = 0; i < strings.size(); ++i) {
      const ir::YaraString& s = strings[i];
      // A second definition of an identifier is E0602 already; the condition's
      // uses go to the first one, so calling this one unused would be noise.
      if (!seen.insert(s.id).second && s.id != "$") continue;
      if (s.used || meant.count(s.id)) continue;
      Span span = i < id_spans.size() ? id_spans[i] : s.span;
      if (s.id.rfind("$_", 0) == 0) {
        // Newer YARA exempts `$_` strings from the check; 4.2 does not.
        diags.Report(
            Diag(DiagCode::kNewerYaraFeature, span,
                 fmt::format("leaving the `$_` string `{}` unused requires YARA 4.4", s.id))
                .Label("never used; allowed only by newer YARA")
                .Note("YARA 4.4 stopped rejecting unused strings whose identifier starts "
                      "with `$_` (its documentation says 4.5.0); libyara 4.2 rejects "
                      "the rule")
                .Help(fmt::format("use it in the condition (e.g. `{}` or `any of "
                                  "them`) or remove it",
                                  s.id)));
        continue;
      }
      bool anonymous = s.id == "$";
      diags.Report(Diag(DiagCode::kUnusedString, span,
                        anonymous ? std::string("anonymous string is never used")
                                  : fmt::format("string `{}` is never used", s.id))
                       .Label("defined here but never used")
                       .Note("yarac rejects a rule with a string its condition does not use")
                       .Help(anonymous ? "use it in the condition through `them` or `($*)`, or "
                                         "remove it"
                                       : fmt::format("use it in the condition (e.g. `{}` or "
                                                     "`any of them`) or remove it",
                                                     s.id)));
    }
  }

  RuleSetSpanTable rule_set_spans_;
};

}  // namespace

std::unique_ptr<DetectionKind> MakeYaraKind() { return std::make_unique<YaraKind>(); }

}  // namespace ward::sema
