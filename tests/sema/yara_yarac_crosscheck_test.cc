// Replays Ward's YARA string checks against the real yarac: for each string
// below, Ward's verdict (error, "may slow down scanning", unbounded `.*`)
// must be yarac's, except for the few patterns Ward refuses on purpose
// because yarac reads them differently from what they look like. Skips when
// yarac is not installed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "tests/sema/yara_testlib.h"

namespace ward::sema::testing {
namespace {

namespace fs = std::filesystem;

bool HaveYarac() { return std::system("command -v yarac >/dev/null 2>&1") == 0; }

// yarac's output (stderr and stdout) for a one-string rule.
std::string Yarac(const std::string& declaration, const fs::path& dir) {
  fs::path rule = dir / "rule.yar";
  std::ofstream(rule) << "rule r { strings: $a = " << declaration << " condition: $a }\n";
  std::string command = "yarac " + rule.string() + " /dev/null 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  if (!pipe) return "popen failed";
  std::array<char, 512> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  return out;
}

struct Verdict {
  bool error = false;
  bool slow = false;
  bool unbounded = false;
};

Verdict FromYarac(const std::string& out) {
  return {out.find("error") != std::string::npos,
          out.find("may slow down scanning") != std::string::npos,
          out.find("consider using") != std::string::npos};
}

Verdict FromWard(const std::string& declaration) {
  YaraHarness h("\ndetection yara r \"R\" {\n  strings {\n    $a = " + declaration +
                "\n  }\n  condition: $a\n}");
  Verdict v;
  for (const Diagnostic& d : h.diags()) {
    if (d.severity == Severity::kError) v.error = true;
    if (d.code == DiagCode::kSlowString) {
      if (d.message.find("may slow down scanning") != std::string::npos) v.slow = true;
      if (d.message.find("unbounded") != std::string::npos) v.unbounded = true;
    }
  }
  return v;
}

struct Case {
  const char* declaration;  // written the same in Ward and YARA
  bool ward_stricter = false;  // Ward refuses what yarac accepts
};

class YaracCrossCheck : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (!HaveYarac()) GTEST_SKIP() << "yarac is not installed";
    dir_ = fs::path(::testing::TempDir()) / ("ward_yarac_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  // ctest runs each case in its own process, so a directory left behind per pid
  // would pile up in the temp folder by the thousand.
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
};

TEST_P(YaracCrossCheck, WardAgreesWithYarac) {
  const Case& c = GetParam();
  Verdict yara = FromYarac(Yarac(c.declaration, dir_));
  Verdict ward = FromWard(c.declaration);
  if (c.ward_stricter) {
    EXPECT_FALSE(yara.error) << c.declaration << " was expected to be accepted by yarac";
    EXPECT_TRUE(ward.error) << c.declaration;
    return;
  }
  EXPECT_EQ(ward.error, yara.error) << c.declaration;
  if (ward.error || yara.error) return;
  EXPECT_EQ(ward.slow, yara.slow) << c.declaration << " (may slow down scanning)";
  EXPECT_EQ(ward.unbounded, yara.unbounded) << c.declaration << " (unbounded .*)";
}

INSTANTIATE_TEST_SUITE_P(
    Strings, YaracCrossCheck,
    ::testing::Values(
        // text strings and modifiers
        Case{R"("a")"}, Case{R"("ab")"}, Case{R"("ab" nocase)"}, Case{R"("a" wide)"},
        Case{R"("ab" wide)"}, Case{R"("ab" xor)"}, Case{R"("abc" xor)"},
        Case{R"("abcd" xor(0x10-0x01))"}, Case{R"("abcd" xor(256))"}, Case{R"("abcd" xor(5-5))"},
        Case{R"("abcd" xor xor)"}, Case{R"("abcd" wide wide)"}, Case{R"("abcd" nocase xor)"},
        Case{R"("abcd" xor base64)"}, Case{R"("abcd" fullword base64)"},
        Case{R"("abcd" nocase base64wide)"}, Case{R"("abcd" xor fullword wide ascii)"},
        Case{R"("abcd" base64 base64wide)"}, Case{R"("abcd" base64("abc"))"},
        Case{R"("a" base64)"}, Case{R"("abc" base64)"}, Case{R"("")"},
        Case{R"("\x90\x90")"}, Case{R"("\x00\x00\x00\x01")"}, Case{R"("h\xc3\xa9llo")"},
        // hex strings
        Case{"{ 00 00 }"}, Case{"{ 00 01 }"}, Case{"{ 20 41 }"}, Case{"{ 01 02 }"},
        Case{"{ 4D 5A }"}, Case{"{ 4D }"}, Case{"{ 4D ?? 5A }"}, Case{"{ 4? 5A }"},
        Case{"{ 4D 5A ?? ?? 90 }"}, Case{"{ 80 04 95 }"}, Case{"{ ?? ?? }"},
        Case{"{ 90 90 }"}, Case{"{ 91 91 }"}, Case{"{ FF FF FF FF }"},
        Case{"{ 4D 5A [2] 90 91 }"}, Case{"{ 4D 5A [-] 90 91 }"}, Case{"{ 4D 5A [2-] 90 91 }"},
        Case{"{ 4D 5A [0] 90 91 }"}, Case{"{ 4D 5A [0-0] 90 91 }"}, Case{"{ 4D 5A [10-7] 90 }"},
        Case{"{ [2] 4D 5A 90 }"}, Case{"{ 4D 5A 90 [2] }"},
        Case{"{ 4D 5A ( 90 91 | 92 [2] 93 ) }"}, Case{"{ 4D 5A ( 90 91 | 92 [2-] 93 ) }"},
        Case{"{ 4D 5A ( [2] 93 | 94 ) 95 }"}, Case{"{ 4D 5A ( 93 | 94 [2] ) 95 }"},
        Case{"{ ( 4D 5A | 4E 5B ) 90 }"}, Case{"{ 4D 5A ( 90 ( 91 | 92 ) | 93 ) }"},
        Case{"{ 4D 5A ( ?? | 91 ) }"},
        // jumps that are unbounded or longer than 200 bytes chain pieces
        Case{"{ 8C 05 [8-] 52 }"}, Case{"{ 8C 05 [8-] 52 53 }"}, Case{"{ 8C 05 [-] 52 }"},
        Case{"{ 8C 05 [8-200] 52 }"}, Case{"{ 8C 05 [8-201] 52 }"},
        Case{"{ 52 [201-300] 8C 05 94 }"}, Case{"{ 8C 05 [4] 94 [2-6] 93 85 [8-] 52 }"}, Case{"{ 4D 5A ~00 90 }"}, Case{"{ 4D 5A } private"},
        Case{"{ 4D 5A } nocase"},
        // regular expressions
        Case{"/xyz/"}, Case{"/a.b/"}, Case{"/ab+cd/"}, Case{"/(abc|d)/"}, Case{"/xyz|/"},
        Case{"/a||b/"}, Case{"/[Ss]ystem/"}, Case{"/[0-9]{3}-[0-9]{4}/"}, Case{"/a{3}/"},
        Case{"/(ab){2}/"}, Case{"/abc.*/"}, Case{"/.*abc/"}, Case{"/abc.{2,}/"},
        Case{"/abc.+?/"}, Case{"/abc(.*)/"}, Case{"/abc(.)*/"}, Case{"/abc[^a]*/"},
        Case{"/abc.{,5}/"}, Case{"/x.{,}y/"}, Case{"/(?:xyz)/"}, Case{"/(?i)xyz/"},
        Case{"/(xyz)\\1/"}, Case{"/\\0xyz/"}, Case{"/xyz{2,1}/"}, Case{"/xyz{0}/"},
        Case{"/xyz{32768}/"}, Case{"/xyz{32767}/"}, Case{"/xyz**/"}, Case{"/a{3}{4}xyz/"},
        Case{"/|xyz/"}, Case{"/()xyz/"}, Case{"/(xyz/"}, Case{"/xyz)/"}, Case{"/[]xyz/"},
        Case{"/[]a]xyz/"}, Case{"/[z-a]xyz/"}, Case{"/\\x4xyz/"}, Case{"/xyz^*/"},
        Case{"/\\bxyz\\b/"}, Case{"/xyz{2,3}?/"}, Case{"/c(os|posix|nt)\\n(system|popen)/is"},
        Case{"/abc/ii"}, Case{"/abc/ xor"}, Case{"/abc/ nocase wide ascii fullword private"},
        Case{"/xyz{/", true}, Case{"/xyz{a}/", true}, Case{"/x\\gyz/", true},
        Case{"/a\\vb/", true}, Case{"/[[:alpha:]]xyz/", true}, Case{"/[a-\\d]xyz/", true},
        Case{"/[\\d-z]xyz/", true}));

}  // namespace
}  // namespace ward::sema::testing
