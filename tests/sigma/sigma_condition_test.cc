#include "backends/sigma/sigma_condition.h"

#include <gtest/gtest.h>

namespace ward::backends::sigma {
namespace {

Condition Ref(const char* n) { return Condition::Ref(n); }
Condition Op(Condition::Kind kind, std::vector<Condition> children) {
  Condition c;
  c.kind = kind;
  c.children = std::move(children);
  return c;
}
Condition And(std::vector<Condition> c) { return Op(Condition::Kind::kAnd, std::move(c)); }
Condition Or(std::vector<Condition> c) { return Op(Condition::Kind::kOr, std::move(c)); }

TEST(PrintConditionTest, ParenthesesOnlyWherePrecedenceNeedsThem) {
  EXPECT_EQ(PrintCondition(And({Ref("a"), Condition::Not(Ref("b"))})), "a and not b");
  EXPECT_EQ(PrintCondition(Or({And({Ref("a"), Ref("b")}), Ref("c")})), "a and b or c");
  EXPECT_EQ(PrintCondition(And({Or({Ref("a"), Ref("b")}), Ref("c")})), "(a or b) and c");
  // `not (a and b)` must keep its parentheses: `not a and b` means something else.
  EXPECT_EQ(PrintCondition(Condition::Not(And({Ref("a"), Ref("b")}))), "not (a and b)");
  EXPECT_EQ(PrintCondition(Condition::Not(Or({Ref("a"), Ref("b")}))), "not (a or b)");
}

TEST(SimplifyConditionTest, FlattensAndRemovesDoubleNegationAndRepeats) {
  Condition c =
      And({Ref("a"), And({Ref("b"), Ref("a")}), Condition::Not(Condition::Not(Ref("c")))});
  SimplifyCondition(c);
  EXPECT_EQ(PrintCondition(c), "a and b and c");
}

TEST(FoldQuantifiersTest, FoldsOnlyWhenThePatternNamesExactlyTheGroup) {
  std::vector<std::string> ids = {"selection_a", "selection_b", "filter_main_x", "filter_main_y"};
  Condition c = And({Ref("selection_a"), Ref("selection_b"), Condition::Not(Ref("filter_main_x")),
                     Condition::Not(Ref("filter_main_y"))});
  FoldQuantifiers(c, ids);
  EXPECT_EQ(PrintCondition(c), "all of selection_* and not 1 of filter_main_*");

  Condition o = Or({Ref("selection_a"), Ref("selection_b")});
  FoldQuantifiers(o, ids);
  EXPECT_EQ(PrintCondition(o), "1 of selection_*");

  // De Morgan: not x or not y = not (x and y).
  Condition n = Or({Condition::Not(Ref("filter_main_x")), Condition::Not(Ref("filter_main_y"))});
  FoldQuantifiers(n, ids);
  EXPECT_EQ(PrintCondition(n), "not all of filter_main_*");

  // selection_* would also name selection_c, which is not in the group.
  std::vector<std::string> more = {"selection_a", "selection_b", "selection_c"};
  Condition partial = Or({Ref("selection_a"), Ref("selection_b")});
  Condition c2 = And({partial, Ref("selection_c")});
  FoldQuantifiers(c2, more);
  EXPECT_EQ(PrintCondition(c2), "(selection_a or selection_b) and selection_c");
}

TEST(FoldQuantifiersTest, UsesANarrowerCommonPrefixWhenTheFamilyIsTooWide) {
  std::vector<std::string> ids = {"selection_x_1", "selection_x_2", "selection_y"};
  Condition c = Or({And({Ref("selection_x_1"), Ref("selection_x_2")}), Ref("selection_y")});
  FoldQuantifiers(c, ids);
  EXPECT_EQ(PrintCondition(c), "all of selection_x_* or selection_y");
}

TEST(GlobMatchTest, StarMatchesAnyRunAndTheWholeNameMustMatch) {
  EXPECT_TRUE(GlobMatch("selection_*", "selection_a"));
  EXPECT_TRUE(GlobMatch("*_main_*", "filter_main_x"));
  EXPECT_FALSE(GlobMatch("selection_*", "selection"));
  EXPECT_FALSE(GlobMatch("sel", "selection"));
  EXPECT_TRUE(GlobMatch("*", ""));
}

}  // namespace
}  // namespace ward::backends::sigma
