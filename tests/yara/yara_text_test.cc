// Literal syntax, identifiers and ordering: the pieces the printer is built on.

#include <gtest/gtest.h>

#include <string>

#include "backends/yara/rule_naming.h"
#include "backends/yara/rule_order.h"
#include "backends/yara/yara_escape.h"

namespace ward::backends::yara {
namespace {

using namespace std::string_literals;

TEST(QuoteTextTest, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(QuoteText("plain text"), "\"plain text\"");
  EXPECT_EQ(QuoteText("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(QuoteText("C:\\temp"), R"("C:\\temp")");
  EXPECT_EQ(QuoteText("a\nb\tc\rd"), R"("a\nb\tc\rd")");
  EXPECT_EQ(QuoteText("\x00\x01\x1f"s), R"("\x00\x01\x1F")");
}

TEST(QuoteTextTest, WritesNonAsciiBytesAsHexEscapes) {
  // libyara 4.2.3 refuses raw non-ASCII bytes in rule text.
  EXPECT_EQ(QuoteText("h\xc3\xa9llo"), R"("h\xC3\xA9llo")");
  EXPECT_EQ(QuoteText("\x7f\x80\xff"), R"("\x7F\x80\xFF")");
}

TEST(EscapeRegexBodyTest, KeepsTheBodyAsWritten) {
  EXPECT_EQ(EscapeRegexBody(R"(c(os|posix)\n(system|popen))"), R"(c(os|posix)\n(system|popen))");
  EXPECT_EQ(EscapeRegexBody(R"(a\/b\d+\x41)"), R"(a\/b\d+\x41)");
}

TEST(EscapeRegexBodyTest, EscapesSlashesAndRawBytes) {
  EXPECT_EQ(EscapeRegexBody("a/b"), R"(a\/b)");
  EXPECT_EQ(EscapeRegexBody("h\xc3\xa9"), R"(h\xC3\xA9)");
  EXPECT_EQ(EscapeRegexBody("a\nb"), R"(a\x0Ab)");
  // A backslash before a raw byte means that byte.
  EXPECT_EQ(EscapeRegexBody("a\\\xc3"), R"(a\xC3)");
  // A trailing backslash must not swallow the closing slash.
  EXPECT_EQ(EscapeRegexBody("a\\"), R"(a\\)");
}

TEST(FormatRegexTest, AppendsFlags) {
  EXPECT_EQ(FormatRegex("abc", false, false), "/abc/");
  EXPECT_EQ(FormatRegex("abc", true, false), "/abc/i");
  EXPECT_EQ(FormatRegex("abc", false, true), "/abc/s");
  EXPECT_EQ(FormatRegex("abc", true, true), "/abc/is");
}

HexToken B(uint8_t value, uint8_t mask = 0xFF) {
  HexToken t;
  t.value = value;
  t.mask = mask;
  return t;
}
HexToken J(std::optional<uint32_t> low, std::optional<uint32_t> high) {
  HexToken t;
  t.kind = HexToken::Kind::kJump;
  t.jump_low = low;
  t.jump_high = high;
  return t;
}

TEST(FormatHexTokensTest, BytesAndNibbleMasks) {
  EXPECT_EQ(FormatHexTokens({B(0x4D), B(0x5A), B(0, 0), B(0x40, 0xF0), B(0x0A, 0x0F)}),
            "4D 5A ?? 4? ?A");
}

TEST(FormatHexTokensTest, EveryJumpForm) {
  EXPECT_EQ(FormatHexTokens({B(1), J(4, 4), B(2)}), "01 [4] 02");
  EXPECT_EQ(FormatHexTokens({B(1), J(2, 7), B(2)}), "01 [2-7] 02");
  EXPECT_EQ(FormatHexTokens({B(1), J(3, std::nullopt), B(2)}), "01 [3-] 02");
  EXPECT_EQ(FormatHexTokens({B(1), J(std::nullopt, std::nullopt), B(2)}), "01 [-] 02");
  EXPECT_EQ(FormatHexTokens({B(1), J(std::nullopt, 9), B(2)}), "01 [0-9] 02");
  // libyara rejects `[0]` but accepts `[0-0]`.
  EXPECT_EQ(FormatHexTokens({B(1), J(0, 0), B(2)}), "01 [0-0] 02");
}

TEST(FormatHexTokensTest, NestedAlternatives) {
  HexToken inner;
  inner.kind = HexToken::Kind::kAlternation;
  inner.alternatives = {{B(0xAA)}, {B(0xBB), B(0, 0)}};
  HexToken outer;
  outer.kind = HexToken::Kind::kAlternation;
  outer.alternatives = {{B(0x6F), B(0x73)}, {B(0x01), inner}};
  EXPECT_EQ(FormatHexTokens({B(0x8C), outer, B(0x93)}), "8C ( 6F 73 | 01 ( AA | BB ?? ) ) 93");
}

TEST(FormatNumberTest, IntegersAndFloats) {
  EXPECT_EQ(FormatInteger(0), "0");
  EXPECT_EQ(FormatInteger(-42), "-42");
  EXPECT_EQ(FormatFloat(7.5), "7.5");
  EXPECT_EQ(FormatFloat(3), "3.0");
  EXPECT_EQ(FormatFloat(1e20), "100000000000000000000.0");  // YARA has no exponent form
  EXPECT_EQ(FormatFloat(0.1), "0.1");
}

TEST(FormatModifiersTest, EveryModifierInCanonicalOrder) {
  StringModifiers m;
  EXPECT_EQ(FormatModifiers(m), "");
  m.ascii = m.wide = m.nocase = m.fullword = m.is_private = true;
  EXPECT_EQ(FormatModifiers(m), "nocase wide ascii fullword private");

  StringModifiers x;
  x.xor_ = true;
  EXPECT_EQ(FormatModifiers(x), "xor");
  x.xor_range = {0x20, 0x20};
  EXPECT_EQ(FormatModifiers(x), "xor(0x20)");
  x.xor_range = {0x01, 0xFF};
  EXPECT_EQ(FormatModifiers(x), "xor(0x01-0xFF)");

  StringModifiers b;
  b.base64 = b.base64wide = true;
  EXPECT_EQ(FormatModifiers(b), "base64 base64wide");
  b.base64_alphabet = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`ab";
  EXPECT_EQ(FormatModifiers(b),
            R"(base64("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`ab"))"
            R"( base64wide("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`ab"))");
}

TEST(RuleNamingTest, QualifiedNamesBecomeIdentifiers) {
  EXPECT_EQ(BaseRuleName("cosai.supply_chain", "pickle_code_exec"),
            "cosai_supply_chain__pickle_code_exec");
  EXPECT_EQ(BaseRuleName("", "standalone"), "standalone");
}

TEST(RuleNamingTest, SanitizesIdentifiers) {
  EXPECT_EQ(SanitizeIdentifier("supply-chain"), "supply_chain");
  EXPECT_EQ(SanitizeIdentifier("2025"), "_2025");
  EXPECT_EQ(SanitizeIdentifier("private"), "private_");
  EXPECT_EQ(SanitizeIdentifier(""), "_");
  EXPECT_EQ(SanitizeIdentifier("caf\xc3\xa9"), "caf__");
}

TEST(RuleNamingTest, LongNamesAreCutToYarasLimitAndStayDistinct) {
  const std::string a = SanitizeIdentifier(std::string(200, 'a') + "1");
  const std::string b = SanitizeIdentifier(std::string(200, 'a') + "2");
  EXPECT_EQ(a.size(), kMaxIdentifierLength);
  EXPECT_EQ(b.size(), kMaxIdentifierLength);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, SanitizeIdentifier(std::string(200, 'a') + "1"));  // stable
}

TEST(RuleNamingTest, ClashesGetAStableSuffix) {
  RuleNamer namer;
  // `a.b` + `_c` and `a.b_` + `c` both want a_b___c.
  const std::string first = namer.Assign("a.b", "_c");
  const std::string second = namer.Assign("a.b_", "c");
  EXPECT_EQ(first, "a_b___c");
  EXPECT_EQ(second, "a_b___c_" + ShortHash("a.b_.c"));
  EXPECT_NE(first, second);
}

TEST(RuleNamingTest, TagsAreSanitizedAndUnique) {
  EXPECT_EQ(SanitizeTags({"supply-chain", "supply_chain", "pickle", "2024", "rule"}),
            (std::vector<std::string>{"supply_chain", "pickle", "_2024", "rule_"}));
}

TEST(TopologicalOrderTest, NameOrderWhenIndependent) {
  auto result = TopologicalOrder({{}, {}, {}});
  EXPECT_EQ(result.order, (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(result.cyclic.empty());
}

TEST(TopologicalOrderTest, DependenciesFirstThenSmallestIndex) {
  // 0 uses 2, 1 uses nothing, 2 uses 3.
  auto result = TopologicalOrder({{2}, {}, {3}, {}});
  EXPECT_EQ(result.order, (std::vector<size_t>{1, 3, 2, 0}));
}

TEST(TopologicalOrderTest, ReportsCycles) {
  auto result = TopologicalOrder({{1}, {0}, {}, {1}});
  EXPECT_EQ(result.order, (std::vector<size_t>{2}));
  EXPECT_EQ(result.cyclic, (std::vector<size_t>{0, 1, 3}));
}

}  // namespace
}  // namespace ward::backends::yara
