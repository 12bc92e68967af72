#include "compiler/support/text_util.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ward {
namespace {

using namespace std::string_literals;

TEST(EditDistanceTest, ClassicCases) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 10), 3u);
  EXPECT_EQ(EditDistance("", "abc", 10), 3u);
  EXPECT_EQ(EditDistance("abc", "", 10), 3u);
  EXPECT_EQ(EditDistance("same", "same", 10), 0u);
  EXPECT_EQ(EditDistance("safe_formatz", "safe_formats", 10), 1u);
  EXPECT_EQ(EditDistance("ab", "ba", 10), 2u);  // no transpositions
}

TEST(EditDistanceTest, StopsAtTheCap) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 2), 3u);  // max + 1
  EXPECT_EQ(EditDistance("a", "abcdefgh", 3), 4u);      // length gap alone
  EXPECT_EQ(EditDistance("abcdef", "uvwxyz", 1), 2u);
}

TEST(ClosestMatchTest, SuggestsPlausibleTypos) {
  std::vector<std::string> names = {"safe_formats", "model_signing", "weight_encryption"};
  EXPECT_EQ(ClosestMatch("safe_formatz", names), "safe_formats");
  EXPECT_EQ(ClosestMatch("model_signin", names), "model_signing");
  EXPECT_EQ(ClosestMatch("completely_else", names), std::nullopt);
  // The word itself is never suggested.
  EXPECT_EQ(ClosestMatch("safe_formats", {"safe_formats"}), std::nullopt);
  EXPECT_EQ(ClosestMatch("x", {}), std::nullopt);
}

TEST(ClosestMatchTest, ShortWordsAllowOneEditAndTiesGoToTheFirst) {
  EXPECT_EQ(ClosestMatch("hgh", {"high", "low"}), "high");
  EXPECT_EQ(ClosestMatch("ab", {"xy"}), std::nullopt);
  EXPECT_EQ(ClosestMatch("cat", {"bat", "hat"}), "bat");
}

TEST(Utf8Test, AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("h\xC3\xA9llo \xE6\x97\xA5 \xF0\x9F\x98\x80"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xED\x9F\xBF"), std::nullopt);      // U+D7FF
  EXPECT_EQ(FindInvalidUtf8("\xEE\x80\x80"), std::nullopt);      // U+E000
  EXPECT_EQ(FindInvalidUtf8("a\0b"s), std::nullopt);
}

TEST(Utf8Test, RejectsOverlongForms) {
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);  // '/' in two bytes
  EXPECT_EQ(FindInvalidUtf8("\xC1\xBF"), 0u);
  EXPECT_EQ(FindInvalidUtf8("x\xE0\x80\xAF"), 1u);     // three bytes
  EXPECT_EQ(FindInvalidUtf8("\xF0\x80\x80\xAF"), 0u);  // four bytes
}

TEST(Utf8Test, RejectsSurrogatesAndValuesAboveTheMaximum) {
  EXPECT_EQ(FindInvalidUtf8("ok\xED\xA0\x80"), 2u);    // U+D800
  EXPECT_EQ(FindInvalidUtf8("\xED\xBF\xBF"), 0u);      // U+DFFF
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);
}

TEST(Utf8Test, RejectsTruncatedAndStrayBytes) {
  EXPECT_EQ(FindInvalidUtf8("abc\xE6\x97"), 3u);  // cut off at the end
  EXPECT_EQ(FindInvalidUtf8("\xE6\x97x"), 0u);    // cut off before ASCII
  EXPECT_EQ(FindInvalidUtf8("a\x80"), 1u);        // lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("\xFF"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xF8\x88\x80\x80\x80"), 0u);  // 5-byte form
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9"));
}

TEST(Utf8Test, AppendUtf8RoundTrips) {
  std::string out;
  for (uint32_t cp : {0x24u, 0xE9u, 0x20ACu, 0x1F600u, 0x10FFFFu}) AppendUtf8(out, cp);
  EXPECT_EQ(out, "$\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
  EXPECT_TRUE(IsValidUtf8(out));
}

TEST(JoinAlternativesTest, Forms) {
  EXPECT_EQ(JoinAlternatives({}), "");
  EXPECT_EQ(JoinAlternatives({"a"}), "`a`");
  EXPECT_EQ(JoinAlternatives({"a", "b"}), "`a` or `b`");
  EXPECT_EQ(JoinAlternatives({"a", "b", "c"}), "`a`, `b` or `c`");
}

}  // namespace
}  // namespace ward
