#include "compiler/sema/sigma_value_checks.h"

#include <gtest/gtest.h>

namespace ward::sema {
namespace {

TEST(SigmaCidrTest, AcceptsNetworksAndAddresses) {
  for (const char* ok : {"10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "10.1.2.3/32", "10.1.2.3",
                         "fe80::/10", "::/0", "2001:db8::/32", "::1", "2001:db8::1/128"}) {
    EXPECT_FALSE(CheckCidr(ok)) << ok;
  }
}

TEST(SigmaCidrTest, RejectsMalformedNetworks) {
  EXPECT_EQ(CheckCidr("10.0.0/8")->message, "`10.0.0` is not an IPv4 address");
  EXPECT_EQ(CheckCidr("256.0.0.0/8")->message, "`256.0.0.0` is not an IPv4 address");
  EXPECT_EQ(CheckCidr("fe80::zz/10")->message, "`fe80::zz` is not an IPv6 address");
  EXPECT_EQ(CheckCidr("10.0.0.0/33")->message,
            "prefix length /33 is longer than the 32 bits of an IPv4 address");
  EXPECT_EQ(CheckCidr("fe80::/129")->message,
            "prefix length /129 is longer than the 128 bits of an IPv6 address");
  EXPECT_EQ(CheckCidr("10.0.0.0/")->message, "`10.0.0.0/` has an invalid prefix length");
  EXPECT_EQ(CheckCidr("10.0.0.0/a")->message, "`10.0.0.0/a` has an invalid prefix length");
  EXPECT_TRUE(CheckCidr(""));
}

TEST(SigmaCidrTest, HostBitsSuggestTheNetwork) {
  auto v4 = CheckCidr("10.1.2.3/8");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->message, "`10.1.2.3/8` has host bits set");
  EXPECT_EQ(v4->suggestion, "10.0.0.0/8");
  EXPECT_FALSE(CheckCidr("192.168.1.128/25"));
  auto v4b = CheckCidr("192.168.1.65/26");
  ASSERT_TRUE(v4b);
  EXPECT_EQ(v4b->suggestion, "192.168.1.64/26");
  auto v6 = CheckCidr("fe80::1/10");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->suggestion, "fe80::/10");
}

TEST(SigmaRegexTest, CompilesWithPcre2AndReportsOffset) {
  EXPECT_FALSE(CheckSigmaRegex("c(os|posix)\\n(system|popen)", {}));
  EXPECT_FALSE(CheckSigmaRegex("(?<=a)b", {}));  // PCRE accepts lookbehind
  auto error = CheckSigmaRegex("ab(c", {});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "missing closing parenthesis");
  EXPECT_EQ(error->offset, 4u);
  auto quantifier = CheckSigmaRegex("a{2,1}", {});
  ASSERT_TRUE(quantifier);
  EXPECT_EQ(quantifier->message, "numbers out of order in {} quantifier");
  auto utf8 = CheckSigmaRegex("\xff", {});
  ASSERT_TRUE(utf8);
  EXPECT_NE(utf8->message.find("UTF-8"), std::string::npos) << utf8->message;
}

TEST(SigmaPlaceholderTest, NeedsAWellFormedPlaceholder) {
  EXPECT_FALSE(CheckPlaceholders("%Administrators%"));
  EXPECT_FALSE(CheckPlaceholders("%ProgramFiles%\\app.exe"));
  EXPECT_FALSE(CheckPlaceholders("C:\\Users\\\\%user%"));  // `\\` is a backslash
  EXPECT_FALSE(CheckPlaceholders("100\\% %x%"));
  EXPECT_EQ(*CheckPlaceholders("plain"), "the value has no `%placeholder%` to expand");
  EXPECT_EQ(*CheckPlaceholders("100\\%"), "the value has no `%placeholder%` to expand");
  EXPECT_EQ(*CheckPlaceholders("C:\\Users\\%user%"),  // `\%` escapes the first `%`
            "the placeholder starting with `%` is not closed");
  EXPECT_EQ(*CheckPlaceholders("%open"), "the placeholder starting with `%` is not closed");
  EXPECT_EQ(*CheckPlaceholders("a%%b"), "`%%` is an empty placeholder");
  EXPECT_EQ(*CheckPlaceholders("%two words%"), "`%two words%` is not a placeholder name");
}

}  // namespace
}  // namespace ward::sema
