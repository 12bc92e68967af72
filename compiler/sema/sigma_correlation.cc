#include "compiler/sema/sigma_correlation.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "compiler/sema/sigma_logsource.h"
#include "compiler/sema/values.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

const std::vector<std::string>& CorrelationMembers() {
  static const std::vector<std::string> members = {"rules",    "group_by", "timespan",
                                                   "where",    "generate", "alias"};
  return members;
}

bool IsTemporal(const std::string& type) {
  return type == "temporal" || type == "temporal_ordered";
}

// What `where:` compares for each type: `count`, `count(FIELD)`, `sum(FIELD)`...
struct Aggregate {
  std::string name;
  bool needs_field = false;
  std::string Form() const { return needs_field ? name + "(FIELD)" : name; }
};

Aggregate AggregateFor(const std::string& type) {
  if (type == "value_count") return {"count", true};
  if (type == "value_sum") return {"sum", true};
  if (type == "value_avg") return {"avg", true};
  if (type == "value_percentile") return {"percentile", true};
  return {"count", false};  // event_count, temporal, temporal_ordered
}

const char* ThresholdOp(ast::SigmaOp op) {
  switch (op) {
    case ast::SigmaOp::kGt: return "gt";
    case ast::SigmaOp::kGte: return "gte";
    case ast::SigmaOp::kLt: return "lt";
    case ast::SigmaOp::kLte: return "lte";
    case ast::SigmaOp::kEq: return "eq";
    case ast::SigmaOp::kNeq: return "neq";
    default: return nullptr;
  }
}

// The name a `group_by` entry or alias field was written with.
std::optional<std::string> FieldName(const ast::Value& value, std::string_view property,
                                     DiagnosticEngine& diags) {
  if (value.kind == ast::Value::Kind::kRef && !value.catalog_key()) return value.ref.str();
  if (value.kind == ast::Value::Kind::kString && !value.text.empty()) return value.text;
  diags.Report(Diag(DiagCode::kWrongValueType, value.span,
                    fmt::format("`{}` expects field names, found {}", property,
                                value.kind == ast::Value::Kind::kString ? "an empty string"
                                                                         : DescribeValue(value)))
                   .Label("expected a field name"));
  return std::nullopt;
}

class CorrelationLowering {
 public:
  CorrelationLowering(const ast::Block& block, const ir::Detection& self, LoweringContext& ctx,
                      std::vector<SigmaRuleRef>& refs)
      : block_(block), self_(self), ctx_(ctx), diags_(ctx.diags), refs_(refs) {}

  ir::Correlation Run() {
    LowerType();
    Collect();
    if (rules_) LowerRules(*rules_);
    if (group_by_) LowerGroupBy(*group_by_);
    if (timespan_) LowerTimespan(*timespan_);
    if (generate_) {
      if (auto value = GetBool(*generate_, diags_)) out_.generate = *value;
    }
    if (where_) LowerWhere(*where_);
    for (const ast::Block* alias : aliases_) LowerAlias(*alias);
    CheckRequired();
    return std::move(out_);
  }

 private:
  void Report(DiagBuilder&& diag) { diags_.Report(std::move(diag)); }

  void LowerType() {
    for (const auto& [text, span] : block_.args) {
      Report(Diag(DiagCode::kUnknownProperty, span, "unexpected string after the correlation type")
                 .Label("not expected here")
                 .Help("write `correlation TYPE { ... }`"));
    }
    const std::vector<std::string>& types = SigmaCorrelationTypes();
    if (!block_.label) {
      Report(Diag(DiagCode::kMissingProperty, block_.kind.span, "correlation has no type")
                 .Label("type expected after `correlation`")
                 .Note(fmt::format("the types are {}", JoinAlternatives(types)))
                 .Help("write e.g. `correlation event_count { ... }`"));
      return;
    }
    const ast::Name& label = *block_.label;
    if (std::find(types.begin(), types.end(), label.text) != types.end()) {
      out_.type = label.text;
      type_known_ = true;
      return;
    }
    DiagBuilder diag = Diag(DiagCode::kInvalidCorrelation, label.span,
                            fmt::format("unknown correlation type `{}`", label.text));
    diag.Label("not a Sigma correlation type")
        .Note(fmt::format("the types are {}", JoinAlternatives(types)));
    if (auto close = ClosestMatch(label.text, types)) {
      diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(label.span, *close);
    }
    Report(std::move(diag));
  }

