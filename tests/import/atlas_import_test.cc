// `ward import catalog atlas`: a hand-written ATLAS.yaml in the official
// layout, and (when ../shared is there) the real distribution.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tests/import/import_testlib.h"

namespace ward::import_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The layout of dist/ATLAS.yaml, with tricky text: a quote and a backslash
// in a name, a tactic listed by two matrices, a mitigation whose
// `ml-lifecycle` holds a mapping (the 5.6.0 data defect), folded names.
constexpr const char* kSmallAtlas = R"(---
id: ATLAS
name: Adversarial Threat Landscape for AI Systems
version: 9.1.0
matrices:
- id: ATLAS
  name: ATLAS Matrix
  tactics:
  - id: AML.TA0004
    name: Initial Access
    object-type: tactic
    ATT&CK-reference:
      id: TA0001
      url: https://attack.mitre.org/tactics/TA0001/
  - id: AML.TA0005
    name: Execution
    object-type: tactic
  techniques:
  - id: AML.T0051
    name: LLM Prompt Injection
    description: 'Long prose that must not be copied.'
    object-type: technique
    tactics:
    - AML.TA0005
    maturity: realized
  - id: AML.T0051.001
    name: Indirect
    object-type: technique
    subtechnique-of: AML.T0051
    maturity: demonstrated
  - id: AML.T0010
    name: >
      AI Supply "Chain"
      Compromise \ Test
    object-type: technique
    tactics:
    - AML.TA0004
    - AML.TA0005
    maturity: realized
    ATT&CK-reference:
      id: T1195
      url: https://attack.mitre.org/techniques/T1195/
  - id: AML.T0051.000
    name: Direct
    object-type: technique
    subtechnique-of: AML.T0051
    maturity: demonstrated
  mitigations:
  - id: AML.M0015
    name: Adversarial Input Detection
    object-type: mitigation
    techniques:
    - id: AML.T0051
      use: Prose.
    - id: AML.T0010
      use: More prose.
    ml-lifecycle:
    - Deployment
    - id: AML.T0051.001
      use: The data defect.
    category:
    - Technical - ML
- id: EXTRA
  name: A second matrix sharing a tactic
  tactics:
  - id: AML.TA0005
    name: Execution
  techniques:
  - id: AML.T0099
    name: Something Else
    tactics: [AML.TA0005]
  mitigations: []
case-studies: []
)";

class AtlasImportTest : public ::testing::Test {
 protected:
  std::string Import(const std::string& yaml, CliRun* run = nullptr) {
    const std::string input = dir_.Write("ATLAS.yaml", yaml);
    CliRun r = Ward({"import", "catalog", "atlas", input, "-o", dir_.path() + "/atlas.ward",
                     "--color", "never"});
    if (run) *run = r;
    return r.code == 0 ? dir_.Read("atlas.ward") : "";
  }
  TempDir dir_;
};

TEST_F(AtlasImportTest, WritesEveryObjectWithItsParentsAndTheFileVersion) {
  CliRun run;
  const std::string ward = Import(kSmallAtlas, &run);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("imported MITRE ATLAS 9.1.0: 8 entries (tactic 2, technique 3, subtechnique 2, mitigation 1)"));
  EXPECT_THAT(ward, HasSubstr("package catalogs\n\ncatalog atlas \"MITRE ATLAS\" {\n"
                              "  framework: mitre_atlas\n  version: \"9.1.0\"\n"));
  EXPECT_THAT(ward, HasSubstr("  entry \"AML.TA0004\" \"Initial Access\" { kind: tactic  "
                              "attack_id: \"TA0001\" }\n"));
  EXPECT_THAT(ward, HasSubstr("  entry \"AML.T0051.001\" \"Indirect\" {\n    kind: subtechnique  "
                              "parents: \"AML.T0051\"\n    maturity: \"demonstrated\"\n  }\n"));
  EXPECT_THAT(ward, HasSubstr("  entry \"AML.T0099\" \"Something Else\" { kind: technique  "
                              "parents: \"AML.TA0005\" }\n"));
  // Folded YAML text becomes one line, escaped for Ward.
  EXPECT_THAT(ward, HasSubstr("entry \"AML.T0010\" \"AI Supply \\\"Chain\\\" Compromise \\\\ "
                              "Test\" {\n    kind: technique  parents: \"AML.TA0004\", "
                              "\"AML.TA0005\"\n"));
  EXPECT_THAT(ward, HasSubstr("mitigates: \"AML.T0010\", \"AML.T0051\""));
  EXPECT_THAT(ward, HasSubstr("category: \"Technical - ML\""));
  // The tactic shared by both matrices is written once; descriptions and
  // `use` prose are not copied.
  EXPECT_EQ(CountOccurrences(ward, "entry \"AML.TA0005\""), 1u);
  EXPECT_THAT(ward, Not(HasSubstr("prose")));
  EXPECT_THAT(ward, Not(HasSubstr("Prose")));
}

