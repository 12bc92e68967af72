// mappings/traceability.md on the standard fixture.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Markdown() {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture);
  EXPECT_TRUE(result.ok);
  return result.File("mappings/traceability.md");
}

// Cell separators in a table line: `|` not preceded by a backslash.
size_t Separators(const std::string& line) {
  size_t n = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
  }
  return n;
}

TEST(Markdown, EveryTableRowHasTheHeaderColumnCount) {
  std::istringstream in(Markdown());
  std::string line;
  size_t columns = 0, rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '|') {
      columns = 0;  // a table ended
      continue;
    }
    if (columns == 0) {
      columns = Separators(line);
      continue;
    }
    EXPECT_EQ(Separators(line), columns) << line;
    ++rows;
  }
  EXPECT_GT(rows, 30u);
}

TEST(Markdown, TracesThreatToMitigationsControlsAndDetections) {
  const std::string md = Markdown();
  EXPECT_THAT(md, HasSubstr("# Traceability: demo-project 1.2.0"));
  EXPECT_THAT(md, HasSubstr("| Code runs when a model file is loaded<br>demo.unsafe_deserialization "
                            "| critical | MITRE ATLAS: AML.T0010.003<br>MITRE ATT&amp;CK Enterprise: "
                            "T1059.006<br>OWASP Top 10 for LLM Applications: LLM03:2025 | "
                            "Load weights only from safe formats (high) → MITRE ATLAS AML.M0011, "
                            "NIST SP 800-53 Rev. 5 CM-7<br>Verify model signatures (medium) → "
                            "CoSAI Risk Map controlModelAndDataIntegrityManagement, NIST SP 800-53 "
                            "Rev. 5 SI-7 | Pickle stream imports a shell \\[yara, 2 tests\\] "));
  EXPECT_THAT(md, HasSubstr("| low from critical: mitigated (high), detected (tested) |"));
  EXPECT_THAT(md, HasSubstr("AML.T0051.000@5.0.1"));  // pins are shown
}

TEST(Markdown, CoverageSummaryAndGapsAreListed) {
  const std::string md = Markdown();
  EXPECT_THAT(md, HasSubstr("| Threats with neither | 1 | 25% |"));
  EXPECT_THAT(md, HasSubstr("| Threats with both | 2 | 50% |"));
  EXPECT_THAT(md, HasSubstr("| medium | 1 | 25% |"));
  EXPECT_THAT(md, HasSubstr("| threat_uncovered | threat | demo.model_dos | medium | threat has no "
                            "mitigation and no detection |"));
  EXPECT_THAT(md, HasSubstr("| mitigation_unmapped | mitigation | demo.unused_policy |"));
  // The uncovered threat's row says so instead of leaving cells empty.
  EXPECT_THAT(md, HasSubstr("| Denial of AI service<br>demo.model_dos | medium | MITRE ATLAS: "
                            "AML.T0029<br>OWASP Top 10 for LLM Applications: LLM10:2025 | none "
                            "(gap) | none (gap) |"));
}

TEST(Markdown, ReverseTablesLeadBackToThreats) {
  const std::string md = Markdown();
  EXPECT_THAT(md, HasSubstr("| NIST SP 800-53 Rev. 5 | SI-7 | Software, Firmware, and Information "
                            "Integrity | demo.signing | demo.unsafe_deserialization |"));
  EXPECT_THAT(md, HasSubstr("| CoSAI Risk Map | riskPromptInjection | Prompt Injection | 1.0 | "
                            "threat demo.prompt_injection (maps)<br>asset demo.chat_app "
                            "(maps)<br>persona demo.ml_engineer (maps) |"));
}

TEST(Markdown, UserTextCannotBreakTablesOrInjectHtml) {
  const std::string md = Markdown();
  EXPECT_THAT(md, HasSubstr("Prompt injection &lt;script&gt;alert(1)&lt;/script&gt; \\| \\`pipe\\`"));
  EXPECT_THAT(md, Not(HasSubstr("<script>")));
  EXPECT_THAT(md, HasSubstr("Sensitive data, \"quoted\", with comma<br>and newline"));
}

TEST(Markdown, TablesFollowModelOrder) {
  const std::string md = Markdown();
  const size_t leak = md.find("demo.data_leak |");
  const size_t dos = md.find("demo.model_dos |");
  const size_t injection = md.find("<br>demo.prompt_injection |");
  const size_t deser = md.find("<br>demo.unsafe_deserialization |");
  ASSERT_NE(leak, std::string::npos);
  EXPECT_LT(leak, dos);
  EXPECT_LT(dos, injection);
  EXPECT_LT(injection, deser);
}

}  // namespace
}  // namespace ward::mapping_test
