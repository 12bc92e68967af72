// Bad input to `ward import catalog`: every problem is an E102x diagnostic at
// file:line:col, the exit code is 1, and no output file is written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/import/import_testlib.h"

namespace ward::import_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ImportErrorTest : public ::testing::Test {
 protected:
  // Imports `files` (name -> text) with `format`; checks that nothing was written.
  CliRun Run(const std::string& format, const std::vector<std::pair<std::string, std::string>>& files,
             std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"import", "catalog", format};
    for (const auto& [name, text] : files) args.push_back(dir_.Write(name, text));
    args.insert(args.end(), {"-o", dir_.path() + "/out.ward", "--color", "never"});
    args.insert(args.end(), extra.begin(), extra.end());
    CliRun run = Ward(args);
    EXPECT_FALSE(dir_.Exists("out.ward")) << "a failed import wrote its output";
    return run;
  }
  CliRun Atlas(const std::string& text) { return Run("atlas", {{"ATLAS.yaml", text}}); }
  TempDir dir_;
};

constexpr const char* kHead = "version: 1.0\nmatrices:\n- id: ATLAS\n  tactics:\n";

TEST_F(ImportErrorTest, MissingFile) {
  CliRun run = Ward({"import", "catalog", "atlas", dir_.path() + "/nope.yaml", "-o",
                     dir_.path() + "/out.ward", "--color", "never"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1020]: cannot read `" + dir_.path() +
                                 "/nope.yaml`: no such file or directory"));
  EXPECT_THAT(run.err, HasSubstr("nope.yaml:1:1"));
  EXPECT_FALSE(dir_.Exists("out.ward"));
}

TEST_F(ImportErrorTest, DirectoryInsteadOfFile) {
  CliRun run = Ward({"import", "catalog", "atlas", dir_.path(), "-o", dir_.path() + "/out.ward"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("it is a directory"));
}

TEST_F(ImportErrorTest, NotYaml) {
  CliRun run = Atlas("version: 1.0\nmatrices: [\n  - id: \"unclosed\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1021]: `"));
  EXPECT_THAT(run.err, HasSubstr("is not valid YAML"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:3:"));
}

TEST_F(ImportErrorTest, NotUtf8) {
  CliRun run = Atlas("version: 1.0\nname: caf\xe9\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1021]"));
  EXPECT_THAT(run.err, HasSubstr("is not valid UTF-8"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:2:10"));
}

TEST_F(ImportErrorTest, TopLevelIsNotAMapping) {
  CliRun run = Atlas("- just\n- a list\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1022]: the ATLAS file should be a mapping of keys to "
                                 "values, found a list"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:1:1"));
}

TEST_F(ImportErrorTest, NoMatrices) {
  CliRun run = Atlas("id: ATLAS\nversion: 1.0\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1022]"));
  EXPECT_THAT(run.err, HasSubstr("has no `matrices` list"));
}

TEST_F(ImportErrorTest, MissingNameAndWrongTypesAreAllReported) {
  CliRun run = Atlas(std::string(kHead) +
                     "  - id: AML.TA0001\n"            // line 5: no name
                     "  techniques:\n"
                     "  - id: AML.T0001\n"
                     "    name: One\n"
                     "    tactics: AML.TA0001\n");      // line 9: not a list
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1022]: tactic AML.TA0001 has no `name`"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:5:5"));
  EXPECT_THAT(run.err, HasSubstr("error[E1022]: `tactics` of technique AML.T0001 should be a list "
                                 "of IDs, found a single value"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:9:14"));
  EXPECT_THAT(run.err, HasSubstr("2 errors"));
}

TEST_F(ImportErrorTest, DuplicateAndUnusableIds) {
  CliRun run = Atlas(std::string(kHead) +
                     "  - {id: AML.TA0001, name: One}\n"
                     "  - {id: AML.TA0001, name: Other}\n"    // line 6
                     "  - {id: 'AML.TA0002@1', name: Pinned}\n"  // line 7
                     "  - {id: '', name: Empty}\n"             // line 8
                     "  techniques: []\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1023]: `AML.TA0001` is defined twice"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:6:10"));
  EXPECT_THAT(run.err, HasSubstr("first defined here"));
  EXPECT_THAT(run.err, HasSubstr("error[E1023]: unusable tactic ID `AML.TA0002@1`: the ID "
                                 "contains `@`"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:7:10"));
  EXPECT_THAT(run.err, HasSubstr("error[E1023]: a tactic has an empty ID"));
}

TEST_F(ImportErrorTest, DanglingParentsWithSuggestion) {
  CliRun run = Atlas(std::string(kHead) +
                     "  - {id: AML.TA0005, name: Execution}\n"
                     "  techniques:\n"
                     "  - {id: AML.T0051, name: Injection, tactics: [AML.TA0050]}\n"  // line 7
                     "  - {id: AML.T0051.000, name: Direct, subtechnique-of: AML.TA0005}\n"
                     "  mitigations:\n"
                     "  - id: AML.M0001\n"
                     "    name: Mitigation\n"
                     "    techniques: [{id: AML.T0052, use: x}]\n");  // line 12
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1024]: technique AML.T0051 names `AML.TA0050`, which the "
                                 "source does not define"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:7:48"));
  EXPECT_THAT(run.err, HasSubstr("did you mean `AML.TA0005`?"));
  EXPECT_THAT(run.err, HasSubstr("sub-technique AML.T0051.000 names `AML.TA0005`, which is a "
                                 "tactic, not a `technique`"));
  EXPECT_THAT(run.err, HasSubstr("mitigation AML.M0001 names `AML.T0052`"));
  EXPECT_THAT(run.err, HasSubstr("ATLAS.yaml:12:23"));
}

TEST_F(ImportErrorTest, NoVersion) {
  CliRun run = Atlas("matrices: []\n");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1025]"));
  EXPECT_THAT(run.err, HasSubstr("--version 5.6.0"));
}

TEST_F(ImportErrorTest, CosaiFilesThatAreNotTheRiskMap) {
  CliRun run = Run("cosai", {{"risks.yaml", "risks: []\n"}, {"other.yaml", "things: []\n"}},
                   {"--version", "1"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1026]: `" + dir_.path() + "/other.yaml` holds none of "
                                 "the lists"));
  EXPECT_THAT(run.err, HasSubstr("other.yaml:1:1"));
}

TEST_F(ImportErrorTest, CosaiSameFileTwiceAndMissingControls) {
  CliRun twice = Run("cosai", {{"a.yaml", "risks: []\n"}, {"b.yaml", "risks: []\n"}},
                     {"--version", "1"});
  EXPECT_EQ(twice.code, 1);
  EXPECT_THAT(twice.err, HasSubstr("is the second file holding `risks`"));
  EXPECT_THAT(twice.err, HasSubstr("b.yaml:1:8"));
  CliRun missing = Run("cosai", {{"a.yaml", "risks: []\n"}}, {"--version", "1"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("error[E1026]: no file given holds the `controls` list"));
}

TEST_F(ImportErrorTest, CosaiDanglingLinks) {
  CliRun run = Run("cosai",
                   {{"risks.yaml",
                     "risks:\n"
                     "  - id: riskA\n"
                     "    title: A\n"
                     "    category: risksX\n"
                     "    controls: [controlB, controlMissing]\n"},  // line 5
                    {"controls.yaml",
                     "categories: [{id: controlsX, title: X}]\n"
                     "controls:\n"
                     "  - id: controlB\n"
                     "    title: B\n"
                     "    category: controlsY\n"  // line 5
                     "    risks: all\n"
                     "    components: sometimes\n"}},  // line 7
                   {"--version", "1"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("risk riskA names `controlMissing`, which the source does not "
                                 "define"));
  EXPECT_THAT(run.err, HasSubstr("risks.yaml:5:26"));
  EXPECT_THAT(run.err, HasSubstr("control controlB names `controlsY`"));
  EXPECT_THAT(run.err, HasSubstr("controls.yaml:5:15"));
  EXPECT_THAT(run.err, HasSubstr("did you mean `controlsX`?"));
  EXPECT_THAT(run.err, HasSubstr("`components` of control controlB should be a list of IDs or "
                                 "`all` or `none`, found a single value"));
}

TEST_F(ImportErrorTest, JsonDiagnosticsCarryCodesAndPositions) {
  const std::string input = dir_.Write("ATLAS.yaml", "- a list\n");
  CliRun run = Ward({"import", "catalog", "atlas", input, "-o", dir_.path() + "/out.ward",
                     "--format", "json"});
  EXPECT_EQ(run.code, 1);
  nlohmann::json diags = nlohmann::json::parse(run.out);
  ASSERT_TRUE(diags.is_array() || diags.contains("diagnostics")) << run.out;
  EXPECT_THAT(run.out, HasSubstr("E1022"));
  EXPECT_THAT(run.out, HasSubstr("ATLAS.yaml"));
}

TEST_F(ImportErrorTest, FailedImportKeepsThePreviousFile) {
  dir_.Write("out.ward", "previous\n");
  const std::string input = dir_.Write("ATLAS.yaml", "matrices: nope\n");
  CliRun run = Ward({"import", "catalog", "atlas", input, "-o", dir_.path() + "/out.ward"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(dir_.Read("out.ward"), "previous\n");
}

TEST_F(ImportErrorTest, UnwritableOutputIsAnIoError) {
  const std::string input = dir_.Write("ATLAS.yaml", std::string(kHead) +
                                                         "  - {id: AML.TA0001, name: One}\n"
                                                         "  techniques:\n"
                                                         "  - {id: AML.T0001, name: T}\n");
  dir_.Write("plain-file", "not a directory\n");
  CliRun run = Ward({"import", "catalog", "atlas", input, "-o",
                     dir_.path() + "/plain-file/out.ward"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("error[E0001]: cannot write"));
}

TEST_F(ImportErrorTest, UsageErrors) {
  EXPECT_EQ(Ward({"import", "catalog", "stix", "x.yaml", "-o", "y"}).code, 2);
  EXPECT_EQ(Ward({"import", "catalog", "atlas", "x.yaml"}).code, 2);  // no -o
  CliRun two = Ward({"import", "catalog", "atlas", "a.yaml", "b.yaml", "-o", "y"});
  EXPECT_EQ(two.code, 2);
  EXPECT_THAT(two.err, HasSubstr("`atlas` takes one file"));
}

// Hostile shapes never crash or hang: deep nesting, alias bombs, binary.
TEST_F(ImportErrorTest, HostileInputsFailCleanly) {
  std::string deep = "version: 1\nmatrices: ";
  for (int i = 0; i < 5000; ++i) deep += "[";
  CliRun nested = Atlas(deep);
  EXPECT_EQ(nested.code, 1);
  EXPECT_THAT(nested.err, HasSubstr("E1021"));

  std::string bomb = "a: &a [x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  bomb += "risks:\n  - id: riskA\n    title: *k\n    category: risksX\n";
  CliRun alias = Run("cosai", {{"risks.yaml", bomb}, {"controls.yaml", "controls: []\n"}},
                     {"--version", "1"});
  EXPECT_EQ(alias.code, 1);
  EXPECT_THAT(alias.err, HasSubstr("`title` of risk riskA should be text"));

  CliRun binary = Atlas(std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10));
  EXPECT_EQ(binary.code, 1);
}

}  // namespace
}  // namespace ward::import_test
