// The "sigma" detection kind as a whole: member sorting, logsource, test
// blocks and the W0701 typo check, and Sigma meta filters.

#include <gtest/gtest.h>

#include "compiler/sema/detection_kind.h"
#include "tests/sema/sigma_testlib.h"

namespace ward::sema::testing {
namespace {

TEST(SigmaKindTest, NameAndMembers) {
  auto kind = MakeSigmaKind();
  EXPECT_EQ(kind->name(), "sigma");
  EXPECT_EQ(kind->MemberNames(), (std::vector<std::string>{"logsource", "let", "when",
                                                           "correlation", "taxonomy", "test"}));
}

TEST(SigmaKindTest, LanguageExampleLowers) {
  SigmaHarness h(R"(
detection sigma prompt_injection_phrase "Known prompt-injection phrase in a user prompt" {
  id: "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11"
  level: high
  status: experimental
  falsepositives: "Security training content"
  logsource { product: llm  category: prompt }
  let phrases = gen_ai.prompt contains any ["ignore previous instructions", "disregard the system prompt"]
  let red_team = user.role == "red_team"
  when: phrases and not red_team
  test "direct phrase" { event: { gen_ai.prompt: "Please IGNORE previous instructions", user.role: "analyst" }  expect: match }
  test "red team"      { event: { gen_ai.prompt: "ignore previous instructions", user.role: "red_team" }  expect: no_match }
})");
  ASSERT_TRUE(h.Clean());  // common members (id, level...) are the analyzer's
  const ir::SigmaLogic& logic = *h.logic("prompt_injection_phrase");
  EXPECT_EQ(logic.logsource.product, "llm");
  EXPECT_EQ(logic.logsource.category, "prompt");
  EXPECT_EQ(logic.logsource.service, "");
  EXPECT_EQ(DumpCondition(logic), "and(@phrases, not(@red_team))");
  EXPECT_FALSE(logic.correlation);
  const ir::Detection& d = *h.detection("prompt_injection_phrase");
  ASSERT_EQ(d.tests.size(), 2u);
  EXPECT_EQ(d.tests[0].name, "direct phrase");
  EXPECT_TRUE(d.tests[0].expect_match);
  ASSERT_EQ(d.tests[0].events.size(), 1u);
  EXPECT_EQ(d.tests[0].events[0].dump(),
            R"({"gen_ai.prompt":"Please IGNORE previous instructions","user.role":"analyst"})");
  EXPECT_FALSE(d.tests[1].expect_match);
  EXPECT_EQ(h.Where(d.tests[1].span), "12:3");
}

TEST(SigmaKindTest, LogsourceAttributesExtrasAndTaxonomy) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { category: process_creation  product: windows  service: "sysmon"
              definition: "Sysmon EventID 1"  channel: gcp.audit }
  taxonomy: ecs
  when: a == "1"
})");
  ASSERT_TRUE(h.Clean());
  const ir::SigmaLogic& logic = *h.logic("r");
  EXPECT_EQ(logic.logsource.category, "process_creation");
  EXPECT_EQ(logic.logsource.product, "windows");
  EXPECT_EQ(logic.logsource.service, "sysmon");
  EXPECT_EQ(logic.logsource.definition, "Sysmon EventID 1");
  EXPECT_EQ(logic.logsource.extra, (std::map<std::string, std::string>{{"channel", "gcp.audit"}}));
  EXPECT_EQ(logic.taxonomy, "ecs");
}

TEST(SigmaKindTest, LogsourceDiagnostics) {
  SigmaHarness missing(R"(
detection sigma r "R" { when: a == "1" })");
  EXPECT_TRUE(missing.Has("E0304", "sigma detection `r` has no `logsource`", "2:17"));

  SigmaHarness empty(R"(
detection sigma r "R" {
  logsource { definition: "prompts" }
  when: a == "1"
})");
  EXPECT_TRUE(empty.Has("E0512", "log source has no `category`, `product` or `service`", "3:3"));

  SigmaHarness repeated(R"(
detection sigma r "R" {
  logsource { product: a  product: b  category: "" }
  logsource { product: c }
  when: a == "1"
})");
  EXPECT_TRUE(repeated.Has("E0305", "`product` is given twice", "3:27"));
  EXPECT_TRUE(repeated.Has("E0308", "`category` must not be empty", "3:49"));
  EXPECT_TRUE(repeated.Has("E0305", "`logsource` is given twice", "4:3"));
  EXPECT_EQ(repeated.logic("r")->logsource.product, "a");

  SigmaHarness typed(R"(
detection sigma r "R" {
  logsource { product: 4  when: x exists }
  when: a == "1"
})");
  EXPECT_TRUE(typed.Has("E0303", "`product` expects a string or a name, found a number", "3:24"));
  EXPECT_TRUE(typed.Has("E0300", "`when` is not allowed in `logsource`", "3:27"));
}

