// The bundled rules (rulesets/) against a sample tree of files that the test
// writes itself with tests/yara/sample_tree.py: pickle streams of protocols
// 0 to 5 and hand-made opcode layouts with malicious and benign payloads,
// PyTorch checkpoints, NumPy .npy/.npz files, joblib dumps, Keras .keras and
// .h5 models, safetensors, GGUF and ONNX files (valid ones and crafted
// anomalies), and text with and without hidden Unicode tag characters. The
// rules are built with `ward build`, loaded the way a user loads them
// (out/yara/all.yar) and the test asserts exactly which rules match which
// files, with libyara and, when it is installed, with the `yara` command
// line. It also prints the per-kind figures that docs/coverage.md reports.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
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
constexpr const char* kNumpyRule = "cosai_supply_chain__numpy_pickle_code_exec";
constexpr const char* kKerasRule = "cosai_supply_chain__keras_lambda_code";
constexpr const char* kSafetensorsRule = "cosai_model_formats__safetensors_header_anomaly";
constexpr const char* kGgufCountRule = "cosai_model_formats__gguf_header_count_anomaly";
constexpr const char* kGgufTemplateRule = "cosai_model_formats__gguf_chat_template_injection";
constexpr const char* kOnnxRule = "cosai_model_formats__onnx_external_data_traversal";
constexpr const char* kHiddenTextRule = "cosai_content__hidden_unicode_tag_text";

// The payloads sample_tree.py pickles in every protocol (PAYLOADS there).
constexpr const char* kPicklePayloads[] = {
    "os_system",
    "os_popen",
    "os_execv",
    "os_spawnlp",
    "subprocess_check_output",
    "pty_spawn",
    "builtins_exec",
    "builtins_eval",
    "builtins_import",
    "runpy_run_path",
    "runpy_run_code",
    "importlib_import_module",
    "socket_create_connection",
    "webbrowser_open",
    "shutil_rmtree",
    "ctypes_cdll",
    "marshal_loads",
    "timeit_timeit",
    "pdb_run",
    "code_interact",
    "nested_os_system",
};

// Hand-made opcode layouts (CRAFTED in sample_tree.py): INST, OBJ, NEWOBJ,
// NEWOBJ_EX, UNICODE and BINUNICODE8 strings, memo indirection.
constexpr const char* kCraftedPickles[] = {
    "inst_p0.pkl",
    "inst_nested_p0.pkl",
    "obj_p1.pkl",
    "obj_stack_global_p4.pkl",
    "newobj_p2.pkl",
    "newobj_ex_p4.pkl",
    "stack_global_unicode_p4.pkl",
    "stack_global_binunicode8_p4.pkl",
    "stack_global_memo_p4.pkl",
    "getattr_chain_p4.pkl",
    "function_type_p2.pkl",
};

