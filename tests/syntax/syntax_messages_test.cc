#include "compiler/syntax/syntax_messages.h"

#include <gtest/gtest.h>

namespace ward::syntax {
namespace {

TEST(SyntaxMessages, DescribesTokensInWords) {
  EXPECT_EQ(DescribeExpected({{"LBRACE", "{"}}), "`{`");
  EXPECT_EQ(DescribeExpected({{"RBRACE", "}"}, {"ID", ""}}), "a name or `}`");
  EXPECT_EQ(DescribeExpected({{"STRING", ""}, {"TSTRING", ""}, {"INT", ""}, {"LBRACKET", "["}}),
            "a string, a number or `[`");
  EXPECT_EQ(DescribeExpected({{"EOF", ""}}), "end of file");
}

TEST(SyntaxMessages, TooManyAlternativesGiveNothing) {
  std::vector<ExpectedToken> many = {{"A", "a"}, {"B", "b"}, {"C", "c"},
                                     {"D", "d"}, {"E", "e"}, {"F", "f"}};
  EXPECT_FALSE(DescribeExpected(many).has_value());
  EXPECT_FALSE(DescribeExpected({}).has_value());
}

TEST(SyntaxMessages, RulesHaveNouns) {
  EXPECT_EQ(DescribeRule("value"), "a value");
  EXPECT_EQ(DescribeRule("yaraAdd"), "an expression");
  EXPECT_EQ(DescribeRule("sigmaAnd"), "a condition");
  EXPECT_EQ(DescribeRule("member"), "a property or block");
}

TEST(SyntaxMessages, FoundTokenIsQuotedAndShortened) {
  EXPECT_EQ(DescribeFound("ID", "severity"), "`severity`");
  EXPECT_EQ(DescribeFound("EOF", "<EOF>"), "end of file");
  EXPECT_EQ(DescribeFound("STRING", "\"" + std::string(50, 'a') + "\""),
            "`\"" + std::string(31, 'a') + "...`");
  EXPECT_EQ(DescribeFound("TSTRING", "\"\"\"\nabc\"\"\""), "`\"\"\"...`");
}

TEST(SyntaxMessages, JoinWithOr) {
  EXPECT_EQ(JoinWithOr({"a"}), "a");
  EXPECT_EQ(JoinWithOr({"a", "b"}), "a or b");
  EXPECT_EQ(JoinWithOr({"a", "b", "c"}), "a, b or c");
}

}  // namespace
}  // namespace ward::syntax
