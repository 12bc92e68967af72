// The bundled rules (rulesets/) against a sample tree of files that the test
// writes itself with tests/yara/sample_tree.py: pickle streams of protocols
// 0 to 5 with malicious and benign payloads, PyTorch-style ZIP archives, and
// text with and without hidden Unicode tag characters. The rules are built
// with `ward build`, loaded the way a user loads them (out/yara/all.yar) and
// the test asserts exactly which rules match which files, with libyara and,
// when it is installed, with the `yara` command line.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "backends/yara/libyara_check.h"
#include "tests/yara/yara_files_testlib.h"
#include "tests/yara/yara_testlib.h"

namespace ward::yara_test {
namespace {

namespace fs = std::filesystem;
using Matches = std::map<std::string, std::set<std::string>>;  // file -> rules

constexpr const char* kPickleRule = "cosai_supply_chain__pickle_code_exec";
constexpr const char* kHiddenTextRule = "cosai_content__hidden_unicode_tag_text";

Matches ExpectedMatches() {
  Matches expected;
  for (int protocol = 0; protocol <= 5; ++protocol) {
    const std::string dir = "pickle/p" + std::to_string(protocol) + "/";
    for (const char* name : {"os_system.pkl", "builtins_exec.pkl", "subprocess_check_output.pkl",
                             "nested_os_system.pkl"}) {
      expected[dir + name] = {kPickleRule};
    }
    // benign_state_dict.pkl (OrderedDict, torch._utils._rebuild_tensor_v2,
    // torch.FloatStorage), benign_ordered_dict.pkl and benign_words.pkl
    // match nothing.
  }
  expected["torch/malicious_model.pt"] = {kPickleRule};
  // torch/benign_model.pt matches nothing, and so does
  // torch/malicious_deflated.pt: YARA does not decompress ZIP members.
  expected["text/hidden_tags.txt"] = {kHiddenTextRule};
  // text/plain.txt ("macos\nsystem\n") and text/flag_emoji.txt (a flag
  // written with a few tag characters) match nothing.
  return expected;
}

std::string Describe(const Matches& matches) {
  std::ostringstream out;
  for (const auto& [file, rules] : matches) {
    out << "  " << file << ":";
    for (const std::string& rule : rules) out << " " << rule;
    out << "\n";
  }
  return out.str();
}

class BundledRulesScan : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveProgram("python3")) GTEST_SKIP() << "python3 is needed to write the sample tree";
    tree_ = fs::path(scratch_.path()) / "tree";
    out_ = fs::path(scratch_.path()) / "out";
    std::string output;
    const std::string script = (SourceDir() / "tests" / "yara" / "sample_tree.py").string();
    ASSERT_EQ(RunCommand("python3 '" + script + "' '" + tree_.string() + "'", &output), 0)
        << output;
    const WardResult build =
        RunWard({"build", (SourceDir() / "rulesets").string(), "-o", out_.string(), "--emit",
                 "yara", "--quiet", "--color", "never"});
    ASSERT_EQ(build.code, 0) << build.err;
    for (const auto& entry : fs::recursive_directory_iterator(tree_)) {
      if (entry.is_regular_file()) files_.push_back(entry.path());
    }
    std::sort(files_.begin(), files_.end());
  }

  std::string Relative(const fs::path& file) const {
    return fs::relative(file, tree_).generic_string();
  }

  TempDir scratch_;
  fs::path tree_, out_;
  std::vector<fs::path> files_;
};

TEST_F(BundledRulesScan, LibyaraMatchesExactlyTheMaliciousFiles) {
  ASSERT_GE(files_.size(), 45u);
  std::string error;
  const std::vector<YaraFile> index = LoadIndex(out_ / "yara", &error);
  ASSERT_TRUE(error.empty()) << error;
  std::vector<std::string_view> chunks;
  for (const YaraFile& file : index) chunks.push_back(file.text);
  const backends::yara::CompileResult compiled = backends::yara::CompileRules(chunks);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled.warning_count(), 0u);

  Matches actual;
  for (const fs::path& file : files_) {
    for (const std::string& rule :
         backends::yara::ScanBytes(*compiled.rules, ReadWholeFile(file))) {
      actual[Relative(file)].insert(rule);
    }
  }
  EXPECT_EQ(actual, ExpectedMatches()) << "matched:\n"
                                       << Describe(actual) << "expected:\n"
                                       << Describe(ExpectedMatches());
}

TEST_F(BundledRulesScan, TheYaraCommandLineAgrees) {
  if (!HaveProgram("yara")) GTEST_SKIP() << "the yara command line is not installed";
  std::string output;
  const int code = RunCommand(
      "yara -r '" + (out_ / "yara" / "all.yar").string() + "' '" + tree_.string() + "'", &output);
  ASSERT_EQ(code, 0) << output;
  Matches actual;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    const size_t space = line.find(' ');
    ASSERT_NE(space, std::string::npos) << line;
    actual[Relative(line.substr(space + 1))].insert(line.substr(0, space));
  }
  EXPECT_EQ(actual, ExpectedMatches()) << "matched:\n" << Describe(actual);
}

}  // namespace
}  // namespace ward::yara_test
