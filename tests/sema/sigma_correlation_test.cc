// `correlation TYPE { ... }` blocks: lowering of all seven Sigma correlation
// types and every correlation diagnostic.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/sema/sigma_testlib.h"

namespace ward::sema::testing {
namespace {

// Two base rules on lines 2 and 3; the correlation `c` starts on line 4 and
// its block body on line 5.
std::string WithRules(std::string_view correlation_body, std::string_view type = "event_count") {
  return fmt::format(R"(
detection sigma login "Login" {{ logsource {{ product: p }} when: user.name exists }}
detection sigma fail "Failure" {{ logsource {{ product: p }} when: outcome == "fail" }}
detection sigma c "Correlation" {{ correlation {} {{
{}
}} }})",
                     type, correlation_body);
}

TEST(SigmaCorrelationTest, EventCount) {
  SigmaHarness h(WithRules("rules: fail  group_by: user.name  timespan: 10m  where: count >= 5"));
  ASSERT_TRUE(h.Clean());
  const ir::SigmaLogic& logic = *h.logic("c");
  EXPECT_EQ(logic.condition, nullptr);
  ASSERT_TRUE(logic.correlation);
  const ir::Correlation& c = *logic.correlation;
  EXPECT_EQ(c.type, "event_count");
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_EQ(c.rules[0], h.detection("fail"));
  EXPECT_EQ(c.group_by, std::vector<std::string>{"user.name"});
  EXPECT_EQ(c.timespan_seconds, 600u);
  EXPECT_EQ(c.timespan, "10m");
  ASSERT_EQ(c.condition.size(), 1u);
  EXPECT_EQ(c.condition[0].op, "gte");
  EXPECT_EQ(c.condition[0].value, 5);
  EXPECT_TRUE(c.condition[0].is_integer);
  EXPECT_EQ(c.condition_field, "");
  EXPECT_FALSE(c.generate);
}

TEST(SigmaCorrelationTest, ValueCount) {
  SigmaHarness h(WithRules(
      "rules: fail  group_by: user.name, host.name  timespan: 1h  where: count(src.ip) > 3",
      "value_count"));
  ASSERT_TRUE(h.Clean());
  const ir::Correlation& c = *h.logic("c")->correlation;
  EXPECT_EQ(c.type, "value_count");
  EXPECT_EQ(c.group_by, (std::vector<std::string>{"user.name", "host.name"}));
  EXPECT_EQ(c.timespan_seconds, 3600u);
  EXPECT_EQ(c.condition_field, "src.ip");
  ASSERT_EQ(c.condition.size(), 1u);
  EXPECT_EQ(c.condition[0].op, "gt");
  EXPECT_EQ(c.condition[0].value, 3);
}

TEST(SigmaCorrelationTest, TemporalWithoutAndWithThreshold) {
  SigmaHarness h(WithRules("rules: login, fail  group_by: user.name  timespan: 5m", "temporal"));
  ASSERT_TRUE(h.Clean());
  const ir::Correlation& c = *h.logic("c")->correlation;
  EXPECT_EQ(c.type, "temporal");
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0], h.detection("login"));
  EXPECT_EQ(c.rules[1], h.detection("fail"));
  EXPECT_TRUE(c.condition.empty());

  SigmaHarness counted(WithRules(
      "rules: login, fail  group_by: user.name  timespan: 5m  where: count >= 2", "temporal"));
  ASSERT_TRUE(counted.Clean());
  EXPECT_EQ(counted.logic("c")->correlation->condition.size(), 1u);
}

TEST(SigmaCorrelationTest, TemporalOrderedKeepsRuleOrder) {
  SigmaHarness h(WithRules("rules: [fail, login]  group_by: user.name  timespan: 1d",
                           "temporal_ordered"));
  ASSERT_TRUE(h.Clean());
  const ir::Correlation& c = *h.logic("c")->correlation;
  EXPECT_EQ(c.type, "temporal_ordered");
  EXPECT_EQ(c.timespan_seconds, 86400u);
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0], h.detection("fail"));
  EXPECT_EQ(c.rules[1], h.detection("login"));
}

