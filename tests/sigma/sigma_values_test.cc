#include "backends/sigma/sigma_values.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ward::backends::sigma {
namespace {

using ir::SigmaModifier;

TEST(EscapeSigmaStringTest, EscapesWildcardsAndOnlyTheBackslashesThatNeedIt) {
  EXPECT_EQ(EscapeSigmaString("plain text"), "plain text");
  EXPECT_EQ(EscapeSigmaString("a*b?c"), "a\\*b\\?c");
  // A single backslash before an ordinary character is literal in Sigma:
  // Windows paths stay readable.
  EXPECT_EQ(EscapeSigmaString("C:\\Windows\\System32"), "C:\\Windows\\System32");
  // Before a wildcard or at the end, it must be doubled.
  EXPECT_EQ(EscapeSigmaString("dir\\*"), "dir\\\\\\*");
  EXPECT_EQ(EscapeSigmaString("trailing\\"), "trailing\\\\");
  // Two backslashes are written as four, as the specification recommends.
  EXPECT_EQ(EscapeSigmaString("\\\\server\\share"), "\\\\\\\\server\\share");
}

TEST(EscapeSigmaStringTest, RoundTripsThroughSigmasReading) {
  const std::vector<std::string> samples = {"",
                                            "*",
                                            "?",
                                            "\\",
                                            "\\\\",
                                            "\\*",
                                            "\\\\*",
                                            "a\\?b",
                                            "it's",
                                            "say \"hi\"",
                                            "line\nbreak",
                                            "tab\there",
                                            "naïve ✓ 🙂",
                                            "%Servers%",
                                            "50% off?",
                                            "\\\\\\",
                                            "x\\y\\",
                                            "***",
                                            "C:\\Program Files\\*\\a.exe"};
  for (const std::string& s : samples) {
    std::string escaped = EscapeSigmaString(s);
    EXPECT_FALSE(HasSigmaWildcard(escaped)) << s;
    std::optional<std::string> back = UnescapeSigmaString(escaped);
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(*back, s) << "escaped as " << escaped;
  }
}

TEST(UnescapeSigmaStringTest, FollowsPySigmasReading) {
  EXPECT_EQ(UnescapeSigmaString("a\\b"), "a\\b");          // other char: backslash kept
  EXPECT_EQ(UnescapeSigmaString("a\\\\b"), "a\\b");        // escaped backslash
  EXPECT_EQ(UnescapeSigmaString("a\\*"), "a*");            // escaped star
  EXPECT_EQ(UnescapeSigmaString("a\\"), "a\\");            // trailing backslash kept
  EXPECT_FALSE(UnescapeSigmaString("a*").has_value());     // wildcard
  EXPECT_FALSE(UnescapeSigmaString("\\\\*").has_value());  // backslash, then a wildcard
  EXPECT_TRUE(HasSigmaWildcard("ab?"));
  EXPECT_FALSE(HasSigmaWildcard("ab\\?"));
}

TEST(CanonicalModifierOrderTest, TransformationsThenComparisonThenAllThenCased) {
  auto names = [](std::vector<SigmaModifier> mods) {
    std::string out;
    for (SigmaModifier m : CanonicalModifierOrder(std::move(mods))) {
      out += '|';
      out += ir::SigmaModifierName(m);
    }
    return out;
  };
  EXPECT_EQ(names({SigmaModifier::kCased, SigmaModifier::kAll, SigmaModifier::kContains,
                   SigmaModifier::kWide, SigmaModifier::kBase64Offset}),
            "|wide|base64offset|contains|all|cased");
  // Transformations keep their written order: it changes the meaning.
  EXPECT_EQ(names({SigmaModifier::kBase64, SigmaModifier::kWide, SigmaModifier::kContains}),
            "|base64|wide|contains");
  EXPECT_EQ(names({SigmaModifier::kReS, SigmaModifier::kReI, SigmaModifier::kRe}), "|re|i|s");
  EXPECT_EQ(names({SigmaModifier::kGte, SigmaModifier::kHour}), "|hour|gte");
  EXPECT_EQ(names({SigmaModifier::kContains, SigmaModifier::kFieldref}), "|fieldref|contains");
  EXPECT_EQ(names({SigmaModifier::kNeq, SigmaModifier::kFieldref}), "|fieldref|neq");
  EXPECT_EQ(names({SigmaModifier::kWindash, SigmaModifier::kContains}), "|windash|contains");
  EXPECT_EQ(names({SigmaModifier::kContains, SigmaModifier::kExpand}), "|expand|contains");
  // A repeated comparison means the same as one; repeated encodings do not.
  EXPECT_EQ(names({SigmaModifier::kContains, SigmaModifier::kContains}), "|contains");
  EXPECT_EQ(names({SigmaModifier::kBase64, SigmaModifier::kBase64}), "|base64|base64");
}

TEST(FormatFloatTest, AlwaysReadsBackAsAFloat) {
  EXPECT_EQ(FormatFloat(3.0), "3.0");
  EXPECT_EQ(FormatFloat(0.25), "0.25");
  EXPECT_EQ(FormatFloat(-1.5), "-1.5");
  EXPECT_EQ(FormatFloat(1e300), "1.0e+300");
  EXPECT_EQ(std::stod(FormatFloat(0.1)), 0.1);
}

}  // namespace
}  // namespace ward::backends::sigma
