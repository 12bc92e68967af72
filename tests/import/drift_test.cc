// Framework drift as a user meets it: mappings are pinned to the catalog
// version they were made against; when the catalog is updated (by hand or by
// re-running `ward import catalog`), `ward check` reports at each mapping
// whose ID vanished, was renamed or was deprecated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/import/import_testlib.h"

namespace ward::import_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kModel = R"(package demo
import catalogs.fw
threat t "Injection" {
  severity: high
  maps: fw."FW-101@1.0",
        fw."FW-200@1.0",
        fw."FW-300@1.0"
}
)";

constexpr const char* kCatalogV1 = R"(package catalogs
catalog fw "A framework" {
  version: "1.0"
  entry "FW-101" "Prompt injection"
  entry "FW-200" "Old name"
  entry "FW-300" "Soon retired"
}
)";

// Version 2.0: FW-101 was removed (FW-102 is its nearest neighbour), FW-200
// moved to FW-201, FW-300 is deprecated without replacement.
constexpr const char* kCatalogV2 = R"(package catalogs
catalog fw "A framework" {
  version: "2.0"
  entry "FW-102" "Prompt injection, direct"
  entry "FW-200" "Old name" { renamed_to: "FW-201" }
  entry "FW-201" "New name"
  entry "FW-300" "Soon retired" { deprecated: true }
}
)";

TEST(Drift, UpdatedCatalogReportsEveryDriftedMappingAtTheMapping) {
  TempDir dir;
  CliRun before = CheckRuleset(dir, "rules", {{"catalogs/fw.ward", kCatalogV1}, {"t.ward", kModel}});
  ASSERT_EQ(before.code, 0) << before.err;
  EXPECT_THAT(before.err, Not(HasSubstr("warning")));

  CliRun after = CheckRuleset(dir, "rules", {{"catalogs/fw.ward", kCatalogV2}});
  EXPECT_EQ(after.code, 1) << after.err;
  // Vanished: an error at the mapping, saying why, with a suggestion.
  EXPECT_THAT(after.err, HasSubstr("error[E0203]: catalog `fw` has no entry `FW-101`"));
  EXPECT_THAT(after.err, HasSubstr("t.ward:5:12"));
  EXPECT_THAT(after.err, HasSubstr("this mapping was made against fw version 1.0, and the loaded "
                                   "catalog is version 2.0: the ID may have been removed since"));
  EXPECT_THAT(after.err, HasSubstr("did you mean `FW-102`?"));
  // Renamed: a warning at the mapping that names the replacement.
  EXPECT_THAT(after.err, HasSubstr("warning[W0211]: `FW-200` is renamed in fw 2.0"));
  EXPECT_THAT(after.err, HasSubstr("t.ward:6:12"));
  EXPECT_THAT(after.err, HasSubstr("map to `FW-201` instead"));
  // Deprecated: a warning at the mapping.
  EXPECT_THAT(after.err, HasSubstr("warning[W0211]: `FW-300` is deprecated in fw 2.0"));
  EXPECT_THAT(after.err, HasSubstr("t.ward:7:12"));
  EXPECT_THAT(after.err, HasSubstr("1 error; 2 warnings"));
}

TEST(Drift, RenameFixKeepsTheMappingPinned) {
  TempDir dir;
  CliRun run = CheckRuleset(dir, "rules", {{"catalogs/fw.ward", kCatalogV2}, {"t.ward", kModel}},
                            {"--format", "json"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr(R"("replacement": "\"FW-201@2.0\"")"));
}

TEST(Drift, MappingPinnedToANewerReleaseThanTheCatalog) {
  TempDir dir;
  CliRun run = CheckRuleset(dir, "rules",
                            {{"catalogs/fw.ward", kCatalogV1},
                             {"t.ward", "package demo\nimport catalogs.fw\n"
                                        "threat t \"T\" { severity: low  maps: fw.\"FW-101@1.2\" }\n"}});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("warning[W0210]: mapping is pinned to fw version 1.2, newer than "
                                 "the loaded catalog (version 1.0)"));
  CliRun denied = CheckRuleset(dir, "rules", {}, {"--deny-warnings"});
  EXPECT_EQ(denied.code, 1);
}

TEST(Drift, RenamedToAnIdTheCatalogLacksIsAnError) {
  TempDir dir;
  CliRun run = CheckRuleset(dir, "rules", {{"catalogs/fw.ward", R"(package catalogs
catalog fw "A framework" {
  version: "2.0"
  entry "FW-200" "Old name" { renamed_to: "FW-210" }
  entry "FW-201" "New name"
}
)"}});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E0203]: `FW-200` is renamed to `FW-210`, which catalog "
                                 "`fw` does not have"));
  EXPECT_THAT(run.err, HasSubstr("fw.ward:4:43"));
  EXPECT_THAT(run.err, HasSubstr("did you mean `FW-201`?"));
}

// The whole loop with the importer: a ruleset maps to ATLAS 1.0.0; ATLAS
// 2.0.0 drops a sub-technique; re-importing makes `ward check` report it.
std::string MiniAtlas(const std::string& version, bool with_indirect) {
  std::string text = "version: " + version +
                     "\nmatrices:\n- id: ATLAS\n  tactics:\n  - {id: AML.TA0005, name: Execution}\n"
                     "  techniques:\n"
                     "  - {id: AML.T0051, name: LLM Prompt Injection, tactics: [AML.TA0005]}\n"
                     "  - {id: AML.T0051.000, name: Direct, subtechnique-of: AML.T0051}\n";
  if (with_indirect) {
    text += "  - {id: AML.T0051.001, name: Indirect, subtechnique-of: AML.T0051}\n";
  } else {
    text += "  - {id: AML.T0051.002, name: Triggered, subtechnique-of: AML.T0051}\n";
  }
  return text;
}

TEST(Drift, ReimportedCatalogShowsTheVanishedTechnique) {
  TempDir dir;
  const std::string rules = dir.path() + "/rules";
  const std::string model = "package demo\nimport catalogs.atlas\n"
                            "threat t \"Injection via documents\" {\n  severity: high\n"
                            "  maps: atlas.\"AML.T0051@1.0.0\", atlas.\"AML.T0051.001@1.0.0\"\n}\n";
  const std::string v1 = dir.Write("v1/ATLAS.yaml", MiniAtlas("1.0.0", true));
  ASSERT_EQ(Ward({"import", "catalog", "atlas", v1, "-o", rules + "/catalogs/atlas.ward"}).code, 0);
  CliRun before = CheckRuleset(dir, "rules", {{"t.ward", model}});
  ASSERT_EQ(before.code, 0) << before.err;

  const std::string v2 = dir.Write("v2/ATLAS.yaml", MiniAtlas("2.0.0", false));
  ASSERT_EQ(Ward({"import", "catalog", "atlas", v2, "-o", rules + "/catalogs/atlas.ward"}).code, 0);
  CliRun after = CheckRuleset(dir, "rules", {});
  EXPECT_EQ(after.code, 1);
  EXPECT_THAT(after.err, HasSubstr("error[E0203]: catalog `atlas` has no entry `AML.T0051.001`"));
  EXPECT_THAT(after.err, HasSubstr("t.ward:5:40"));
  EXPECT_THAT(after.err, HasSubstr("made against atlas version 1.0.0, and the loaded catalog is "
                                   "version 2.0.0"));
  EXPECT_THAT(after.err, HasSubstr("did you mean `AML.T0051.000`?"));
  EXPECT_THAT(after.err, HasSubstr("1 error"));  // AML.T0051 itself still resolves
}

}  // namespace
}  // namespace ward::import_test
