// Golden end-to-end tests: every case under tests/golden/<area>/ is run
// through the real `ward` command line (in process) and compared with the
// expected files beside it.
//
//   <case>.ward  or  <case>/            the input (one file, or a ruleset dir)
//   <case>.stderr                       `ward check` text diagnostics
//   <case>.diagnostics.json             `ward check --format json`
//   <case>.expected/                    `ward build --emit all` output tree
//                                       (only for cases without errors)
//
// A case may set flags on its first line: `// ward-flags: --deny-warnings`,
// and choose the outputs of its build in its leading comments with
// `// ward-emit: ir` (default: the area's backend in tests/golden/sigma, yara
// and mapping, `all` elsewhere), so that a case can pin one output alone.
// Inline expectations `// expect: E0200 W0401` on a line of a .ward file
// state the diagnostics that must start on that line; when a file has any,
// every diagnostic in it must be expected, so regenerating the golden files
// can never hide a lost or new error.
//
// To regenerate the expected files after an intended change:
//   WARD_UPDATE_GOLDEN=1 ./build/bin/ward_golden_tests   (or: make golden)
// then review the diff with git.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "compiler/driver/cli.h"

namespace ward {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenRoot = fs::path("tests") / "golden";

bool UpdateMode() {
  const char* env = std::getenv("WARD_UPDATE_GOLDEN");
  return env && *env && std::string(env) != "0";
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

struct WardRun {
  int code;
  std::string out, err;
};

WardRun Ward(std::vector<std::string> args) {
  args.insert(args.begin(), "ward");
  std::ostringstream out, err;
  driver::CliStreams streams{out, err, false};
  int code = driver::RunCli(args, streams);
  return {code, out.str(), err.str()};
}

struct Case {
  std::string name;     // area/case
  fs::path input;       // file or directory
  fs::path stem;        // expected files are stem + suffix
};

std::vector<Case> FindCases() {
  std::vector<Case> cases;
  if (!fs::exists(kGoldenRoot)) return cases;
  for (const auto& area : fs::directory_iterator(kGoldenRoot)) {
    if (!area.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(area.path())) {
      const fs::path& p = entry.path();
      std::string file = p.filename().string();
      bool is_case = (entry.is_regular_file() && p.extension() == ".ward") ||
                     (entry.is_directory() && file.find('.') == std::string::npos);
      if (!is_case) continue;
      fs::path stem = p.parent_path() / p.stem();
      cases.push_back({area.path().filename().string() + "/" + p.stem().string(), p, stem});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

// The first .ward file of a case (in path order), where directives live.
fs::path FirstFile(const Case& c) {
  if (!fs::is_directory(c.input)) return c.input;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(c.input)) {
    if (e.path().extension() == ".ward") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files.empty() ? fs::path() : files.front();
}

// The words after `// <tag>:` in the leading comment lines of the first file.
std::vector<std::string> Directive(const Case& c, const std::string& tag) {
  fs::path first = FirstFile(c);
  if (first.empty()) return {};
  std::istringstream in(ReadAll(first));
  const std::string prefix = "// " + tag + ":";
  std::vector<std::string> words;
  for (std::string line; std::getline(in, line) && line.rfind("//", 0) == 0;) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::istringstream rest(line.substr(prefix.size()));
    for (std::string w; rest >> w;) words.push_back(w);
  }
  return words;
}

std::vector<std::string> FlagsOf(const Case& c) { return Directive(c, "ward-flags"); }

// What a case's build emits: its `ward-emit` directive, else the area's own
// backend for a backend area (so a change in one backend never rewrites the
// golden files of another), else everything.
std::string EmitOf(const Case& c) {
  std::vector<std::string> emit = Directive(c, "ward-emit");
  std::string joined;
  for (const std::string& e : emit) joined += (joined.empty() ? "" : ",") + e;
  if (!joined.empty()) return joined;
  const std::string area = c.name.substr(0, c.name.find('/'));
  if (area == "sigma" || area == "yara" || area == "mapping") return area;
  return "all";
}

// Some messages name absolute paths (the manifest, a missing sample, the
// ruleset root). The checkout's location differs between machines, so it is
// cut from the text: golden files hold paths relative to the source root.
std::string WithoutCheckoutPath(std::string text) {
  const std::string root = fs::current_path().generic_string() + "/";
  for (size_t at = text.find(root); at != std::string::npos; at = text.find(root, at)) {
    text.erase(at, root.size());
  }
  return text;
}

void Compare(const fs::path& expected_path, const std::string& raw_actual,
             const std::string& what) {
  const std::string actual = WithoutCheckoutPath(raw_actual);
  if (UpdateMode()) {
    WriteAll(expected_path, actual);
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << "missing golden file " << expected_path
      << " (run with WARD_UPDATE_GOLDEN=1 to create it)\nactual " << what << ":\n" << actual;
  EXPECT_EQ(ReadAll(expected_path), actual) << what << " differs from " << expected_path;
}

// (file, line) -> codes, from `// expect:` comments.
std::map<std::pair<std::string, int>, std::multiset<std::string>> InlineExpectations(
    const Case& c, std::set<std::string>& annotated_files) {
  std::map<std::pair<std::string, int>, std::multiset<std::string>> out;
  std::vector<fs::path> files;
  if (fs::is_directory(c.input)) {
    for (const auto& e : fs::recursive_directory_iterator(c.input)) {
      if (e.path().extension() == ".ward") files.push_back(e.path());
    }
  } else {
    files.push_back(c.input);
  }
  static const std::regex kExpect(R"(//\s*expect:\s*([EW0-9 ,]+))");
  static const std::regex kCode(R"([EW]\d{4})");
  for (const fs::path& file : files) {
    std::istringstream in(ReadAll(file));
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      std::smatch m;
      if (!std::regex_search(line, m, kExpect)) continue;
      std::string codes = m[1];
      for (std::sregex_iterator it(codes.begin(), codes.end(), kCode), end; it != end; ++it) {
        out[{file.generic_string(), line_no}].insert(it->str());
        annotated_files.insert(file.generic_string());
      }
    }
  }
  return out;
}

class GoldenTest : public ::testing::TestWithParam<Case> {};

TEST_P(GoldenTest, Matches) {
  const Case& c = GetParam();
  std::vector<std::string> flags = FlagsOf(c);
  std::string input = c.input.generic_string();

  std::vector<std::string> check_args = {"check", input, "--color", "never"};
  check_args.insert(check_args.end(), flags.begin(), flags.end());
  WardRun text = Ward(check_args);
  Compare(fs::path(c.stem.string() + ".stderr"), text.err, "text diagnostics");

  std::vector<std::string> json_args = {"check", input, "--format", "json"};
  json_args.insert(json_args.end(), flags.begin(), flags.end());
  WardRun json = Ward(json_args);
  Compare(fs::path(c.stem.string() + ".diagnostics.json"), json.out, "JSON diagnostics");
  EXPECT_EQ(text.code, json.code) << "text and JSON runs disagree on the exit code";

  // Inline expectations versus what was reported.
  std::set<std::string> annotated;
  auto expected = InlineExpectations(c, annotated);
  auto diagnostics = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(diagnostics.is_array()) << json.out;
  std::map<std::pair<std::string, int>, std::multiset<std::string>> actual;
  for (const auto& d : diagnostics) {
    if (!d.contains("file") || !d["file"].is_string()) continue;
    std::string file = d["file"];
    if (!annotated.count(file)) continue;
    actual[{file, d["line"].get<int>()}].insert(d["code"].get<std::string>());
  }
  for (const auto& [where, codes] : expected) {
    EXPECT_EQ(codes, actual[where]) << where.first << ":" << where.second
                                    << ": expected diagnostics differ";
  }
  for (const auto& [where, codes] : actual) {
    if (!expected.count(where)) {
      ADD_FAILURE() << where.first << ":" << where.second << ": unexpected "
                    << *codes.begin() << " (add `// expect: " << *codes.begin() << "`)";
    }
  }

  // Outputs, for inputs that compile.
  fs::path expected_dir = c.stem.string() + ".expected";
  if (text.code == 0 && (fs::exists(expected_dir) || UpdateMode())) {
    if (UpdateMode()) fs::remove_all(expected_dir);  // drop files no longer produced
    fs::path out_dir = fs::temp_directory_path() /
                       ("ward-golden-" + std::to_string(::getpid()) + "-" + c.stem.filename().string());
    fs::remove_all(out_dir);
    std::vector<std::string> build_args = {"build", input, "-o", out_dir.string(), "--emit",
                                           EmitOf(c), "--quiet"};
    build_args.insert(build_args.end(), flags.begin(), flags.end());
    WardRun build = Ward(build_args);
    ASSERT_EQ(build.code, 0) << build.err;
    std::set<std::string> produced;
    for (const auto& e : fs::recursive_directory_iterator(out_dir)) {
      if (!e.is_regular_file()) continue;
      std::string rel = fs::relative(e.path(), out_dir).generic_string();
      // The marker and the build cache (compiler/driver/build_cache.h) are
      // not outputs.
      if (rel == ".ward-output" || rel.rfind(".ward-cache/", 0) == 0) continue;
      produced.insert(rel);
      Compare(expected_dir / rel, ReadAll(e.path()), "output " + rel);
    }
    if (!UpdateMode()) {
      for (const auto& e : fs::recursive_directory_iterator(expected_dir)) {
        if (!e.is_regular_file()) continue;
        std::string rel = fs::relative(e.path(), expected_dir).generic_string();
        EXPECT_TRUE(produced.count(rel)) << "expected output " << rel << " was not produced";
      }
    }
    fs::remove_all(out_dir);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(FindCases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                           std::string name = param_info.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);

}  // namespace
}  // namespace ward
