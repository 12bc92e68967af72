// `ward import catalog cosai`: hand-written risk-map files in the official
// layout, and (when ../shared is there) the real secure-ai-tooling YAML.
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

constexpr const char* kRisks = R"(# Copyright notice as in the real files
title: Risks
description:
  - >
    Prose that is not copied.
risks:
  - id: riskPromptInjection
    title: Prompt Injection
    shortDescription:
      - Prose.
    longDescription:
      - Prose.
    category: risksRuntimeInputSecurity
    personas:
      - personaEndUser
    controls:
      - controlInputValidation
    mappings:
      mitre-atlas:
        - AML.T0051@5.0.1
      owasp-top10-llm:
        - LLM01:2025
      stride:
        - Tampering
  - id: riskModelSourceTampering
    title: >
      Model Source
      Tampering
    shortDescription: [Prose.]
    longDescription: [Prose.]
    category: risksSupplyChainAndDevelopment
    personas: [personaModelProvider]
    controls: [controlInputValidation, controlRedTeaming]
)";

constexpr const char* kControls = R"(title: Controls
description:
  - Prose.
categories:
  - id: controlsModel
    title: Model Controls
  - id: controlsAssurance
    title: Assurance Controls
controls:
  - id: controlInputValidation
    title: Input Validation and "Sanitization"
    description: [Prose.]
    category: controlsModel
    personas: [personaEndUser]
    components: [componentTheModel]
    risks: [riskPromptInjection, riskModelSourceTampering]
    mappings:
      nist-ai-rmf: [MEASURE-2.7@1.0]
  - id: controlRedTeaming
    title: Red Teaming
    description: [Prose.]
    category: controlsAssurance
    personas: [personaModelProvider]
    components: all
    risks: all
)";

constexpr const char* kComponents = R"(id: components
title: Components
description: [Prose.]
categories:
  - id: componentsModel
    title: Model components
    description: [Prose.]
    subcategory:
      - id: componentsModelCore
        title: Model core
        description: [Prose.]
components:
  - id: componentTheModel
    title: The Model
    description: [Prose.]
    category: componentsModel
    subcategory: componentsModelCore
    edges:
      to: [componentTheModel]
      from: []
)";

constexpr const char* kPersonas = R"(id: personas
title: Personas
description: [Prose.]
personas:
  - id: personaModelProvider
    title: Model Provider
    description: [Prose.]
    mappings:
      iso-22989: [AI Producer@2022]
  - id: personaEndUser
    title: AI System Users
    description: [Prose.]
  - id: personaModelCreator
    title: Model Creator (Legacy)
    description: [Prose.]
    deprecated: true
)";

class CosaiImportTest : public ::testing::Test {
 protected:
  CliRun Import(std::vector<std::string> files, std::vector<std::string> extra = {"--version",
                                                                                "2026-08-19"}) {
    std::vector<std::string> args = {"import", "catalog", "cosai"};
    for (const std::string& f : files) args.push_back(dir_.path() + "/" + f);
    args.insert(args.end(), {"-o", dir_.path() + "/cosai.ward", "--color", "never"});
    args.insert(args.end(), extra.begin(), extra.end());
    return Ward(args);
  }
  void WriteAll() {
    dir_.Write("risks.yaml", kRisks);
    dir_.Write("controls.yaml", kControls);
    dir_.Write("components.yaml", kComponents);
    dir_.Write("personas.yaml", kPersonas);
  }
  TempDir dir_;
};

TEST_F(CosaiImportTest, WritesRisksControlsComponentsAndPersonasWithTheirLinks) {
  WriteAll();
  // Files are recognised by content, so their order does not matter.
  CliRun run = Import({"personas.yaml", "controls.yaml", "components.yaml", "risks.yaml"});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string ward = dir_.Read("cosai.ward");
  EXPECT_THAT(ward, HasSubstr("catalog cosai \"CoSAI Risk Map\" {\n  framework: cosai_risk_map\n"
                              "  version: \"2026-08-19\"\n"));
  EXPECT_THAT(ward, HasSubstr("  entry \"risksRuntimeInputSecurity\" { kind: risk_category }\n"));
  EXPECT_THAT(ward, HasSubstr("  entry \"riskModelSourceTampering\" \"Model Source Tampering\""));
  EXPECT_THAT(ward, HasSubstr("kind: risk  parents: \"risksRuntimeInputSecurity\""));
  EXPECT_THAT(ward, HasSubstr("maps_mitre_atlas: \"AML.T0051@5.0.1\""));
  EXPECT_THAT(ward, HasSubstr("maps_owasp_top10_llm: \"LLM01:2025\""));
  EXPECT_THAT(ward, HasSubstr("  entry \"controlsModel\" \"Model Controls\" "
                              "{ kind: control_category }\n"));
  EXPECT_THAT(ward, HasSubstr("\"Input Validation and \\\"Sanitization\\\"\""));
  EXPECT_THAT(ward, HasSubstr("risks: \"riskPromptInjection\", \"riskModelSourceTampering\""));
  EXPECT_THAT(ward, HasSubstr("components: \"all\""));
  EXPECT_THAT(ward, HasSubstr("  entry \"componentsModelCore\" \"Model core\" {\n"
                              "    kind: component_subcategory  parents: \"componentsModel\"\n  }\n"));
  EXPECT_THAT(ward, HasSubstr("kind: component  parents: \"componentsModelCore\""));
  EXPECT_THAT(ward, HasSubstr("flows_to: \"componentTheModel\""));
  EXPECT_THAT(ward, HasSubstr("  entry \"personaModelCreator\" \"Model Creator (Legacy)\" "
                              "{ kind: persona  deprecated: true }\n"));
  EXPECT_THAT(ward, HasSubstr("maps_iso_22989: \"AI Producer@2022\""));
  EXPECT_THAT(ward, Not(HasSubstr("Prose")));
  EXPECT_THAT(ward, HasSubstr("// Generated by `ward import catalog cosai personas.yaml "
                              "controls.yaml components.yaml risks.yaml\n// --version 2026-08-19 "
                              "-o cosai.ward`.\n"));
}

