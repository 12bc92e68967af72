// The `condition:` of YARA detections: lowering of every expression form,
// name resolution (strings, loop variables, modules, rules) and the limits
// of libyara 4.2, each diagnostic at the line and column of the culprit.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/sema/yara_testlib.h"

namespace ward::sema::testing {
namespace {

// Line 2 is the `detection` line, line 4 the first string, the condition is
// on line 7: column 14 is its first character.
std::string Rule(std::string_view condition) {
  return fmt::format(
      "\ndetection yara r \"R\" {{\n  strings {{\n    $a = \"alpha\"\n    $b = \"bravo\"\n"
      "  }}\n  condition: {}\n}}",
      condition);
}

std::string Lowered(std::string_view condition, std::string* diags = nullptr) {
  YaraHarness h(Rule(condition));
  if (diags) *diags = h.diags().empty() ? "" : h.DiagList();
  return h.Condition("r");
}

// ---- lowering -----------------------------------------------------------------
TEST(YaraCondition, LowersOperatorsAndLiterals) {
  std::string diags;
  EXPECT_EQ(Lowered("$a and not $b or defined filesize", &diags),
            "or(and($a, not($b)), defined(filesize))");
  EXPECT_EQ(diags, "");
  EXPECT_EQ(Lowered("$a and $b and 1 + 2 * 3 - -4 \\ 2 % 5 == 7"),
            "and($a, $b, ==(-(+(1, *(2, 3)), %(\\(-(4), 2), 5)), 7))");
  EXPECT_EQ(Lowered("$a and $b and (0x80 & 0xF0 | 1 ^ 2) << 1 >> 1 != ~0"),
            "and($a, $b, !=(>>(<<(|(&(128, 240), ^(1, 2)), 1), 1), ~(0)))");
  EXPECT_EQ(Lowered("$a and $b and filesize < 10MB and filesize > 2KB and 1.5 < 2"),
            "and($a, $b, <(filesize, 10485760), >(filesize, 2048), <(1.5, 2))");
  EXPECT_EQ(Lowered("$a and $b and true and not false"), "and($a, $b, true, not(false))");
}

TEST(YaraCondition, LowersStringForms) {
  std::string diags;
  EXPECT_EQ(Lowered("$a at 0 and $b in (0..filesize) and #a > 2 and #b in (0..100) == 1 and "
                    "@a[1] < 100 and @b == 0 and !a[1] == 5 and !b > 1",
                    &diags),
            "and($a at 0, $b in (0..filesize), >(#a, 2), ==(#b in (0..100), 1), <(@a[1], 100), "
            "==(@b, 0), ==(!a[1], 5), >(!b, 1))");
  EXPECT_EQ(diags, "");
}

TEST(YaraCondition, LowersSetsAndLoops) {
  std::string diags;
  EXPECT_EQ(Lowered("any of them and all of ($a, $b*) and none of ($*) and 2 of them and "
                    "50% of them and any of them in (0..100)",
                    &diags),
            "and(any of them, all of ($a, $b*), none of ($*), 2 of them, 50% of them, "
            "any of them in (0..100))");
  EXPECT_EQ(diags, "");
  EXPECT_EQ(Lowered("for any of ($a, $b) : ( $ at 0 and # > 1 and @[1] > 0 and ![1] > 1 )",
                    &diags),
            "for any of ($a, $b) : (and($ at 0, >(#, 1), >(@[1], 0), >(![1], 1)))");
  EXPECT_EQ(diags, "");
  EXPECT_EQ(Lowered("$b and for all i in (1..#a) : ( @a[i] < 100 )", &diags),
            "and($b, for all i in (1..#a) : (<(@a[var:i], 100)))");
  EXPECT_EQ(diags, "");
  EXPECT_EQ(Lowered("$a and $b and for 2 i in (1, 2, 3) : ( uint8(i) == 0 )", &diags),
            "and($a, $b, for 2 i in (1, 2, 3) : (==(uint8(var:i), 0)))");
  EXPECT_EQ(diags, "");
  EXPECT_EQ(Lowered("$a and $b and for any s in pe.sections : ( s.name == \".text\" )", &diags),
            "and($a, $b, for any s in mod:pe.sections : (==(var:s.name, \".text\")))");
  EXPECT_EQ(diags, "");
  EXPECT_EQ(Lowered("$a and $b and for any k, v in pe.version_info : ( k == \"x\" )", &diags),
            "and($a, $b, for any k, v in mod:pe.version_info : (==(var:k, \"x\")))");
  EXPECT_EQ(diags, "");
}

TEST(YaraCondition, LowersModulesAndBuiltins) {
  YaraHarness h(Rule("$a and $b and uint8(0) == 0x80 and int32be(4) > 1 and pe.is_pe and "
                     "math.entropy(0, filesize) > 7.0 and pe.sections[0].name matches /te?xt/i "
                     "and hash.md5(0, 100) == \"x\" and pe.number_of_sections > 1"));
  ASSERT_TRUE(h.Clean());
  EXPECT_EQ(h.Condition("r"),
            "and($a, $b, ==(uint8(0), 128), >(int32be(4), 1), mod:pe.is_pe, "
            ">(call(mod:math.entropy, 0, filesize), 7), "
            "matches(mod:pe.sections[0].name, /te?xt/i), ==(call(mod:hash.md5, 0, 100), \"x\"), "
            ">(mod:pe.number_of_sections, 1))");
  EXPECT_EQ(h.logic("r")->modules, (std::vector<std::string>{"hash", "math", "pe"}));
}

TEST(YaraCondition, TextOperators) {
  std::string diags;
  EXPECT_EQ(Lowered("$a and $b and pe.dll_name icontains \"x\" and pe.dll_name iequals \"y\"",
                    &diags),
            "and($a, $b, icontains(mod:pe.dll_name, \"x\"), iequals(mod:pe.dll_name, \"y\"))");
  EXPECT_EQ(diags, "");
}

// ---- strings --------------------------------------------------------------------
TEST(YaraCondition, UndefinedStringWithSuggestion) {
  YaraHarness h(Rule("$a and $bb and #c > 1"));
  EXPECT_TRUE(h.Has("E0600", "undefined string `$bb`", "7:21"));
  EXPECT_TRUE(h.Has("E0600", "undefined string `#c`", "7:29"));
  const Diagnostic* d = h.Find("E0600");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->help, "did you mean `$b`?");
  ASSERT_EQ(d->fixits.size(), 1u);
  EXPECT_EQ(d->fixits[0].replacement, "$b");
  // The author meant $b: no second error saying $b is unused.
  EXPECT_TRUE(h.Lacks("E0601"));
}

// YARA 4.4 lets `$_` strings go unused; 4.2 rejects the rule, so Ward
// names the version instead of calling it a plain unused string.
TEST(YaraCondition, UnusedUnderscoreStringNeedsANewerYara) {
  YaraHarness h(R"(
detection yara r "R" {
  strings {
    $a = "alpha"
    $_scratch = "bravo"
  }
  condition: $a
})");
  EXPECT_TRUE(
      h.Has("E0606", "leaving the `$_` string `$_scratch` unused requires YARA 4.4", "5:5"));
  EXPECT_TRUE(h.Lacks("E0601"));
  YaraHarness used(R"(
detection yara r "R" {
  strings {
    $_scratch = "bravo"
  }
  condition: $_scratch
})");
  EXPECT_TRUE(used.diags().empty()) << used.DiagList();
}

TEST(YaraCondition, UnusedString) {
  YaraHarness h(Rule("$a"));
  EXPECT_TRUE(h.Has("E0601", "string `$b` is never used", "5:5"));
  const Diagnostic* d = h.Find("E0601");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->primary.message, "defined here but never used");
  ASSERT_TRUE(d->help.has_value());
  EXPECT_NE(d->help->find("use it in the condition"), std::string::npos);
  EXPECT_TRUE(h.logic("r")->strings[0].used);
  EXPECT_FALSE(h.logic("r")->strings[1].used);
}