// Files whose name starts with `benign_` (and text/plain.txt,
// text/flag_emoji.txt) must match nothing; every other file must match
// exactly the rules listed here.
Matches ExpectedMatches() {
  Matches expected;
  for (int protocol = 0; protocol <= 5; ++protocol) {
    const std::string dir = "pickle/p" + std::to_string(protocol) + "/";
    for (const char* name : kPicklePayloads) expected[dir + name + ".pkl"] = {kPickleRule};
    // benign_state_dict.pkl (OrderedDict, torch._utils._rebuild_tensor_v2,
    // torch.FloatStorage), benign_ordered_dict.pkl, benign_training_state.pkl
    // (argparse, builtins.set/complex, pathlib, datetime, defaultdict) and
    // benign_words.pkl match nothing.
  }
  for (const char* name : kCraftedPickles)
    expected[std::string("pickle/crafted/") + name] = {kPickleRule};
  for (const char* name :
       {"torch/malicious_model.pt", "torch/malicious_runpy_p4.pt", "torch/malicious_legacy.pt",
        "joblib/malicious_estimator.joblib", "joblib/malicious_estimator_p2.joblib"}) {
    expected[name] = {kPickleRule};
  }
  // torch/malicious_deflated.pt matches nothing: YARA does not decompress
  // ZIP members. That is the known limit docs/coverage.md states.
  for (const char* name : {"npy/malicious_object_array.npy", "npy/malicious_object_array_v2.npy",
                           "npy/malicious_arrays.npz"}) {
    expected[name] = {kNumpyRule};
  }
  for (const char* name : {"keras/malicious_lambda.keras",
                           "keras/malicious_lambda_activation.keras", "h5/malicious_lambda.h5"}) {
    expected[name] = {kKerasRule};
  }
  for (const char* name : {"safetensors/anomalous_length_past_eof.safetensors",
                           "safetensors/anomalous_length_huge.safetensors",
                           "safetensors/anomalous_header_cut.safetensors"}) {
    expected[name] = {kSafetensorsRule};
  }
  expected["gguf/anomalous_tensor_count.gguf"] = {kGgufCountRule};
  expected["gguf/anomalous_kv_count.gguf"] = {kGgufCountRule};
  expected["gguf/malicious_chat_template.gguf"] = {kGgufTemplateRule};
  expected["onnx/malicious_traversal.onnx"] = {kOnnxRule};
  expected["onnx/malicious_absolute.onnx"] = {kOnnxRule};
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

  // Compiles the emitted rules with libyara and scans every sample file.
  void ScanWithLibyara(Matches* actual) const {
    std::string error;
    const std::vector<YaraFile> index = LoadIndex(out_ / "yara", &error);
    ASSERT_TRUE(error.empty()) << error;
    std::vector<std::string_view> chunks;
    for (const YaraFile& file : index) chunks.push_back(file.text);
    const backends::yara::CompileResult compiled = backends::yara::CompileRules(chunks);
    ASSERT_TRUE(compiled.ok());
    EXPECT_EQ(compiled.warning_count(), 0u);
    for (const fs::path& file : files_) {
      for (const std::string& rule :
           backends::yara::ScanBytes(*compiled.rules, ReadWholeFile(file))) {
        (*actual)[Relative(file)].insert(rule);
      }
    }
  }

  std::string Relative(const fs::path& file) const {
    return fs::relative(file, tree_).generic_string();
  }

  TempDir scratch_;
  fs::path tree_, out_;
  std::vector<fs::path> files_;
};

TEST_F(BundledRulesScan, LibyaraMatchesExactlyTheMaliciousFiles) {
  ASSERT_GE(files_.size(), 200u);
  Matches actual;
  ASSERT_NO_FATAL_FAILURE(ScanWithLibyara(&actual));
  EXPECT_EQ(actual, ExpectedMatches()) << "matched:\n"
                                       << Describe(actual) << "expected:\n"
                                       << Describe(ExpectedMatches());
}

// The figures of docs/coverage.md, one row per sample folder: a file is
// benign when its name starts with `benign_` (or it is one of the two
// ordinary text files), malicious otherwise. Every malicious file is
// detected except the known limit (a deflated PyTorch archive), and no
// benign file matches any rule.
TEST_F(BundledRulesScan, FiguresPerSampleKind) {
  Matches actual;
  ASSERT_NO_FATAL_FAILURE(ScanWithLibyara(&actual));
  struct Row {
    int files = 0, malicious = 0, detected = 0, benign = 0, false_positives = 0;
  };
  std::map<std::string, Row> rows;
  Row total;
  std::vector<std::string> missed;
  for (const fs::path& file : files_) {
    const std::string relative = Relative(file);
    const std::string name = file.filename().string();
    const bool benign = name.rfind("benign_", 0) == 0 || relative == "text/plain.txt" ||
                        relative == "text/flag_emoji.txt";
    const bool matched = actual.count(relative) > 0;
    for (Row* row : {&rows[fs::path(relative).parent_path().generic_string()], &total}) {
      ++row->files;
      if (benign) {
        ++row->benign;
        if (matched) ++row->false_positives;
      } else {
        ++row->malicious;
        if (matched) ++row->detected;
      }
    }
    if (!benign && !matched) missed.push_back(relative);
  }
  std::ostringstream table;
  table << "| Sample folder | Files | Malicious | Detected | Benign | False positives |\n"
        << "|---|---:|---:|---:|---:|---:|\n";
  auto print = [&table](const std::string& kind, const Row& row) {
    table << "| " << kind << " | " << row.files << " | " << row.malicious << " | " << row.detected
          << " | " << row.benign << " | " << row.false_positives << " |\n";
  };
  for (const auto& [kind, row] : rows) print("`" + kind + "/`", row);
  print("all", total);
  std::printf("%s", table.str().c_str());
  EXPECT_EQ(total.false_positives, 0) << table.str();
  EXPECT_EQ(missed, std::vector<std::string>{"torch/malicious_deflated.pt"}) << table.str();
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