TEST(SigmaCorrelationTest, ValueSumAvgPercentile) {
  SigmaHarness sum(WithRules(
      "rules: fail  group_by: user.name  timespan: 30s  where: sum(bytes.sent) >= 1000000",
      "value_sum"));
  ASSERT_TRUE(sum.Clean());
  const ir::Correlation& s = *sum.logic("c")->correlation;
  EXPECT_EQ(s.type, "value_sum");
  EXPECT_EQ(s.timespan_seconds, 30u);
  EXPECT_EQ(s.condition_field, "bytes.sent");
  EXPECT_EQ(s.condition[0].op, "gte");
  EXPECT_EQ(s.condition[0].value, 1000000);

  SigmaHarness avg(WithRules(
      "rules: fail  group_by: user.name  timespan: 1h  where: avg(bytes.sent) > 500.5",
      "value_avg"));
  ASSERT_TRUE(avg.Clean());
  const ir::Correlation& a = *avg.logic("c")->correlation;
  EXPECT_EQ(a.type, "value_avg");
  EXPECT_EQ(a.condition_field, "bytes.sent");
  EXPECT_EQ(a.condition[0].value, 500.5);
  EXPECT_FALSE(a.condition[0].is_integer);

  SigmaHarness pct(WithRules(
      "rules: fail  group_by: host  timespan: 24h  where: percentile(image) <= 1",
      "value_percentile"));
  ASSERT_TRUE(pct.Clean());
  const ir::Correlation& p = *pct.logic("c")->correlation;
  EXPECT_EQ(p.type, "value_percentile");
  EXPECT_EQ(p.condition_field, "image");
  EXPECT_EQ(p.condition[0].op, "lte");
  EXPECT_EQ(p.condition[0].value, 1);
}

