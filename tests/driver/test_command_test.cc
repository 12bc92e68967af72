// `ward test` as a CI pipeline sees it: the bundled rulesets pass, a broken
// expectation fails with a message that shows why, JUnit XML is
// well-formed, and the exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "compiler/driver/cli.h"
#include "tests/testing/ward_cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using test_support::CliRun;
using test_support::Ward;

using test_support::ReadFile;

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// 1-based line of the first occurrence of `needle`.
size_t LineOf(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) +
         1;
}

// Replaces the first `expect:` after `anchor`.
bool FlipExpectation(std::string& text, const std::string& anchor, const std::string& from,
                     const std::string& to) {
  size_t at = text.find(anchor);
  if (at == std::string::npos) return false;
  size_t expect = text.find("expect: " + from, at);
  if (expect == std::string::npos) return false;
  text.replace(expect, 8 + from.size(), "expect: " + to);
  return true;
}

// A small XML 1.0 well-formedness check: one root, balanced and properly
// nested elements, quoted attributes, only the predefined entities.
::testing::AssertionResult WellFormedXml(const std::string& xml) {
  size_t i = 0;
  std::vector<std::string> stack;
  bool root_seen = false;
  if (xml.rfind("<?xml ", 0) == 0) i = xml.find("?>") + 2;
  auto entity_ok = [&](size_t at) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (xml.compare(at, std::strlen(e), e) == 0) return true;
    }
    return false;
  };
  while (i < xml.size()) {
    if (xml[i] != '<') {
      if (xml[i] == '&' && !entity_ok(i)) return ::testing::AssertionFailure() << "bad & at " << i;
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(xml[i]))) {
        return ::testing::AssertionFailure() << "text outside the root at " << i;
      }
      ++i;
      continue;
    }
    size_t end = xml.find('>', i);
    if (end == std::string::npos) return ::testing::AssertionFailure() << "unclosed tag at " << i;
    std::string tag = xml.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!tag.empty() && tag[0] == '/') {
      if (stack.empty() || stack.back() != tag.substr(1)) {
        return ::testing::AssertionFailure() << "mismatched </" << tag.substr(1) << ">";
      }
      stack.pop_back();
      continue;
    }
    bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.pop_back();
    std::string name = tag.substr(0, tag.find_first_of(" \n\t"));
    if (name.empty()) return ::testing::AssertionFailure() << "empty tag name";
    // Attributes: name="value" pairs, values without < or raw &.
    static const std::regex kAttrs(R"(^(\s+[A-Za-z_:][-A-Za-z0-9_:.]*="[^"<]*")*\s*$)");
    std::string attrs = tag.substr(name.size());
    if (!std::regex_match(attrs, kAttrs)) {
      return ::testing::AssertionFailure() << "bad attributes in <" << name << ">: " << attrs;
    }
    for (size_t a = attrs.find('&'); a != std::string::npos; a = attrs.find('&', a + 1)) {
      std::string rest = attrs.substr(a);
      if (rest.rfind("&amp;", 0) && rest.rfind("&lt;", 0) && rest.rfind("&gt;", 0) &&
          rest.rfind("&quot;", 0) && rest.rfind("&apos;", 0)) {
        return ::testing::AssertionFailure() << "bad & in an attribute of <" << name << ">";
      }
    }
    if (stack.empty()) {
      if (root_seen) return ::testing::AssertionFailure() << "second root element <" << name << ">";
      root_seen = true;
    }
    if (!self_closing) stack.push_back(name);
  }
  if (!stack.empty()) return ::testing::AssertionFailure() << "<" << stack.back() << "> not closed";
  if (!root_seen) return ::testing::AssertionFailure() << "no root element";
  return ::testing::AssertionSuccess();
}

class TestCommandTest : public test_support::ScratchDirTest {
 protected:
  // A copy of the bundled rulesets that a test may break.
  fs::path CopyBundled() {
    fs::path copy = dir_ / "rulesets";
    fs::copy(Bundled(), copy, fs::copy_options::recursive);
    return copy;
  }
  static fs::path Bundled() { return fs::path(WARD_SOURCE_DIR) / "rulesets"; }
};

TEST_F(TestCommandTest, BundledRulesetsPassEveryTest) {
  CliRun r = Ward({"test", Bundled().string()});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(ward test: (\d+) passed, 0 failed)")))
      << r.out;
  EXPECT_GE(std::stoi(m[1]), 30);  // Sigma and YARA tests of every bundled detection
  EXPECT_THAT(r.out, Not(HasSubstr("FAIL")));
}