TEST(SigmaKindTest, ConditionDiagnostics) {
  SigmaHarness twice(R"(
detection sigma r "R" {
  logsource { product: p }
  when: a == "1"
  when: b == "2"
})");
  EXPECT_TRUE(twice.Has("E0305", "`when` is given twice", "5:3"));
  EXPECT_EQ(DumpCondition(*twice.logic("r")), R"(a="1")");
}

TEST(SigmaKindTest, UnknownMembers) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsorce { product: p }
  logsource { product: p }
  taxonomi: ecs
  condition: true
  logsource: windows
  when: a == "1"
})");
  EXPECT_TRUE(h.Has("E0300", "unknown member `logsorce` in a sigma detection", "3:3"));
  EXPECT_TRUE(h.Has("E0300", "unknown member `taxonomi` in a sigma detection", "5:3"));
  EXPECT_TRUE(h.Has("E0300", "unknown member `condition` in a sigma detection", "6:3"));
  EXPECT_TRUE(h.Has("E0300", "unknown member `logsource` in a sigma detection", "7:3"));
  std::vector<std::string> helps;
  for (const Diagnostic& d : h.diags()) helps.push_back(d.help.value_or(""));
  EXPECT_EQ(helps, (std::vector<std::string>{
                       "did you mean `logsource`?",
                       "did you mean `taxonomy`?",
                       "`condition` belongs to YARA detections; Sigma uses `let` and `when:`",
                       "`logsource` is a block: write `logsource { ... }`",
                   }));
}

TEST(SigmaKindTest, TestBlockDiagnostics) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  when: a == "1"
  test "no expect" { event: { a: "1" } }
  test "bad expect" { event: { a: "1" } expect: maybe }
  test "typo expect" { event: { a: "1" } expect: mach }
  test "yara input" { file: "x.bin" expect: match }
  test "no input" { expect: match }
  test "both" { event: { a: "1" } events: [{ a: "1" }] expect: match }
  test "not an object" { event: "a=1" expect: match }
  test "no input" { evnt: { a: "1" } expect: match }
  test { event: { a: "1" } expect: match }
})");
  EXPECT_TRUE(h.Has("E0304", "test \"no expect\" has no `expect`", "5:8"));
  EXPECT_TRUE(h.Has("E0702", "invalid expectation `maybe`", "6:49"));
  EXPECT_TRUE(h.Has("E0702", "invalid expectation `mach`", "7:50"));
  EXPECT_TRUE(h.Has("E0703", "`file` is a YARA test input", "8:23"));
  EXPECT_TRUE(h.Has("E0703", "test \"no input\" has no input", "9:8"));
  EXPECT_TRUE(h.Has("E0703", "a test takes either `event` or `events`, not both", "10:35"));
  EXPECT_TRUE(h.Has("E0303", "`event` expects an object", "11:33"));
  EXPECT_TRUE(h.Has("E0300", "unknown member `evnt` in a test", "12:21"));
  EXPECT_TRUE(h.Has("E0305", "two tests are named \"no input\"", "12:8"));
  EXPECT_TRUE(h.Has("E0304", "test has no name", "13:3"));
  for (const Diagnostic& d : h.diags()) {
    if (d.message == "invalid expectation `mach`") {
      EXPECT_EQ(d.help, "did you mean `match`?");
    }
    if (d.message == "unknown member `evnt` in a test") {
      EXPECT_EQ(d.help, "did you mean `event`?");
    }
  }
  EXPECT_EQ(h.detection("r")->tests.size(), 9u);
}

TEST(SigmaKindTest, EventsKeepNestingAndOrder) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  when: user.role == "admin"
  test "t" { events: [{ user: { role: "admin" } }, { "user.role": "x", n: 3 }]  expect: match }
})");
  ASSERT_TRUE(h.Clean());
  const ir::TestCase& t = h.detection("r")->tests[0];
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[0].dump(), R"({"user":{"role":"admin"}})");
  EXPECT_EQ(t.events[1].dump(), R"({"n":3,"user.role":"x"})");
}