TEST(YaraCondition, EveryWayOfUsingAString) {
  EXPECT_TRUE(YaraHarness(Rule("#a > 0 and @b[1] > 0")).Clean());
  EXPECT_TRUE(YaraHarness(Rule("!a > 0 and $b at 0")).Clean());
  EXPECT_TRUE(YaraHarness(Rule("any of them")).Clean());
  EXPECT_TRUE(YaraHarness(Rule("any of ($*)")).Clean());
  EXPECT_TRUE(YaraHarness(Rule("for any of ($a, $b) : ( $ )")).Clean());
}

TEST(YaraCondition, WildcardsMustMatch) {
  YaraHarness h(Rule("any of ($a*, $c*)"));
  EXPECT_TRUE(h.Has("E0600", "no string matches `$c*`", "7:27"));
  YaraHarness single(Rule("$a* and $b"));
  EXPECT_TRUE(single.Has("E0600", "`$a*` names a set of strings, but one string is needed here",
                         "7:14"));
}

TEST(YaraCondition, ThemWithoutStrings) {
  YaraHarness h("\ndetection yara r \"R\" {\n  condition: any of them\n}");
  EXPECT_TRUE(h.Has("E0600", "`them` refers to no strings", "3:14"));
}

TEST(YaraCondition, AnonymousStringOutsideALoop) {
  YaraHarness h(Rule("$a and $b and $ and # > 1"));
  EXPECT_TRUE(h.Has("E0610", "`$` without a name is only valid inside `for ... of`", "7:28"));
  EXPECT_TRUE(h.Has("E0610", "`#` without a name", "7:34"));
  // Inside `for ... in` nested in `for ... of` it is still the loop's string.
  EXPECT_TRUE(YaraHarness(Rule("for any of ($a, $b) : ( for any i in (1..2) : ( $ at i ) )"))
                  .Clean());
}

