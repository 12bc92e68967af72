#include "compiler/sema/sigma_tests.h"

#include <fmt/format.h>

#include <map>

#include "compiler/sema/sigma_logsource.h"
#include "compiler/sema/values.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

const std::vector<std::string>& TestMembers() {
  static const std::vector<std::string> members = {"event", "events", "expect"};
  return members;
}

void CollectFields(const ast::Value& object, const std::string& prefix,
                   std::vector<SigmaEventField>& out) {
  for (const ast::ObjectEntry& entry : object.entries()) {
    std::string path = prefix.empty() ? entry.key : prefix + "." + entry.key;
    if (entry.value.kind == ast::Value::Kind::kObject && !entry.value.entries().empty()) {
      CollectFields(entry.value, path, out);
    } else {
      out.push_back({path, entry.key_span, prefix.empty()});
    }
  }
}

bool RequireObject(const ast::Value& value, std::string_view property, DiagnosticEngine& diags) {
  if (value.kind == ast::Value::Kind::kObject) return true;
  diags.Report(Diag(DiagCode::kWrongValueType, value.span,
                    fmt::format("`{}` expects an object such as {{ field: \"value\" }}, found {}",
                                property, DescribeValue(value)))
                   .Label("expected an event object"));
  return false;
}

std::optional<bool> LowerExpect(const ast::Property& prop, DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  std::string word;
  if (value->kind == ast::Value::Kind::kString) {
    word = value->text;
  } else if (value->kind == ast::Value::Kind::kRef && !value->catalog_key()) {
    word = value->ref.str();
  } else {
    word = DescribeValue(*value);
  }
  if (word == "match") return true;
  if (word == "no_match") return false;
  static const std::vector<std::string> kAllowed = {"match", "no_match"};
  DiagBuilder diag = Diag(DiagCode::kInvalidExpectation, value->span,
                          fmt::format("invalid expectation `{}`", word));
  diag.Label("expected `match` or `no_match`");
  if (auto close = ClosestMatch(word, kAllowed)) {
    diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(value->span, *close);
  } else {
    diag.Help("write `expect: match` or `expect: no_match`");
  }
  diags.Report(std::move(diag));
  return std::nullopt;
}

void AddLogicFields(const ir::Detection& detection, std::set<std::string>& out,
                    std::set<const ir::Detection*>& visited);

void AddExprFields(const ir::SigmaExpr& expr, std::set<std::string>& out) {
  if (expr.kind == ir::SigmaExpr::Kind::kMatch) {
    if (!expr.field.empty()) out.insert(expr.field);
    bool fieldref = false;
    for (ir::SigmaModifier m : expr.modifiers) fieldref = fieldref || m == ir::SigmaModifier::kFieldref;
    if (fieldref) {
      for (const ir::SigmaValue& value : expr.values) out.insert(value.text);
    }
  }
  for (const auto& child : expr.children) {
    if (child) AddExprFields(*child, out);
  }
}

void AddLogicFields(const ir::Detection& detection, std::set<std::string>& out,
                    std::set<const ir::Detection*>& visited) {
  if (!visited.insert(&detection).second) return;
  const auto* logic = detection.As<ir::SigmaLogic>();
  if (!logic) return;
  for (const ir::SigmaSelection& selection : logic->selections) {
    if (selection.expr) AddExprFields(*selection.expr, out);
  }
  if (logic->condition) AddExprFields(*logic->condition, out);
  if (const auto& corr = logic->correlation) {
    out.insert(corr->group_by.begin(), corr->group_by.end());
    if (!corr->condition_field.empty()) out.insert(corr->condition_field);
    for (const auto& [alias, mapping] : corr->aliases) {
      out.insert(alias);
      for (const auto& [rule, field] : mapping) out.insert(field);
    }
    for (const ir::Detection* rule : corr->rules) {
      if (rule) AddLogicFields(*rule, out, visited);
    }
  }
}

}  // namespace