TEST(SigmaKindTest, TestFieldTyposWarn) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let phrase = gen_ai.prompt contains "ignore"
  let who = user exists or src == field(dst.ip)
  when: phrase and who
  test "flat typo" { event: { gen_ai.promt: "ignore", host.name: "h1" } expect: match }
  test "nested typo" { event: { gen_ai: { prompt: "x", promtp: "y" } } expect: no_match }
  test "inside a read object" { event: { user: { name: "a" }, dst: { ip: "1" } } expect: match }
})");
  EXPECT_TRUE(h.Has("W0701", "test event field `gen_ai.promt` is never read by the detection",
                    "7:31"));
  EXPECT_TRUE(h.Has("W0701", "test event field `gen_ai.promtp` is never read", "8:56"));
  EXPECT_FALSE(h.Has("W0701", "`host.name`"));  // an extra field, not a typo
  EXPECT_FALSE(h.Has("W0701", "`user.name`"));  // inside `user`, which is read
  EXPECT_FALSE(h.Has("W0701", "`dst.ip`"));     // read through field(...)
  for (const Diagnostic& d : h.diags()) {
    if (d.message.find("gen_ai.promt`") != std::string::npos) {
      EXPECT_EQ(d.help, "did you mean `gen_ai.prompt`?");
      ASSERT_EQ(d.fixits.size(), 1u);  // flat key: replaceable
      EXPECT_EQ(d.fixits[0].replacement, "gen_ai.prompt");
    }
    if (d.message.find("gen_ai.promtp`") != std::string::npos) {
      EXPECT_TRUE(d.fixits.empty());  // nested key: only the last part is in the source
    }
  }
}

// ---- filters ---------------------------------------------------------------------

TEST(SigmaFilterTest, LowersLogsourceRulesAndCondition) {
  SigmaHarness h(R"(
filter red_team_accounts "Exclude red-team accounts" {
  description: "handled by the analyzer"
  logsource { product: llm }
  rules: prompt_rule, other_rule
  let red = user.role == "red_team"
  when: not red
}
detection sigma prompt_rule "P" { logsource { product: llm category: prompt } when: a == "1" }
detection sigma other_rule "O" { logsource { product: llm } when: b == "1" }
)");
  ASSERT_TRUE(h.Clean());
  const ir::Filter& f = *h.filter("red_team_accounts");
  EXPECT_EQ(f.logsource.product, "llm");
  ASSERT_EQ(f.rules.size(), 2u);
  EXPECT_EQ(f.rules[0], h.detection("prompt_rule"));
  EXPECT_EQ(f.rules[1], h.detection("other_rule"));
  ASSERT_EQ(f.rule_spans.size(), 2u);
  EXPECT_EQ(h.Where(f.rule_spans[1]), "5:23");
  EXPECT_FALSE(f.applies_to_any);
  ASSERT_EQ(f.selections.size(), 1u);
  ASSERT_TRUE(f.condition);
  EXPECT_EQ(Dump(*f.condition, f.selections), "not(@red)");
  EXPECT_EQ(Dump(*f.selections[0].expr, f.selections), R"(user.role="red_team")");
}

TEST(SigmaFilterTest, RulesAny) {
  SigmaHarness h(R"(
filter f "F" { logsource { product: llm } rules: any when: not user.role == "red_team" }
)");
  ASSERT_TRUE(h.Clean());
  EXPECT_TRUE(h.filter("f")->applies_to_any);
  EXPECT_TRUE(h.filter("f")->rules.empty());
  EXPECT_EQ(Dump(*h.filter("f")->condition, {}), R"(not(user.role="red_team"))");
}

TEST(SigmaFilterTest, Diagnostics) {
  SigmaHarness missing(R"(
filter f "F" { id: "x" }
)");
  EXPECT_TRUE(missing.Has("E0304", "filter `f` has no `logsource`", "2:8"));
  EXPECT_TRUE(missing.Has("E0304", "filter `f` has no `rules`", "2:8"));
  EXPECT_TRUE(missing.Has("E0304", "filter `f` has no `when:` condition", "2:8"));

  SigmaHarness h(R"(
detection sigma r "R" { logsource { product: llm } when: a == "1" }
detection sigma c "C" { correlation event_count { rules: r group_by: u timespan: 1m where: count > 1 } }
detection sigma w "W" { logsource { product: windows } when: a == "1" }
filter f "F" {
  logsource { product: llm }
  rules: any, r
  when: b == "2" and undefined_sel
  test "t" { event: { a: "1" } expect: match }
}
filter g "G" { logsource { product: llm } rules: c, w, "r", r, r when: b == "2" }
)");
  EXPECT_TRUE(h.Has("E0303", "`any` cannot be combined with rule names", "7:10"));
  EXPECT_TRUE(h.Has("E0502", "undefined selection `undefined_sel`", "8:22"));
  EXPECT_TRUE(h.Has("E0300", "unknown member `test` in a filter", "9:3"));
  EXPECT_TRUE(h.Has("E0202", "`c` is a correlation; filters apply to single-event rules",
                    "11:50"));
  EXPECT_TRUE(h.Has("W0513", "the log source of filter `g` does not cover `w`", "11:53"));
  EXPECT_TRUE(h.Has("E0303", "`rules` expects detection names, found a string", "11:56"));
  EXPECT_TRUE(h.Has("E0305", "`r` is listed twice", "11:64"));
  EXPECT_FALSE(h.Has("W0513", "`r`"));  // product: llm covers product: llm
}

}  // namespace
}  // namespace ward::sema::testing
