// Every YARA file the golden tests expect (tests/golden/**/*.expected/yara/)
// must load in the real engine: libyara through all.yar's include order,
// each package file after the files its header says it uses, and the
// `yarac` command line when it is installed. The golden harness only
// compares text; these tests make sure that text is valid YARA 4.2.
//
// The `test` blocks of the golden inputs are run too, through libyara, so a
// golden rule is known to match what it claims to match.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_backend.h"
#include "compiler/driver/pipeline.h"
#include "tests/yara/yara_files_testlib.h"
#include "tests/yara/yara_testlib.h"

namespace ward::yara_test {
namespace {

namespace fs = std::filesystem;
using backends::yara::CompileMessage;
using backends::yara::CompileResult;
using backends::yara::CompileRules;

// A golden case with YARA output.
struct GoldenYara {
  std::string name;                       // "yara/modifiers"
  fs::path input;                         // the .ward file or ruleset directory
  fs::path yara_dir;                      // <case>.expected/yara
  bool expects_libyara_warnings = false;  // its .stderr reports W0613
};

std::vector<GoldenYara> FindGoldenYara() {
  std::vector<GoldenYara> out;
  const fs::path root = SourceDir() / "tests" / "golden";
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    const fs::path& dir = entry.path();
    const std::string file = dir.filename().string();
    const std::string suffix = ".expected";
    if (file.size() <= suffix.size() || file.substr(file.size() - suffix.size()) != suffix) {
      continue;
    }
    if (!fs::exists(dir / "yara" / "all.yar")) continue;
    GoldenYara golden;
    const std::string stem = file.substr(0, file.size() - suffix.size());
    golden.name = dir.parent_path().filename().string() + "/" + stem;
    golden.yara_dir = dir / "yara";
    golden.input = dir.parent_path() / (stem + ".ward");
    if (!fs::exists(golden.input)) golden.input = dir.parent_path() / stem;
    const fs::path stderr_file = dir.parent_path() / (stem + ".stderr");
    golden.expects_libyara_warnings = ReadWholeFile(stderr_file).find("W0613") != std::string::npos;
    out.push_back(golden);
  }
  std::sort(out.begin(), out.end(),
            [](const GoldenYara& a, const GoldenYara& b) { return a.name < b.name; });
  return out;
}

std::string Messages(const CompileResult& result) {
  std::string out;
  for (const CompileMessage& m : result.messages) {
    out += (m.is_error ? "error " : "warning ") + std::to_string(m.chunk) + ":" +
           std::to_string(m.line) + ": " + m.text + "\n";
  }
  return out;
}

CompileResult CompileFiles(const std::vector<const YaraFile*>& files) {
  std::vector<std::string_view> chunks;
  for (const YaraFile* file : files) chunks.push_back(file->text);
  return CompileRules(chunks);
}

TEST(GoldenYaraOutputs, TheGoldenTreeHasYaraCases) {
  // The YARA golden cases live in the repository: finding none means the
  // search below is broken, not that there is nothing to check.
  EXPECT_GE(FindGoldenYara().size(), 8u);
}

TEST(GoldenYaraOutputs, EveryFileLoadsInLibyara) {
  for (const GoldenYara& golden : FindGoldenYara()) {
    SCOPED_TRACE(golden.name);
    std::string error;
    const std::vector<YaraFile> files = LoadIndex(golden.yara_dir, &error);
    ASSERT_TRUE(error.empty()) << error;

    // all.yar includes every package file exactly once.
    std::multiset<std::string> included;
    for (const YaraFile& file : files) included.insert(file.name);
    for (const auto& entry : fs::directory_iterator(golden.yara_dir)) {
      const std::string name = entry.path().filename().string();
      if (name == "all.yar") continue;
      EXPECT_EQ(included.count(name), 1u) << name << " is not included exactly once by all.yar";
    }

    // The whole index, as `yara all.yar` loads it.
    std::vector<const YaraFile*> all;
    for (const YaraFile& file : files) all.push_back(&file);
    const CompileResult whole = CompileFiles(all);
    EXPECT_TRUE(whole.ok()) << Messages(whole);
    if (!golden.expects_libyara_warnings) {
      EXPECT_EQ(whole.warning_count(), 0u) << Messages(whole);
    }

    // Each package file on its own, after the files its header names (and
    // theirs): the header must list everything the file needs.
    for (const YaraFile& file : files) {
      std::vector<const YaraFile*> chain;
      std::vector<std::string> pending = DeclaredDependencies(file.text);
      std::set<std::string> needed;
      while (!pending.empty()) {
        const std::string next = pending.back();
        pending.pop_back();
        if (!needed.insert(next).second) continue;
        for (const YaraFile& other : files) {
          if (other.name == next) {
            for (const std::string& dep : DeclaredDependencies(other.text)) pending.push_back(dep);
          }
        }
      }
      for (const YaraFile& other : files) {
        if (needed.count(other.name) != 0) chain.push_back(&other);  // include order
      }
      EXPECT_EQ(chain.size(), needed.size()) << file.name << " names a file all.yar lacks";
      chain.push_back(&file);
      const CompileResult alone = CompileFiles(chain);
      EXPECT_TRUE(alone.ok()) << file.name << ":\n" << Messages(alone);
    }
  }
}

TEST(GoldenYaraOutputs, EveryFileCompilesWithYarac) {
  if (!HaveProgram("yarac")) GTEST_SKIP() << "yarac is not installed (Debian package `yara`)";
  TempDir scratch;
  for (const GoldenYara& golden : FindGoldenYara()) {
    SCOPED_TRACE(golden.name);
    std::string output;
    const std::string compiled = scratch.path() + "/rules.yarc";
    const int code = RunCommand(
        "yarac '" + (golden.yara_dir / "all.yar").string() + "' '" + compiled + "'", &output);
    EXPECT_EQ(code, 0) << output;
    if (!golden.expects_libyara_warnings) {
      EXPECT_THAT(output, ::testing::Not(::testing::HasSubstr("warning"))) << output;
    }
    // A package file with the files it uses named first, as docs/yara.md
    // tells users to compile one.
    std::string error;
    for (const YaraFile& file : LoadIndex(golden.yara_dir, &error)) {
      std::string command = "yarac";
      for (const std::string& dep : DeclaredDependencies(file.text)) {
        command += " '" + (golden.yara_dir / dep).string() + "'";
      }
      command += " '" + (golden.yara_dir / file.name).string() + "' '" + compiled + "'";
      EXPECT_EQ(RunCommand(command, &output), 0) << command << "\n" << output;
    }
  }
}

// The `test` blocks of every golden input with YARA output give the verdict
// they expect when the generated rules run in libyara.
TEST(GoldenYaraOutputs, GoldenTestBlocksPass) {
  size_t cases = 0;
  for (const GoldenYara& golden : FindGoldenYara()) {
    SCOPED_TRACE(golden.name);
    DiagnosticEngine diags;
    driver::CompileOptions options;
    options.paths = {golden.input.string()};
    options.jobs = 1;
    auto compilation = driver::Compile(options, diags);
    ASSERT_TRUE(compilation && compilation->program);
    ASSERT_FALSE(diags.has_errors());
    backends::yara::GenerateOptions generate;
    generate.reveal_private = true;
    auto generated = backends::yara::GenerateRules(*compilation->program, generate, diags);
    ASSERT_TRUE(generated.has_value());
    std::vector<std::string_view> chunks(generated->texts.begin(), generated->texts.end());
    const CompileResult compiled = CompileRules(chunks);
    ASSERT_TRUE(compiled.ok()) << Messages(compiled);
    for (const auto& detection : compilation->program->detections) {
      if (detection->As<ir::YaraLogic>() == nullptr) continue;
      const std::string& name = generated->rule_names.at(detection.get());
      for (const ir::TestCase& test : detection->tests) {
        if (!test.data && !test.file) continue;
        const std::string bytes = test.data ? *test.data : ReadWholeFile(*test.file);
        ++cases;
        const auto matched = backends::yara::ScanBytes(*compiled.rules, bytes);
        const bool hit = std::find(matched.begin(), matched.end(), name) != matched.end();
        EXPECT_EQ(hit, test.expect_match)
            << detection->qualified_name() << ", test \"" << test.name << "\"";
      }
    }
  }
  EXPECT_GT(cases, 20u);
}

}  // namespace
}  // namespace ward::yara_test