  void Duplicate(Span span, Span first, std::string_view name) {
    Report(Diag(DiagCode::kDuplicateProperty, span, fmt::format("`{}` is given twice", name))
               .Label("second occurrence")
               .Secondary(first, "first given here")
               .Help("keep one"));
  }

  template <typename T>
  void Keep(const T*& slot, const T& item, Span span, std::string_view name) {
    if (slot) {
      Duplicate(span, first_spans_[std::string(name)], name);
      return;
    }
    slot = &item;
    first_spans_[std::string(name)] = span;
  }

  void Collect() {
    for (const ast::Member& member : block_.body.members) {
      std::string name = MemberName(member);
      Span span = MemberNameSpan(member);
      if (member.kind == ast::Member::Kind::kProperty) {
        const ast::Property& prop = member.property;
        if (name == "rules") {
          Keep(rules_, prop, span, name);
          continue;
        }
        if (name == "group_by") {
          Keep(group_by_, prop, span, name);
          continue;
        }
        if (name == "timespan") {
          Keep(timespan_, prop, span, name);
          continue;
        }
        if (name == "generate") {
          Keep(generate_, prop, span, name);
          continue;
        }
      } else if (member.kind == ast::Member::Kind::kWhere) {
        Keep(where_, member, span, name);
        continue;
      } else if (member.kind == ast::Member::Kind::kBlock && name == "alias") {
        aliases_.push_back(member.block().get());
        continue;
      }
      DiagBuilder diag = Diag(DiagCode::kUnknownProperty, span,
                              fmt::format("unknown member `{}` in a correlation", name));
      diag.Label("not a correlation member")
          .Note(fmt::format("a correlation has {}", JoinAlternatives(CorrelationMembers())));
      if (name == "when" || name == "condition") {
        diag.Help("a correlation's threshold is written `where: count >= N`");
      } else if (auto close = ClosestMatch(name, CorrelationMembers())) {
        diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(span, *close);
      }
      Report(std::move(diag));
    }
  }

  void SelfReference(Span span) {
    Report(Diag(DiagCode::kInvalidCorrelation, span,
                fmt::format("correlation `{}` cannot correlate itself", self_.name))
               .Label("names the detection being defined")
               .Help("list the detections whose events it correlates"));
  }

  void LowerRules(const ast::Property& prop) {
    std::vector<const ast::Value*> values = Flatten(prop);
    listed_rules_ = values.size();
    if (values.empty()) {
      Report(Diag(DiagCode::kEmptyValue, prop.key.span, "`rules` is empty")
                 .Label("no rules")
                 .Help("name the sigma detections to correlate"));
    }
    std::map<const ir::Detection*, Span> seen;
    for (const ast::Value* value : values) {
      if (value->kind != ast::Value::Kind::kRef || value->catalog_key()) {
        Report(Diag(DiagCode::kWrongValueType, value->span,
                    fmt::format("`rules` expects detection names, found {}",
                                DescribeValue(*value)))
                   .Label("expected a detection name")
                   .Help("name sigma detections without quotes, e.g. `rules: failed_login`"));
        continue;
      }
      if (value->ref.parts.size() == 1 && value->ref.parts[0].text == self_.name) {
        SelfReference(value->span);
        continue;
      }
      const ir::Detection* rule = ctx_.resolver.ResolveDetection(value->ref, "sigma");
      if (!rule) continue;
      if (rule == &self_) {
        SelfReference(value->span);
        continue;
      }
      auto [it, inserted] = seen.emplace(rule, value->span);
      if (!inserted) {
        Report(Diag(DiagCode::kInvalidCorrelation, value->span,
                    fmt::format("`{}` is listed twice", value->ref.str()))
                   .Label("listed again")
                   .Secondary(it->second, "first listed here")
                   .Help("list each rule once"));
        continue;
      }
      out_.rules.push_back(rule);
      refs_.push_back({rule, value->span});
    }
  }

