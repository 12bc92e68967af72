// Whole-file examples: tests/format/testdata/NAME.input.ward formats to
// NAME.expected.ward. WARD_UPDATE_GOLDEN=1 rewrites the expected files (review
// what was written before committing it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "compiler/format/formatter.h"

namespace ward::format {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Examples, EachInputFormatsToItsExpectedText) {
  const fs::path dir = fs::path(WARD_SOURCE_DIR) / "tests" / "format" / "testdata";
  const char* update = std::getenv("WARD_UPDATE_GOLDEN");
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    const std::string suffix = ".input.ward";
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix)
      continue;
    ++cases;
    fs::path expected_path = dir / (name.substr(0, name.size() - suffix.size()) + ".expected.ward");
    std::optional<std::string> formatted = FormatText(Read(entry.path()));
    ASSERT_TRUE(formatted.has_value()) << name;
    if (update && *update) std::ofstream(expected_path, std::ios::binary) << *formatted;
    EXPECT_EQ(*formatted, Read(expected_path)) << name;
    std::optional<std::string> again = FormatText(*formatted);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *formatted) << name << " is not a fixed point";
  }
  EXPECT_GE(cases, 1);
}

}  // namespace
}  // namespace ward::format