TEST(YaraCondition, AnonymousStringsAreUsedThroughThem) {
  YaraHarness h("\ndetection yara r \"R\" {\n  strings {\n    $ = \"alpha\"\n    $ = \"bravo\"\n"
                "  }\n  condition: $\n}");
  EXPECT_TRUE(h.Has("E0610", "`$` without a name", "7:14"));
  EXPECT_TRUE(h.Has("E0601", "anonymous string is never used", "4:5"));
}

// ---- identifiers ----------------------------------------------------------------
TEST(YaraCondition, UnknownIdentifierWithSuggestion) {
  YaraHarness h(
      "\ndetection yara other_rule \"O\" {\n  condition: true\n}"
      "\ndetection yara r \"R\" {\n  strings {\n    $a = \"alpha\"\n  }\n"
      "  condition: $a and other_rul and a and nothing_like_it\n}");
  EXPECT_TRUE(h.Has("E0607", "unknown identifier `other_rul`", "9:21"));
  EXPECT_TRUE(h.Has("E0607", "unknown identifier `a`", "9:35"));
  EXPECT_TRUE(h.Has("E0607", "unknown identifier `nothing_like_it`", "9:41"));
  for (const Diagnostic& d : h.diags()) {
    if (d.message == "unknown identifier `other_rul`") {
      EXPECT_EQ(d.help, "did you mean `other_rule`?");
    }
    if (d.message == "unknown identifier `a`") {
      EXPECT_EQ(d.help, "strings are written with `$`: `$a`");
    }
  }
}

TEST(YaraCondition, ModuleMisuse) {
  YaraHarness h(Rule("$a and $b and pe and uint8 == 1"));
  EXPECT_TRUE(h.Has("E0607", "module `pe` cannot be used as a value", "7:28"));
  EXPECT_TRUE(h.Has("E0607", "`uint8` is a function and must be called", "7:35"));
  YaraHarness arity(Rule("$a and $b and uint16(0, 1) == 1"));
  EXPECT_TRUE(arity.Has("E0615", "`uint16` takes one argument, found 2", "7:28"));
}

TEST(YaraCondition, Yara43Features) {
  YaraHarness h(Rule("$a and $b and string.to_int(\"1\") == 1 and math.to_string(1) == \"1\" and "
                     "pe.import_rva(\"a.dll\", \"f\") == 0"));
  EXPECT_TRUE(h.Has("E0606", "the `string` module requires YARA 4.3", "7:28"));
  EXPECT_TRUE(h.Has("E0606", "`math.to_string` requires YARA 4.3", "7:56"));
  EXPECT_TRUE(h.Has("E0606", "`pe.import_rva` requires YARA 4.3", "7:85"));
  YaraHarness loop(Rule("$a and $b and for any x in (\"a\", \"b\") : ( true )"));
  EXPECT_TRUE(loop.Has("E0606", "looping over text strings requires YARA 4.3", "7:42"));
}

TEST(YaraCondition, LoopVariablesShadowModules) {
  std::string diags;
  EXPECT_EQ(Lowered("$a and $b and for any pe in (1..3) : ( pe > 1 )", &diags),
            "and($a, $b, for any pe in (1..3) : (>(var:pe, 1)))");
  EXPECT_EQ(diags, "");
}

// ---- libyara's limits -----------------------------------------------------------
// `of ... at N` parses, so that it is refused with the version that has it
// rather than with a syntax error that hides the rest of the file.
TEST(YaraCondition, OfAtNeedsYara43) {
  YaraHarness h(Rule("any of ($a, $b) at 0"));
  EXPECT_TRUE(h.Has("E0606", "`of ... at` requires YARA 4.3", "7:30"));
  EXPECT_EQ(h.diags().size(), 1u) << h.DiagList();
  YaraHarness both(Rule("any of them at filesize - 4 and $zz"));
  EXPECT_TRUE(both.Has("E0606", "`of ... at` requires YARA 4.3"));
  EXPECT_TRUE(both.Has("E0600", "undefined string `$zz`"));
}

