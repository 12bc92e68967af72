// Paths a ruleset controls cannot reach outside it, and output names derived
// from packages and rules cannot escape `-o DIR` or overwrite each other:
// imports resolve only among the loaded files, symlinks out of the ruleset
// are not followed, YARA sample files stay inside the root, and output files
// may not differ only in case. Every refusal is a diagnostic and leaves no
// output directory behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/cli.h"
#include "compiler/driver/output_names.h"
#include "tests/testing/ward_cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using test_support::CliRun;
using test_support::Ward;

class PathSafetyTest : public test_support::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    Write("rules/ward.yaml", "name: paths\n");
  }
  std::string Rules() const { return (dir_ / "rules").string(); }
  std::string Out() const { return (dir_ / "out").string(); }
  CliRun Build() {
    return Ward({"build", Rules(), "-o", Out(), "--no-coverage-warnings", "--color", "never"});
  }
  // Nothing at all was written: no output directory, no staging leftovers.
  void ExpectNoOutput() {
    EXPECT_FALSE(fs::exists(dir_ / "out"));
    for (const auto& entry : fs::directory_iterator(dir_)) {
      EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".out.")));
    }
  }
};

constexpr const char* kYaraRule = R"(
detection yara marker "Marker bytes" {
  strings { $m = "ward-marker" }
  condition: $m
  test "hit" { data: "x ward-marker x" expect: match }
}
)";

TEST_F(PathSafetyTest, ImportsResolveOnlyAmongTheRulesetsOwnFiles) {
  // A package that exists beside the ruleset, but outside it, is not found.
  Write("elsewhere/other.ward", "package other.pkg\nthreat t \"T\" { severity: low }\n");
  Write("rules/a.ward",
        "package demo\nimport other.pkg\nthreat u \"U\" { severity: low }\n");
  CliRun r = Build();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error[E0205]"));
  EXPECT_THAT(r.err, HasSubstr("a.ward:2:8"));
  ExpectNoOutput();
}

TEST_F(PathSafetyTest, SymlinkedFileOutsideTheRootIsNotFollowed) {
  Write("secret/leak.ward", "package leak\nthreat t \"Leaked\" { severity: low }\n");
  Write("rules/a.ward", "package demo\nthreat u \"U\" { severity: low }\n");
  fs::create_symlink(dir_ / "secret/leak.ward", dir_ / "rules/leak.ward");
  CliRun r = Build();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error[E0007]"));
  EXPECT_THAT(r.err, HasSubstr("leak.ward` links outside the ruleset root"));
  EXPECT_THAT(r.err, HasSubstr("copy the file into the ruleset"));
  ExpectNoOutput();
}

TEST_F(PathSafetyTest, SymlinkedDirectoryOutsideTheRootIsNotFollowed) {
  Write("secret/deep/leak.ward", "package leak\nthreat t \"Leaked\" { severity: low }\n");
  Write("rules/a.ward", "package demo\nthreat u \"U\" { severity: low }\n");
  fs::create_directory_symlink(dir_ / "secret", dir_ / "rules/shared");
  CliRun r = Ward({"check", Rules(), "--no-coverage-warnings", "--color", "never"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error[E0007]"));
  EXPECT_THAT(r.err, HasSubstr("shared` links outside the ruleset root"));
}

TEST_F(PathSafetyTest, SymlinkInsideTheRootIsFollowed) {
  Write("rules/real/a.ward", "package demo\nthreat u \"U\" { severity: low }\n");
  fs::create_symlink(dir_ / "rules/real/a.ward", dir_ / "rules/alias.ward");
  CliRun r = Build();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "out/mappings/traceability.json"));
}

TEST_F(PathSafetyTest, YaraSampleCannotLeaveTheRootByDotDot) {
  Write("secret.bin", "ward-marker");
  Write("rules/a.ward", std::string("package demo\n") + kYaraRule +
                            "detection yara other \"Other\" {\n"
                            "  strings { $o = \"other\" }\n  condition: $o\n"
                            "  test \"leak\" { file: \"../secret.bin\" expect: no_match }\n}\n");
  CliRun r = Build();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error[E0007]"));
  EXPECT_THAT(r.err, HasSubstr("a.ward:11:23"));
  EXPECT_THAT(r.err, HasSubstr("keep samples inside the ruleset"));
  ExpectNoOutput();
}

TEST_F(PathSafetyTest, YaraSampleCannotLeaveTheRootThroughASymlink) {
  Write("secret.bin", "ward-marker");
  fs::create_directories(dir_ / "rules/samples");
  fs::create_symlink(dir_ / "secret.bin", dir_ / "rules/samples/innocent.bin");
  Write("rules/a.ward", std::string("package demo\n") + kYaraRule +
                            "detection yara other \"Other\" {\n"
                            "  strings { $o = \"other\" }\n  condition: $o\n"
                            "  test \"leak\" { file: \"samples/innocent.bin\" expect: no_match }\n}\n");
  CliRun r = Build();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error[E0007]"));
  EXPECT_THAT(r.err, HasSubstr("test sample `samples/innocent.bin` is outside the ruleset root"));
  ExpectNoOutput();
}

