// The YARA 4.2 regex validator and the slow-string estimate, as tables. The
// verdicts were taken from yarac 4.2.3 (see yara_yarac_crosscheck_test.cc,
// which replays them against the real binary when it is installed).

#include "compiler/sema/yara_regex_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/sema/yara_atoms.h"

namespace ward::sema {
namespace {

class ValidRegex : public ::testing::TestWithParam<const char*> {};

TEST_P(ValidRegex, IsAccepted) {
  RegexCheck check = CheckYaraRegex(GetParam());
  EXPECT_TRUE(check.ok()) << GetParam() << ": "
                          << (check.errors.empty() ? "" : check.errors[0].message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidRegex,
    ::testing::Values(
        "abc", "a.c", "^abc$", "\\babc\\b", "\\Babc", "a|b", "abc|", "a||b", "x(y|)z",
        "(abc)", "((((abc))))", "a*", "a+", "a?", "a*?", "a+?", "a??", "a{3}", "a{3,}",
        "a{,3}", "a{3,5}", "a{2,3}?", "a{2,}?", "a{,}", "a{0,}", "a{0,1}", "a{1,1}",
        "a{32767}", "a{,32767}", "a{32767,}", "(ab){2,3}", "[abc]", "[^abc]", "[a-z]",
        "[a-a]", "[]a]", "[^]a]", "[a-]", "[-a]", "[\\]]", "[\\x41-\\x5a]", "[\\d]",
        "[a\\-\\d]", "[\\d\\-z]", "[^\\n]", "[[]", "\\d\\D\\w\\W\\s\\S", "\\n\\t\\r\\f\\a",
        "\\x00\\xff\\xAB", "\\.\\/\\{\\}\\(\\)\\[\\]\\*\\+\\?\\|\\^\\$\\\\", "a}b", "a]b",
        "\xc3\xa9t\xc3\xa9", "c(os|posix|nt)\\n(system|popen)", ".{0,100}", "a.{,4096}b"));

struct Invalid {
  const char* pattern;
  const char* message;  // a substring of the first error
  size_t begin;         // where it points, in the pattern
};

class InvalidRegex : public ::testing::TestWithParam<Invalid> {};

TEST_P(InvalidRegex, IsRejectedAtTheCulprit) {
  const Invalid& c = GetParam();
  RegexCheck check = CheckYaraRegex(c.pattern);
  ASSERT_FALSE(check.ok()) << c.pattern;
  EXPECT_NE(check.errors[0].message.find(c.message), std::string::npos)
      << c.pattern << ": " << check.errors[0].message;
  EXPECT_EQ(check.errors[0].begin, c.begin) << c.pattern;
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidRegex,
    ::testing::Values(
        // Constructs libyara 4.2 rejects with "syntax error".
        Invalid{"(?:xyz)", "does not support `(?:` groups", 0},
        Invalid{"ab(?=xyz)", "does not support `(?=` groups", 2},
        Invalid{"ab(?!xyz)", "does not support `(?!` groups", 2},
        Invalid{"(?<=a)b", "does not support `(?<=` groups", 0},
        Invalid{"(?i)xyz", "does not support `(?i` groups", 0},
        Invalid{"(?P<n>x)", "does not support `(?P` groups", 0},
        Invalid{"xyz**", "quantifier cannot follow another quantifier", 3},
        Invalid{"xyz+*", "quantifier cannot follow another quantifier", 3},
        Invalid{"xyz?+", "quantifier cannot follow another quantifier", 3},
        Invalid{"xyz+??", "quantifier cannot follow another quantifier", 3},
        Invalid{"a{3}{4}", "quantifier cannot follow another quantifier", 1},
        Invalid{"xyz{2}??", "quantifier cannot follow another quantifier", 3},
        Invalid{"+xyz", "`+` has nothing to repeat", 0},
        Invalid{"(+xyz)", "`+` has nothing to repeat", 1},
        Invalid{"(*)", "`*` has nothing to repeat", 1},
        Invalid{"a|*b", "`*` has nothing to repeat", 2},
        Invalid{"{2}a", "has nothing to repeat", 0},
        Invalid{"|xyz", "first alternative before `|` is empty", 0},
        Invalid{"x(|y)z", "first alternative before `|` is empty", 2},
        Invalid{"()xyz", "empty group", 0},
        Invalid{"(xyz", "unclosed `(`", 0},
        Invalid{"a(b(c)", "unclosed `(`", 1},
        Invalid{"xyz)", "unmatched `)`", 3},
        Invalid{"xyz^*", "anchor `^` cannot be repeated", 3},
        Invalid{"xyz$+", "anchor `$` cannot be repeated", 3},
        Invalid{"\\b+xyz", "anchor `\\b` cannot be repeated", 0},
        // "bad repeat interval" / "repeat interval too large".
        Invalid{"xyz{2,1}", "lower bound above its upper bound", 3},
        Invalid{"xyz{0}", "repeats nothing", 3},
        Invalid{"xyz{0,0}", "repeats nothing", 3},
        Invalid{"xyz{,0}", "repeats nothing", 3},
        Invalid{"xyz{32768}", "above YARA's largest repeat count", 3},
        Invalid{"xyz{,32768}", "above YARA's largest repeat count", 3},
        Invalid{"xyz{32768,}", "above YARA's largest repeat count", 3},
        // "backreferences are not allowed".
        Invalid{"(xyz)\\1", "backreferences are not supported", 5},
        Invalid{"\\0xyz", "backreferences are not supported", 0},
        Invalid{"\\8xyz", "backreferences are not supported", 0},
        // "illegal escape sequence".
        Invalid{"\\x4xyz", "`\\x` must be followed by two hex digits", 0},
        Invalid{"ab\\xZZ", "`\\x` must be followed by two hex digits", 2},
        // "missing terminating ] for character class" / "bad character range".
        Invalid{"[]xyz", "missing `]`", 0},
        Invalid{"[^]xyz", "missing `]`", 0},
        Invalid{"ab[xyz", "missing `]`", 2},
        Invalid{"[a\\]xyz", "missing `]`", 0},
        Invalid{"[z-a]xyz", "bad character range `z-a`", 1},
        Invalid{"[\\w-a]xyz", "cannot start with a class escape", 1},
        // Accepted by yarac 4.2, which reads these two ranges inconsistently.
        Invalid{"[\\d-z]xyz", "cannot start with a class escape", 1},
        Invalid{"[a-\\d]xyz", "cannot end with a class escape", 1},
        // Accepted by yarac 4.2 but read differently from what was meant
        // (and rejected by yara-x): Ward refuses them.
        Invalid{"[[:alpha:]]xyz", "POSIX class `[:alpha:]`", 1},
        Invalid{"xyz{", "literal `{` must be escaped", 3},
        Invalid{"xy{z", "literal `{` must be escaped", 2},
        Invalid{"xyz{a}", "literal `{` must be escaped", 3},
        Invalid{"xyz{ 2}", "literal `{` must be escaped", 3},
        Invalid{"x\\gyz", "unknown escape `\\g`", 1},
        Invalid{"a\\vb", "unknown escape `\\v`", 1},
        Invalid{"\\exyz", "unknown escape `\\e`", 0},
        Invalid{"\\Axyz", "unknown escape `\\A`", 0},
        Invalid{"[\\b]xyz", "ambiguous inside a class", 1},
        Invalid{"abc\\", "lone backslash", 3}));

TEST(RegexCheck, TooManySplitsIsTooComplex) {
  std::string ok = "xyzw", bad = "xyzw";
  for (int i = 0; i < 128; ++i) ok += "a?";
  for (int i = 0; i < 129; ++i) bad += "a?";
  EXPECT_TRUE(CheckYaraRegex(ok).ok());
  RegexCheck check = CheckYaraRegex(bad);
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.errors[0].message.find("129 optional or alternative parts"), std::string::npos);
  std::string alternatives = "xyzw";
  for (int i = 0; i < 129; ++i) alternatives += "(a|b)";
  EXPECT_FALSE(CheckYaraRegex(alternatives).ok());
  // Repeat ranges do not use split ids.
  EXPECT_TRUE(CheckYaraRegex("xyzw(a?){129}").ok());
}

TEST(RegexCheck, DeepNestingIsRefusedWithoutCrashing) {
  std::string deep(5000, '(');
  deep += "abc";
  deep += std::string(5000, ')');
  RegexCheck check = CheckYaraRegex(deep);
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.errors[0].message.find("nested more than"), std::string::npos);
}

TEST(RegexCheck, FindsUnboundedDotRepeats) {
  EXPECT_EQ(CheckYaraRegex("abc.*").unbounded_any.size(), 1u);
  EXPECT_EQ(CheckYaraRegex(".*abc").unbounded_any.size(), 1u);
  EXPECT_EQ(CheckYaraRegex("abc.+").unbounded_any.size(), 1u);
  EXPECT_EQ(CheckYaraRegex("abc.{2,}").unbounded_any.size(), 1u);
  EXPECT_EQ(CheckYaraRegex("abc.{,}").unbounded_any.size(), 1u);
  EXPECT_EQ(CheckYaraRegex("abc.*?").unbounded_any.size(), 1u);
  EXPECT_EQ(CheckYaraRegex("abc(.*)").unbounded_any.size(), 1u);
  // Bounded repeats and other repeated atoms are fine.
  EXPECT_TRUE(CheckYaraRegex("abc.{,5}").unbounded_any.empty());
  EXPECT_TRUE(CheckYaraRegex("abc.?").unbounded_any.empty());
  EXPECT_TRUE(CheckYaraRegex("abc(.)*").unbounded_any.empty());
  EXPECT_TRUE(CheckYaraRegex("abc[^a]*").unbounded_any.empty());
  EXPECT_TRUE(CheckYaraRegex("abc\\w*").unbounded_any.empty());
  RegexCheck check = CheckYaraRegex("ab.*cd");
  ASSERT_EQ(check.unbounded_any.size(), 1u);
  EXPECT_EQ(check.unbounded_any[0].begin, 2u);
  EXPECT_EQ(check.unbounded_any[0].end, 4u);
}

TEST(RegexCheck, Flags) {
  EXPECT_EQ(InvalidRegexFlag(""), 0);
  EXPECT_EQ(InvalidRegexFlag("i"), 0);
  EXPECT_EQ(InvalidRegexFlag("is"), 0);
  EXPECT_EQ(InvalidRegexFlag("si"), 0);
  EXPECT_EQ(InvalidRegexFlag("ii"), 'i');
  EXPECT_EQ(InvalidRegexFlag("ix"), 'x');
  EXPECT_EQ(InvalidRegexFlag("m"), 'm');
}

// ---- the slow-string estimate -------------------------------------------------
ir::YaraStringModifiers Mods(std::initializer_list<const char*> names) {
  ir::YaraStringModifiers m;
  for (std::string_view n : names) {
    if (n == "wide") m.wide = true;
    if (n == "ascii") m.ascii = true;
    if (n == "nocase") m.nocase = true;
    if (n == "xor") m.xor_ = true;
    if (n == "base64") m.base64 = true;
    if (n == "base64wide") m.base64wide = true;
  }
  return m;
}

bool SlowText(std::string_view text, std::initializer_list<const char*> mods = {}) {
  return TextStringQuality(text, Mods(mods)) < kSlowAtomQuality;
}

std::vector<ir::HexItem> Hex(std::initializer_list<int> bytes) {
  // -1 is `??`, -2 a `[2]` jump, 0x1xx a high-nibble wildcard `X?`.
  std::vector<ir::HexItem> out;
  for (int b : bytes) {
    ir::HexItem item;
    if (b == -1) {
      item.mask = 0;
    } else if (b == -2) {
      item.kind = ir::HexItem::Kind::kJump;
      item.jump_low = item.jump_high = 2;
    } else if (b >= 0x100) {
      item.value = static_cast<uint8_t>((b & 0xF) << 4);
      item.mask = 0xF0;
    } else {
      item.value = static_cast<uint8_t>(b);
    }
    out.push_back(item);
  }
  return out;
}

bool SlowHex(std::initializer_list<int> bytes) {
  return HexStringQuality(Hex(bytes)) < kSlowAtomQuality;
}

bool SlowRegex(const char* pattern, std::initializer_list<const char*> mods = {}) {
  RegexCheck check = CheckYaraRegex(pattern);
  EXPECT_TRUE(check.ok()) << pattern;
  return RegexQuality(check.tree, Mods(mods)) < kSlowAtomQuality;
}

// Each verdict below is what yarac 4.2.3 prints (or does not print) as
// "string "$a" may slow down scanning".
TEST(SlowStrings, TextStrings) {
  EXPECT_TRUE(SlowText("a"));
  EXPECT_FALSE(SlowText("ab"));
  EXPECT_FALSE(SlowText("ab", {"nocase"}));
  EXPECT_TRUE(SlowText("a", {"wide"}));
  EXPECT_FALSE(SlowText("ab", {"wide"}));
  EXPECT_TRUE(SlowText("ab", {"xor"}));
  EXPECT_FALSE(SlowText("abc", {"xor"}));
  EXPECT_TRUE(SlowText(std::string_view("a\0", 2)));
  EXPECT_TRUE(SlowText("\x90\x90"));
  EXPECT_FALSE(SlowText(std::string_view("\0\0\0\x01", 4)));
  EXPECT_TRUE(SlowText("a", {"base64"}));
  EXPECT_FALSE(SlowText("ab", {"base64"}));
  EXPECT_FALSE(SlowText("ab", {"base64wide"}));
  EXPECT_FALSE(SlowText("abc", {"base64"}));
}

TEST(SlowStrings, HexStrings) {
  EXPECT_TRUE(SlowHex({0x00, 0x00}));
  EXPECT_TRUE(SlowHex({0x00, 0x00, 0x00, 0x00}));
  EXPECT_TRUE(SlowHex({0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_TRUE(SlowHex({0x90, 0x90}));
  EXPECT_TRUE(SlowHex({0xCC, 0xCC}));
  EXPECT_TRUE(SlowHex({0x00, 0x01}));
  EXPECT_TRUE(SlowHex({0x20, 0x41}));
  EXPECT_TRUE(SlowHex({0x4D}));
  EXPECT_TRUE(SlowHex({0x4D, -1, 0x5A}));
  EXPECT_TRUE(SlowHex({0x104, 0x5A}));
  EXPECT_TRUE(SlowHex({-1, -1}));
  EXPECT_FALSE(SlowHex({0x91, 0x91}));
  EXPECT_FALSE(SlowHex({0x01, 0x02}));
  EXPECT_FALSE(SlowHex({0x4D, 0x5A}));
  EXPECT_FALSE(SlowHex({0x80, 0x04, 0x95}));
  EXPECT_FALSE(SlowHex({0x4D, 0x5A, -1, -1, 0x90}));
  EXPECT_FALSE(SlowHex({0x4D, 0x5A, -2, 0x90, 0x91}));
}

TEST(SlowStrings, HexAlternativesTakeTheWorstBranch) {
  ir::HexItem alt;
  alt.kind = ir::HexItem::Kind::kAlternation;
  alt.alternatives = {Hex({0x4D, 0x5A}), Hex({0x4E, 0x5B})};
  std::vector<ir::HexItem> items = {alt, Hex({0x90})[0]};
  EXPECT_GE(HexStringQuality(items), kSlowAtomQuality);  // ( 4D 5A | 4E 5B ) 90
  alt.alternatives = {Hex({0x4D, 0x5A}), Hex({0x4E})};
  items = {alt};
  EXPECT_LT(HexStringQuality(items), kSlowAtomQuality);  // ( 4D 5A | 4E )
}

TEST(SlowStrings, Regexes) {
  EXPECT_TRUE(SlowRegex("a.b"));
  EXPECT_TRUE(SlowRegex("\\x80[\\x02-\\x05]"));
  EXPECT_TRUE(SlowRegex("(abc|d)"));
  EXPECT_TRUE(SlowRegex("xyz|"));
  EXPECT_TRUE(SlowRegex("[0-9]{3}-[0-9]{4}"));
  EXPECT_TRUE(SlowRegex("a[bc]d"));
  EXPECT_TRUE(SlowRegex("a\\x00"));
  EXPECT_TRUE(SlowRegex("a", {"wide"}));
  EXPECT_TRUE(SlowRegex("(xyz)*"));
  EXPECT_TRUE(SlowRegex("[a-z]+"));
  EXPECT_FALSE(SlowRegex("ab+cd"));
  EXPECT_FALSE(SlowRegex("[Ss]ystem"));
  EXPECT_FALSE(SlowRegex("[0-9]{3}--[0-9]{4}"));
  EXPECT_FALSE(SlowRegex("ab[cd]"));
  EXPECT_FALSE(SlowRegex("ab(cd|ef)"));
  EXPECT_FALSE(SlowRegex("(ab|cd)(ef|gh)"));
  EXPECT_FALSE(SlowRegex("ab?cd"));
  EXPECT_FALSE(SlowRegex("a(bc)?de"));
  EXPECT_FALSE(SlowRegex("\\x00\\x00\\x01"));
  EXPECT_FALSE(SlowRegex("ab", {"wide"}));
  EXPECT_FALSE(SlowRegex("a{3}"));
  EXPECT_FALSE(SlowRegex("(ab){2}"));
  EXPECT_FALSE(SlowRegex("(xyz)+"));
  EXPECT_FALSE(SlowRegex("c(os|posix|nt)\\n(system|popen)"));
}

TEST(Base64, VariantsKeepOnlyTheStableCharacters) {
  // base64("abc") = "YWJj", base64("\0abc") = "AGFiYw==" and base64("\0\0abc") =
  // "AABhYmM=": only the characters made of the text's own bits are kept.
  std::vector<std::string> v = Base64Variants("abc", "");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "YWJj");
  EXPECT_EQ(v[1], "FiY");
  EXPECT_EQ(v[2], "hYm");
  EXPECT_EQ(Base64Variants("a", "")[0], "Y");
}

}  // namespace
}  // namespace ward::sema
