// End to end through the `ward` command line: a rule that passes Ward's own
// checks but that libyara 4.2.3 rejects (or warns about) is reported by
// `ward check` and `ward build` at the Ward file, line and column the
// offending YARA line came from, with libyara's own message as a note, and
// `ward build` then writes nothing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tests/yara/yara_files_testlib.h"
#include "tests/yara/yara_testlib.h"

namespace ward::yara_test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Line 12 holds the string libyara refuses: Ward accepts a bounded jump in an
// alternative, but libyara allows at most 200 bytes there.
constexpr const char* kRejected = R"(package acme.bad

detection yara fine "Compiles" {
  level: low
  condition: filesize < 10MB
}

detection yara long_jump "A jump libyara refuses" {
  level: low
  strings {
    $magic = "PK\x03\x04"
    $s = { 01 02 03 04 ( 05 | 06 [0-300] 07 ) }
  }
  condition: $magic at 0 and $s
}
)";

// Line 7 is a condition operand libyara only warns about: the deprecated
// `entrypoint` keyword (a long condition is printed one operand per line).
constexpr const char* kWarned = R"(package acme.warned

detection yara deprecated "Uses a construct libyara warns about" {
  level: low
  condition: filesize > 100 and uint16(0) == 0x5A4D
             and uint32(uint32(0x3C)) == 0x00004550
             and entrypoint > 0
}
)";

struct Ruleset {
  TempDir dir;
  std::string file;
  explicit Ruleset(const std::string& text) {
    dir.Write("ward.yaml", "name: t\nversion: 0.0.1\nauthor: \"Test\"\n");
    file = dir.Write("rules/rules.ward", text);
  }
};

const nlohmann::json* FindCode(const nlohmann::json& diags, const std::string& code) {
  for (const auto& d : diags) {
    if (d.value("code", "") == code) return &d;
  }
  return nullptr;
}

std::string NotesOf(const nlohmann::json& diag) {
  std::string out;
  for (const auto& note : diag.value("notes", nlohmann::json::array())) {
    out += note.is_string() ? note.get<std::string>() : note.dump();
    out += "\n";
  }
  return out;
}

TEST(WardCheckLibyara, ErrorIsReportedAtTheWardStringWithLibyarasMessage) {
  Ruleset rules(kRejected);
  const WardResult json = RunWard({"check", rules.dir.path(), "--format", "json"});
  EXPECT_EQ(json.code, 1) << json.err;
  const nlohmann::json diags = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(diags.is_array()) << json.out;
  const nlohmann::json* error = FindCode(diags, "E0612");
  ASSERT_NE(error, nullptr) << json.out;
  EXPECT_EQ(fs::path(error->value("file", "")).filename(), "rules.ward");
  EXPECT_EQ(error->value("line", 0), 12);
  EXPECT_EQ(error->value("column", 0), 5);
  EXPECT_THAT(error->value("message", ""), HasSubstr("acme_bad__long_jump"));
  EXPECT_THAT(NotesOf(*error),
              HasSubstr("libyara: invalid hex string \"$s\": jumps over 200 not allowed inside "
                        "alternation (|)"));
  // The generated line, so the user sees what libyara was given.
  EXPECT_THAT(NotesOf(*error), HasSubstr("$s = { 01 02 03 04 ( 05 | 06 [0-300] 07 ) }"));

  const WardResult text = RunWard({"check", rules.dir.path(), "--color", "never"});
  EXPECT_EQ(text.code, 1);
  EXPECT_THAT(text.err, HasSubstr("error[E0612]: libyara rejected the generated rule "
                                  "`acme_bad__long_jump`"));
  EXPECT_THAT(text.err, HasSubstr("rules.ward:12:5"));
  EXPECT_THAT(text.err, HasSubstr("= note: libyara: invalid hex string"));
}

