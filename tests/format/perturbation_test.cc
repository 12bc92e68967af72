// Formatting does not depend on how the input was spaced: every bundled and
// golden file, with the whitespace between its tokens replaced at random
// (keeping each line break that ends a line comment), still formats, keeps
// its tokens, and formats to a fixed point.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "compiler/format/formatter.h"
#include "compiler/syntax/source_tokens.h"

namespace ward::format {
namespace {

namespace fs = std::filesystem;

std::string Perturb(const std::string& text, std::mt19937& rng) {
  std::vector<syntax::SourceToken> tokens = syntax::LexSourceTokens(text);
  std::string out;
  uint32_t last = 0;
  bool after_line_comment = false;
  for (const syntax::SourceToken& t : tokens) {
    std::string_view gap = std::string_view(text).substr(last, t.begin - last);
    bool needed = !gap.empty();
    std::string replacement;
    switch (rng() % 6) {
      case 0:
        replacement = gap.empty() ? "" : " ";
        break;
      case 1:
        replacement = needed ? "   " : "";
        break;
      case 2:
        replacement = "\n";
        break;
      case 3:
        replacement = "\n\n\n    ";
        break;
      case 4:
        replacement = needed ? "\t" : "";
        break;
      default:
        replacement = std::string(gap);
        break;
    }
    if (after_line_comment && replacement.find('\n') == std::string::npos) replacement = "\n";
    // Joining two tokens that were apart could make one token of them.
    if (needed && replacement.empty()) replacement = " ";
    out += replacement;
    out += t.text;
    last = t.end;
    after_line_comment = t.cls == syntax::TokenClass::kLineComment;
  }
  out += "\n";
  return out;
}

TEST(Perturbation, RandomWhitespaceStillFormatsToAFixedPoint) {
  std::vector<fs::path> files;
  for (const char* root : {"rulesets", "tests/golden"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(WARD_SOURCE_DIR) / root)) {
      if (e.is_regular_file() && e.path().extension() == ".ward") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::mt19937 rng(20261201);
  int checked = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!FormatText(text)) continue;  // deliberately invalid input
    for (int round = 0; round < 3; ++round) {
      std::string perturbed = Perturb(text, rng);
      std::optional<std::string> once = FormatText(perturbed);
      ASSERT_TRUE(once.has_value()) << file << " round " << round << ":\n" << perturbed;
      std::optional<std::string> twice = FormatText(*once);
      ASSERT_TRUE(twice.has_value()) << file;
      EXPECT_EQ(*twice, *once) << "not idempotent: " << file << " round " << round
                               << "\n--- input:\n"
                               << perturbed;
      ++checked;
    }
  }
  EXPECT_GE(checked, 150);
}

}  // namespace
}  // namespace ward::format

namespace ward::format {
namespace {

// Found by the test above: the first string of a block sat on the `{` line,
// so the first pass aligned the two strings below it, and the second pass,
// seeing three strings on their own lines, undid that.
TEST(Perturbation, StringsAfterTheOpeningBraceAlignTheSameInBothPasses) {
  const std::string text =
      "package p\n"
      "detection yara d \"D\" {\n"
      "  level: low  strings {   $one_byte\t=\t\"a\"\n"
      "$zeros   = { 00 00 00 00 }\n"
      "    $any\t=\n"
      "/a.b/\n"
      "  }\n"
      "  condition: any of them\n"
      "}\n";
  std::optional<std::string> once = FormatText(text);
  ASSERT_TRUE(once.has_value());
  std::optional<std::string> twice = FormatText(*once);
  ASSERT_TRUE(twice.has_value());
  EXPECT_EQ(*twice, *once);
}

}  // namespace
}  // namespace ward::format
