// Quality gates over real inputs: every Sigma document the backend writes for
// `rulesets/` and for the golden inputs under tests/golden/sigma/ must pass
// our encoding of the Sigma v2.1.0 schema constraints and of the pySigma /
// SigmaHQ checks that apply (CheckOutput in sigma_support_testlib.cc), under
// both profiles. Where ../shared/reference/sigma is present, every document
// is also validated against the official JSON schemas with python3
// jsonschema (tests/mapping/validate_schema.py).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "tests/sigma/sigma_test_support.h"

namespace ward::sigma_test {
namespace {

namespace fs = std::filesystem;

struct Built {
  bool ok = false;
  backends::OutputSet files;
  std::string errors;  // rendered error messages, for failure output
  std::vector<DiagCode> codes;
};

Built BuildSigma(const std::string& path, const std::string& profile) {
  Built built;
  DiagnosticEngine diags;
  driver::CompileOptions options;
  options.paths = {path};
  options.jobs = 1;
  std::unique_ptr<driver::Compilation> compilation = driver::Compile(options, diags);
  if (compilation && compilation->program && !diags.has_errors()) {
    std::map<std::string, std::string> backend_options;
    if (!profile.empty()) backend_options["sigma-profile"] = profile;
    built.ok = driver::RunBackends(*compilation, {"sigma"}, backend_options, diags, built.files);
  }
  for (const Diagnostic& d : diags.diagnostics()) {
    built.codes.push_back(d.code);
    if (d.severity == Severity::kError) built.errors += d.message + "\n";
  }
  return built;
}

// The golden inputs that compile (the negative cases are skipped).
std::vector<std::string> GoldenInputs() {
  std::vector<std::string> inputs;
  fs::path dir = fs::path("tests") / "golden" / "sigma";
  if (!fs::exists(dir)) return inputs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".ward") inputs.push_back(entry.path().generic_string());
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

// What the sigmahq profile promises on top of CheckOutput: standard tag
// namespaces only (pySigma namespace_tag), the fields SigmaHQ requires that
// Ward can always fill, no final `.` in titles, `correlation_` file names.
std::vector<std::string> SigmaHqProblems(const backends::OutputSet& files) {
  static const std::regex kStandardTag(R"(^(attack|car|cve|d3fend|detection|stp|tlp)\..+$)");
  std::vector<std::string> problems;
  for (const auto& [path, text] : files.files()) {
    std::vector<YAML::Node> docs = LoadDocuments(text);
    bool correlation_file = false;
    for (const YAML::Node& doc : docs) {
      if (doc["correlation"]) correlation_file = true;
      std::string title = doc["title"] ? doc["title"].Scalar() : "";
      if (!title.empty() && title.back() == '.') problems.push_back(path + ": title ends with .");
      if (doc["tags"]) {
        for (const YAML::Node& tag : doc["tags"]) {
          if (!std::regex_match(tag.Scalar(), kStandardTag)) {
            problems.push_back(path + ": non-standard tag " + tag.Scalar());
          }
        }
      }
      if (doc["filter"]) continue;
      for (const char* key : {"id", "status", "description", "falsepositives", "level"}) {
        if (!doc[key]) problems.push_back(path + ": no " + key);
      }
      if (doc["generate"]) problems.push_back(path + ": top-level generate");
    }
    std::string file = path.substr(path.rfind('/') + 1);
    if (correlation_file && file.rfind("correlation_", 0) != 0) {
      problems.push_back(path + ": correlation file without the correlation_ prefix");
    }
  }
  return problems;
}

void ExpectPasses(const std::string& input, const std::string& profile, size_t min_files) {
  Built built = BuildSigma(input, profile);
  ASSERT_TRUE(built.ok) << input << " does not build:\n" << built.errors;
  EXPECT_GE(built.files.files().size(), min_files) << input;
  std::vector<std::string> problems = CheckOutput(built.files);
  if (profile == "sigmahq") {
    for (std::string& p : SigmaHqProblems(built.files)) problems.push_back(std::move(p));
  }
  for (const std::string& problem : problems) {
    ADD_FAILURE() << input << " (profile " << (profile.empty() ? "default" : profile)
                  << "): " << problem;
  }
}

TEST(SigmaQualityGateTest, EveryRulesetDetectionPassesUnderBothProfiles) {
  // rulesets/ writes over thirty Sigma files (rules, correlation files and a
  // filter); the floor catches a ruleset that silently stopped emitting.
  ExpectPasses("rulesets", "", 30);
  ExpectPasses("rulesets", "sigmahq", 30);
}

TEST(SigmaQualityGateTest, EveryGoldenInputPassesUnderBothProfiles) {
  size_t checked = 0;
  for (const std::string& input : GoldenInputs()) {
    Built probe = BuildSigma(input, "");
    if (!probe.ok) continue;  // a negative case: its golden files pin the errors
    ExpectPasses(input, "", 1);
    ExpectPasses(input, "sigmahq", 1);
    ++checked;
  }
  EXPECT_GE(checked, 6u) << "the golden Sigma inputs were not found";
}

// ---- the official JSON schemas ----------------------------------------------

// ../shared beside the repository; WARD_SHARED_DIR overrides it (a git
// worktree lives elsewhere than the main checkout).
std::optional<fs::path> SigmaSchemaDir() {
  const char* shared = std::getenv("WARD_SHARED_DIR");
  fs::path root =
      shared && *shared ? fs::path(shared) : fs::path(WARD_SOURCE_DIR) / ".." / "shared";
  fs::path dir = root / "reference" / "sigma" / "sigma-specification" / "json-schema";
  if (!fs::exists(dir / "sigma-detection-rule-schema.json")) return std::nullopt;
  return fs::weakly_canonical(dir);
}

void AppendJsonString(const std::string& text, std::string& out) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// YAML as a YAML 1.2 core-schema reader (and the SigmaHQ validator) sees it:
// quoted scalars are strings; plain ones may be null, booleans or numbers.
// Dates stay strings, which is what the schema's `date` pattern checks.
void AppendJson(const YAML::Node& node, std::string& out) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out += "null";
      return;
    case YAML::NodeType::Sequence: {
      out += '[';
      bool first = true;
      for (const YAML::Node& item : node) {
        if (!first) out += ',';
        first = false;
        AppendJson(item, out);
      }
      out += ']';
      return;
    }
    case YAML::NodeType::Map: {
      out += '{';
      bool first = true;
      for (const auto& kv : node) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(kv.first.Scalar(), out);
        out += ':';
        AppendJson(kv.second, out);
      }
      out += '}';
      return;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  if (node.Tag() != "!") {
    static const std::regex kNumber(R"(^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$)");
    if (text == "null" || text == "~") {
      out += "null";
      return;
    }
    if (text == "true" || text == "false" || std::regex_match(text, kNumber)) {
      out += text;
      return;
    }
  }
  AppendJsonString(text, out);
}

int RunCommand(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char* SchemaFor(const YAML::Node& doc) {
  if (doc["correlation"]) return "sigma-correlation-rules-schema.json";
  if (doc["filter"]) return "sigma-filters-schema.json";
  return "sigma-detection-rule-schema.json";
}

class SchemaValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    schemas_ = SigmaSchemaDir();
    if (!schemas_)
      GTEST_SKIP() << "../shared/reference/sigma is not available (set WARD_SHARED_DIR)";
    dir_ = fs::temp_directory_path() / ("ward-sigma-schema-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // nullopt when python3 or jsonschema is missing; "" when valid.
  std::optional<std::string> Validate(const YAML::Node& doc) {
    std::string json;
    AppendJson(doc, json);
    fs::path instance = dir_ / ("doc" + std::to_string(count_++) + ".json");
    std::ofstream(instance, std::ios::binary) << json;
    std::string output;
    int status =
        RunCommand("python3 '" WARD_SOURCE_DIR "/tests/mapping/validate_schema.py' '" +
                       (*schemas_ / SchemaFor(doc)).string() + "' '" + instance.string() + "'",
                   output);
    if (status == 2 || status == 127) return std::nullopt;
    if (status == 0) return std::string();
    return output.empty() ? "validator exited with " + std::to_string(status) : output;
  }

  void ValidateAll(const std::string& input, const std::string& profile) {
    Built built = BuildSigma(input, profile);
    ASSERT_TRUE(built.ok) << input << ":\n" << built.errors;
    for (const auto& [path, text] : built.files.files()) {
      for (const YAML::Node& doc : LoadDocuments(text)) {
        std::optional<std::string> report = Validate(doc);
        if (!report) GTEST_SKIP() << "python3 with jsonschema is not available";
        EXPECT_EQ(*report, "") << input << " -> " << path << " (" << SchemaFor(doc) << ")";
        ++validated_;
      }
    }
  }

  std::optional<fs::path> schemas_;
  fs::path dir_;
  int count_ = 0;
  int validated_ = 0;
};

TEST_F(SchemaValidation, OurJsonReadingMatchesTheSchemaTestDocuments) {
  // The specification's own example documents must validate through the same
  // YAML -> JSON path, or a failure below would say nothing about Ward.
  fs::path tests = schemas_->parent_path() / "tests" / "schema";
  int seen = 0;
  for (const char* kind : {"rules", "correlation", "filter"}) {
    for (const auto& entry : fs::directory_iterator(tests / kind)) {
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (const YAML::Node& doc : LoadDocuments(text)) {
        std::optional<std::string> report = Validate(doc);
        if (!report) GTEST_SKIP() << "python3 with jsonschema is not available";
        EXPECT_EQ(*report, "") << entry.path();
        ++seen;
      }
    }
  }
  EXPECT_GE(seen, 10);
}

TEST_F(SchemaValidation, EveryRulesetDocumentMatchesTheOfficialSchemas) {
  ValidateAll("rulesets", "");
  ValidateAll("rulesets", "sigmahq");
  EXPECT_GE(validated_, 20);
}

TEST_F(SchemaValidation, EveryGoldenDocumentMatchesTheOfficialSchemas) {
  for (const std::string& input : GoldenInputs()) {
    if (!BuildSigma(input, "").ok) continue;
    ValidateAll(input, "");
  }
  EXPECT_GE(validated_, 25);
}

}  // namespace
}  // namespace ward::sigma_test