TEST_F(AtlasImportTest, OrdersTacticsAsTheMatrixAndTechniquesById) {
  const std::string ward = Import(kSmallAtlas);
  const std::vector<std::string> order = {"AML.TA0004", "AML.TA0005", "AML.T0010",
                                          "AML.T0051\"", "AML.T0051.000", "AML.T0051.001",
                                          "AML.T0099", "AML.M0015"};
  size_t last = 0;
  for (const std::string& id : order) {
    const size_t at = ward.find("entry \"" + id);
    ASSERT_NE(at, std::string::npos) << id;
    EXPECT_GT(at, last) << id << " is out of order";
    last = at;
  }
}

TEST_F(AtlasImportTest, OutputIsDeterministicAndSaysHowItWasMade) {
  const std::string first = Import(kSmallAtlas);
  const std::string second = Import(kSmallAtlas);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.rfind("// Generated by `ward import catalog atlas ATLAS.yaml -o atlas.ward`.\n",
                        0),
            0u)
      << first.substr(0, 200);
  EXPECT_THAT(first, Not(HasSubstr(dir_.path())));  // no machine-specific paths
}

TEST_F(AtlasImportTest, GeneratedCatalogChecksAndResolvesMappings) {
  const std::string ward = Import(kSmallAtlas);
  ASSERT_FALSE(ward.empty());
  TempDir rules;
  CliRun check = CheckRuleset(rules, "rules",
                              {{"catalogs/atlas.ward", ward},
                               {"model.ward", R"(package demo
import catalogs.atlas
threat t "Injection" { severity: high  maps: atlas."AML.T0051.001@9.1.0", atlas."AML.T0010" }
)"}});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_THAT(check.err, Not(HasSubstr("warning")));
}

TEST_F(AtlasImportTest, NameVersionAndPackageCanBeChosen) {
  const std::string input = dir_.Write("ATLAS.yaml", kSmallAtlas);
  CliRun run = Ward({"import", "catalog", "atlas", input, "-o", dir_.path() + "/a.ward", "--name",
                     "mitre", "--package", "vendor.frameworks", "--version", "9.1.1", "--note",
                     "from atlas-data tag v9.1.1"});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string ward = dir_.Read("a.ward");
  EXPECT_THAT(ward, HasSubstr("package vendor.frameworks\n"));
  EXPECT_THAT(ward, HasSubstr("catalog mitre \"MITRE ATLAS\""));
  EXPECT_THAT(ward, HasSubstr("version: \"9.1.1\""));
  EXPECT_THAT(ward, HasSubstr("// from atlas-data tag v9.1.1\n"));
  EXPECT_THAT(ward, HasSubstr("ATLAS.yaml --version 9.1.1 --name mitre --package"));
}

TEST_F(AtlasImportTest, RejectsNamesThatAreNotWardNames) {
  const std::string input = dir_.Write("ATLAS.yaml", kSmallAtlas);
  for (const char* name : {"mitre-atlas", "9lives", "when"}) {
    CliRun run = Ward({"import", "catalog", "atlas", input, "-o", dir_.path() + "/a.ward",
                       "--name", name});
    EXPECT_EQ(run.code, 2) << name;
    EXPECT_THAT(run.err, HasSubstr("is not a Ward name")) << name;
  }
  CliRun run = Ward({"import", "catalog", "atlas", input, "-o", dir_.path() + "/a.ward",
                     "--package", "a..b"});
  EXPECT_EQ(run.code, 2);
  EXPECT_FALSE(dir_.Exists("a.ward"));
}

// ---- the real distribution --------------------------------------------------

struct AtlasCounts {
  std::string version;
  std::set<std::string> tactics, techniques, subtechniques, mitigations;
};

// Counted straight from the YAML, independently of the importer.
AtlasCounts CountAtlas(const std::string& path) {
  AtlasCounts counts;
  YAML::Node root = YAML::LoadFile(path);
  counts.version = root["version"].as<std::string>();
  for (const YAML::Node& matrix : root["matrices"]) {
    for (const YAML::Node& t : matrix["tactics"]) counts.tactics.insert(t["id"].as<std::string>());
    for (const YAML::Node& t : matrix["techniques"]) {
      (t["subtechnique-of"] ? counts.subtechniques : counts.techniques)
          .insert(t["id"].as<std::string>());
    }
    for (const YAML::Node& m : matrix["mitigations"]) {
      counts.mitigations.insert(m["id"].as<std::string>());
    }
  }
  return counts;
}

TEST(AtlasDistribution, ImportsEveryTacticTechniqueSubTechniqueAndMitigation) {
  std::optional<std::string> path = SharedReference("atlas/atlas-data/dist/ATLAS.yaml");
  if (!path) GTEST_SKIP() << "../shared/reference/atlas is not available (a user's clone)";
  TempDir dir;
  CliRun run = Ward({"import", "catalog", "atlas", *path, "-o", dir.path() + "/atlas.ward"});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string ward = dir.Read("atlas.ward");
  const AtlasCounts counts = CountAtlas(*path);
  EXPECT_THAT(ward, HasSubstr("version: \"" + counts.version + "\""));
  EXPECT_EQ(CountOccurrences(ward, "kind: tactic"), counts.tactics.size());
  EXPECT_EQ(CountOccurrences(ward, "kind: technique"), counts.techniques.size());
  EXPECT_EQ(CountOccurrences(ward, "kind: subtechnique"), counts.subtechniques.size());
  EXPECT_EQ(CountOccurrences(ward, "kind: mitigation"), counts.mitigations.size());
  for (const auto* set : {&counts.tactics, &counts.techniques, &counts.subtechniques,
                          &counts.mitigations}) {
    for (const std::string& id : *set) {
      EXPECT_EQ(CountOccurrences(ward, "entry \"" + id + "\""), 1u) << id;
    }
  }
  // The 5.6.0 release as the notes describe it.
  if (counts.version == "5.6.0") {
    EXPECT_EQ(counts.tactics.size(), 16u);
    EXPECT_EQ(counts.techniques.size() + counts.subtechniques.size(), 170u);
    EXPECT_EQ(counts.mitigations.size(), 35u);
  }

  // The generated file is a valid catalog with no diagnostics at all.
  TempDir rules;
  CliRun check = CheckRuleset(rules, "rules", {{"atlas.ward", ward}});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_THAT(check.err, Not(HasSubstr("warning")));
}

// rulesets/catalogs/atlas.ward is this import of the shared copy, unedited.
TEST(AtlasDistribution, BundledCatalogIsTheImportOfTheShippedRelease) {
  std::optional<std::string> path = SharedReference("atlas/atlas-data/dist/ATLAS.yaml");
  if (!path) GTEST_SKIP() << "../shared/reference/atlas is not available (a user's clone)";
  TempDir dir;
  const std::string bundled_path = std::string(WARD_SOURCE_DIR) + "/rulesets/catalogs/atlas.ward";
  std::ifstream in(bundled_path, std::ios::binary);
  std::ostringstream bundled;
  bundled << in.rdbuf();
  // Re-run the command recorded in the header, with the notes it carries.
  std::vector<std::string> args = {"import", "catalog", "atlas", *path, "-o",
                                   dir.path() + "/atlas.ward"};
  for (const std::string& note : HeaderNotes(bundled.str())) {
    args.push_back("--note");
    args.push_back(note);
  }
  CliRun run = Ward(args);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(dir.Read("atlas.ward"), bundled.str())
      << "rulesets/catalogs/atlas.ward differs from a fresh import; regenerate it";
}

}  // namespace
}  // namespace ward::import_test