TEST_F(TestCommandTest, BrokenSigmaExpectationFailsAndSaysWhy) {
  fs::path rules = CopyBundled();
  fs::path agents = rules / "cosai" / "agents.ward";
  std::string text = ReadFile(agents);
  ASSERT_TRUE(FlipExpectation(text, "test \"chat span\"", "no_match", "match"));
  WriteText(agents, text);
  const size_t line = LineOf(text, "test \"chat span\"");

  CliRun r = Ward({"test", rules.string()});
  EXPECT_EQ(r.code, 1);
  // The rule, the test and where it is written.
  // The file is shown as the CLI shows paths (relative to the working
  // directory when that is shorter), so only its tail is fixed.
  EXPECT_THAT(r.out, HasSubstr("FAIL cosai.agents.agent_tool_call: test \"chat span\" ("));
  EXPECT_THAT(r.out, HasSubstr("rulesets/cosai/agents.ward:" + std::to_string(line) + ":3)\n"));
  EXPECT_THAT(r.out, HasSubstr("expected match, got no match"));
  // The event, and the predicate that did not match with the event's value.
  EXPECT_THAT(r.out, HasSubstr("\"gen_ai.operation.name\":\"chat\""));
  EXPECT_THAT(r.out, HasSubstr("- gen_ai.operation.name: 'execute_tool'  <- \"chat\""));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("ward test: [0-9]+ passed, 1 failed\n"));
}

