// The `strings { }` block of YARA detections: identifiers, modifiers, hex
// patterns, regular expressions and the slow-string warnings, each at the
// line and column of the culprit.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "tests/sema/yara_testlib.h"

namespace ward::sema::testing {
namespace {

// One detection whose strings are all used by `any of them`.
std::string Rule(std::string_view strings) {
  return fmt::format("\ndetection yara r \"R\" {{\n  strings {{\n{}\n  }}\n  condition: any of them\n}}",
                     strings);
}

TEST(YaraStrings, LowersTextHexAndRegexStrings) {
  YaraHarness h(Rule(R"(    $t = "cos\nsystem" ascii wide nocase fullword private
    $h = { 8C ?? 4? ( 6F 73 | 70 6F 73 69 78 ) [2-4] 93 }
    $r = /c(os|posix|nt)\n(system|popen)/is
    $x = "evil" xor(0x01-0xff)
    $k = "evil" xor(7)
    $b = "powershell" base64 base64wide("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))"));
  ASSERT_TRUE(h.Clean());
  const ir::YaraLogic* logic = h.logic("r");
  ASSERT_NE(logic, nullptr);
  ASSERT_EQ(logic->strings.size(), 6u);

  const ir::YaraString& t = logic->strings[0];
  EXPECT_EQ(t.id, "$t");
  EXPECT_EQ(t.kind, ir::YaraString::Kind::kText);
  EXPECT_EQ(t.text, "cos\nsystem");
  EXPECT_TRUE(t.modifiers.ascii && t.modifiers.wide && t.modifiers.nocase &&
              t.modifiers.fullword && t.modifiers.is_private);
  EXPECT_TRUE(t.used);

  const ir::YaraString& hex = logic->strings[1];
  ASSERT_EQ(hex.kind, ir::YaraString::Kind::kHex);
  ASSERT_EQ(hex.hex.size(), 6u);
  EXPECT_EQ(hex.hex[0].value, 0x8C);
  EXPECT_EQ(hex.hex[0].mask, 0xFF);
  EXPECT_EQ(hex.hex[1].mask, 0x00);
  EXPECT_EQ(hex.hex[2].value, 0x40);
  EXPECT_EQ(hex.hex[2].mask, 0xF0);
  ASSERT_EQ(hex.hex[3].kind, ir::HexItem::Kind::kAlternation);
  ASSERT_EQ(hex.hex[3].alternatives.size(), 2u);
  EXPECT_EQ(hex.hex[3].alternatives[1].size(), 5u);
  ASSERT_EQ(hex.hex[4].kind, ir::HexItem::Kind::kJump);
  EXPECT_EQ(hex.hex[4].jump_low, 2u);
  EXPECT_EQ(hex.hex[4].jump_high, 4u);

  const ir::YaraString& re = logic->strings[2];
  EXPECT_EQ(re.kind, ir::YaraString::Kind::kRegex);
  EXPECT_EQ(re.text, "c(os|posix|nt)\\n(system|popen)");
  EXPECT_TRUE(re.regex_nocase);
  EXPECT_TRUE(re.regex_dotall);

  EXPECT_TRUE(logic->strings[3].modifiers.xor_);
  EXPECT_EQ(logic->strings[3].modifiers.xor_range, std::make_pair(1, 255));
  EXPECT_EQ(logic->strings[4].modifiers.xor_range, std::make_pair(7, 7));
  EXPECT_TRUE(logic->strings[5].modifiers.base64);
  EXPECT_TRUE(logic->strings[5].modifiers.base64wide);
  EXPECT_EQ(logic->strings[5].modifiers.base64_alphabet->size(), 64u);
}

TEST(YaraStrings, DuplicateIdentifier) {
  YaraHarness h(Rule(R"(    $a = "alpha"
    $a = "beta")"));
  EXPECT_TRUE(h.Has("E0602", "duplicate string identifier `$a`", "5:5"));
  const Diagnostic* d = h.Find("E0602");
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->secondary.size(), 1u);
  EXPECT_EQ(h.Where(d->secondary[0].span), "4:5");
  EXPECT_EQ(d->secondary[0].message, "first defined here");
}

TEST(YaraStrings, AnonymousStringsMayRepeat) {
  YaraHarness h(Rule(R"(    $ = "alpha"
    $ = "beta")"));
  EXPECT_TRUE(h.Clean());
}

TEST(YaraStrings, WildcardInADefinition) {
  YaraHarness h(Rule(R"(    $a* = "alpha")"));
  EXPECT_TRUE(h.Has("E0100", "string identifier `$a*` cannot end with `*`", "4:5"));
}

TEST(YaraStrings, EmptyString) {
  YaraHarness h(Rule(R"(    $a = "")"));
  EXPECT_TRUE(h.Has("E0609", "string `$a` is empty", "4:10"));
}

TEST(YaraStrings, TooLongForTheLexerBuffer) {
  YaraHarness h(Rule("    $a = \"" + std::string(8191, 'a') + "\""));
  EXPECT_TRUE(h.Has("E0615", "string `$a` is 8191 bytes long; YARA 4.2 accepts at most 8190",
                    "4:10"));
  YaraHarness ok(Rule("    $a = \"" + std::string(8190, 'a') + "\""));
  EXPECT_TRUE(ok.Lacks("E0615"));
}

// ---- modifiers ------------------------------------------------------------------
TEST(YaraModifiers, Duplicated) {
  YaraHarness h(Rule(R"(    $a = "alpha" wide wide
    $b = "bravo" xor xor(2))"));
  EXPECT_TRUE(h.Has("E0605", "duplicated modifier `wide`", "4:23"));
  EXPECT_TRUE(h.Has("E0605", "duplicated modifier `xor`", "5:22"));
}

TEST(YaraModifiers, InvalidCombinations) {
  YaraHarness h(Rule(R"(    $a = "alpha" nocase xor
    $b = "bravo" base64 nocase
    $c = "charlie" base64wide nocase
    $d = "delta" fullword base64
    $e = "echo" xor base64wide
    $f = "foxtrot" xor fullword wide ascii)"));
  EXPECT_TRUE(h.Has("E0605", "`xor` cannot be combined with `nocase`", "4:25"));
  EXPECT_TRUE(h.Has("E0605", "`nocase` cannot be combined with `base64`", "5:25"));
  EXPECT_TRUE(h.Has("E0605", "`nocase` cannot be combined with `base64wide`", "6:31"));
  EXPECT_TRUE(h.Has("E0605", "`base64` cannot be combined with `fullword`", "7:27"));
  EXPECT_TRUE(h.Has("E0605", "`base64wide` cannot be combined with `xor`", "8:21"));
  // Verified accepted by yarac 4.2.3.
  EXPECT_FALSE(h.Has("E0605", "", "9:5"));
  const Diagnostic* d = h.Find("E0605");
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->secondary.size(), 1u);
  EXPECT_EQ(h.Where(d->secondary[0].span), "4:18");
}

TEST(YaraModifiers, NotApplicableToTheStringKind) {
  YaraHarness h(Rule(R"(    $h = { 4D 5A 90 } nocase
    $i = { 4D 5A 90 } private
    $r = /alpha/ xor
    $s = /bravo/ base64
    $t = /charlie/ nocase wide ascii fullword private)"));
  EXPECT_TRUE(h.Has("E0605", "`nocase` cannot be used on a hex string", "4:23"));
  EXPECT_TRUE(h.Has("E0605", "`xor` cannot be used on a regular expression", "6:18"));
  EXPECT_TRUE(h.Has("E0605", "`base64` cannot be used on a regular expression", "7:18"));
  EXPECT_EQ(h.diags().size(), 3u) << h.DiagList();
}

TEST(YaraModifiers, Base64Alphabets) {
  YaraHarness h(Rule(R"(    $a = "alpha" base64("abc")
    $b = "bravo" base64("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") base64wide("!BCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    $c = "charlie" base64("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") base64wide)"));
  EXPECT_TRUE(h.Has("E0605", "base64 alphabet has 3 bytes; it must have exactly 64", "4:25"));
  EXPECT_TRUE(h.Has("E0605", "`base64` and `base64wide` must use the same alphabet", "5:104"));
  EXPECT_FALSE(h.Has("E0605", "", "6:5"));
}

TEST(YaraModifiers, XorRanges) {
  YaraHarness h(Rule(R"(    $a = "alpha" xor(256)
    $b = "bravo" xor(0-256)
    $c = "charlie" xor(0x10-0x01)
    $d = "delta" xor(5-5))"));
  EXPECT_TRUE(h.Has("E0615", "xor key 256 is out of range", "4:18"));
  EXPECT_TRUE(h.Has("E0615", "xor key 256 is out of range", "5:18"));
  EXPECT_TRUE(h.Has("E0615", "xor range 16-1 has its lower bound above its upper bound", "6:20"));
  EXPECT_EQ(h.diags().size(), 3u) << h.DiagList();
  EXPECT_EQ(h.logic("r")->strings[3].modifiers.xor_range, std::make_pair(5, 5));
}

TEST(YaraModifiers, Base64OfAShortString) {
  YaraHarness h(Rule(R"(    $a = "ab" base64
    $b = "abc" base64
    $c = "a" base64)"));
  EXPECT_TRUE(h.Has("W0608", "base64 of `$a` is too short to be distinctive", "4:15"));
  EXPECT_FALSE(h.Has("W0608", "", "5:5"));
  // yarac says a 1 byte string "may slow down scanning" even as base64.
  EXPECT_TRUE(h.Has("W0608", "string `$c` may slow down scanning", "6:14"));
  // One warning for each short string, not a second "slow" one.
  EXPECT_EQ(h.diags().size(), 2u) << h.DiagList();
}

// ---- hex patterns ---------------------------------------------------------------
TEST(YaraHex, JumpsAtTheEdges) {
  YaraHarness h(Rule(R"(    $a = { [2] F4 23 }
    $b = { F4 23 [2] }
    $c = { F4 23 ( [2] 62 | 63 ) 64 }
    $d = { F4 23 ( 62 | 63 [1-2] ) 64 })"));
  EXPECT_TRUE(h.Has("E0603", "a hex pattern cannot start with a jump", "4:12"));
  EXPECT_TRUE(h.Has("E0603", "a hex pattern cannot end with a jump", "5:18"));
  EXPECT_TRUE(h.Has("E0603", "an alternative cannot start with a jump", "6:20"));
  EXPECT_TRUE(h.Has("E0603", "an alternative cannot end with a jump", "7:28"));
}

TEST(YaraHex, JumpBounds) {
  YaraHarness h(Rule(R"(    $a = { F4 23 [0] 62 63 }
    $b = { F4 23 ( 62 63 | 64 [2-] 65 ) 66 }
    $c = { F4 23 ( 62 63 | 64 [-] 65 ) 66 }
    $d = { F4 23 ( 62 63 | 64 [1-3] 65 ) 66 [5000-] 67 68 [-] 69 6A }
    $e = { F4 23 [0-0] 62 63 })"));
  EXPECT_TRUE(h.Has("E0603", "jump `[0]` skips nothing", "4:18"));
  EXPECT_TRUE(h.Has("E0603", "unbounded jump `[2-]` inside an alternation", "5:31"));
  EXPECT_TRUE(h.Has("E0603", "unbounded jump `[-]` inside an alternation", "6:31"));
  EXPECT_FALSE(h.Has("E0603", "", "7:5"));
  // libyara rejects `[0]` but accepts the range `[0-0]`.
  EXPECT_FALSE(h.Has("E0603", "", "8:18"));
}

TEST(YaraHex, NotByteIsYara43) {
  YaraHarness h(Rule(R"(    $a = { F4 23 ~00 62 })"));
  EXPECT_TRUE(h.Has("E0606", "`~` (not) in hex patterns requires YARA 4.3", "4:18"));
}

// ---- regular expressions ------------------------------------------------------
TEST(YaraRegexStrings, InvalidPatternPointsInsideTheLiteral) {
  YaraHarness h(Rule(R"(    $a = /ab(?:cd|ef)/
    $b = /ab\1/
    $c = /[[:alpha:]]+x/
    $d = /abc/x)"));
  EXPECT_TRUE(h.Has("E0604", "invalid regular expression `$a`: YARA does not support `(?:` groups",
                    "4:13"));
  EXPECT_TRUE(h.Has("E0604", "backreferences are not supported", "5:13"));
  EXPECT_TRUE(h.Has("E0604", "POSIX class `[:alpha:]` is not supported", "6:12"));
  EXPECT_TRUE(h.Has("E0604", "invalid flag `x` on regular expression `$d`", "7:15"));
  const Diagnostic* d = h.Find("E0604");
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->help.has_value());
  EXPECT_NE(d->help->find("plain group"), std::string::npos);
}

TEST(YaraRegexStrings, UnboundedDotRepeatWarns) {
  YaraHarness h(Rule(R"(    $a = /system.*popen/
    $b = /system.{0,100}popen/)"));
  EXPECT_TRUE(h.Has("W0608", "`$a` contains an unbounded `.*`", "4:17"));
  EXPECT_FALSE(h.Has("W0608", "", "5:5"));
}

// ---- slow strings -------------------------------------------------------------
TEST(YaraSlowStrings, WarnsWhereYaracWould) {
  YaraHarness h(Rule(R"(    $a = "a"
    $b = { 00 00 }
    $c = /a.b/
    $d = "ab"
    $e = { 4D 5A }
    $f = { 80 04 95 })"));
  EXPECT_TRUE(h.Has("W0608", "string `$a` may slow down scanning", "4:10"));
  EXPECT_TRUE(h.Has("W0608", "string `$b` may slow down scanning", "5:10"));
  EXPECT_TRUE(h.Has("W0608", "string `$c` may slow down scanning", "6:10"));
  EXPECT_EQ(h.diags().size(), 3u) << h.DiagList();
}

}  // namespace
}  // namespace ward::sema::testing
