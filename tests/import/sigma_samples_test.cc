// Reads every SigmaHQ sample rule (../shared/reference/sigma/rules-sample):
// each must read cleanly (SigmaHQ's CI validates them, so refusing one would
// be a reader bug) or be refused with a stated reason.

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/import/import_test_support.h"

namespace ward::import_test {
namespace {

TEST(SigmaSamplesTest, EverySampleRuleReadsCleanlyOrIsRefusedWithAReason) {
  std::optional<SampleRules> samples = FindSampleRules();
  if (!samples) GTEST_SKIP() << "../shared/reference/sigma/rules-sample is not available";
  ASSERT_EQ(samples->paths.size(), 150u) << "the sample holds 150 SigmaHQ rules";
  size_t clean = 0, refused = 0, warned = 0;
  for (const std::string& rel : samples->paths) {
    auto r = ReadSigma(ReadWholeFile(samples->root + "/" + rel), rel);
    ASSERT_EQ(r->import.documents.size(), 1u) << rel;
    const import::SigmaDocumentReport& report = r->import.documents[0];
    if (report.refused) {
      ++refused;
      EXPECT_FALSE(report.reason.empty()) << rel;
      ADD_FAILURE() << rel << " was refused: " << report.reason << "\n" << r->Render();
      continue;
    }
    ++clean;
    if (report.warnings > 0) ++warned;
    EXPECT_EQ(report.kind, import::SigmaDocumentKind::kRule) << rel;
    const ir::SigmaLogic& logic = r->Logic();
    EXPECT_NE(logic.condition, nullptr) << rel;
    EXPECT_FALSE(logic.selections.empty()) << rel;
    EXPECT_FALSE(r->Rule().meta.title.empty()) << rel;
    EXPECT_TRUE(r->Rule().id.has_value()) << rel;
  }
  std::printf("[ sigma samples ] %zu read cleanly (%zu with warnings), %zu refused\n", clean,
              warned, refused);
  EXPECT_EQ(clean + refused, samples->paths.size());
  EXPECT_EQ(refused, 0u);
}

// The specification's own example documents (2 rules, 8 correlations, 2
// filters): every one is structurally valid. Their correlations and filters
// name rules that are not part of the examples, so E1007 is the only error
// they may get.
TEST(SigmaSamplesTest, SpecificationExamplesAreReadOrOnlyMissTheirRules) {
  std::optional<SampleRules> samples = FindSampleRules();
  if (!samples) GTEST_SKIP() << "../shared/reference/sigma is not available";
  const std::string root = samples->root + "/../sigma-specification/tests/schema/";
  size_t documents = 0, rules = 0;
  for (const char* kind : {"rules", "correlation", "filter"}) {
    for (const auto& entry : std::filesystem::directory_iterator(root + kind)) {
      std::string path = entry.path().string();
      auto r = ReadSigma(ReadWholeFile(path), entry.path().filename().string());
      for (const Diagnostic& d : r->diags.diagnostics()) {
        EXPECT_EQ(d.code, DiagCode::kSigmaUnresolvedRule) << path << "\n" << r->Render();
      }
      documents += r->import.documents.size();
      if (std::string(kind) == "rules") {
        EXPECT_EQ(r->import.imported_count(), 1u) << path << "\n" << r->Render();
        rules += r->import.imported_count();
      }
    }
  }
  EXPECT_EQ(documents, 12u);
  EXPECT_EQ(rules, 2u);
}

}  // namespace
}  // namespace ward::import_test
