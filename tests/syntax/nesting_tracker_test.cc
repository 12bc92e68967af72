#include "compiler/syntax/nesting_tracker.h"

#include <gtest/gtest.h>

namespace ward::syntax {
namespace {

Span At(uint32_t offset) { return Span{1, offset, offset + 1}; }

TEST(NestingTracker, BracketsCountUntilClosed) {
  NestingTracker t(3);
  EXPECT_TRUE(t.Open('(', At(0)));
  EXPECT_TRUE(t.Open('[', At(1)));
  EXPECT_TRUE(t.Open('{', At(2)));
  EXPECT_EQ(t.depth(), 3u);
  EXPECT_FALSE(t.Open('(', At(3)));  // the fourth level exceeds the limit
  t.Close(')');
  t.Close('}');
  t.Close(']');
  t.Close(')');
  EXPECT_EQ(t.depth(), 0u);
  EXPECT_TRUE(t.Unclosed().empty());
}

TEST(NestingTracker, PrefixChainsCountUntilTheirOperand) {
  NestingTracker t(3);
  EXPECT_TRUE(t.Prefix());
  EXPECT_TRUE(t.Prefix());
  EXPECT_TRUE(t.Prefix());
  EXPECT_FALSE(t.Prefix());
  t.Other();  // the operand ends the chain
  EXPECT_EQ(t.depth(), 0u);
  EXPECT_TRUE(t.Prefix());
}

TEST(NestingTracker, PrefixBeforeABracketStaysOpenUntilItCloses) {
  NestingTracker t(4);
  EXPECT_TRUE(t.Prefix());         // not
  EXPECT_TRUE(t.Open('(', At(0)));  // not (   -> 2
  EXPECT_TRUE(t.Prefix());         // not ( not
  EXPECT_TRUE(t.Open('(', At(1)));  // -> 4
  EXPECT_EQ(t.depth(), 4u);
  EXPECT_FALSE(t.Prefix());
  t.Other();
  t.Close(')');
  EXPECT_EQ(t.depth(), 2u);
  t.Close(')');
  EXPECT_EQ(t.depth(), 0u);
}

TEST(NestingTracker, UnclosedOpenersInnermostLast) {
  NestingTracker t(10);
  t.Open('{', At(0));
  t.Open('{', At(5));
  t.Open('(', At(9));
  t.Close(')');
  std::vector<NestingTracker::Opener> open = t.Unclosed();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[1].bracket, '{');
  EXPECT_EQ(open[1].span, At(5));
}

TEST(NestingTracker, MismatchedCloserPopsToItsOpener) {
  NestingTracker t(10);
  t.Open('{', At(0));
  t.Open('(', At(1));
  t.Close('}');  // the `(` is abandoned with its block
  EXPECT_EQ(t.depth(), 0u);
  t.Close(']');  // matches nothing: ignored
  EXPECT_EQ(t.depth(), 0u);
}

}  // namespace
}  // namespace ward::syntax
