// `ward import yara`: hand-written rule files with the constructs public
// rules rarely use, refusals with their diagnostics, and the measured round
// trip over the reference rules in ../shared/reference/yara/.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/driver/cli.h"
#include "compiler/driver/import_run.h"
#include "tests/importer/importer_testlib.h"
#include "tests/importer/yara_fidelity.h"

namespace ward::importer_test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ImportYaraTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ward_import_yara_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  std::string Codes(const DiagnosticEngine& diags) {
    std::string out;
    for (const Diagnostic& d : diags.Sorted())
      out += std::string(Info(d.code).id) + " " + d.message + "\n";
    return out;
  }
  fs::path dir_;
};

constexpr const char* kCommon = R"(
private rule is_mz { condition: uint16(0) == 0x5A4D }
)";

constexpr const char* kRich = R"(import "pe"
import "math"
include "common.yar"

global rule not_empty : gate { condition: filesize > 0 }

rule anonymous_strings { strings: $ = "anon1" $ = "anon2" condition: any of them }

rule Rich_Features : tag_one tag_two
{
  meta:
    description = "Every string kind and modifier"
    author = "Ward tests"
    date = "2024-05-06"
    reference = "https://example.com/rich"
    id = "0B6F6A5E-3F0E-4C55-9A51-2A9C4B1D7E10"
    severity = "high"
    hash = "0123abcd"
    score = 80
    is_beta = true
  strings:
    $a = "evil" xor(0x01-0xff) wide ascii
    $b = "powershell" base64 base64wide
    $c = "cmd.exe" nocase fullword
    $d = "hidden" private
    $e = "payload" base64("ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba9876543210+/")
    $f = "\x80\x02q\"\\\t"
    $h = { 80 ( 02 | 03 [2-4] 04 ) 4? ?A ?? [3] [5-] 90 } // comment
    $r = /c(os|posix|nt)\nsystem\n/is
    $s1 = "one"
    $s2 = "two"
  condition:
    (is_mz or not is_mz) and #a in (0..4096) >= 0
    and for all i in (1..#s1) : ( @s1[i] < 1MB and !s1[i] == 3 )
    and (for any of ($s*) : ( $ at 0 or # > 0 ) or $f or $h or $r or 1 of ($a, $b, $c, $d, $e))
    and (filesize \ 2) % 3 >= 0 and -(1 + 2) * 3 < ~4 << 1 >> 1 | 2 ^ 5
    and not defined pe.dll_name and math.entropy(0, filesize) >= 0.0
    and for any j in (1, 2, 3) : ( uint8(j) & 0xF0 != 0x100 )
    and none of ($d) in (0..1) and 50% of ($s1, $s2) and any of (not_empty, anonymous_strings) and is_mz
}

)";

TEST_F(ImportYaraTest, RichFileRoundTripsWithTheSameVerdicts) {
  Write("rules/common.yar", kCommon);
  Write("rules/rich.yar", kRich);
  YaraFidelity f = MeasureYaraFidelity({(dir_ / "rules").string()});
  EXPECT_EQ(f.errors, "");
  EXPECT_EQ(f.rules, 4u);
  EXPECT_EQ(f.imported, 4u) << ::testing::PrintToString(f.refusals);
  EXPECT_EQ(f.refused, 0u);
  EXPECT_EQ(f.compared, 3u);  // is_mz is private
  EXPECT_EQ(f.same_verdict, f.compared) << ::testing::PrintToString(f.differences);
  EXPECT_GT(f.matches, 0u);
}

TEST_F(ImportYaraTest, WritesReadableWardWithMetaPinnedIdAndComments) {
  Write("rules/common.yar", kCommon);
  Write("rules/rich.yar", kRich);
  SourceManager sources;
  DiagnosticEngine diags;
  driver::ImportResult r = driver::ImportYara({(dir_ / "rules").string()}, sources, diags);
  ASSERT_EQ(r.out.files().count("rules/rich.ward"), 1u) << Codes(diags);
  const std::string& text = r.out.files().at("rules/rich.ward");
  EXPECT_THAT(text, HasSubstr("package rules.rich"));
  EXPECT_THAT(text, HasSubstr("import rules.common"));
  EXPECT_THAT(text, HasSubstr("// meta: hash = \"0123abcd\""));
  EXPECT_THAT(text, HasSubstr("// meta: score = 80"));
  EXPECT_THAT(text, HasSubstr("detection yara Rich_Features \"Rich_Features\" {"));
  EXPECT_THAT(text, HasSubstr("id: \"0b6f6a5e-3f0e-4c55-9a51-2a9c4b1d7e10\""));
  EXPECT_THAT(text, HasSubstr("level: high"));
  EXPECT_THAT(text, HasSubstr("tags: [\"tag_one\", \"tag_two\"]"));
  EXPECT_THAT(text, HasSubstr("global: true"));
  EXPECT_THAT(text, HasSubstr("rules.common.is_mz"));
  EXPECT_THAT(Codes(diags),
              HasSubstr("W1043 rule `Rich_Features`: meta `hash`, `score`, `is_beta`"));
  EXPECT_EQ(r.stats.warned, 1u);
  // Deterministic: a second import writes the same bytes.
  SourceManager sources2;
  DiagnosticEngine diags2;
  driver::ImportResult again = driver::ImportYara({(dir_ / "rules").string()}, sources2, diags2);
  EXPECT_EQ(again.out.files(), r.out.files());
}

TEST_F(ImportYaraTest, RefusesWhatLibyaraRejectsAndGoesOn) {
  Write("rules/bad.yar", "rule broken { strings: $a = \"x\" condition: $b }\n");
  Write("rules/external.yar", "rule uses_external { condition: filename == \"a\" }\n");
  Write("rules/good.yar", "rule fine { strings: $a = \"abc\" condition: $a }\n");
  SourceManager sources;
  DiagnosticEngine diags;
  driver::ImportResult r = driver::ImportYara({(dir_ / "rules").string()}, sources, diags);
  std::string codes = Codes(diags);
  EXPECT_THAT(codes, HasSubstr("E1040 libyara rejects"));
  EXPECT_THAT(codes, HasSubstr("bad.yar"));
  EXPECT_THAT(codes, HasSubstr("external.yar"));
  EXPECT_EQ(r.stats.imported, 1u);
  EXPECT_EQ(r.stats.refused, 2u);
  EXPECT_EQ(r.stats.rules, 3u);
  EXPECT_EQ(r.out.files().count("rules/good.ward"), 1u);
  EXPECT_EQ(r.out.files().count("rules/bad.ward"), 0u);
}

TEST_F(ImportYaraTest, RefusesAComputedQuantifierWithItsPosition) {
  Write(
      "rules/q.yar",
      "rule computed { strings: $a = \"abc\" $b = \"def\" condition: for (#a) of ($a, $b) : ($) }\n"
      "rule plain { strings: $a = \"abc\" condition: $a }\n");
  SourceManager sources;
  DiagnosticEngine diags;
  driver::ImportResult r = driver::ImportYara({(dir_ / "rules").string()}, sources, diags);
  EXPECT_THAT(Codes(diags), HasSubstr("E1042 rule `computed` is not imported"));
  EXPECT_EQ(r.stats.imported, 1u);
  EXPECT_EQ(r.stats.refused, 1u);
}

TEST_F(ImportYaraTest, CommandLineWritesTheFilesAndASummary) {
  Write("rules/good.yar", "rule fine { strings: $a = \"abc\" condition: $a }\n");
  std::ostringstream out, err;
  driver::CliStreams streams{out, err};
  std::string output = (dir_ / "out").string();
  int rc =
      driver::RunCli({"ward", "import", "yara", (dir_ / "rules").string(), "-o", output}, streams);
  EXPECT_EQ(rc, 0) << err.str();
  EXPECT_THAT(err.str(), HasSubstr("1 rules in 1 files: 1 imported (0 with warnings), 0 refused"));
  EXPECT_TRUE(fs::exists(dir_ / "out" / "rules" / "good.ward"));
  // The output builds.
  std::ostringstream out2, err2;
  driver::CliStreams streams2{out2, err2};
  EXPECT_EQ(
      driver::RunCli({"ward", "build", output, "-o", (dir_ / "built").string(), "--emit", "yara"},
                     streams2),
      0)
      << err2.str();
  rc = driver::RunCli({"ward", "import", "yara", (dir_ / "missing").string(), "-o", output},
                      streams);
  EXPECT_EQ(rc, 1);
  EXPECT_THAT(err.str(), HasSubstr("E1047"));
}

TEST(ImportYaraReferenceTest, ReferenceRulesRoundTripWithTheSameVerdicts) {
  std::string shared = SharedDir();
  if (shared.empty())
    GTEST_SKIP() << "../shared/reference is absent; the reference rules are not measured";
  YaraFidelity f = MeasureYaraFidelity({shared + "/reference/yara"});
  std::cout << fmt::format(
      "[ yara fidelity ] {} files, {} rules: {} imported ({} with warnings), {} refused; "
      "{} compared on {} samples: {} same verdict\n",
      f.files, f.rules, f.imported, f.warned, f.refused, f.compared, f.samples, f.same_verdict);
  for (const std::string& r : f.refusals) std::cout << "  refused: " << r << "\n";
  EXPECT_EQ(f.errors, "");
  EXPECT_EQ(f.imported + f.refused, f.rules);  // nothing dropped silently
  EXPECT_GT(f.imported, f.rules * 8 / 10);
  EXPECT_EQ(f.same_verdict, f.compared) << ::testing::PrintToString(f.differences);
}

}  // namespace
}  // namespace ward::importer_test
