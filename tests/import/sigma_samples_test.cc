// Reads every SigmaHQ sample rule (../shared/reference/sigma/rules-sample):
// each must read cleanly (SigmaHQ's CI validates them, so refusing one would
// be a reader bug) or be refused with a stated reason.

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ward::import_test