  void LowerGroupBy(const ast::Property& prop) {
    std::vector<const ast::Value*> values = Flatten(prop);
    if (values.empty()) {
      Report(Diag(DiagCode::kEmptyValue, prop.key.span, "`group_by` is empty")
                 .Label("no fields")
                 .Help("name the fields whose values the events must share"));
    }
    std::map<std::string, Span> seen;
    for (const ast::Value* value : values) {
      auto field = FieldName(*value, "group_by", diags_);
      if (!field) continue;
      auto [it, inserted] = seen.emplace(*field, value->span);
      if (!inserted) {
        Duplicate(value->span, it->second, *field);
        continue;
      }
      out_.group_by.push_back(*field);
    }
  }

  void LowerTimespan(const ast::Property& prop) {
    std::string written;
    auto seconds = GetDurationSeconds(prop, &written, diags_);
    if (!seconds) return;
    char unit = written.empty() ? 's' : written.back();
    if (std::string_view("smhd").find(unit) == std::string_view::npos) {
      std::string help = "write the timespan with s, m, h or d, e.g. `30d`";
      if (unit == 'w') {
        help = fmt::format("write `{}d`", *seconds / 86400);
      }
      Report(Diag(DiagCode::kInvalidDuration, Flatten(prop).front()->span,
                  fmt::format("Sigma timespans use s, m, h or d, found `{}`", written))
                 .Label("unit not allowed by the Sigma specification")
                 .Help(help));
      return;
    }
    out_.timespan_seconds = *seconds;
    out_.timespan = written;
  }

  void LowerWhere(const ast::Member& member) {
    Aggregate expected = AggregateFor(out_.type);
    static const std::vector<std::string> kAggregates = {"count", "sum", "avg", "percentile"};
    std::map<std::string, Span> ops;
    std::optional<std::pair<std::string, Span>> field;  // the first field named
    for (const ast::Threshold& t : member.thresholds()) {
      const std::string& aggregate = t.aggregate.text;
      bool ok = true;
      if (std::find(kAggregates.begin(), kAggregates.end(), aggregate) == kAggregates.end()) {
        DiagBuilder diag = Diag(DiagCode::kInvalidCorrelation, t.aggregate.span,
                                fmt::format("unknown aggregate `{}`", aggregate));
        diag.Label("not a correlation aggregate");
        if (type_known_) diag.Note(fmt::format("`{}` compares `{}`", out_.type, expected.Form()));
        if (auto close = ClosestMatch(aggregate, kAggregates)) {
          diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(t.aggregate.span, *close);
        }
        Report(std::move(diag));
        ok = false;
      } else if (type_known_ && aggregate != expected.name) {
        Report(Diag(DiagCode::kInvalidCorrelation, t.aggregate.span,
                    fmt::format("`{}` correlations compare `{}`, found `{}`", out_.type,
                                expected.Form(), aggregate))
                   .Label("wrong aggregate for this correlation type")
                   .Help(fmt::format("write `where: {} ...`", expected.Form())));
        ok = false;
      } else if (type_known_ && expected.needs_field && !t.field) {
        Report(Diag(DiagCode::kInvalidCorrelation, t.aggregate.span,
                    fmt::format("`{}` needs a field: `{}`", out_.type, expected.Form()))
                   .Label("field missing")
                   .Help(fmt::format("name the field, e.g. `{}(user.id)`", expected.name)));
        ok = false;
      } else if (type_known_ && !expected.needs_field && t.field) {
        Report(Diag(DiagCode::kInvalidCorrelation, t.field->span,
                    fmt::format("`{}` counts {}, not field values", out_.type,
                                IsTemporal(out_.type) ? "matching rules" : "events"))
                   .Label("unexpected field")
                   .Help("remove the field, or use `value_count` to count distinct values of "
                         "a field"));
        ok = false;
      }
      if (t.field) {
        if (!field) {
          field.emplace(t.field->text, t.field->span);
        } else if (field->first != t.field->text) {
          Report(Diag(DiagCode::kInvalidCorrelation, t.field->span,
                      "all thresholds must compare the same field")
                     .Label(fmt::format("`{}`", t.field->text))
                     .Secondary(field->second, fmt::format("`{}`", field->first))
                     .Help("a correlation aggregates one field"));
          ok = false;
        }
      }
      const char* op = ThresholdOp(t.op);
      if (!op) {
        Report(Diag(DiagCode::kInvalidCorrelation, t.op_span,
                    fmt::format("`{}` is not a threshold comparison", ast::SigmaOpSpelling(t.op)))
                   .Label("not a comparison")
                   .Help("use ==, !=, <, <=, > or >="));
        continue;
      }
      auto [it, inserted] = ops.emplace(op, t.op_span);
      if (!inserted) {
        Report(Diag(DiagCode::kInvalidCorrelation, t.op_span,
                    fmt::format("the threshold uses `{}` twice", ast::SigmaOpSpelling(t.op)))
                   .Label("second use")
                   .Secondary(it->second, "first use")
                   .Help("give each comparison once; a range is written `count > 10 and count "
                         "<= 100`"));
        continue;
      }
      if (!ok || !CheckThresholdValue(t)) continue;
      ir::CorrelationThreshold threshold;
      threshold.op = op;
      threshold.is_integer = t.value.is_integer;
      threshold.value = t.value.is_integer ? static_cast<double>(t.value.integer) : t.value.real;
      out_.condition.push_back(threshold);
      thresholds_.push_back(&t);
    }
    if (field) out_.condition_field = field->first;
  }

