// Damaged input never escapes the reader as an exception or a crash: every
// mutation of a valid rule (and of a correlation file) either reads cleanly
// or is refused with at least one error diagnostic that has a position.

#include <gtest/gtest.h>

#include <random>

#include "tests/import/import_test_support.h"

namespace ward::import_test {
namespace {

const char* kRule =
    "title: Suspicious Child\n"
    "id: 929a690e-bef0-4204-a928-ef5e620d6fcc\n"
    "related:\n"
    "    - id: 0a1b2c3d-0000-4000-8000-000000000001\n"
    "      type: derived\n"
    "status: test\n"
    "logsource:\n"
    "    category: process_creation\n"
    "    product: windows\n"
    "detection:\n"
    "    selection_img:\n"
    "        - Image|endswith: '\\cmd.exe'\n"
    "        - OriginalFileName: 'Cmd.Exe'\n"
    "    selection_cli:\n"
    "        CommandLine|contains|all: ['/c', 'whoami']\n"
    "    keywords: ['a*b', 42]\n"
    "    filter_main: {User|re|i: '^adm_', Count|gte: 3, F: null}\n"
    "    condition: all of selection_* and not 1 of filter_* or keywords\n"
    "falsepositives: [Admins]\n"
    "level: high\n"
    "---\n"
    "title: Burst\n"
    "correlation:\n"
    "    type: event_count\n"
    "    rules: [929a690e-bef0-4204-a928-ef5e620d6fcc]\n"
    "    group-by: [Computer]\n"
    "    timespan: 5m\n"
    "    condition: {gte: 10}\n";

TEST(ReaderRobustnessTest, MutatedInputIsReadOrRefusedWithPositions) {
  const std::string base = kRule;
  const std::string noise = ":|[]{}'\"\t\n -*?&!%@`#\\,0ax";
  std::mt19937_64 rng(7);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  size_t refused = 0, clean = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string text = base;
    size_t edits = 1 + pick(4);
    for (size_t e = 0; e < edits && !text.empty(); ++e) {
      size_t at = pick(text.size());
      switch (pick(3)) {
        case 0:
          text.erase(at, 1 + pick(6));
          break;
        case 1:
          text.insert(at, 1, noise[pick(noise.size())]);
          break;
        default:
          text[at] = noise[pick(noise.size())];
          break;
      }
    }
    std::unique_ptr<ReadResult> r;
    ASSERT_NO_THROW(r = ReadSigma(text)) << text;
    for (const import::SigmaDocumentReport& doc : r->import.documents) {
      if (!doc.refused) continue;
      EXPECT_FALSE(doc.reason.empty()) << text;
    }
    if (r->import.refused_count() > 0) {
      ++refused;
      EXPECT_GT(r->diags.error_count(), 0u) << text;
      for (const Diagnostic& d : r->diags.diagnostics()) {
        EXPECT_TRUE(d.primary.span.valid()) << d.message << "\n" << text;
      }
    } else {
      ++clean;
    }
  }
  EXPECT_GT(refused, 100u);
  EXPECT_GT(clean, 10u);
}

TEST(ReaderRobustnessTest, DeepYamlNestingIsRefused) {
  std::string text =
      "title: x\nlogsource: {product: x}\ndetection:\n    s: " + std::string(20000, '[') +
      std::string(20000, ']') + "\n    condition: s\n";
  std::unique_ptr<ReadResult> r;
  ASSERT_NO_THROW(r = ReadSigma(text));
  EXPECT_EQ(r->import.refused_count(), 1u);
}

}  // namespace
}  // namespace ward::import_test
