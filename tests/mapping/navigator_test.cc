// mappings/navigator-atlas.json and navigator-attack.json: Navigator layer
// format 4.5, scored by coverage.

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

using Json = nlohmann::json;

Json Layer(const std::string& file) {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture);
  EXPECT_TRUE(result.ok);
  EXPECT_TRUE(result.out.Contains("mappings/" + file)) << file;
  return Json::parse(result.File("mappings/" + file));
}

const Json& Technique(const Json& layer, const std::string& id) {
  for (const Json& t : layer["techniques"]) {
    if (t["techniqueID"] == id) return t;
  }
  static const Json kNone;
  ADD_FAILURE() << "no technique " << id;
  return kNone;
}

TEST(Navigator, AtlasLayerScoresTechniquesByCoverage) {
  const Json layer = Layer("navigator-atlas.json");
  EXPECT_EQ(layer["domain"], "atlas-atlas");
  EXPECT_EQ(layer["versions"]["layer"], "4.5");
  EXPECT_EQ(layer["versions"]["navigator"], "4.9.0");
  const Json& model = Technique(layer, "AML.T0010.003");
  EXPECT_EQ(model["score"], 3);  // mitigated and detected
  EXPECT_EQ(model["tactic"], "initial-access");  // from its parent technique
  EXPECT_NE(model["comment"].get<std::string>().find("demo.unsafe_deserialization"),
            std::string::npos);
  EXPECT_NE(model["comment"].get<std::string>().find("Load weights only from safe formats (high)"),
            std::string::npos);
  EXPECT_EQ(Technique(layer, "AML.T0010")["showSubtechniques"], true);  // opened for its child
  EXPECT_FALSE(Technique(layer, "AML.T0010").contains("score"));
  EXPECT_EQ(Technique(layer, "AML.T0029")["score"], 0);  // mapped by the uncovered threat
  EXPECT_EQ(Technique(layer, "AML.T0029")["tactic"], "impact");
  EXPECT_EQ(Technique(layer, "AML.T0051.000")["score"], 3);
  EXPECT_EQ(layer["techniques"].size(), 5u);  // 3 scored + 2 opened parents
  EXPECT_EQ(layer["gradient"]["minValue"], 0);
  EXPECT_EQ(layer["gradient"]["maxValue"], 3);
  EXPECT_EQ(layer["gradient"]["colors"].size(), 4u);
  EXPECT_EQ(layer["legendItems"].size(), 4u);
  EXPECT_EQ(layer["legendItems"][3]["color"], model["color"]);
}

TEST(Navigator, AttackLayerUsesTheEnterpriseDomain) {
  const Json layer = Layer("navigator-attack.json");
  EXPECT_EQ(layer["domain"], "enterprise-attack");
  EXPECT_EQ(layer["versions"]["attack"], "16.1");
  EXPECT_EQ(Technique(layer, "T1059.006")["tactic"], "execution");
  EXPECT_EQ(Technique(layer, "T1059.006")["score"], 3);
}

// Field names from the layer format 4.5 specification (NAV
// layers/spec/v4.5/layerformat.md).
TEST(Navigator, UsesOnlyLayerFormatFields) {
  const std::set<std::string> layer_fields = {
      "name", "versions", "domain", "description", "filters", "sorting", "layout", "hideDisabled",
      "techniques", "gradient", "legendItems", "showTacticRowBackground", "tacticRowBackground",
      "selectTechniquesAcrossTactics", "selectSubtechniquesWithParent", "selectVisibleTechniques",
      "metadata", "links", "customDataURL"};
  const std::set<std::string> technique_fields = {"techniqueID", "tactic", "comment", "enabled",
                                                  "score", "color", "metadata", "links",
                                                  "showSubtechniques"};
  for (const char* file : {"navigator-atlas.json", "navigator-attack.json"}) {
    const Json layer = Layer(file);
    for (const auto& [key, value] : layer.items()) EXPECT_TRUE(layer_fields.count(key)) << key;
    for (const Json& technique : layer["techniques"]) {
      for (const auto& [key, value] : technique.items()) {
        EXPECT_TRUE(technique_fields.count(key)) << key;
      }
    }
  }
}

// The published ATLAS layers are the only real layers in data form: ours
// must use the same domain and technique ID spelling.
TEST(Navigator, MatchesThePublishedAtlasLayers) {
  auto path = SharedReference("atlas/atlas-navigator-data/dist/default-navigator-layers/"
                              "atlas_layer_matrix.json");
  if (!path) GTEST_SKIP() << "/work/shared/reference is not available";
  std::ifstream in(*path);
  const Json reference = Json::parse(in);
  const Json layer = Layer("navigator-atlas.json");
  EXPECT_EQ(layer["domain"], reference["domain"]);
  std::set<std::string> ids;
  for (const Json& t : reference["techniques"]) ids.insert(t["techniqueID"].get<std::string>());
  for (const Json& t : layer["techniques"]) EXPECT_TRUE(ids.count(t["techniqueID"])) << t;
}

TEST(Navigator, NoMappedTechniqueMeansNoLayer) {
  Fixture f;
  ir::Catalog& owasp = f.AddCatalog("owasp", "OWASP", "owasp_llm", "2025");
  ir::Threat& threat = f.AddThreat("t", "Threat", ir::Severity::kHigh);
  threat.maps.push_back(Fixture::Ref(f.AddEntry(owasp, "LLM01:2025", "Prompt Injection", "risk")));
  EmitResult result = Emit(f);
  EXPECT_TRUE(result.ok);
  EXPECT_FALSE(result.out.Contains("mappings/navigator-atlas.json"));
  EXPECT_FALSE(result.out.Contains("mappings/navigator-attack.json"));
}

}  // namespace
}  // namespace ward::mapping_test
