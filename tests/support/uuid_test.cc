#include "compiler/support/uuid.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace ward {
namespace {

TEST(UuidTest, V5MatchesTheKnownDnsVector) {
  EXPECT_EQ(UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  // Upper-case namespaces give the same result.
  EXPECT_EQ(UuidV5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "www.example.com"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(UuidTest, V5IsStableVersionedAndNameSensitive) {
  std::optional<std::string> a = UuidV5(kDefaultNamespace, "cosai.supply_chain.pickle_code_exec");
  std::optional<std::string> b = UuidV5(kDefaultNamespace, "cosai.supply_chain.pickle_code_exed");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a, UuidV5(kDefaultNamespace, "cosai.supply_chain.pickle_code_exec"));
  EXPECT_NE(a, b);
  EXPECT_TRUE(IsUuid(*a));
  EXPECT_EQ((*a)[14], '5');                                          // version nibble
  EXPECT_NE(std::string("89ab").find((*a)[19]), std::string::npos);  // RFC variant
  EXPECT_EQ(UuidV5("not-a-uuid", "x"), std::nullopt);
}

TEST(UuidTest, IsUuidAcceptsOnlyTheCanonicalForm) {
  EXPECT_TRUE(IsUuid("0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11"));
  EXPECT_TRUE(IsUuid("0C9F8A57-3C3E-4F6B-9A2F-6D1F6A7B2C11"));
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("0c9f8a57-3c3e-4f6b-9a2f"));
  EXPECT_FALSE(IsUuid("0c9f8a573c3e4f6b9a2f6d1f6a7b2c11"));        // no dashes
  EXPECT_FALSE(IsUuid("{0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11}"));  // braces
  EXPECT_FALSE(IsUuid("0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c1g"));    // not hex
  EXPECT_FALSE(IsUuid("0c9f8a573-c3e-4f6b-9a2f-6d1f6a7b2c11"));    // dash misplaced
  EXPECT_FALSE(IsUuid("0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11 "));
}

}  // namespace
}  // namespace ward
