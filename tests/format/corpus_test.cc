// `ward fmt` over every Ward file the project ships: the bundled rulesets
// and the golden inputs. For each file that parses, formatting is a fixed
// point (fmt(fmt(x)) == fmt(x)); for each ruleset and golden case, the IR
// compiled from the formatted files equals the IR of the originals (source
// locations aside), and so do the diagnostics.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compiler/driver/pipeline.h"
#include "compiler/format/formatter.h"
#include "compiler/ir/ir_json.h"

namespace ward::format {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> WardFilesUnder(const fs::path& root) {
  std::vector<fs::path> files;
  if (fs::is_regular_file(root)) return {root};
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".ward") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Removes what formatting is allowed to change: where things are.
void DropLocations(nlohmann::json& j) {
  if (j.is_object()) {
    j.erase("location");
    for (auto& [key, value] : j.items()) DropLocations(value);
  } else if (j.is_array()) {
    for (auto& value : j) DropLocations(value);
  }
}

// What a compilation of `paths` means: its IR without locations, and its
// diagnostics' codes and messages in order.
struct Meaning {
  nlohmann::json ir;
  std::vector<std::string> diagnostics;
};

Meaning MeaningOf(const std::vector<std::string>& paths) {
  driver::CompileOptions options;
  options.paths = paths;
  options.jobs = 1;
  DiagnosticEngine diags;
  auto compilation = driver::Compile(options, diags);
  Meaning meaning;
  if (compilation && compilation->program) {
    meaning.ir = ir::ToJson(*compilation->program, compilation->sources);
    DropLocations(meaning.ir);
  }
  for (const Diagnostic& d : diags.Sorted()) {
    meaning.diagnostics.push_back(std::string(Info(d.code).id) + " " + d.message);
  }
  std::sort(meaning.diagnostics.begin(), meaning.diagnostics.end());
  return meaning;
}

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    temp_ = fs::temp_directory_path() /
            ("ward-fmt-corpus-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(temp_);
    fs::create_directories(temp_);
  }
  void TearDown() override { fs::remove_all(temp_); }

  // Copies `source` (a file or a directory tree) to temp_/name, replacing
  // every .ward file by its formatted text. Checks idempotence on the way.
  // Returns the copy, or an empty path if some file did not parse.
  fs::path FormattedCopy(const fs::path& source, const std::string& name) {
    fs::path copy = temp_ / name;
    fs::create_directories(copy.parent_path());
    if (fs::is_directory(source)) {
      fs::copy(source, copy, fs::copy_options::recursive);
    } else {
      fs::copy_file(source, copy);
    }
    bool all_parsed = true;
    for (const fs::path& file : WardFilesUnder(copy)) {
      std::string text = Read(file);
      std::optional<std::string> once = FormatText(text);
      if (!once) {
        all_parsed = false;
        ++skipped_;
        continue;
      }
      ++formatted_;
      if (*once != text) ++changed_;
      std::optional<std::string> twice = FormatText(*once);
      EXPECT_TRUE(twice.has_value()) << file;
      if (twice) {
        EXPECT_EQ(*twice, *once) << "not idempotent: " << file;
      }
      std::ofstream(file, std::ios::binary) << *once;
    }
    return all_parsed ? copy : fs::path();
  }

  fs::path temp_;
  int formatted_ = 0, changed_ = 0, skipped_ = 0;
};

TEST_F(CorpusTest, BundledRulesetsKeepTheirMeaning) {
  fs::path rulesets = fs::path(WARD_SOURCE_DIR) / "rulesets";
  fs::path copy = FormattedCopy(rulesets, "rulesets");
  ASSERT_FALSE(copy.empty()) << "a bundled ruleset file does not parse";
  EXPECT_GE(formatted_, 15);
  Meaning before = MeaningOf({rulesets.string()});
  Meaning after = MeaningOf({copy.string()});
  ASSERT_FALSE(before.ir.is_null());
  EXPECT_EQ(before.diagnostics, after.diagnostics);
  EXPECT_EQ(before.ir, after.ir) << "the IR of the formatted rulesets differs";
  std::cout << "[ corpus   ] rulesets: " << formatted_ << " files, " << changed_
            << " change when formatted\n";
}

TEST_F(CorpusTest, GoldenInputsKeepTheirMeaning) {
  fs::path golden = fs::path(WARD_SOURCE_DIR) / "tests" / "golden";
  int cases = 0, compared = 0;
  for (const auto& area : fs::directory_iterator(golden)) {
    if (!area.is_directory()) continue;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(area.path())) {
      bool ward_file = entry.is_regular_file() && entry.path().extension() == ".ward";
      bool case_dir = entry.is_directory() && entry.path().extension() != ".expected" &&
                      !WardFilesUnder(entry.path()).empty();
      if (ward_file || case_dir) entries.push_back(entry.path());
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& input : entries) {
      ++cases;
      std::string name = area.path().filename().string() + "/" + input.filename().string();
      fs::path copy = FormattedCopy(input, name);
      // Deliberately invalid inputs (syntax errors) are not formatted.
      if (copy.empty()) continue;
      ++compared;
      Meaning before = MeaningOf({input.string()});
      Meaning after = MeaningOf({copy.string()});
      EXPECT_EQ(before.diagnostics, after.diagnostics) << name;
      EXPECT_EQ(before.ir, after.ir) << "the IR differs once formatted: " << name;
    }
  }
  EXPECT_GE(cases, 35);
  EXPECT_GE(compared, 30);
  std::cout << "[ corpus   ] golden: " << cases << " cases, " << compared << " compared; "
            << formatted_ << " files formatted (" << changed_ << " change), " << skipped_
            << " with syntax errors skipped\n";
}

}  // namespace
}  // namespace ward::format