// libyara stops at the first error of a file; Ward reports every refused
// rule of the file in one run, but not the rules that only fail because
// they use a refused one.
TEST(WardCheckLibyara, EveryRefusedRuleIsReportedButNotTheirUsers) {
  Ruleset rules(R"(package acme.many

detection yara a_bad_field "Misspelled module field" {
  level: low
  condition: pe.number_of_sectons > 2
}

detection yara b_user "Uses the refused rule" {
  level: low
  condition: a_bad_field and filesize < 1MB
}

detection yara c_bad_call "Wrong arguments" {
  level: low
  condition: math.entropy(0) > 7.0
}

detection yara d_fine "Compiles" {
  level: low
  condition: filesize < 10MB
}
)");
  const WardResult json = RunWard({"check", rules.dir.path(), "--format", "json"});
  EXPECT_EQ(json.code, 1);
  const nlohmann::json diags = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(diags.is_array()) << json.out;
  std::vector<std::pair<int, std::string>> errors;
  for (const auto& d : diags) {
    if (d.value("code", "") == "E0612") errors.emplace_back(d.value("line", 0), NotesOf(d));
  }
  ASSERT_EQ(errors.size(), 2u) << json.out;
  EXPECT_EQ(errors[0].first, 5);
  EXPECT_THAT(errors[0].second, HasSubstr("invalid field name \"number_of_sectons\""));
  EXPECT_EQ(errors[1].first, 15);
  EXPECT_THAT(errors[1].second, HasSubstr("wrong arguments for function \"entropy\""));
}

// A slow string gets Ward's own warning (W0608, with advice) once, not a
// second copy from libyara (W0613) saying the same.
TEST(WardCheckLibyara, SlowStringIsReportedOnce) {
  Ruleset rules(R"(package acme.slow

detection yara slow "One-byte string" {
  level: low
  strings {
    $one = "a"
    $fine = "posix"
  }
  condition: $one and $fine
}
)");
  const WardResult json = RunWard({"check", rules.dir.path(), "--format", "json"});
  EXPECT_EQ(json.code, 0);
  const nlohmann::json diags = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(diags.is_array()) << json.out;
  size_t ward = 0, libyara = 0;
  for (const auto& d : diags) {
    if (d.value("code", "") == "W0608") ++ward;
    if (d.value("code", "") == "W0613") ++libyara;
  }
  EXPECT_EQ(ward, 1u) << json.out;
  EXPECT_EQ(libyara, 0u) << json.out;
}

TEST(WardCheckLibyara, BuildWritesNothingWhenLibyaraRejectsARule) {
  Ruleset rules(kRejected);
  const std::string out = rules.dir.path() + "/out";
  const WardResult build =
      RunWard({"build", rules.dir.path(), "-o", out, "--emit", "yara", "--color", "never"});
  EXPECT_EQ(build.code, 1);
  EXPECT_THAT(build.err, HasSubstr("rules.ward:12:5"));
  EXPECT_FALSE(fs::exists(out)) << "a failed build must not create its output directory";
}

TEST(WardCheckLibyara, WarningIsReportedAtTheConditionOperand) {
  Ruleset rules(kWarned);
  const WardResult json = RunWard({"check", rules.dir.path(), "--format", "json"});
  EXPECT_EQ(json.code, 0) << json.out;
  const nlohmann::json diags = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(diags.is_array()) << json.out;
  const nlohmann::json* warning = FindCode(diags, "W0613");
  ASSERT_NE(warning, nullptr) << json.out;
  EXPECT_EQ(fs::path(warning->value("file", "")).filename(), "rules.ward");
  EXPECT_EQ(warning->value("line", 0), 7);
  EXPECT_EQ(warning->value("column", 0), 18);
  EXPECT_THAT(NotesOf(*warning), HasSubstr("libyara: Using deprecated \"entrypoint\" keyword"));

  // A warning keeps the output, unless warnings are denied.
  const std::string out = rules.dir.path() + "/out";
  EXPECT_EQ(RunWard({"build", rules.dir.path(), "-o", out, "--emit", "yara", "--quiet"}).code, 0);
  EXPECT_TRUE(fs::exists(fs::path(out) / "yara" / "acme.warned.yar"));
  const std::string denied = rules.dir.path() + "/denied";
  EXPECT_NE(RunWard({"build", rules.dir.path(), "-o", denied, "--emit", "yara", "--quiet",
                     "--deny-warnings"})
                .code,
            0);
  EXPECT_FALSE(fs::exists(denied));
}

}  // namespace
}  // namespace ward::yara_test