TEST_F(CosaiImportTest, GeneratedCatalogChecksAndFlagsTheDeprecatedPersona) {
  WriteAll();
  ASSERT_EQ(Import({"risks.yaml", "controls.yaml", "components.yaml", "personas.yaml"}).code, 0);
  TempDir rules;
  CliRun check = CheckRuleset(rules, "rules",
                              {{"catalogs/cosai.ward", dir_.Read("cosai.ward")},
                               {"model.ward", R"(package demo
import catalogs.cosai
persona p "Legacy" { maps: cosai."personaModelCreator" }
threat t "Injection" { severity: high  maps: cosai."riskPromptInjection" }
)"}});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_THAT(check.err, HasSubstr("warning[W0211]: `personaModelCreator` is deprecated in cosai "
                                   "2026-08-19"));
}

TEST_F(CosaiImportTest, RisksAndControlsAloneAreEnough) {
  WriteAll();
  CliRun run = Import({"risks.yaml", "controls.yaml"});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string ward = dir_.Read("cosai.ward");
  EXPECT_THAT(ward, HasSubstr("kind: control"));
  EXPECT_THAT(ward, Not(HasSubstr("kind: persona")));
  // Links to components and personas are kept, but cannot be checked.
  EXPECT_THAT(ward, HasSubstr("personas: \"personaEndUser\""));
}

TEST_F(CosaiImportTest, VersionIsRequiredBecauseTheFilesHaveNone) {
  WriteAll();
  CliRun run = Import({"risks.yaml", "controls.yaml"}, {});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("error[E1025]: the CoSAI risk map files state no version"));
  EXPECT_THAT(run.err, HasSubstr("risks.yaml:2:1"));  // the first key; line 1 is a comment
  EXPECT_THAT(run.err, HasSubstr("--version"));
  EXPECT_FALSE(dir_.Exists("cosai.ward"));
}

// ---- the real risk map --------------------------------------------------------

std::set<std::string> Ids(const std::string& path, const char* list) {
  std::set<std::string> ids;
  for (const YAML::Node& item : YAML::LoadFile(path)[list]) ids.insert(item["id"].as<std::string>());
  return ids;
}

TEST(CosaiDistribution, ImportsEveryRiskControlComponentAndPersona) {
  std::optional<std::string> dir = SharedReference("cosai/secure-ai-tooling/risk-map/yaml");
  if (!dir) GTEST_SKIP() << "../shared/reference/cosai is not available (a user's clone)";
  TempDir out;
  CliRun run = Ward({"import", "catalog", "cosai", *dir + "/risks.yaml", *dir + "/controls.yaml",
                     *dir + "/components.yaml", *dir + "/personas.yaml", "--version",
                     "2026-08-19", "-o", out.path() + "/cosai.ward"});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string ward = out.Read("cosai.ward");
  const std::set<std::string> risks = Ids(*dir + "/risks.yaml", "risks");
  const std::set<std::string> controls = Ids(*dir + "/controls.yaml", "controls");
  const std::set<std::string> components = Ids(*dir + "/components.yaml", "components");
  const std::set<std::string> personas = Ids(*dir + "/personas.yaml", "personas");
  EXPECT_EQ(CountOccurrences(ward, "kind: risk "), risks.size());
  EXPECT_EQ(CountOccurrences(ward, "kind: control "), controls.size());
  EXPECT_EQ(CountOccurrences(ward, "kind: component "), components.size());
  EXPECT_EQ(CountOccurrences(ward, "kind: persona"), personas.size());
  for (const auto* set : {&risks, &controls, &components, &personas}) {
    for (const std::string& id : *set) {
      EXPECT_EQ(CountOccurrences(ward, "entry \"" + id + "\""), 1u) << id;
    }
  }
  EXPECT_GE(risks.size(), 36u);
  EXPECT_GE(controls.size(), 35u);

  TempDir rules;
  CliRun check = CheckRuleset(rules, "rules", {{"cosai.ward", ward}});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_THAT(check.err, Not(HasSubstr("warning")));
}

// rulesets/catalogs/cosai.ward is this import of the shared copy, unedited.
TEST(CosaiDistribution, BundledCatalogIsTheImportOfTheShippedSnapshot) {
  std::optional<std::string> dir = SharedReference("cosai/secure-ai-tooling/risk-map/yaml");
  if (!dir) GTEST_SKIP() << "../shared/reference/cosai is not available (a user's clone)";
  std::ifstream in(std::string(WARD_SOURCE_DIR) + "/rulesets/catalogs/cosai.ward",
                   std::ios::binary);
  std::ostringstream bundled;
  bundled << in.rdbuf();
  TempDir out;
  std::vector<std::string> args = {"import", "catalog", "cosai", *dir + "/risks.yaml",
                                   *dir + "/controls.yaml", *dir + "/components.yaml",
                                   *dir + "/personas.yaml", "--version", "2026-08-19", "-o",
                                   out.path() + "/cosai.ward"};
  for (const std::string& note : HeaderNotes(bundled.str())) {
    args.push_back("--note");
    args.push_back(note);
  }
  CliRun run = Ward(args);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(out.Read("cosai.ward"), bundled.str())
      << "rulesets/catalogs/cosai.ward differs from a fresh import; regenerate it";
}

}  // namespace
}  // namespace ward::import_test
