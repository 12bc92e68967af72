// Named selections (`let`), references to them, `any of` / `all of`
// patterns, and the selection diagnostics: E0201, E0502, E0510, W0503.

#include <gtest/gtest.h>

#include "tests/sema/sigma_testlib.h"

namespace ward::sema::testing {
namespace {

TEST(SigmaSelectionTest, LetsBecomeSelectionsInDeclarationOrder) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let phrases = gen_ai.prompt contains any ["ignore previous", "disregard"]
  let red_team = user.role == "red_team"
  when: phrases and not red_team
})");
  ASSERT_TRUE(h.Clean());
  const ir::SigmaLogic& logic = *h.logic("r");
  ASSERT_EQ(logic.selections.size(), 2u);
  EXPECT_EQ(logic.selections[0].name, "phrases");
  EXPECT_EQ(h.Where(logic.selections[0].span), "4:7");
  EXPECT_EQ(DumpSelection(logic, "phrases"),
            R"(gen_ai.prompt|contains=["ignore previous","disregard"])");
  EXPECT_EQ(DumpSelection(logic, "red_team"), R"(user.role="red_team")");
  EXPECT_EQ(DumpCondition(logic), "and(@phrases, not(@red_team))");
}

TEST(SigmaSelectionTest, ALetMayUseOneDeclaredAfterIt) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let both = first and second
  let first = a == "1"
  let second = b == "2"
  when: both
})");
  ASSERT_TRUE(h.Clean());
  EXPECT_EQ(DumpSelection(*h.logic("r"), "both"), "and(@first, @second)");
  EXPECT_EQ(DumpCondition(*h.logic("r")), "@both");
}

struct PatternCase {
  const char* when;
  const char* lowered;
};

TEST(SigmaSelectionTest, PatternsExpandToTheMatchingSelections) {
  const PatternCase cases[] = {
      {"any of sel_*", "or(@sel_a, @sel_b)"},
      {"all of sel_*", "and(@sel_a, @sel_b)"},
      {"any of (sel_a, filter_x)", "or(@sel_a, @filter_x)"},
      {"all of (sel_b, sel_a, sel_b)", "and(@sel_b, @sel_a)"},  // repeats dropped
      {"any of filter*", "@filter_x"},                          // one match: the selection
      {"any of sel_a", "@sel_a"},
      {"all of *", "and(@sel_a, @sel_b, @filter_x)"},            // `*` skips `_hidden`
      {"any of _*", "@_hidden"},                                 // unless asked for
      {"any of sel_* and not filter_x and not _hidden",
       "and(or(@sel_a, @sel_b), not(@filter_x), not(@_hidden))"},
  };
  for (const PatternCase& c : cases) {
    SigmaHarness h(std::string(R"(
detection sigma r "R" {
  logsource { product: p }
  let sel_a = a == "1"
  let sel_b = b == "2"
  let filter_x = c == "3"
  let _hidden = d == "4"
  when: )") + c.when + "\n}");
    EXPECT_EQ(DumpCondition(*h.logic("r")), c.lowered) << "when: " << c.when;
    EXPECT_TRUE(h.Lacks("E0502")) << "when: " << c.when;
  }
}

TEST(SigmaSelectionTest, APatternInsideALetSkipsTheLetItself) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let sel_1 = a == "1"
  let sel_2 = b == "2"
  let sel_all = all of sel_*
  when: sel_all
})");
  ASSERT_TRUE(h.Clean());
  EXPECT_EQ(DumpSelection(*h.logic("r"), "sel_all"), "and(@sel_1, @sel_2)");
}

TEST(SigmaSelectionTest, UndefinedSelectionSuggestsTheClosestName) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let phrases = a == "1"
  when: phrase
})");
  EXPECT_TRUE(h.Has("E0502", "undefined selection `phrase`", "5:9"));
  ASSERT_EQ(h.diags().size(), 1u) << h.DiagList();
  EXPECT_EQ(h.diags()[0].help, "did you mean `phrases`?");
  ASSERT_EQ(h.diags()[0].fixits.size(), 1u);
  EXPECT_EQ(h.diags()[0].fixits[0].replacement, "phrases");
}

TEST(SigmaSelectionTest, UndefinedNamesInPatternsAndLets) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let sel_a = a == "1" or nothing_here
  when: any of foo* or any of (sel_a, sel_z)
})");
  EXPECT_TRUE(h.Has("E0502", "undefined selection `nothing_here`", "4:27"));
  EXPECT_TRUE(h.Has("E0502", "`foo*` matches no selection", "5:9"));
  EXPECT_TRUE(h.Has("E0502", "undefined selection `sel_z`", "5:39"));
}

TEST(SigmaSelectionTest, DuplicateLetPointsAtTheFirst) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let sel = a == "1"
  let sel = b == 2
  when: sel
})");
  EXPECT_TRUE(h.Has("E0201", "selection `sel` is defined twice", "5:7"));
  const Diagnostic& d = h.diags()[0];
  ASSERT_EQ(d.secondary.size(), 1u);
  EXPECT_EQ(h.Where(d.secondary[0].span), "4:7");
  // The first definition wins; names in the IR stay unique.
  ASSERT_EQ(h.logic("r")->selections.size(), 1u);
  EXPECT_EQ(DumpSelection(*h.logic("r"), "sel"), R"(a="1")");
}

TEST(SigmaSelectionTest, DuplicateLetIsStillChecked) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let sel = a == "1"
  let sel = b < "x"
  when: sel
})");
  EXPECT_TRUE(h.Has("E0505", "`<` needs a number, found a string", "5:17"));
}

TEST(SigmaSelectionTest, CyclesBetweenSelections) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let a = b and x == "1"
  let b = c
  let c = a
  when: a
})");
  EXPECT_TRUE(h.Has("E0510", "selections refer to each other in a cycle: `a` -> `b` -> `c` -> `a`",
                    "6:11"));
  SigmaHarness self(R"(
detection sigma r "R" {
  logsource { product: p }
  let a = a or x == "1"
  when: a
})");
  EXPECT_TRUE(self.Has("E0510", "selection `a` refers to itself", "4:11"));
}

TEST(SigmaSelectionTest, UnusedSelectionWarns) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let used = a == "1"
  let helper = b == "2"
  let wrapper = helper or c == "3"
  when: used
})");
  EXPECT_TRUE(h.Has("W0503", "selection `wrapper` is never used", "6:7"));
  EXPECT_FALSE(h.Has("W0503", "selection `helper`"));  // used by `wrapper`
  EXPECT_FALSE(h.Has("W0503", "selection `used`"));
}

TEST(SigmaSelectionTest, NoUnusedWarningsWithoutACondition) {
  SigmaHarness h(R"(
detection sigma r "R" {
  logsource { product: p }
  let sel = a == "1"
})");
  EXPECT_TRUE(h.Has("E0304", "sigma detection `r` has no `when:` condition", "2:17"));
  EXPECT_TRUE(h.Lacks("W0503"));
}

}  // namespace
}  // namespace ward::sema::testing