  bool CheckThresholdValue(const ast::Threshold& t) {
    bool counts = AggregateFor(out_.type).name == "count";
    if (!type_known_) return true;
    if (counts && !t.value.is_integer) {
      Report(Diag(DiagCode::kInvalidCorrelation, t.span,
                  fmt::format("a count is a whole number, found `{}`", t.value.text))
                 .Label("not a whole number"));
      return false;
    }
    double value = t.value.is_integer ? static_cast<double>(t.value.integer) : t.value.real;
    if (counts && value < 0) {
      Report(Diag(DiagCode::kInvalidCorrelation, t.span,
                  fmt::format("a count cannot be negative, found `{}`", t.value.text))
                 .Label("negative count"));
      return false;
    }
    if (out_.type == "value_percentile" && (value < 0 || value > 100)) {
      Report(Diag(DiagCode::kInvalidCorrelation, t.span,
                  fmt::format("a percentile is between 0 and 100, found `{}`", t.value.text))
                 .Label("out of range"));
      return false;
    }
    return true;
  }

  void LowerAlias(const ast::Block& block) {
    if (!block.label) {
      Report(Diag(DiagCode::kMissingProperty, block.kind.span, "`alias` needs a name")
                 .Label("alias name expected")
                 .Help("write `alias NAME { rule_a: field_a  rule_b: field_b }`"));
      return;
    }
    const std::string& alias = block.label->text;
    if (out_.aliases.count(alias)) {
      Duplicate(block.label->span, alias_spans_[alias], fmt::format("alias {}", alias));
      return;
    }
    alias_spans_[alias] = block.label->span;
    auto& mapping = out_.aliases[alias];
    std::vector<std::string> rule_names;
    for (const ir::Detection* rule : out_.rules) rule_names.push_back(rule->name);
    std::map<std::string, Span> seen;
    for (const ast::Member& member : block.body.members) {
      if (member.kind != ast::Member::Kind::kProperty) {
        Report(Diag(DiagCode::kUnknownProperty, MemberNameSpan(member),
                    fmt::format("`{}` is not allowed in `alias`", MemberName(member)))
                   .Label("expected `rule: field`"));
        continue;
      }
      const ast::Property& prop = member.property;
      const std::string& rule_name = prop.key.text;
      auto [it, inserted] = seen.emplace(rule_name, prop.key.span);
      if (!inserted) {
        Duplicate(prop.key.span, it->second, rule_name);
        continue;
      }
      const ir::Detection* rule = nullptr;
      for (const ir::Detection* candidate : out_.rules) {
        if (candidate->name == rule_name) rule = candidate;
      }
      if (!rule) {
        // Names that failed to resolve in `rules:` were reported there.
        if (!RuleListed(rule_name)) {
          DiagBuilder diag = Diag(DiagCode::kInvalidCorrelation, prop.key.span,
                                  fmt::format("`{}` is not one of the correlated rules",
                                              rule_name));
          diag.Label("not in `rules`");
          if (auto close = ClosestMatch(rule_name, rule_names)) {
            diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(prop.key.span, *close);
          } else {
            diag.Help("an alias maps each correlated rule to its own field name");
          }
          Report(std::move(diag));
        }
        continue;
      }
      const ast::Value* value = Single(prop, diags_);
      if (!value) continue;
      if (auto field = FieldName(*value, "alias", diags_)) mapping.emplace_back(rule, *field);
    }
  }

