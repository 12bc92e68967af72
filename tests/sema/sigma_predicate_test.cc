// Lowering of Sigma predicates to ir kMatch nodes (modifier order, values)
// and the diagnostics for invalid operator/modifier/value combinations.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "compiler/sema/sigma_predicate.h"
#include "tests/sema/sigma_testlib.h"

namespace ward::sema::testing {
namespace {

// One rule whose `when:` expression starts at line 4, column 9.
std::string Rule(std::string_view when) {
  return fmt::format("\ndetection sigma r \"R\" {{\n  logsource {{ product: p }}\n  when: {}\n}}",
                     when);
}

struct ShapeCase {
  const char* when;
  const char* lowered;
};

const ShapeCase kShapes[] = {
    // operators
    {R"(gen_ai.prompt == "x")", R"(gen_ai.prompt="x")"},
    {R"(a != "x")", R"(a|neq="x")"},
    {R"(a contains "x")", R"(a|contains="x")"},
    {R"(a startswith "x")", R"(a|startswith="x")"},
    {R"(a endswith "x")", R"(a|endswith="x")"},
    {R"(a like "*.exe")", R"(a=w"*.exe")"},
    {R"(a like "a[*]b?\\c")", R"(a=w"a\*b?\c")"},
    {R"(a matches /ab+c/)", R"(a|re="ab+c")"},
    {R"(a matches /ab+c/smi)", R"(a|re|i|m|s="ab+c")"},  // Sigma's order, not the written one
    {R"(a matches /x/s)", R"(a|re|s="x")"},
    {"n < 5", "n|lt=5"},
    {"n <= 5", "n|lte=5"},
    {"n > -5", "n|gt=-5"},
    {"n >= 1.5", "n|gte=1.5"},
    {R"(ip in cidr "10.0.0.0/8")", R"(ip|cidr="10.0.0.0/8")"},
    {R"(ip in cidr ["10.0.0.0/8", "fe80::/10"])", R"(ip|cidr=["10.0.0.0/8","fe80::/10"])"},
    {"a exists", "a|exists=true"},
    {"not a exists", "not(a|exists=true)"},
    // values
    {"a == null", "a=null"},
    {"a == true", "a=true"},
    {"a == 42", "a=42"},
    {R"(a == "")", R"(a="")"},
    {R"(a == "*literal*")", R"(a="*literal*")"},  // exact: the backend escapes it
    {R"(`cs-uri-query` contains "x")", R"(cs-uri-query|contains="x")"},
    // quantifiers
    {R"(a contains ["x", "y"])", R"(a|contains=["x","y"])"},
    {R"(a contains any ["x", "y"])", R"(a|contains=["x","y"])"},
    {R"(a contains all ["x", "y"])", R"(a|contains|all=["x","y"])"},
    {R"(a like all ["*x*", "*y*"])", R"(a|all=[w"*x*",w"*y*"])"},
    // modifiers in Sigma's order: transformations, comparison, all, cased
    {R"(CommandLine contains wide base64offset "ping")",
     R"(CommandLine|wide|base64offset|contains="ping")"},
    {R"(c contains utf16be base64offset "ping")", R"(c|utf16be|base64offset|contains="ping")"},
    {R"(c == utf16 base64 "ping")", R"(c|utf16|base64="ping")"},
    {R"(c == base64 base64 "ping")", R"(c|base64|base64="ping")"},
    {R"(c contains windash "-x")", R"(c|windash|contains="-x")"},
    {R"(c contains all cased ["A", "B"])", R"(c|contains|all|cased=["A","B"])"},
    {R"(c contains cased windash "-A")", R"(c|windash|contains|cased="-A")"},
    {R"(p == expand "%Administrators%")", R"(p|expand="%Administrators%")"},
    {R"(p contains expand windash "%x% -y")", R"(p|expand|windash|contains="%x% -y")"},
    // field references
    {"a == field(b.c)", R"(a|fieldref="b.c")"},
    {"a != field(b)", R"(a|fieldref|neq="b")"},
    {"a startswith field(b)", R"(a|fieldref|startswith="b")"},
    // time parts
    {"hour(ts) >= 22", "ts|hour|gte=22"},
    {"minute(ts) < 30", "ts|minute|lt=30"},
    {"day(ts) == 1", "ts|day=1"},
    {"week(ts) != 53", "ts|week|neq=53"},
    {"month(ts) <= 12", "ts|month|lte=12"},
    {"year(ts) > 2024", "ts|year|gt=2024"},
    // keyword searches
    {R"(keywords "x")", R"(*="x")"},
    {R"(keywords ["a", "b"])", R"(*=["a","b"])"},
    {R"(keywords any ["a", "b"])", R"(*=["a","b"])"},
    {R"(keywords all ["a", "b"])", R"(*|all=["a","b"])"},
    {R"(keywords cased ["A", "b"])", R"(*|cased=["A","b"])"},
    {R"(keywords [4, "b"])", R"(*=[4,"b"])"},
    // boolean structure
    {R"(a == "x" and b == "y" or c == "z")", R"(or(and(a="x", b="y"), c="z"))"},
    {R"(a == "x" and (b == "y" or not c == "z"))", R"(and(a="x", or(b="y", not(c="z"))))"},
};

TEST(SigmaPredicateTest, LoweringShapes) {
  for (const ShapeCase& c : kShapes) {
    std::string diags;
    EXPECT_EQ(WhenOf(c.when, &diags), c.lowered) << "when: " << c.when;
    EXPECT_EQ(diags, "") << "when: " << c.when;
  }
}

TEST(SigmaPredicateTest, ValueSpansPointAtTheLiterals) {
  SigmaHarness h(Rule(R"(a contains ["x", "y"])"));
  ASSERT_TRUE(h.Clean());
  const ir::SigmaExpr& match = *h.logic("r")->condition;
  EXPECT_EQ(h.Where(match.span), "4:9");
  ASSERT_EQ(match.values.size(), 2u);
  EXPECT_EQ(h.Where(match.values[0].span), "4:21");
  EXPECT_EQ(h.Where(match.values[1].span), "4:26");
}

struct DiagCase {
  const char* when;
  const char* code;
  const char* message;
  const char* where;
};

// Every predicate diagnostic, with its span. Columns: the expression starts
// at 4:9.
const DiagCase kDiags[] = {
    // quantifiers
    {R"(a contains all ["x"])", "E0507", "`all` needs two or more values", "4:20"},
    {R"(a contains all "x")", "E0507", "`all` needs two or more values", "4:20"},
    {R"(keywords all ["x"])", "E0507", "`all` needs two or more values", "4:18"},
    {R"(a == all ["x", "y"])", "E0500", "`all` cannot be combined with `==`", "4:14"},
    {R"(a != all ["x", "y"])", "E0500", "`all` cannot be combined with `!=`", "4:14"},
    // modifier combinations
    {R"(a matches windash /x/)", "E0500", "`matches` cannot be combined with `windash`", "4:19"},
    {R"(a matches expand /%x%/)", "E0500", "`matches` cannot be combined with `expand`", "4:19"},
    {R"(a matches base64 /x/)", "E0500", "`matches` cannot be combined with `base64`", "4:19"},
    {R"(a matches cased /x/)", "E0500", "`cased` has no effect on a regular expression", "4:19"},
    {R"(a == base64offset "x")", "E0500", "`base64offset` requires `contains`", "4:14"},
    {R"(a startswith base64offset "x")", "E0500", "`base64offset` requires `contains`", "4:22"},
    {R"(keywords base64offset "x")", "E0500", "`base64offset` requires `contains`", "4:18"},
    {R"(a contains all windash ["-x", "-y"])", "E0500", "`windash` cannot be combined with `all`",
     "4:24"},
    {R"(a contains windash windash "-x")", "E0500", "`windash` is repeated", "4:28"},
    {R"(a contains cased cased "x")", "E0500", "`cased` is repeated", "4:26"},
    {R"(a == cased 42)", "E0500", "`cased` only applies to string comparisons", "4:14"},
    {R"(a == cased ["x", null, true])", "E0500", "`cased` only applies to string comparisons",
     "4:14"},
    {R"(n > cased 5)", "E0500", "`cased` only applies to string comparisons", "4:13"},
    {R"(ip in cidr cased "10.0.0.0/8")", "E0500", "`cased` only applies to string comparisons",
     "4:20"},
    {R"(hour(ts) == cased 3)", "E0500", "`cased` only applies to string comparisons", "4:21"},
    {R"(a contains cased field(b))", "E0500", "`cased` only applies to string comparisons",
     "4:20"},
    {R"(a like base64 "x*")", "E0500", "`base64` cannot encode a `like` pattern", "4:16"},
    {R"(a like wide base64 "x*")", "E0500", "`wide` cannot encode a `like` pattern", "4:16"},
    {R"(n < base64 5)", "E0500", "`base64` cannot be used with `<`", "4:13"},
    {R"(ip in cidr windash "10.0.0.0/8")", "E0500", "`windash` cannot be used with `in cidr`",
     "4:20"},
    {R"(hour(ts) == windash 3)", "E0500", "`windash` cannot be used with `hour(...)`", "4:21"},
    {R"(a contains wide "x")", "E0500", "`wide` must be followed by `base64` or `base64offset`",
     "4:20"},
    {R"(a contains base64offset utf16le "x")", "E0500",
     "`utf16le` must be followed by `base64` or `base64offset`", "4:33"},
    {R"(a contains wide utf16le base64offset "x")", "E0500", "`utf16le` conflicts with `wide`",
     "4:25"},
    {R"(a contains base64offset windash "-x")", "E0500",
     "`windash` must come before `base64offset`", "4:33"},
    {R"(a == base64 expand "%x%")", "E0500", "`expand` must come before `base64`", "4:21"},
    {R"(a matches [/x/i, /y/])", "E0500",
     "all regular expressions of one predicate need the same flags", "4:26"},
    // values
    {R"(a == base64 42)", "E0505", "`base64` applies to strings, found a number", "4:21"},
    {R"(a == windash null)", "E0505", "`windash` applies to strings, found `null`", "4:22"},
    {R"(a == expand true)", "E0505", "`expand` applies to strings, found a boolean", "4:21"},
    {R"(n < "5")", "E0505", "`<` needs a number, found a string", "4:13"},
    {R"(n >= true)", "E0505", "`>=` needs a number, found a boolean", "4:14"},
    {R"(n > null)", "E0505", "`>` needs a number, found `null`", "4:13"},
    {R"(a == ["x", null])", "E0506", "`null` cannot be part of a list of values", "4:20"},
    {R"(a == [null])", "E0506", "`null` cannot be part of a list of values", "4:15"},
    {R"(keywords ["x", null])", "E0506", "`null` cannot be part of a list of values", "4:24"},
    {R"(a != null)", "E0505", "`!= null` is not a Sigma comparison", "4:14"},
    {R"(a contains null)", "E0505", "`contains` needs a string, found `null`", "4:20"},
    {R"(a startswith true)", "E0505", "`startswith` needs a string, found a boolean", "4:22"},
    {R"(a endswith 42)", "E0505", "`endswith` needs a string, found a number", "4:20"},
    {R"(a like 42)", "E0505", "`like` needs a string, found a number", "4:16"},
    {R"(keywords true)", "E0505", "`keywords` needs strings or numbers, found a boolean", "4:18"},
    {R"(keywords null)", "E0505", "`keywords` needs strings or numbers, found `null`", "4:18"},
    {R"(a == "\xff")", "E0505", "string is not valid UTF-8", "4:14"},
    {R"(keywords "ok\xc3")", "E0505", "string is not valid UTF-8", "4:18"},
    {R"(a == /x/)", "E0505", "a regular expression needs `matches`", "4:14"},
    {R"(a matches "x")", "E0505", "`matches` needs a regular expression", "4:19"},
    {R"(ip in cidr 10)", "E0505", "`in cidr` needs a network", "4:20"},
    {R"(a like field(b))", "E0505", "`like` cannot compare with a field reference", "4:16"},
    {R"(n > field(b))", "E0505", "`>` cannot compare with a field reference", "4:13"},
    {R"(keywords field(b))", "E0505", "`keywords` cannot compare with a field reference", "4:18"},
    {R"(a == [field(b), "c"])", "E0505", "field references cannot be mixed with other values",
     "4:25"},
    {R"(a == expand "plain")", "E0511", "the value has no `%placeholder%` to expand", "4:21"},
    {R"(a == expand "%open")", "E0511", "the placeholder starting with `%` is not closed",
     "4:21"},
    // regular expressions and networks
    {R"(a matches /ab(c/)", "E0501", "invalid regular expression: missing closing parenthesis",
     "4:24"},
    {R"(a matches /a{2,1}/)", "E0501", "invalid regular expression: numbers out of order",
     "4:25"},
    {R"(a matches /x/q)", "E0501", "unknown regular expression flag `q`", "4:19"},
    {R"(a matches /x/ii)", "E0501", "regular expression flag `i` is repeated", "4:19"},
    {R"(ip in cidr "10.0.0.0/33")", "E0504",
     "prefix length /33 is longer than the 32 bits of an IPv4 address", "4:20"},
    {R"(ip in cidr "10.0.0.1/8")", "E0504", "`10.0.0.1/8` has host bits set", "4:20"},
    {R"(ip in cidr "example.com")", "E0504", "`example.com` is not an IPv4 address", "4:20"},
    // time parts
    {"hours(ts) >= 2", "E0508", "unknown time part `hours`", "4:9"},
    {"hour(ts) == 24", "E0505", "`hour` is between 0 and 23, found 24", "4:21"},
    {"minute(ts) > 60", "E0505", "`minute` is between 0 and 59, found 60", "4:22"},
    {"day(ts) == 0", "E0505", "`day` is between 1 and 31, found 0", "4:20"},
    {"week(ts) == 54", "E0505", "`week` is between 1 and 53, found 54", "4:21"},
    {"month(ts) == 13", "E0505", "`month` is between 1 and 12, found 13", "4:22"},
    {"hour(ts) == 1.5", "E0505", "`hour(...)` needs a whole number, found a number", "4:21"},
    {R"(hour(ts) == "3")", "E0505", "`hour(...)` needs a whole number, found a string", "4:21"},
    {R"(hour(ts) contains "1")", "E0505", "`contains` cannot compare a time part", "4:18"},
    {"hour(ts) == field(x)", "E0505", "`hour(...)` cannot compare with a field reference",
     "4:21"},
};

TEST(SigmaPredicateTest, Diagnostics) {
  for (const DiagCase& c : kDiags) {
    SigmaHarness h(Rule(c.when));
    EXPECT_TRUE(h.Has(c.code, c.message, c.where)) << "when: " << c.when;
  }
}

TEST(SigmaPredicateTest, HelpTextsGuideTheFix) {
  auto help_of = [](const SigmaHarness& h, std::string_view code) -> std::string {
    for (const Diagnostic& d : h.diags()) {
      if (Info(d.code).id == code) return d.help.value_or("");
    }
    return "<no " + std::string(code) + ">";
  };
  EXPECT_EQ(help_of(SigmaHarness(Rule("a != null")), "E0505"),
            "to require a value write `a exists`; to require none write `not a exists` or "
            "`a == null`");
  EXPECT_EQ(help_of(SigmaHarness(Rule("hours(ts) >= 2")), "E0508"), "did you mean `hour`?");
  EXPECT_EQ(help_of(SigmaHarness(Rule(R"(ip in cidr "10.0.0.1/8")")), "E0504"),
            "the network is `10.0.0.0/8`");
  EXPECT_EQ(help_of(SigmaHarness(Rule(R"(n < "5")")), "E0505"), "write the number without quotes");
  EXPECT_EQ(help_of(SigmaHarness(Rule("a contains 42")), "E0505"), "quote the number: \"42\"");
  EXPECT_EQ(help_of(SigmaHarness(Rule(R"(a == ["x", null])")), "E0506"),
            "test for `null` in a predicate of its own, e.g. `a == null or a == [...]`");
}

TEST(SigmaPredicateTest, FixItsReplaceTheCulprit) {
  SigmaHarness h(Rule(R"(ip in cidr "10.0.0.1/8")"));
  ASSERT_EQ(h.diags().size(), 1u) << h.DiagList();
  ASSERT_EQ(h.diags()[0].fixits.size(), 1u);
  EXPECT_EQ(h.diags()[0].fixits[0].replacement, "\"10.0.0.0/8\"");
  SigmaHarness typo(Rule("mnth(ts) == 2"));
  ASSERT_EQ(typo.diags().size(), 1u) << typo.DiagList();
  ASSERT_EQ(typo.diags()[0].fixits.size(), 1u);
  EXPECT_EQ(typo.diags()[0].fixits[0].replacement, "month");
}

TEST(SigmaPredicateTest, RegexErrorPointsAtTheOffset) {
  SigmaHarness h(Rule("a matches /x(?<n>a)(?<n>b)/"));  // duplicate group name
  ASSERT_TRUE(h.Has("E0501", "invalid regular expression")) << h.DiagList();
  const Diagnostic& d = h.diags()[0];
  ASSERT_EQ(d.secondary.size(), 1u);
  EXPECT_EQ(h.Where(d.secondary[0].span), "4:19");  // the whole literal
  EXPECT_NE(d.primary.message.find("PCRE2 stopped at offset"), std::string::npos);
}

TEST(SigmaPredicateTest, ValidCombinationsAreQuiet) {
  for (const char* when : {
           R"(a contains base64offset "x")",
           R"(a contains utf16 base64offset "x")",
           R"(a contains all ["x", "y"])",
           R"(a like all ["*x*", "*y*"])",
           R"(a contains windash ["-x", "-y"])",
           R"(a == cased "X")",
           R"(a == ["x", 4, 1.5, true])",
           R"(a contains expand "%JumpServers%")",
           R"(a matches [/x/i, /y/i])",
           R"(ip in cidr "fe80::/10")",
           "hour(ts) == 0",
           "day(ts) == 31",
           "a == field(b)",
           R"(keywords ["a", "b"])",
       }) {
    SigmaHarness h(Rule(when));
    EXPECT_TRUE(h.Clean()) << "when: " << when;
  }
}

// The parser never builds these; hand-made ASTs check the defensive paths.
TEST(SigmaPredicateTest, EmptyListsAndFieldsFromHandBuiltAst) {
  DiagnosticEngine diags;
  ast::SigmaExpr keywords;
  keywords.kind = ast::SigmaExpr::Kind::kKeywords;
  keywords.span = {1, 0, 8};
  ir::SigmaExprPtr lowered = LowerSigmaLeaf(keywords, diags);
  ASSERT_EQ(diags.diagnostics().size(), 1u);
  EXPECT_EQ(diags.diagnostics()[0].code, DiagCode::kEmptyValue);
  EXPECT_EQ(diags.diagnostics()[0].message, "empty keyword list");
  EXPECT_EQ(lowered->kind, ir::SigmaExpr::Kind::kMatch);
  EXPECT_TRUE(lowered->field.empty());

  DiagnosticEngine field_diags;
  ast::SigmaExpr exists;
  exists.kind = ast::SigmaExpr::Kind::kExists;
  exists.field.span = {1, 3, 3};
  lowered = LowerSigmaLeaf(exists, field_diags);
  ASSERT_EQ(field_diags.diagnostics().size(), 1u);
  EXPECT_EQ(field_diags.diagnostics()[0].message, "empty field name");
  EXPECT_EQ(lowered->modifiers, std::vector<ir::SigmaModifier>{ir::SigmaModifier::kExists});
}

}  // namespace
}  // namespace ward::sema::testing
