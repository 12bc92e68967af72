// mappings/traceability.json: content, and validity against the committed
// schema docs/schemas/ward-mapping.schema.json.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

using Json = nlohmann::json;

constexpr char kSchema[] = WARD_SOURCE_DIR "/docs/schemas/ward-mapping.schema.json";

std::string JsonText() {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture);
  EXPECT_TRUE(result.ok);
  return result.File("mappings/traceability.json");
}

const Json& Named(const Json& list, const std::string& name) {
  for (const Json& item : list) {
    if (item.value("name", "") == name) return item;
  }
  static const Json kNone;
  ADD_FAILURE() << "no " << name;
  return kNone;
}

TEST(TraceJson, ThreatCarriesItsWholeTrace) {
  const Json doc = Json::parse(JsonText());
  EXPECT_EQ(doc["format"], "ward-mapping");
  EXPECT_EQ(doc["generated_on"], "2026-01-15");
  EXPECT_EQ(doc["project"]["namespace"], "6f1d2b8e-4c1a-5b7e-9a43-3e2d1c0b9a87");
  const Json& deser = Named(doc["threats"], "demo.unsafe_deserialization");
  EXPECT_EQ(deser["severity"], "critical");
  EXPECT_EQ(deser["date"], "2025-06-01");
  EXPECT_EQ(deser["assets"], Json::array({"demo.model_file"}));
  ASSERT_EQ(deser["mappings"].size(), 3u);
  EXPECT_EQ(deser["mappings"][0]["framework"], "mitre_atlas");
  EXPECT_EQ(deser["mappings"][0]["entries"][0]["id"], "AML.T0010.003");
  EXPECT_EQ(deser["mappings"][0]["entries"][0]["version"], "5.6.1");
  ASSERT_EQ(deser["mitigations"].size(), 2u);
  EXPECT_EQ(deser["mitigations"][0]["effectiveness"], "high");
  EXPECT_EQ(deser["mitigations"][0]["controls"][1]["id"], "CM-7");
  EXPECT_EQ(deser["detections"][0]["kind"], "yara");
  EXPECT_EQ(deser["detections"][0]["tests"], 2);
  EXPECT_EQ(deser["coverage"], "both");
  EXPECT_EQ(deser["residual_risk"]["rating"], "low");
  EXPECT_EQ(deser["residual_risk"]["mitigation_credit"], 2);

  const Json& injection = Named(doc["threats"], "demo.prompt_injection");
  EXPECT_EQ(injection["mappings"][1]["entries"][0]["pinned_version"], "5.0.1");
  EXPECT_EQ(injection["detections"][0]["id"], "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11");
}

TEST(TraceJson, ReverseViewsCoverageAndGaps) {
  const Json doc = Json::parse(JsonText());
  EXPECT_EQ(doc["controls"].size(), 7u);
  EXPECT_EQ(doc["coverage"]["uncovered"], 1);
  EXPECT_EQ(doc["coverage"]["residual"]["low"], 3);
  ASSERT_EQ(doc["gaps"].size(), 6u);
  EXPECT_EQ(doc["gaps"][0]["kind"], "threat_uncovered");
  EXPECT_EQ(doc["gaps"][0]["subject"], "demo.model_dos");
  EXPECT_EQ(doc["gaps"][0]["severity"], "medium");
  const Json& phrase = Named(doc["detections"], "demo.injection_phrase");
  EXPECT_EQ(phrase["tests"][1]["expect"], "no_match");
  EXPECT_EQ(phrase["threats"], Json::array({"demo.prompt_injection"}));
}

TEST(TraceJson, ValidatesAgainstTheCommittedSchema) {
  auto report = ValidateJson(kSchema, JsonText());
  if (!report) GTEST_SKIP() << "python3 with jsonschema is not available";
  EXPECT_EQ(*report, "");
}

TEST(TraceJson, SchemaRejectsAMalformedDocument) {
  Json doc = Json::parse(JsonText());
  doc["threats"][0]["residual_risk"]["rating"] = "catastrophic";
  doc["detections"][0]["id"] = "not-a-uuid";
  doc["unexpected"] = true;
  auto report = ValidateJson(kSchema, doc.dump());
  if (!report) GTEST_SKIP() << "python3 with jsonschema is not available";
  EXPECT_NE(report->find("catastrophic"), std::string::npos) << *report;
  EXPECT_NE(report->find("not-a-uuid"), std::string::npos) << *report;
  EXPECT_NE(report->find("unexpected"), std::string::npos) << *report;
}

TEST(TraceJson, EmptyProgramStillValidates) {
  Fixture empty;
  EmitResult result = Emit(empty);
  ASSERT_TRUE(result.ok);
  auto report = ValidateJson(kSchema, result.File("mappings/traceability.json"));
  if (!report) GTEST_SKIP() << "python3 with jsonschema is not available";
  EXPECT_EQ(*report, "");
}

}  // namespace
}  // namespace ward::mapping_test
