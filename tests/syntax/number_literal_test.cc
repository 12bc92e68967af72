#include "compiler/syntax/number_literal.h"

#include <gtest/gtest.h>

#include <limits>

namespace ward::syntax {
namespace {

constexpr Span kAt{1, 10, 20};

ast::Number Parse(std::string_view text, bool negative, DiagnosticEngine& diags) {
  return ParseNumberLiteral(text, negative, kAt, diags);
}

TEST(NumberLiteral, Decimal) {
  DiagnosticEngine diags;
  ast::Number n = Parse("42", false, diags);
  EXPECT_TRUE(n.is_integer);
  EXPECT_EQ(n.integer, 42);
  EXPECT_EQ(n.text, "42");
  n = Parse("3", true, diags);
  EXPECT_EQ(n.integer, -3);
  EXPECT_EQ(n.text, "-3");
  EXPECT_FALSE(diags.has_errors());
}

TEST(NumberLiteral, Hex) {
  DiagnosticEngine diags;
  EXPECT_EQ(Parse("0x80", false, diags).integer, 128);
  EXPECT_EQ(Parse("0xfF", true, diags).integer, -255);
  EXPECT_EQ(Parse("0x7FFFFFFFFFFFFFFF", false, diags).integer,
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Parse("0x80", false, diags).text, "0x80");
  EXPECT_FALSE(diags.has_errors());
}

TEST(NumberLiteral, Float) {
  DiagnosticEngine diags;
  ast::Number n = Parse("7.5", false, diags);
  EXPECT_FALSE(n.is_integer);
  EXPECT_DOUBLE_EQ(n.real, 7.5);
  EXPECT_DOUBLE_EQ(Parse("0.25", true, diags).real, -0.25);
  EXPECT_FALSE(diags.has_errors());
}

TEST(NumberLiteral, YaraSizes) {
  DiagnosticEngine diags;
  EXPECT_EQ(Parse("10KB", false, diags).integer, 10240);
  EXPECT_EQ(Parse("2MB", false, diags).integer, 2097152);
  EXPECT_EQ(Parse("2MB", false, diags).text, "2MB");
  EXPECT_FALSE(diags.has_errors());
}

TEST(NumberLiteral, Int64Bounds) {
  DiagnosticEngine diags;
  EXPECT_EQ(Parse("9223372036854775807", false, diags).integer,
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Parse("9223372036854775808", true, diags).integer,
            std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(diags.has_errors());
}

TEST(NumberLiteral, OutOfRangeIsE0106AndGivesZero) {
  const char* cases[] = {"9223372036854775808", "99999999999999999999", "0x8000000000000000",
                         "0x1FFFFFFFFFFFFFFFF", "9007199254740993MB"};
  for (const char* text : cases) {
    DiagnosticEngine diags;
    ast::Number n = Parse(text, false, diags);
    EXPECT_EQ(n.integer, 0) << text;
    ASSERT_EQ(diags.diagnostics().size(), 1u) << text;
    EXPECT_EQ(diags.diagnostics()[0].code, DiagCode::kInvalidNumber);
    EXPECT_EQ(diags.diagnostics()[0].message, "number `" + std::string(text) + "` is out of range");
    EXPECT_EQ(diags.diagnostics()[0].primary.span, kAt);
  }
  DiagnosticEngine diags;
  Parse("9223372036854775809", true, diags);
  ASSERT_EQ(diags.diagnostics().size(), 1u);
  EXPECT_EQ(diags.diagnostics()[0].message, "number `-9223372036854775809` is out of range");
}

TEST(NumberLiteral, HugeFloatIsOutOfRange) {
  DiagnosticEngine diags;
  std::string text(400, '9');
  text += ".5";
  Parse(text, false, diags);
  ASSERT_EQ(diags.diagnostics().size(), 1u);
  EXPECT_EQ(diags.diagnostics()[0].code, DiagCode::kInvalidNumber);
}

}  // namespace
}  // namespace ward::syntax
