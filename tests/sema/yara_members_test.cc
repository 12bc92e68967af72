// The members of a `detection yara` declaration (strings, condition,
// private, global, test blocks) and what is reported for the others.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/sema/yara_testlib.h"

namespace ward::sema::testing {
namespace {

namespace fs = std::filesystem;

TEST(YaraMembers, PrivateAndGlobal) {
  YaraHarness h(R"(
detection yara r "R" {
  private: true   global: true
  description: "handled by the analyzer"
  level: high
  condition: filesize > 0
}
)");
  ASSERT_TRUE(h.Clean());
  EXPECT_TRUE(h.logic("r")->is_private);
  EXPECT_TRUE(h.logic("r")->is_global);
  YaraHarness defaults("\ndetection yara r \"R\" {\n  condition: true\n}");
  EXPECT_FALSE(defaults.logic("r")->is_private);
  EXPECT_FALSE(defaults.logic("r")->is_global);
}

TEST(YaraMembers, FlagOfTheWrongType) {
  YaraHarness h("\ndetection yara r \"R\" {\n  private: \"yes\"\n  condition: true\n}");
  EXPECT_TRUE(h.Has("E0303", "`private` expects `true` or `false`", "3:12"));
}

TEST(YaraMembers, UnknownMembers) {
  YaraHarness h(R"(
detection yara r "R" {
  conditon: true
  when: x == 1
  colour: "red"
  condition: true
}
)");
  EXPECT_TRUE(h.Has("E0300", "unknown member `conditon` in a yara detection", "3:3"));
  EXPECT_TRUE(h.Has("E0300", "unknown member `when` in a yara detection", "4:3"));
  EXPECT_TRUE(h.Has("E0300", "unknown member `colour` in a yara detection", "5:3"));
  for (const Diagnostic& d : h.diags()) {
    if (d.message.find("`conditon`") != std::string::npos) {
      EXPECT_EQ(d.help, "did you mean `condition`?");
      ASSERT_EQ(d.fixits.size(), 1u);
      EXPECT_EQ(d.fixits[0].replacement, "condition");
    }
    if (d.message.find("`when`") != std::string::npos) {
      ASSERT_TRUE(d.help.has_value());
      EXPECT_NE(d.help->find("belongs to sigma detections"), std::string::npos);
    }
  }
}

TEST(YaraMembers, MissingCondition) {
  YaraHarness h("\ndetection yara r \"R\" {\n  strings { $a = \"alpha\" }\n}");
  EXPECT_TRUE(h.Has("E0304", "yara detection `r` has no `condition`", "2:16"));
  // No unused-string error on top of the missing condition.
  EXPECT_TRUE(h.Lacks("E0601"));
}

TEST(YaraMembers, GivenTwice) {
  YaraHarness h("\ndetection yara r \"R\" {\n  condition: true\n  condition: false\n"
                "  private: true\n  private: false\n}");
  EXPECT_TRUE(h.Has("E0305", "`condition` is given twice", "4:3"));
  EXPECT_TRUE(h.Has("E0305", "`private` is given twice", "6:3"));
  EXPECT_EQ(h.Condition("r"), "true");
}

// ---- test blocks ------------------------------------------------------------------
class YaraTests : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("ward_yara_tests_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "rules" / "samples" / "dir.pkl");
    std::ofstream(root_ / "rules" / "samples" / "p.pkl") << "cos\nsystem\n";
    std::ofstream(root_ / "outside.bin") << "x";
  }
  void TearDown() override { fs::remove_all(root_); }

  YaraHarnessOptions Options() const {
    return {(root_ / "rules").string(), (root_ / "rules").string()};
  }

  fs::path root_;
};

constexpr std::string_view kHead = R"(
detection yara r "R" {
  strings { $a = "system" }
  condition: $a
)";

TEST_F(YaraTests, FileAndData) {
  YaraHarness h(std::string(kHead) + R"(  test "sample" { file: "samples/../samples/p.pkl"  expect: match }
  test "inline" { data: "\x80\x04cos\nsystem"  expect: no_match }
  test "quoted" { data: "x"  expect: "no_match" }
}
)",
                Options());
  ASSERT_TRUE(h.Clean());
  const ir::Detection* d = h.detection("r");
  ASSERT_EQ(d->tests.size(), 3u);
  EXPECT_EQ(d->tests[0].name, "sample");
  EXPECT_TRUE(d->tests[0].expect_match);
  ASSERT_TRUE(d->tests[0].file.has_value());
  EXPECT_EQ(fs::path(*d->tests[0].file), (root_ / "rules" / "samples" / "p.pkl").lexically_normal());
  EXPECT_FALSE(d->tests[0].data.has_value());
  EXPECT_EQ(d->tests[1].data, std::string("\x80\x04" "cos\nsystem"));
  EXPECT_FALSE(d->tests[1].expect_match);
  EXPECT_FALSE(d->tests[2].expect_match);
}

TEST_F(YaraTests, MissingFileDirectoryAndEscape) {
  YaraHarness h(std::string(kHead) + R"(  test "missing" { file: "samples/nope.pkl"  expect: match }
  test "dir" { file: "samples/dir.pkl"  expect: match }
  test "escape" { file: "../outside.bin"  expect: match }
}
)",
                Options());
  EXPECT_TRUE(h.Has("E0700", "test sample `samples/nope.pkl` does not exist", "5:26"));
  EXPECT_TRUE(h.Has("E0700", "test sample `samples/dir.pkl` is not a regular file", "6:22"));
  EXPECT_TRUE(h.Has("E0007", "test sample `../outside.bin` is outside the ruleset root", "7:25"));
  EXPECT_TRUE(h.detection("r")->tests.empty());
}

TEST_F(YaraTests, Expectations) {
  YaraHarness h(std::string(kHead) + R"(  test "no expect" { data: "x" }
  test "typo" { data: "x"  expect: matchh }
  test "number" { data: "x"  expect: 1 }
}
)",
                Options());
  EXPECT_TRUE(h.Has("E0702", "test `no expect` has no `expect`", "5:3"));
  EXPECT_TRUE(h.Has("E0702", "invalid expectation `matchh`", "6:36"));
  EXPECT_TRUE(h.Has("E0702", "`expect` takes `match` or `no_match`, found a number", "7:38"));
  for (const Diagnostic& d : h.diags()) {
    if (d.message == "invalid expectation `matchh`") {
      EXPECT_EQ(d.help, "did you mean `match`?");
    }
  }
}

TEST_F(YaraTests, Inputs) {
  YaraHarness h(std::string(kHead) + R"(  test "none" { expect: match }
  test "sigma" { event: { a: "b" }  expect: match }
  test "both" { data: "x"  file: "samples/p.pkl"  expect: match }
  test "other" { data: "x"  expext: match }
}
)",
                Options());
  EXPECT_TRUE(h.Has("E0703", "test `none` has no input", "5:3"));
  EXPECT_TRUE(h.Has("E0703", "`event` is a test input of sigma detections", "6:18"));
  EXPECT_TRUE(h.Has("E0703", "a test takes either `file` or `data`, not both", "7:28"));
  EXPECT_TRUE(h.Has("E0300", "unknown property `expext` in a yara test", "8:29"));
}

}  // namespace
}  // namespace ward::sema::testing