  bool RuleListed(const std::string& name) const {
    if (!rules_) return false;
    for (const ast::Value* value : Flatten(*rules_)) {
      if (value->kind == ast::Value::Kind::kRef && !value->ref.parts.empty() &&
          value->ref.parts.back().text == name) {
        return true;
      }
    }
    return false;
  }

  void Missing(std::string_view member, std::string help) {
    Report(Diag(DiagCode::kMissingProperty, block_.kind.span,
                fmt::format("correlation has no `{}`", member))
               .Label(fmt::format("`{}` is required", member))
               .Help(std::move(help)));
  }

  void CheckRequired() {
    if (!rules_) Missing("rules", "name the detections to correlate, e.g. `rules: failed_login`");
    if (!group_by_) {
      Missing("group_by", "name the fields the events must share, e.g. `group_by: user.id`");
    }
    if (!timespan_) Missing("timespan", "give the time window, e.g. `timespan: 10m`");
    if (!type_known_) return;
    if (!where_ && !IsTemporal(out_.type)) {
      Missing("where", fmt::format("give the threshold, e.g. `where: {} >= 10`",
                                   AggregateFor(out_.type).Form()));
    }
    if (IsTemporal(out_.type) && rules_ && listed_rules_ < 2) {
      Report(Diag(DiagCode::kInvalidCorrelation, rules_->span,
                  fmt::format("`{}` correlates two or more rules", out_.type))
                 .Label(fmt::format("{} rule listed", listed_rules_))
                 .Help("list the rules whose events must occur together, or use "
                       "`event_count`"));
    }
    if (IsTemporal(out_.type) && rules_) CheckTemporalCount();
  }

  // A temporal count is the number of distinct rules that matched, so it
  // cannot exceed the number of rules.
  void CheckTemporalCount() {
    auto max = static_cast<double>(listed_rules_);
    for (size_t i = 0; i < out_.condition.size(); ++i) {
      const ir::CorrelationThreshold& t = out_.condition[i];
      bool impossible = (t.op == "gt" && t.value >= max) ||
                        ((t.op == "gte" || t.op == "eq") && t.value > max);
      if (!impossible) continue;
      Report(Diag(DiagCode::kInvalidCorrelation, thresholds_[i]->span,
                  fmt::format("the threshold can never be reached: `{}` counts distinct "
                              "rules and lists {}",
                              out_.type, listed_rules_))
                 .Label("unreachable")
                 .Help(fmt::format("use a count of at most {}", listed_rules_)));
    }
  }

  const ast::Block& block_;
  const ir::Detection& self_;
  LoweringContext& ctx_;
  DiagnosticEngine& diags_;
  std::vector<SigmaRuleRef>& refs_;
  ir::Correlation out_;
  bool type_known_ = false;
  size_t listed_rules_ = 0;
  const ast::Property* rules_ = nullptr;
  const ast::Property* group_by_ = nullptr;
  const ast::Property* timespan_ = nullptr;
  const ast::Property* generate_ = nullptr;
  const ast::Member* where_ = nullptr;
  std::vector<const ast::Block*> aliases_;
  std::vector<const ast::Threshold*> thresholds_;  // parallel to out_.condition
  std::map<std::string, Span> first_spans_;
  std::map<std::string, Span> alias_spans_;
};

}  // namespace

const std::vector<std::string>& SigmaCorrelationTypes() {
  static const std::vector<std::string> types = {
      "event_count", "value_count", "temporal",        "temporal_ordered",
      "value_sum",   "value_avg",   "value_percentile"};
  return types;
}

ir::Correlation LowerSigmaCorrelation(const ast::Block& block, const ir::Detection& self,
                                      LoweringContext& ctx, std::vector<SigmaRuleRef>& refs) {
  return CorrelationLowering(block, self, ctx, refs).Run();
}

}  // namespace ward::sema
