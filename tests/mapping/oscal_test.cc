// mappings/oscal-mapping.json: an OSCAL 1.2 mapping-collection from Ward's
// mitigations to the framework controls they implement, checked against the
// OSCAL 1.2.1 mapping schema.

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

using Json = nlohmann::json;

Json Collection() {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture);
  EXPECT_TRUE(result.ok);
  return Json::parse(result.File("mappings/oscal-mapping.json"))["mapping-collection"];
}

const Json& MappingFor(const Json& collection, const std::string& catalog) {
  for (const Json& mapping : collection["mappings"]) {
    for (const Json& prop : mapping["target-resource"]["props"]) {
      if (prop["name"] == "ward-catalog" && prop["value"] == catalog) return mapping;
    }
  }
  static const Json kNone;
  ADD_FAILURE() << "no mapping for " << catalog;
  return kNone;
}

TEST(Oscal, OneMappingPerTargetCatalogWithImplementedControls) {
  const Json c = Collection();
  EXPECT_EQ(c["metadata"]["oscal-version"], "1.2.1");
  EXPECT_EQ(c["metadata"]["last-modified"], "2026-01-15T00:00:00Z");
  EXPECT_EQ(c["metadata"]["version"], "1.2.0");
  EXPECT_EQ(c["provenance"]["method"], "human");
  EXPECT_EQ(c["provenance"]["matching-rationale"], "functional");
  // cosai, atlas and SP 800-53 have implemented controls; attack and owasp none.
  ASSERT_EQ(c["mappings"].size(), 3u);
  const Json& nist = MappingFor(c, "catalogs.nist80053");
  EXPECT_EQ(nist["source-resource"]["type"], "ward-mitigations");
  EXPECT_EQ(nist["target-resource"]["type"], "catalog");
  EXPECT_EQ(nist["maps"].size(), 3u);
  EXPECT_DOUBLE_EQ(nist["coverage"]["target-coverage"].get<double>(), 0.75);
  // The one SP 800-53 control no mitigation implements, in OSCAL id form.
  EXPECT_EQ(nist["target-gap-summary"]["unmapped-controls"][0]["with-ids"],
            Json::array({"ac-2.1"}));
}

TEST(Oscal, MapsLinkMitigationsToControls) {
  const Json c = Collection();
  const Json& nist = MappingFor(c, "catalogs.nist80053");
  bool found = false;
  for (const Json& map : nist["maps"]) {
    if (map["sources"][0]["id-ref"] != "demo.signing") continue;
    found = true;
    EXPECT_EQ(map["relationship"], "subset-of");
    EXPECT_EQ(map["targets"][0]["type"], "control");
    EXPECT_EQ(map["targets"][0]["id-ref"], "si-7");  // resolvable in NIST's OSCAL catalog
    EXPECT_EQ(map["targets"][0]["props"][0]["value"], "SI-7");
    EXPECT_EQ(map["sources"][0]["props"][0]["value"], "medium");
  }
  EXPECT_TRUE(found);
  const Json& atlas = MappingFor(c, "catalogs.atlas");
  EXPECT_EQ(atlas["target-resource"]["href"], "https://atlas.mitre.org");
  EXPECT_EQ(atlas["maps"][0]["targets"][0]["id-ref"], "AML.M0011");
}

// Catalog IDs are free text ("MANAGE 2.4", or worse), but an OSCAL id-ref
// must be a token: such an ID gets a stable token, and keeps its text in the
// target's `label` prop. (Found by tests/escaping.)
TEST(Oscal, IdsThatAreNotTokensGetATokenAndKeepTheirLabel) {
  Fixture f;
  ir::Catalog& rmf = f.AddCatalog("rmf", "NIST AI RMF", "nist_ai_rmf", "1.0");
  const ir::CatalogEntry& manage = f.AddEntry(rmf, "MANAGE 2.4", "Mechanisms are in place", "control");
  const ir::CatalogEntry& hostile = f.AddEntry(rmf, "<b>|\"x", "Hostile", "control");
  ir::Mitigation& m = f.AddMitigation("kill_switch", "Kill switch", ir::Effectiveness::kHigh);
  m.implements = {Fixture::Ref(manage), Fixture::Ref(hostile)};
  f.Finish();
  EmitResult result = Emit(f);
  ASSERT_TRUE(result.ok);
  const Json c = Json::parse(result.File("mappings/oscal-mapping.json"))["mapping-collection"];
  const std::regex token("^[A-Za-z_][A-Za-z0-9._-]*$");
  std::map<std::string, std::string> label_to_ref;
  for (const Json& map : MappingFor(c, "catalogs.rmf")["maps"]) {
    const Json& target = map["targets"][0];
    const std::string ref = target["id-ref"];
    EXPECT_TRUE(std::regex_match(ref, token)) << ref;
    ASSERT_TRUE(target.contains("props")) << ref;
    label_to_ref[target["props"][0]["value"]] = ref;
  }
  ASSERT_EQ(label_to_ref.size(), 2u);
  EXPECT_EQ(label_to_ref["MANAGE 2.4"].rfind("ward-id-MANAGE_2.4-", 0), 0u);
  EXPECT_EQ(label_to_ref["<b>|\"x"].rfind("ward-id-_b___x-", 0), 0u);
  // Deterministic: the same ID always gets the same token.
  EmitResult again = Emit(f);
  EXPECT_EQ(again.File("mappings/oscal-mapping.json"), result.File("mappings/oscal-mapping.json"));
}

TEST(Oscal, RelationshipsAndUuidsAreWellFormed) {
  // The schema leaves `relationship` a free token; the allowed values live
  // in the OSCAL metaschema only.
  const std::set<std::string> allowed = {"equivalent-to", "equal-to", "subset-of",
                                         "superset-of", "intersects-with", "no-relationship"};
  const std::regex uuid_v5("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  const Json c = Collection();
  std::set<std::string> uuids{c["uuid"]};
  for (const Json& mapping : c["mappings"]) {
    uuids.insert(mapping["uuid"].get<std::string>());
    for (const Json& map : mapping["maps"]) {
      EXPECT_TRUE(allowed.count(map["relationship"])) << map["relationship"];
      EXPECT_TRUE(std::regex_match(map["uuid"].get<std::string>(), uuid_v5));
      EXPECT_TRUE(uuids.insert(map["uuid"].get<std::string>()).second) << "duplicate uuid";
    }
  }
  EXPECT_EQ(uuids.size(), 1u + 3u + 7u);
}

TEST(Oscal, NoControlsImplementedMeansNoFile) {
  Fixture f;
  ir::Threat& threat = f.AddThreat("t", "Threat", ir::Severity::kHigh);
  ir::Mitigation& m = f.AddMitigation("m", "Mitigation", ir::Effectiveness::kHigh);
  Fixture::Mitigates(m, threat);
  EmitResult result = Emit(f);
  EXPECT_TRUE(result.ok);
  EXPECT_FALSE(result.out.Contains("mappings/oscal-mapping.json"));
  EXPECT_TRUE(result.out.Contains("mappings/traceability.json"));
}

TEST(Oscal, ValidatesAgainstTheOscalMappingSchema) {
  auto schema = SharedReference("schemas/oscal-1.2.1/oscal_mapping_schema.json");
  if (!schema) GTEST_SKIP() << "/work/shared/reference is not available";
  auto fixture = StandardFixture();
  auto report = ValidateJson(*schema, Emit(*fixture).File("mappings/oscal-mapping.json"));
  if (!report) GTEST_SKIP() << "python3 with jsonschema is not available";
  EXPECT_EQ(*report, "");
}

}  // namespace
}  // namespace ward::mapping_test
