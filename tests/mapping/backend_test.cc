// The backend entry point: which files it adds, options, determinism.

#include <gtest/gtest.h>

#include <algorithm>

#include "backends/mapping/mapping_backend.h"
#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

std::vector<std::string> Paths(const backends::OutputSet& out) {
  std::vector<std::string> paths;
  for (const auto& [path, text] : out.files()) paths.push_back(path);
  return paths;
}

TEST(MappingBackend, NameAndDescription) {
  auto backend = backends::mapping::MakeMappingBackend();
  EXPECT_EQ(backend->name(), "mapping");
  EXPECT_FALSE(backend->description().empty());
}

TEST(MappingBackend, EmitsEveryFormatUnderMappings) {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.errors, 0u);
  EXPECT_EQ(Paths(result.out),
            (std::vector<std::string>{"mappings/navigator-atlas.json",
                                      "mappings/navigator-attack.json",
                                      "mappings/oscal-mapping.json", "mappings/report.html",
                                      "mappings/stix-bundle.json", "mappings/traceability.csv",
                                      "mappings/traceability.json", "mappings/traceability.md"}));
}

TEST(MappingBackend, OutputIsByteIdenticalAcrossRuns) {
  auto first = StandardFixture();
  auto second = StandardFixture();
  EmitResult a = Emit(*first);
  EmitResult b = Emit(*second);
  EmitResult again = Emit(*first);
  EXPECT_EQ(a.out.files(), b.out.files());
  EXPECT_EQ(a.out.files(), again.out.files());
}

TEST(MappingBackend, OutputDoesNotDependOnLinkOrder) {
  auto fixture = StandardFixture();
  EmitResult a = Emit(*fixture);
  // Links and catalogs listed in another order: the frontend promises no
  // particular order inside these vectors.
  for (auto& threat : fixture->program().threats) {
    std::reverse(threat->mitigations.begin(), threat->mitigations.end());
    std::reverse(threat->maps.begin(), threat->maps.end());
  }
  for (auto& mitigation : fixture->program().mitigations) {
    std::reverse(mitigation->implements.begin(), mitigation->implements.end());
  }
  std::reverse(fixture->program().catalogs.begin(), fixture->program().catalogs.end());
  DiagnosticEngine diags;
  backends::BackendContext ctx{fixture->program(), fixture->sources(), diags, {}, "2026-01-15"};
  backends::OutputSet out;
  ASSERT_TRUE(backends::mapping::MakeMappingBackend()->Emit(ctx, out));
  EXPECT_EQ(out.files(), a.out.files());
}

TEST(MappingBackend, FormatsOptionSelectsFiles) {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture, {{"mapping-formats", "csv, json"}});
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(Paths(result.out), (std::vector<std::string>{"mappings/traceability.csv",
                                                         "mappings/traceability.json"}));
}

TEST(MappingBackend, UnknownFormatIsReported) {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture, {{"mapping-formats", "csv,pdf"}});
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.diags.size(), 1u);
  EXPECT_EQ(result.diags[0].code, DiagCode::kInvalidBackendOption);
  EXPECT_EQ(result.diags[0].message, "unknown mapping format `pdf` in option `mapping-formats`");
  EXPECT_TRUE(result.out.files().empty());
}

TEST(MappingBackend, ExistingFileIsACollision) {
  auto fixture = StandardFixture();
  backends::OutputSet out;
  out.Add("mappings/report.html", "taken");
  EmitResult result = Emit(*fixture, {}, std::move(out));
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.errors, 1u);
  EXPECT_EQ(result.diags[0].code, DiagCode::kOutputPathCollision);
  EXPECT_EQ(result.File("mappings/report.html"), "taken");
}

TEST(MappingBackend, EmptyProgramStillDocumentsItself) {
  Fixture empty;
  EmitResult result = Emit(empty);
  EXPECT_TRUE(result.ok);
  EXPECT_NE(result.File("mappings/traceability.md").find("No threats are declared."),
            std::string::npos);
  EXPECT_TRUE(result.out.Contains("mappings/report.html"));
  EXPECT_TRUE(result.out.Contains("mappings/stix-bundle.json"));  // holds the identity
}

}  // namespace
}  // namespace ward::mapping_test