TEST_F(TestCommandTest, UnexpectedMatchShowsTheMatchingSelection) {
  fs::path rules = CopyBundled();
  fs::path runtime = rules / "cosai" / "runtime.ward";
  std::string text = ReadFile(runtime);
  ASSERT_TRUE(FlipExpectation(text, "test \"legacy prompt attribute\"", "match", "no_match"));
  WriteText(runtime, text);
  CliRun r = Ward({"test", rules.string(), "--filter", "prompt_injection_phrase"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("test \"legacy prompt attribute\""));
  EXPECT_THAT(r.out, HasSubstr("expected no match, got match"));
  EXPECT_THAT(r.out, HasSubstr("selection injection_phrase_legacy: true"));
  EXPECT_THAT(r.out, HasSubstr("filter cosai.runtime.exclude_eval_harness: true"));
  EXPECT_THAT(r.out, HasSubstr("ward test: 4 passed, 1 failed"));
}

TEST_F(TestCommandTest, BrokenCorrelationShowsTheGroups) {
  fs::path rules = CopyBundled();
  fs::path runtime = rules / "cosai" / "runtime.ward";
  std::string text = ReadFile(runtime);
  ASSERT_TRUE(FlipExpectation(text, "test \"one user under budget\"", "no_match", "match"));
  WriteText(runtime, text);
  CliRun r = Ward({"test", rules.string(), "--filter", "*token_budget_burn:one user*"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("matches llm_token_usage"));
  EXPECT_THAT(r.out, HasSubstr("user.id=\"u-77\": 2 events in the 1h window, "
                               "sum(gen_ai.usage.input_tokens) = 1300000 (needs >= 2000000)"));
  EXPECT_THAT(r.out, HasSubstr("ward test: 0 passed, 1 failed"));
}

TEST_F(TestCommandTest, BrokenYaraExpectationFails) {
  fs::path rules = CopyBundled();
  fs::path supply = rules / "cosai" / "supply_chain.ward";
  std::string text = ReadFile(supply);
  ASSERT_TRUE(
      FlipExpectation(text, "test \"benign OrderedDict, protocol 2\"", "no_match", "match"));
  WriteText(supply, text);
  CliRun r = Ward({"test", rules.string(), "--filter", "pickle_code_exec"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("FAIL cosai.supply_chain.pickle_code_exec: test \"benign "
                               "OrderedDict, protocol 2\""));
  EXPECT_THAT(r.out, HasSubstr("expected match, got no match"));
  EXPECT_THAT(r.out, HasSubstr("data: \"\\x80\\x02"));
  EXPECT_THAT(r.out, HasSubstr("YARA rule cosai_supply_chain__pickle_code_exec: does not match"));
}

TEST_F(TestCommandTest, JunitXmlIsWellFormed) {
  fs::path rules = CopyBundled();
  fs::path agents = rules / "cosai" / "agents.ward";
  std::string text = ReadFile(agents);
  ASSERT_TRUE(FlipExpectation(text, "test \"chat span\"", "no_match", "match"));
  WriteText(agents, text);
  fs::path junit = dir_ / "report" / "junit.xml";
  fs::create_directories(junit.parent_path());
  CliRun r = Ward({"test", rules.string(), "--junit", junit.string()});
  EXPECT_EQ(r.code, 1);
  std::string xml = ReadFile(junit);
  EXPECT_TRUE(WellFormedXml(xml)) << xml;
  EXPECT_THAT(xml,
              ::testing::ContainsRegex(
                  "<testsuites name=\"ward test\" tests=\"[0-9]+\" failures=\"1\" errors=\"0\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"cosai.agents\""));
  EXPECT_THAT(xml,
              HasSubstr("<testcase classname=\"cosai.agents.agent_tool_call\" name=\"chat span\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"expected match, got no match\""));
  // Quotes inside the event JSON are escaped.
  EXPECT_THAT(xml, HasSubstr("&quot;gen_ai.operation.name&quot;:&quot;chat&quot;"));

  // Passing run: no failure elements.
  CliRun ok = Ward({"test", Bundled().string(), "--junit", junit.string()});
  EXPECT_EQ(ok.code, 0);
  std::string clean = ReadFile(junit);
  EXPECT_TRUE(WellFormedXml(clean));
  EXPECT_THAT(clean, Not(HasSubstr("<failure")));
}

TEST_F(TestCommandTest, JsonFormat) {
  CliRun r = Ward({"test", Bundled().string(), "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["summary"]["failed"], 0);
  EXPECT_EQ(doc["summary"]["passed"], doc["tests"].size());
  bool yara = false, sigma = false;
  for (const auto& t : doc["tests"]) {
    EXPECT_EQ(t["status"], "pass");
    EXPECT_GT(t["line"].get<int>(), 0);
    yara |= t["kind"] == "yara";
    sigma |= t["kind"] == "sigma";
  }
  EXPECT_TRUE(yara && sigma);
}

TEST_F(TestCommandTest, ExpandPlaceholdersComeFromTheCommandLine) {
  WriteText(dir_ / "rules" / "a.ward", R"(package demo
detection sigma admin_login "Administrator logs in" {
  logsource { product: example }
  when: User == expand "%Administrators%"
  test "an administrator" { event: { User: "root" } expect: match }
  test "a user" { event: { User: "bob" } expect: no_match }
}
)");
  std::string rules = (dir_ / "rules").string();
  CliRun missing = Ward({"test", rules});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.out, HasSubstr("ERROR demo.admin_login: test \"an administrator\""));
  EXPECT_THAT(missing.out, HasSubstr("placeholder `%Administrators%` has no value"));
  EXPECT_THAT(missing.out, HasSubstr("0 passed, 0 failed, 2 could not run"));
  CliRun given = Ward({"test", rules, "--placeholder", "Administrators=admin,root"});
  EXPECT_EQ(given.code, 0) << given.out;
  EXPECT_THAT(given.out, HasSubstr("2 passed, 0 failed"));
}

TEST_F(TestCommandTest, ExitCodes) {
  // A ruleset with errors: 1, with the diagnostics, and no test runs.
  WriteText(dir_ / "bad" / "a.ward", "package demo\nthreat t \"T\" { severity: hgh }\n");
  CliRun bad = Ward({"test", (dir_ / "bad").string(), "--color", "never"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_THAT(bad.err, HasSubstr("error[E0301]"));
  EXPECT_THAT(bad.err, HasSubstr("no test ran"));
  // Usage errors: 2.
  EXPECT_EQ(Ward({"test"}).code, 2);
  EXPECT_EQ(Ward({"test", (dir_ / "missing").string()}).code, 2);
  EXPECT_EQ(Ward({"test", Bundled().string(), "--format", "yaml"}).code, 2);
  EXPECT_EQ(Ward({"test", Bundled().string(), "--placeholder", "novalue"}).code, 2);
  EXPECT_EQ(
      Ward({"test", Bundled().string(), "--junit", (dir_ / "no" / "such" / "dir.xml").string()})
          .code,
      2);
  // A filter that selects nothing is an error, not a silent pass.
  CliRun none = Ward({"test", Bundled().string(), "--filter", "no_such_rule"});
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("no test matches `--filter no_such_rule`"));
  // All pass: 0.
  EXPECT_EQ(Ward({"test", Bundled().string(), "--filter", "cosai.agents.*"}).code, 0);
}

}  // namespace
}  // namespace ward::driver