std::optional<ir::TestCase> LowerSigmaTest(const ast::Block& block, bool correlation,
                                           DiagnosticEngine& diags,
                                           std::vector<SigmaEventField>& fields) {
  ir::TestCase test;
  test.span = block.span;
  Span name_span = block.kind.span;
  if (block.args.empty()) {
    diags.Report(Diag(DiagCode::kMissingProperty, block.kind.span, "test has no name")
                     .Label("name expected after `test`")
                     .Help("write `test \"what it checks\" { ... }`"));
  } else {
    test.name = block.args[0].first;
    name_span = block.args[0].second;
  }
  const ast::Property* event = nullptr;
  const ast::Property* events = nullptr;
  const ast::Property* expect = nullptr;
  std::map<std::string, Span> seen;
  bool wrong_input = false;
  for (const ast::Member& member : block.body.members) {
    std::string name = MemberName(member);
    Span span = MemberNameSpan(member);
    if (member.kind == ast::Member::Kind::kProperty) {
      auto [it, inserted] = seen.emplace(name, span);
      if (!inserted) {
        diags.Report(Diag(DiagCode::kDuplicateProperty, span,
                          fmt::format("`{}` is given twice", name))
                         .Label("second occurrence")
                         .Secondary(it->second, "first given here")
                         .Help("keep one"));
        continue;
      }
      if (name == "event") {
        event = &member.property;
        continue;
      }
      if (name == "events") {
        events = &member.property;
        continue;
      }
      if (name == "expect") {
        expect = &member.property;
        continue;
      }
      if (name == "file" || name == "data") {
        wrong_input = true;
        diags.Report(Diag(DiagCode::kTestMissingInput, span,
                          fmt::format("`{}` is a YARA test input", name))
                         .Label("not an input of a Sigma test")
                         .Help(correlation ? "a correlation test takes `events: [{...}, ...]`"
                                           : "a Sigma test takes `event: {...}` or "
                                             "`events: [{...}, ...]`"));
        continue;
      }
    }
    DiagBuilder diag = Diag(DiagCode::kUnknownProperty, span,
                            fmt::format("unknown member `{}` in a test", name));
    diag.Label("not a test member");
    if (auto close = ClosestMatch(name, TestMembers())) {
      diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(span, *close);
    } else {
      diag.Help("a Sigma test has `event` or `events`, and `expect`");
    }
    diags.Report(std::move(diag));
  }

  if (event && events) {
    diags.Report(Diag(DiagCode::kTestMissingInput, events->key.span,
                      "a test takes either `event` or `events`, not both")
                     .Label("second input")
                     .Secondary(event->key.span, "first input")
                     .Help("put every event in `events: [...]`"));
  } else if (event && correlation) {
    diags.Report(Diag(DiagCode::kTestMissingInput, event->key.span,
                      "a correlation test takes `events`")
                     .Label("a single event cannot trigger a correlation")
                     .Help("write `events: [{...}, {...}]` in time order"));
  }
  if (event) {
    if (const ast::Value* value = Single(*event, diags); value && RequireObject(*value, "event", diags)) {
      test.events.push_back(ToJson(*value));
      CollectFields(*value, "", fields);
    }
  }
  if (events) {
    std::vector<const ast::Value*> values = Flatten(*events);
    if (values.empty()) {
      diags.Report(Diag(DiagCode::kTestMissingInput, events->key.span, "`events` is empty")
                       .Label("no events")
                       .Help("give the events in time order: `events: [{...}, {...}]`"));
    }
    for (const ast::Value* value : values) {
      if (!RequireObject(*value, "events", diags)) continue;
      test.events.push_back(ToJson(*value));
      CollectFields(*value, "", fields);
    }
  }
  if (!event && !events && !wrong_input) {
    diags.Report(Diag(DiagCode::kTestMissingInput, name_span,
                      test.name.empty() ? std::string("test has no input")
                                        : fmt::format("test \"{}\" has no input", test.name))
                     .Label("no `event` or `events`")
                     .Help(correlation ? "add `events: [{...}, {...}]` in time order"
                                       : "add `event: { field: \"value\" }`"));
  }
  if (!expect) {
    diags.Report(Diag(DiagCode::kMissingProperty, name_span,
                      test.name.empty() ? std::string("test has no `expect`")
                                        : fmt::format("test \"{}\" has no `expect`", test.name))
                     .Label("expectation missing")
                     .Help("add `expect: match` or `expect: no_match`"));
  } else if (auto match = LowerExpect(*expect, diags)) {
    test.expect_match = *match;
  }
  return test;
}

std::set<std::string> SigmaReferencedFields(const ir::Detection& detection) {
  std::set<std::string> out;
  std::set<const ir::Detection*> visited;
  AddLogicFields(detection, out, visited);
  return out;
}

void CheckSigmaTestFields(const std::vector<SigmaEventField>& fields,
                          const std::set<std::string>& referenced, DiagnosticEngine& diags) {
  // Event-time fields: the evaluator orders correlation events by them
  // (eval::EvalOptions::timestamp_fields), and real records carry them next
  // to the fields a rule reads (CloudTrail's eventTime beside eventName), so
  // they are never a typo.
  static const std::set<std::string> kTimeFields = {"@timestamp", "timestamp", "time",
                                                    "eventTime"};
  std::vector<std::string> candidates(referenced.begin(), referenced.end());
  for (const SigmaEventField& field : fields) {
    if (referenced.count(field.path) || kTimeFields.count(field.path)) continue;
    bool inside_referenced = false;
    for (size_t dot = field.path.find('.'); dot != std::string::npos;
         dot = field.path.find('.', dot + 1)) {
      inside_referenced = inside_referenced || referenced.count(field.path.substr(0, dot)) > 0;
    }
    if (inside_referenced) continue;
    auto close = ClosestMatch(field.path, candidates);
    if (!close) continue;  // an extra field, not a typo: events may carry anything
    DiagBuilder diag = Diag(DiagCode::kTestUnknownField, field.span,
                            fmt::format("test event field `{}` is never read by the detection",
                                        field.path));
    diag.Label("not used by any predicate").Help(fmt::format("did you mean `{}`?", *close));
    if (field.flat && field.span.size() == field.path.size()) diag.Fix(field.span, *close);
    diags.Report(std::move(diag));
  }
}

}  // namespace ward::sema