TEST_F(PathSafetyTest, OutputFilesDifferingOnlyInCaseAreRefused) {
  Write("rules/upper.ward", std::string("package acme.Models\n") + kYaraRule);
  Write("rules/lower.ward", std::string("package acme.models\n") + kYaraRule);
  CliRun r = Build();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error[E0801]"));
  EXPECT_THAT(r.err, HasSubstr("`yara/acme.models.yar` (from `acme.models.marker`)"));
  EXPECT_THAT(r.err, HasSubstr("`yara/acme.Models.yar` (from `acme.Models.marker`)"));
  EXPECT_THAT(r.err, HasSubstr("lower.ward:3:16"));
  EXPECT_THAT(r.err, HasSubstr("upper.ward:3:16"));
  EXPECT_THAT(r.err, HasSubstr("differ in more than letter case"));
  ExpectNoOutput();
  // `ward check` finds it too, without building.
  CliRun check = Ward({"check", Rules(), "--no-coverage-warnings", "--color", "never"});
  EXPECT_EQ(check.code, 1);
  EXPECT_THAT(check.err, HasSubstr("error[E0801]"));
}

TEST_F(PathSafetyTest, OutputsNamedAfterAWindowsDeviceAreWarnedAboutOnce) {
  // Package `Aux` makes yara/Aux.yar; package `lpt1` the directory
  // sigma/lpt1/; `con.models` is reserved too (only the part before the
  // first dot counts).
  Write("rules/a.ward", std::string("package Aux\n") + kYaraRule);
  Write("rules/b.ward", R"(package lpt1
detection sigma probe "Probe" {
  logsource { product: gen_ai  category: inference }
  when: gen_ai.prompt contains "a"
}
)");
  Write("rules/c.ward", std::string("package con.models\n") + kYaraRule);
  Write("rules/d.ward", std::string("package console\n") + kYaraRule);  // not reserved
  CliRun r = Build();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning[W0805]: output file `yara/Aux.yar` (from `Aux.marker`) "
                               "cannot be created on Windows: `Aux` is a reserved device name"));
  EXPECT_THAT(r.err, HasSubstr("`con` is a reserved device name"));
  EXPECT_THAT(r.err, HasSubstr("output directory `sigma/lpt1/` (from `lpt1.probe`)"));
  EXPECT_THAT(r.err, HasSubstr("a.ward:3:16"));
  EXPECT_THAT(r.err, HasSubstr("3 warnings emitted"));  // once each, `ward build` included
  EXPECT_THAT(r.err, Not(HasSubstr("`console`")));
  EXPECT_TRUE(fs::exists(dir_ / "out/yara/Aux.yar"));
  // A warning: --deny-warnings turns it into a failed build with no output.
  fs::remove_all(dir_ / "out");
  CliRun strict = Ward({"build", Rules(), "-o", Out(), "--no-coverage-warnings", "--color",
                        "never", "--deny-warnings"});
  EXPECT_EQ(strict.code, 1);
  EXPECT_THAT(strict.err, HasSubstr("W0805"));
  ExpectNoOutput();
}

TEST_F(PathSafetyTest, PackageNamedLikeTheYaraIndexInAnotherCaseIsRefused) {
  // `all` itself is renamed to all_package.yar; `ALL` would overwrite all.yar
  // on a case-insensitive file system.
  Write("rules/a.ward", std::string("package ALL\n") + kYaraRule);
  CliRun r = Build();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error[E0801]"));
  EXPECT_THAT(r.err, HasSubstr("yara/all.yar"));
  ExpectNoOutput();
}

TEST_F(PathSafetyTest, SigmaRulesDifferingOnlyInCaseAreRefused) {
  Write("rules/a.ward", R"(package demo
detection sigma Probe_rule "Upper" {
  logsource { product: gen_ai  category: inference }
  when: gen_ai.prompt contains "a"
}
detection sigma probe_rule "Lower" {
  logsource { product: gen_ai  category: inference }
  when: gen_ai.prompt contains "b"
}
)");
  CliRun r = Build();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error[E0801]"));
  EXPECT_THAT(r.err, HasSubstr("differ only in case collide"));
  ExpectNoOutput();
}

TEST(OutputNamesTest, RefusesPathsThatLeaveTheOutputDirectory) {
  for (const char* path : {"../x.yml", "sigma/../../x.yml", "/etc/x", "sigma\\..\\x.yml",
                           "C:x.yml", "sigma/./x.yml"}) {
    backends::OutputSet out;
    ASSERT_TRUE(out.Add(path, "x"));
    DiagnosticEngine diags;
    EXPECT_FALSE(CheckOutputNames(out, nullptr, diags)) << path;
    ASSERT_EQ(diags.diagnostics().size(), 1u) << path;
    EXPECT_EQ(diags.diagnostics()[0].code, DiagCode::kInternalError) << path;
  }
  backends::OutputSet fine;
  ASSERT_TRUE(fine.Add("sigma/acme/probe_rule.yml", "x"));
  ASSERT_TRUE(fine.Add("yara/acme.Models.yar", "x"));
  DiagnosticEngine diags;
  EXPECT_TRUE(CheckOutputNames(fine, nullptr, diags));
}

}  // namespace
}  // namespace ward::driver