TEST(SigmaCorrelationTest, RangeGenerateAndAliases) {
  SigmaHarness h(WithRules(R"(rules: login, fail  group_by: uid  timespan: 1h
where: count > 10 and count <= 100  generate: true
alias uid { login: user.name  fail: "target-user" })"));
  ASSERT_TRUE(h.Clean());
  const ir::Correlation& c = *h.logic("c")->correlation;
  ASSERT_EQ(c.condition.size(), 2u);
  EXPECT_EQ(c.condition[0].op, "gt");
  EXPECT_EQ(c.condition[0].value, 10);
  EXPECT_EQ(c.condition[1].op, "lte");
  EXPECT_EQ(c.condition[1].value, 100);
  EXPECT_TRUE(c.generate);
  ASSERT_EQ(c.aliases.count("uid"), 1u);
  const auto& mapping = c.aliases.at("uid");
  ASSERT_EQ(mapping.size(), 2u);
  EXPECT_EQ(mapping[0].first, h.detection("login"));
  EXPECT_EQ(mapping[0].second, "user.name");
  EXPECT_EQ(mapping[1].first, h.detection("fail"));
  EXPECT_EQ(mapping[1].second, "target-user");
}

TEST(SigmaCorrelationTest, CorrelationsMayChain) {
  SigmaHarness h(R"(
detection sigma fail "F" { logsource { product: p } when: outcome == "fail" }
detection sigma burst "B" { correlation event_count {
  rules: fail  group_by: user.name  timespan: 10m  where: count >= 5 } }
detection sigma spread "S" { correlation value_count {
  rules: burst  group_by: src.ip  timespan: 1h  where: count(user.name) >= 3 } }
)");
  ASSERT_TRUE(h.Clean());
  EXPECT_EQ(h.logic("spread")->correlation->rules[0], h.detection("burst"));
}

struct DiagCase {
  const char* body;
  const char* type;
  const char* code;
  const char* message;
  const char* where;
};

// The body is line 5 of the snippet (column 1); the type follows
// `detection sigma c "Correlation" { correlation ` on line 4 at column 48.
const DiagCase kDiags[] = {
    {"rules: fail group_by: u timespan: 1m where: count > 1", "event_cnt", "E0509",
     "unknown correlation type `event_cnt`", "4:47"},
    {"rules: fail group_by: u timespan: 1m where: sum(x) > 1", "value_count", "E0509",
     "`value_count` correlations compare `count(FIELD)`, found `sum`", "5:45"},
    {"rules: fail group_by: u timespan: 1m where: count(x) > 1", "event_count", "E0509",
     "`event_count` counts events, not field values", "5:51"},
    {"rules: login, fail group_by: u timespan: 1m where: count(x) > 1", "temporal", "E0509",
     "`temporal` counts matching rules, not field values", "5:58"},
    {"rules: fail group_by: u timespan: 1m where: sum > 1", "value_sum", "E0509",
     "`value_sum` needs a field: `sum(FIELD)`", "5:45"},
    {"rules: fail group_by: u timespan: 1m where: max(x) > 1", "value_sum", "E0509",
     "unknown aggregate `max`", "5:45"},
    {"rules: fail group_by: u timespan: 1m where: count contains 1", "event_count", "E0509",
     "`contains` is not a threshold comparison", "5:51"},
    {"rules: fail group_by: u timespan: 1m where: count > 1 and count > 2", "event_count",
     "E0509", "the threshold uses `>` twice", "5:65"},
    {"rules: fail group_by: u timespan: 1m where: sum(a) > 1 and sum(b) < 9", "value_sum",
     "E0509", "all thresholds must compare the same field", "5:64"},
    {"rules: fail group_by: u timespan: 1m where: count >= 1.5", "event_count", "E0509",
     "a count is a whole number, found `1.5`", "5:45"},
    {"rules: fail group_by: u timespan: 1m where: count >= -1", "event_count", "E0509",
     "a count cannot be negative, found `-1`", "5:45"},
    {"rules: fail group_by: u timespan: 1m where: percentile(x) > 101", "value_percentile",
     "E0509", "a percentile is between 0 and 100, found `101`", "5:45"},
    {"rules: fail group_by: u timespan: 1m", "temporal", "E0509",
     "`temporal` correlates two or more rules", "5:1"},
    {"rules: login, fail group_by: u timespan: 1m where: count >= 3", "temporal_ordered",
     "E0509", "the threshold can never be reached", "5:52"},
    {"rules: c group_by: u timespan: 1m where: count > 1", "event_count", "E0509",
     "correlation `c` cannot correlate itself", "5:8"},
    {"rules: fail, fail group_by: u timespan: 1m where: count > 1", "event_count", "E0509",
     "`fail` is listed twice", "5:14"},
    {"rules: fail group_by: u timespan: 1m where: count > 1 alias a { logn: x }", "event_count",
     "E0509", "`logn` is not one of the correlated rules", "5:65"},
    // missing members (reported at the `correlation` keyword: 4:35)
    {"group_by: u timespan: 1m where: count > 1", "event_count", "E0304",
     "correlation has no `rules`", "4:35"},
    {"rules: fail timespan: 1m where: count > 1", "event_count", "E0304",
     "correlation has no `group_by`", "4:35"},
    {"rules: fail group_by: u where: count > 1", "event_count", "E0304",
     "correlation has no `timespan`", "4:35"},
    {"rules: fail group_by: u timespan: 1m", "value_count", "E0304",
     "correlation has no `where`", "4:35"},
    // values
    {"rules: fail group_by: u timespan: 2w where: count > 1", "event_count", "E0309",
     "Sigma timespans use s, m, h or d, found `2w`", "5:35"},
    {R"(rules: "fail" group_by: u timespan: 1m where: count > 1)", "event_count", "E0303",
     "`rules` expects detection names, found a string", "5:8"},
    {"rules: fail group_by: 42 timespan: 1m where: count > 1", "event_count", "E0303",
     "`group_by` expects field names, found a number", "5:23"},
    {"rules: fail group_by: u, u timespan: 1m where: count > 1", "event_count", "E0305",
     "`u` is given twice", "5:26"},
    {"rules: fail rules: login group_by: u timespan: 1m where: count > 1", "event_count",
     "E0305", "`rules` is given twice", "5:13"},
    {"rules: fail group_by: u timespan: 1m where: count > 1 group: x", "event_count", "E0300",
     "unknown member `group` in a correlation", "5:55"},
    {"rules: fail group_by: u timespan: 1m where: count > 1 generate: 1", "event_count", "E0303",
     "`generate` expects `true` or `false`", "5:65"},
};

TEST(SigmaCorrelationTest, Diagnostics) {
  for (const DiagCase& c : kDiags) {
    SigmaHarness h(WithRules(c.body, c.type));
    EXPECT_TRUE(h.Has(c.code, c.message, c.where)) << c.type << " { " << c.body << " }";
  }
}

TEST(SigmaCorrelationTest, TypoSuggestions) {
  SigmaHarness h(WithRules("rules: fail group_by: u timespan: 1m where: count > 1",
                           "event_cnt"));
  ASSERT_TRUE(h.Has("E0509", "unknown correlation type"));
  EXPECT_EQ(h.diags()[0].help, "did you mean `event_count`?");
  SigmaHarness member(WithRules(
      "rules: fail group_by: u timespan: 1m where: count > 1 timespn: 2m"));
  ASSERT_TRUE(member.Has("E0300", "unknown member `timespn`"));
  EXPECT_EQ(member.diags()[0].help, "did you mean `timespan`?");
}

TEST(SigmaCorrelationTest, MissingTypeAndForeignClauses) {
  SigmaHarness h(R"(
detection sigma fail "F" { logsource { product: p } when: outcome == "fail" }
detection sigma c "C" {
  correlation { rules: fail group_by: u timespan: 1m where: count > 1 }
})");
  EXPECT_TRUE(h.Has("E0304", "correlation has no type", "4:3"));

  SigmaHarness mixed(R"(
detection sigma fail "F" { logsource { product: p } when: outcome == "fail" }
detection sigma c "C" {
  logsource { product: p }
  let sel = a == "1"
  when: sel
  correlation event_count { rules: fail group_by: u timespan: 1m where: count > 1 }
})");
  EXPECT_TRUE(mixed.Has("E0509", "a correlation has no `logsource`", "4:3"));
  EXPECT_TRUE(mixed.Has("E0509", "a correlation has no `let` selections", "5:3"));
  EXPECT_TRUE(mixed.Has("E0509", "a detection cannot have both `when:` and a `correlation`",
                        "6:3"));
  EXPECT_TRUE(mixed.Lacks("E0304"));  // no logsource or when required for a correlation
}

TEST(SigmaCorrelationTest, RulesMustBeSigmaDetections) {
  SigmaHarness h(R"(
detection yara y "Y" { condition: true }
detection sigma c "C" { correlation event_count {
  rules: y, missing  group_by: u  timespan: 1m  where: count > 1 } }
)");
  EXPECT_TRUE(h.Has("E0202", "`y` is a yara detection", "4:10"));
  EXPECT_TRUE(h.Has("E0200", "unresolved `missing`", "4:13"));
}

TEST(SigmaCorrelationTest, CyclesAreReported) {
  SigmaHarness h(R"(
detection sigma a "A" { correlation event_count {
  rules: b  group_by: u  timespan: 1m  where: count > 1 } }
detection sigma b "B" { correlation event_count {
  rules: a  group_by: u  timespan: 1m  where: count > 1 } }
)");
  EXPECT_TRUE(h.Has("E0509", "correlations refer to each other in a cycle: `a` -> `b` -> `a`",
                    "5:10"));
}

TEST(SigmaCorrelationTest, EventTimeFieldsAreNeverTypos) {
  // eventTime is within typo distance of eventName, which the rules read, but
  // it is the time correlation tests are ordered by and a field of every
  // CloudTrail record, so neither test is warned about. A real typo still is.
  SigmaHarness h(R"(
detection sigma call "Call" { logsource { product: aws } when: eventName == "InvokeModel" }
detection sigma burst "Burst" { correlation event_count {
  rules: call  group_by: user  timespan: 1m  where: count >= 2 }
  test "timed" { events: [{ eventName: "InvokeModel", eventTime: "2026-12-01T10:00:00Z" },
                          { eventName: "InvokeModel", eventTime: "2026-12-01T10:00:30Z" }]
                 expect: match }
}
detection sigma plain "Plain" { logsource { product: aws } when: eventName == "InvokeModel"
  test "record" { event: { eventName: "InvokeModel", eventTime: "2026-12-01T10:00:00Z" }
                  expect: match }
  test "typo" { event: { eventNmae: "InvokeModel" } expect: no_match }
}
)");
  EXPECT_FALSE(h.Has("W0701", "`eventTime`"));
  EXPECT_TRUE(h.Has("W0701", "test event field `eventNmae` is never read by the detection",
                    "12:26"));
}

TEST(SigmaCorrelationTest, CorrelationTestsTakeEvents) {
  SigmaHarness h(WithRules("rules: fail group_by: user.name timespan: 1m where: count > 1") +
                 R"(
detection sigma d "D" { correlation event_count {
  rules: fail group_by: user.name timespan: 1m where: count > 1 }
  test "one" { event: { user.name: "x" } expect: match }
  test "typo" { events: [{ user.nmae: "x" }, { outcome: "fial", user.name: "x" }] expect: match }
})");
  EXPECT_TRUE(h.Has("E0703", "a correlation test takes `events`", "9:16"));
  // Fields of the correlated rule count as read (outcome), so do group_by fields.
  EXPECT_TRUE(h.Has("W0701", "test event field `user.nmae` is never read by the detection",
                    "10:28"));
  EXPECT_FALSE(h.Has("W0701", "`outcome`"));
  const ir::Detection& d = *h.detection("d");
  ASSERT_EQ(d.tests.size(), 2u);
  EXPECT_EQ(d.tests[1].events.size(), 2u);
}

}  // namespace
}  // namespace ward::sema::testing