TEST(YaraCondition, LoopNestingLimit) {
  std::string four =
      "$a and $b and for any i in (1..2) : ( for any j in (1..2) : ( for any k in (1..2) : ( "
      "for any l in (1..2) : ( true ) ) ) )";
  EXPECT_TRUE(YaraHarness(Rule(four)).Clean());
  std::string five =
      "$a and $b and for any i in (1..2) : ( for any j in (1..2) : ( for any k in (1..2) : ( "
      "for any l in (1..2) : ( for any m in (1..2) : ( true ) ) ) ) )";
  YaraHarness h(Rule(five));
  EXPECT_TRUE(h.Has("E0611", "loops are nested more than 4 deep", "7:124"));
}

TEST(YaraCondition, ForOfCannotNest) {
  YaraHarness h(Rule("for any of ($a) : ( for any of ($b) : ( $ ) )"));
  EXPECT_TRUE(h.Has("E0611", "`for ... of` loops cannot be nested", "7:34"));
}

TEST(YaraCondition, LoopVariables) {
  YaraHarness three(Rule("$a and $b and for any i, j, k in pe.version_info : ( true )"));
  EXPECT_TRUE(three.Has("E0611", "a `for` loop binds at most 2 variables, found 3", "7:42"));
  YaraHarness range(Rule("$a and $b and for any i, j in (1..3) : ( true )"));
  EXPECT_TRUE(range.Has("E0611", "a loop over a range binds one variable, found 2", "7:39"));
  YaraHarness again(Rule("$a and $b and for any i in (1..3) : ( for any i in (1..3) : ( true ) )"));
  EXPECT_TRUE(again.Has("E0611", "loop variable `i` is already bound by an enclosing loop",
                        "7:60"));
}

TEST(YaraCondition, Percentages) {
  YaraHarness h(Rule("0% of them or 101% of them or 100% of them"));
  EXPECT_TRUE(h.Has("E0615", "percentage 0% is out of range", "7:14"));
  EXPECT_TRUE(h.Has("E0615", "percentage 101% is out of range", "7:28"));
  EXPECT_FALSE(h.Has("E0615", "", "7:44"));
  YaraHarness loop(Rule("for 50% of ($a, $b) : ( $ )"));
  EXPECT_TRUE(loop.Has("E0615", "a percentage cannot be used as the quantifier of a `for` loop",
                       "7:18"));
}

TEST(YaraCondition, RegexOperandIsChecked) {
  YaraHarness h(Rule("$a and $b and pe.dll_name matches /x(?:y)/"));
  EXPECT_TRUE(h.Has("E0604", "invalid regular expression: YARA does not support `(?:` groups",
                    "7:50"));
}

// ---- rule references ------------------------------------------------------------
constexpr std::string_view kRules = R"(
detection yara pickle_proto "P" {
  condition: uint8(0) == 0x80
}
detection yara pickle_global "G" {
  strings { $g = "cos" }
  condition: $g
}
detection sigma prompt_phrase "S" {
  logsource { product: llm }
  when: gen_ai.prompt contains "x"
}
)";

TEST(YaraRules, References) {
  YaraHarness h(std::string(kRules) + R"(detection yara r "R" {
  condition: pickle_proto and any of (pickle_proto, pickle_*) and 1 of (r*)
}
)");
  EXPECT_EQ(h.Condition("r"),
            "and(rule:pickle_proto, any of rules(pickle_proto, pickle_*)=[pickle_proto, "
            "pickle_global], 1 of rules(r*)=[])");
  EXPECT_TRUE(h.Has("E0607", "no YARA rule matches `r*`", "14:73"));
  EXPECT_EQ(h.diags().size(), 1u) << h.DiagList();
}

TEST(YaraRules, ReferenceToASigmaDetection) {
  YaraHarness h(std::string(kRules) + R"(detection yara r "R" {
  condition: prompt_phrase
}
)");
  EXPECT_TRUE(h.Has("E0202", "`prompt_phrase` is a sigma detection", "14:14"));
  EXPECT_TRUE(h.Lacks("E0607"));
}

TEST(YaraRules, Cycles) {
  YaraHarness h(R"(
detection yara a "A" {
  condition: b
}
detection yara b "B" {
  condition: filesize > 0 and a
}
detection yara c "C" {
  condition: c or a
}
)");
  EXPECT_TRUE(h.Has("E0614", "YARA rules reference each other in a cycle: `a` -> `b` -> `a`",
                    "6:31"));
  EXPECT_TRUE(h.Has("E0614", "YARA rule `c` references itself", "9:14"));
  EXPECT_EQ(h.diags().size(), 2u) << h.DiagList();
}

TEST(YaraRules, CyclesThroughRuleSets) {
  YaraHarness h(R"(
detection yara x_one "A" {
  condition: any of (x_two)
}
detection yara x_two "B" {
  condition: all of (x_*)
}
)");
  EXPECT_TRUE(h.Has("E0614", "cycle", "6:22"));
}

}  // namespace
}  // namespace ward::sema::testing
