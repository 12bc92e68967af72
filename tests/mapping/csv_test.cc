// mappings/traceability.csv: RFC 4180 on the standard fixture, read back
// with an independent parser.

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

using Record = std::vector<std::string>;

// A strict RFC 4180 reader: records end in CRLF; a bare CR or LF outside
// quotes is an error.
std::vector<Record> ParseCsv(const std::string& text) {
  std::vector<Record> records;
  Record record;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty() && !was_quoted) << "quote inside an unquoted field at " << i;
      quoted = was_quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
      was_quoted = false;
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
      was_quoted = false;
      ++i;
    } else {
      EXPECT_NE(c, '\n') << "bare LF at " << i;
      field += c;
    }
  }
  EXPECT_FALSE(quoted);
  EXPECT_TRUE(record.empty() && field.empty()) << "last record does not end in CRLF";
  return records;
}

std::vector<Record> Csv() {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture);
  EXPECT_TRUE(result.ok);
  return ParseCsv(result.File("mappings/traceability.csv"));
}

bool Has(const std::vector<Record>& records, const Record& wanted) {
  return std::find(records.begin(), records.end(), wanted) != records.end();
}

TEST(Csv, HeaderAndEightFieldsPerRecord) {
  std::vector<Record> records = Csv();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records[0], (Record{"source_kind", "source", "relation", "target_kind", "target",
                                "framework", "framework_version", "detail"}));
  for (const Record& r : records) EXPECT_EQ(r.size(), 8u);
  EXPECT_GT(records.size(), 40u);
}

TEST(Csv, OneRowPerEdge) {
  std::vector<Record> records = Csv();
  EXPECT_TRUE(Has(records, {"threat", "demo.unsafe_deserialization", "maps_to", "framework_id",
                            "AML.T0010.003", "mitre_atlas", "5.6.1", "Model"}));
  EXPECT_TRUE(Has(records, {"threat", "demo.prompt_injection", "maps_to", "framework_id",
                            "AML.T0051.000", "mitre_atlas", "5.6.1", "Direct; pinned to 5.0.1"}));
  EXPECT_TRUE(Has(records, {"threat", "demo.unsafe_deserialization", "mitigated_by", "mitigation",
                            "demo.safe_formats", "", "", "effectiveness high"}));
  EXPECT_TRUE(Has(records, {"mitigation", "demo.signing", "implements", "framework_id", "SI-7",
                            "nist_sp800_53", "5.0.1",
                            "Software, Firmware, and Information Integrity"}));
  EXPECT_TRUE(Has(records, {"detection", "demo.injection_phrase", "tested_by", "test", "case 2",
                            "", "", "expect no_match"}));
  EXPECT_TRUE(Has(records, {"threat", "demo.prompt_injection", "detected_by", "detection",
                            "demo.injection_phrase", "", "",
                            "sigma rule 0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11; 2 tests"}));
  EXPECT_TRUE(Has(records, {"threat", "demo.model_dos", "has_gap", "gap", "threat_uncovered", "",
                            "", "threat has no mitigation and no detection"}));
  EXPECT_TRUE(Has(records, {"threat", "demo.model_dos", "residual_risk", "rating", "medium", "", "",
                            "medium from medium: neither mitigated nor detected"}));
  EXPECT_TRUE(Has(records, {"persona", "demo.ml_engineer", "maps_to", "framework_id",
                            "riskPromptInjection", "cosai_risk_map", "1.0", "Prompt Injection"}));
}

TEST(Csv, QuotesCommasAndNewlinesSurviveARoundTrip) {
  std::vector<Record> records = Csv();
  EXPECT_TRUE(Has(records, {"threat", "demo.model_dos", "affects", "asset", "demo.chat_app", "", "",
                            "Chat application, \"assistant\"\nv2"}));
}

TEST(Csv, RawTextQuotesOnlyWhereNeeded) {
  auto fixture = StandardFixture();
  const std::string csv = Emit(*fixture).File("mappings/traceability.csv");
  EXPECT_EQ(csv.rfind("source_kind,source,relation,target_kind,target,framework,framework_version,"
                      "detail\r\n", 0), 0u);
  EXPECT_NE(csv.find(",\"Chat application, \"\"assistant\"\"\nv2\"\r\n"), std::string::npos);
}

}  // namespace
}  // namespace ward::mapping_test
