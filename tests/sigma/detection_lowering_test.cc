#include "backends/sigma/detection_lowering.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "backends/sigma/sigma_printer.h"
#include "tests/sigma/sigma_test_support.h"

namespace ward::sigma_test {
namespace {

using backends::sigma::DetectionLayout;
using ir::SigmaModifier;

struct Lowered {
  bool ok = false;
  std::string text;  // the `detection:` section as printed, without its header line
  std::vector<Diagnostic> diagnostics;
};

std::vector<ir::SigmaSelection> Lets() { return {}; }

// Lets("a", expr, "b", expr, ...): `let` selections in order.
template <typename... Rest>
std::vector<ir::SigmaSelection> Lets(std::string name, ir::SigmaExprPtr expr, Rest... rest) {
  std::vector<ir::SigmaSelection> out;
  ir::SigmaSelection s;
  s.name = std::move(name);
  s.expr = std::move(expr);
  out.push_back(std::move(s));
  for (ir::SigmaSelection& more : Lets(std::move(rest)...)) out.push_back(std::move(more));
  return out;
}

// Lowers `condition` (with `selections`) and prints only the detection section.
Lowered Lower(std::vector<ir::SigmaSelection> selections, ir::SigmaExprPtr condition,
              DetectionLayout layout = DetectionLayout::kRule) {
  DiagnosticEngine diags;
  Lowered out;
  std::optional<backends::sigma::Detection> detection =
      backends::sigma::LowerDetection(selections, *condition, layout, Span{1, 0, 1}, diags);
  out.diagnostics = diags.diagnostics();
  if (!detection) return out;
  out.ok = true;
  backends::sigma::RuleDocument doc;
  doc.meta.title = "t";
  doc.detection = std::move(*detection);
  std::string text = backends::sigma::PrintDocument(doc);
  size_t start = text.find("detection:\n");
  EXPECT_NE(start, std::string::npos);
  text = text.substr(start + 11);
  // Drop the 4-space indent of the section.
  std::string section, line;
  std::istringstream in(text);
  while (std::getline(in, line)) section += line.substr(std::min<size_t>(4, line.size())) + "\n";
  out.text = section;
  return out;
}

Lowered Lower(ir::SigmaExprPtr condition) { return Lower(Lets(), std::move(condition)); }

TEST(DetectionLoweringTest, OneMatchIsOneSelection) {
  EXPECT_EQ(Lower(Eq("user.role", "admin")).text,
            "selection:\n"
            "    user.role: 'admin'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, ValuesOfOneFieldInAnOrBecomeOneList) {
  EXPECT_EQ(Lower(OrOf(Match("Image", {SigmaModifier::kEndsWith}, {Str("\\cmd.exe")}),
                       Match("Image", {SigmaModifier::kEndsWith}, {Str("\\powershell.exe")})))
                .text,
            "selection:\n"
            "    Image|endswith:\n"
            "        - '\\cmd.exe'\n"
            "        - '\\powershell.exe'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, FieldsAndedTogetherBecomeOneMap) {
  EXPECT_EQ(Lower(AndOf(Eq("a", "1"), Match("b", {SigmaModifier::kStartsWith}, {Str("x")}),
                        Match("c", {SigmaModifier::kGt}, {Int(5)})))
                .text,
            "selection:\n"
            "    a: '1'\n"
            "    b|startswith: 'x'\n"
            "    c|gt: 5\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, ContainsOfOneFieldAndedBecomesContainsAll) {
  EXPECT_EQ(Lower(AndOf(Match("CommandLine", {SigmaModifier::kContains}, {Str("-enc")}),
                        Match("CommandLine", {SigmaModifier::kContains}, {Str("hidden")})))
                .text,
            "selection:\n"
            "    CommandLine|contains|all:\n"
            "        - '-enc'\n"
            "        - 'hidden'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, EqualityOfOneFieldAndedStaysInTwoIdentifiers) {
  // `a|all: [x, y]` would be flagged by SigmaHQ; two maps keep the meaning.
  Lowered r = Lower(AndOf(Eq("a", "x"), Eq("a", "y")));
  EXPECT_EQ(r.text,
            "selection_a_1:\n"
            "    a: 'x'\n"
            "selection_a_2:\n"
            "    a: 'y'\n"
            "condition: all of selection_*\n");
}

TEST(DetectionLoweringTest, MapsOredTogetherBecomeAListOfMaps) {
  EXPECT_EQ(Lower(OrOf(AndOf(Eq("a", "1"), Eq("b", "2")), Eq("c", "3"))).text,
            "selection:\n"
            "    - a: '1'\n"
            "      b: '2'\n"
            "    - c: '3'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, NegatedPartsBecomeMainFilters) {
  EXPECT_EQ(Lower(AndOf(Eq("a", "1"), Not(Eq("b", "2")), Not(Eq("c", "3")))).text,
            "selection:\n"
            "    a: '1'\n"
            "filter_main_b:\n"
            "    b: '2'\n"
            "filter_main_c:\n"
            "    c: '3'\n"
            "condition: selection and not 1 of filter_main_*\n");
}

TEST(DetectionLoweringTest, NotOfAConjunctionStaysOneIdentifier) {
  // not (a and b) is not (not a and not b): the map must not be split.
  EXPECT_EQ(Lower(AndOf(Eq("x", "1"), Not(AndOf(Eq("a", "1"), Eq("b", "2"))))).text,
            "selection:\n"
            "    x: '1'\n"
            "filter_main_a:\n"
            "    a: '1'\n"
            "    b: '2'\n"
            "condition: selection and not filter_main_a\n");
}

TEST(DetectionLoweringTest, LetNamesAreKept) {
  Lowered r = Lower(
      Lets("phrases", Match("prompt", {SigmaModifier::kContains}, {Str("a"), Str("b")}), "red_team",
           Eq("user.role", "red_team"), "optional_browsers", Eq("agent", "chrome")),
      AndOf(Sel(0), Not(Sel(1)), Not(Sel(2))));
  EXPECT_EQ(r.text,
            "selection_phrases:\n"
            "    prompt|contains:\n"
            "        - 'a'\n"
            "        - 'b'\n"
            "filter_main_red_team:\n"
            "    user.role: 'red_team'\n"
            "filter_optional_browsers:\n"
            "    agent: 'chrome'\n"
            "condition: selection_phrases and not filter_main_red_team and not "
            "filter_optional_browsers\n");
}

TEST(DetectionLoweringTest, LetNamesThatAreSigmaNamesAlreadyAreUsedAsIs) {
  Lowered r = Lower(Lets("selection_img", Eq("Image", "a"), "selection_cli", Eq("Cmd", "b")),
                    AndOf(Sel(0), Sel(1)));
  EXPECT_EQ(r.text,
            "selection_img:\n"
            "    Image: 'a'\n"
            "selection_cli:\n"
            "    Cmd: 'b'\n"
            "condition: all of selection_*\n");
}

TEST(DetectionLoweringTest, AnyOfLetsFoldsIntoOneOf) {
  Lowered r = Lower(Lets("sel_a", Eq("a", "1"), "sel_b", Eq("b", "2")), OrOf(Sel(0), Sel(1)));
  // No other identifier starts with `selection_`: the shortest pattern is exact.
  EXPECT_EQ(r.text,
            "selection_sel_a:\n"
            "    a: '1'\n"
            "selection_sel_b:\n"
            "    b: '2'\n"
            "condition: 1 of selection_*\n");
  // Beside another selection, the pattern names exactly the two lets.
  Lowered beside = Lower(Lets("sel_a", Eq("a", "1"), "sel_b", Eq("b", "2")),
                         AndOf(OrOf(Sel(0), Sel(1)), Eq("c", "3")));
  EXPECT_EQ(beside.text,
            "selection_c:\n"
            "    c: '3'\n"
            "selection_sel_a:\n"
            "    a: '1'\n"
            "selection_sel_b:\n"
            "    b: '2'\n"
            "condition: selection_c and 1 of selection_sel_*\n");
}

TEST(DetectionLoweringTest, ALetUsedTwiceIsOneIdentifier) {
  Lowered r = Lower(Lets("x", Eq("a", "1")),
                    OrOf(AndOf(Sel(0), Eq("b", "2")), AndOf(Sel(0), Eq("c", "3"))));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.text.find("selection_x:"), 0u) << r.text;
  EXPECT_EQ(r.text.find("selection_x:", 1), std::string::npos) << r.text;
  // The operands keep the order they were written in.
  EXPECT_NE(r.text.find("condition: selection_x and selection_b or selection_x and selection_c\n"),
            std::string::npos)
      << r.text;
}

TEST(DetectionLoweringTest, ParenthesesWherePrecedenceNeedsThem) {
  Lowered r = Lower(AndOf(OrOf(Eq("a", "1"), Not(Eq("b", "2"))), Eq("c", "3")));
  EXPECT_EQ(r.text,
            "selection_c:\n"
            "    c: '3'\n"
            "selection_a:\n"
            "    a: '1'\n"
            "filter_main_b:\n"
            "    b: '2'\n"
            "condition: selection_c and (selection_a or not filter_main_b)\n");
}

TEST(DetectionLoweringTest, NullHasItsOwnMapAndNotNullIsANegatedNullMap) {
  EXPECT_EQ(Lower(Match("a", {}, {Null(), Str("-")})).text,
            "selection:\n"
            "    - a: '-'\n"
            "    - a: null\n"
            "condition: selection\n");
  EXPECT_EQ(Lower(AndOf(Eq("b", "x"), Match("a", {SigmaModifier::kNeq}, {Null()}))).text,
            "selection:\n"
            "    b: 'x'\n"
            "filter_main_a:\n"
            "    a: null\n"
            "condition: selection and not filter_main_a\n");
}

TEST(DetectionLoweringTest, NullWithAComparisonModifierIsReported) {
  Lowered r = Lower(Match("a", {SigmaModifier::kContains}, {Null()}));
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, DiagCode::kSigmaCannotExpress);
  EXPECT_EQ(r.diagnostics[0].message, "`null` cannot be combined with the `contains` modifier");
  EXPECT_TRUE(r.diagnostics[0].help.has_value());
}

TEST(DetectionLoweringTest, NeqIsAModifier) {
  EXPECT_EQ(Lower(Match("status", {SigmaModifier::kNeq}, {Int(200)})).text,
            "selection:\n"
            "    status|neq: 200\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, KeywordsBecomeAListAndKeywordsAllAnAllMap) {
  EXPECT_EQ(Lower(Keywords({"mimikatz", "sekurlsa"})).text,
            "selection:\n"
            "    - 'mimikatz'\n"
            "    - 'sekurlsa'\n"
            "condition: selection\n");
  EXPECT_EQ(Lower(Keywords({"failed", "password"}, /*all=*/true)).text,
            "selection:\n"
            "    '|all':\n"
            "        - 'failed'\n"
            "        - 'password'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, AllWithASingleValueIsDropped) {
  EXPECT_EQ(Lower(Match("a", {SigmaModifier::kContains, SigmaModifier::kAll}, {Str("x")})).text,
            "selection:\n"
            "    a|contains: 'x'\n"
            "condition: selection\n");
  EXPECT_EQ(Lower(Keywords({"only"}, /*all=*/true)).text,
            "selection:\n"
            "    - 'only'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, DuplicateValuesAreWrittenOnce) {
  EXPECT_EQ(Lower(Match("a", {}, {Str("x"), Str("x")})).text,
            "selection:\n"
            "    a: 'x'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, ValuesAreEscapedUnlessTheyArePatternsOrRegexes) {
  EXPECT_EQ(Lower(OrOf(Match("a", {}, {Str("50% *off*?")}),
                       Match("b", {}, {Like("C:\\Users\\*\\AppData")}),
                       Match("c", {SigmaModifier::kRe, SigmaModifier::kReI}, {Str("^a.*\\d$")}),
                       Match("d", {SigmaModifier::kCidr}, {Str("10.0.0.0/8")})))
                .text,
            "selection:\n"
            "    - a: '50% \\*off\\*\\?'\n"
            "    - b: 'C:\\Users\\*\\AppData'\n"
            "    - c|re|i: '^a.*\\d$'\n"
            "    - d|cidr: '10.0.0.0/8'\n"
            "condition: selection\n");
}

TEST(DetectionLoweringTest, EveryModifierIsWrittenInSigmasOrder) {
  struct Case {
    std::vector<SigmaModifier> mods;
    ir::SigmaValue value;
    const char* key;
  };
  const std::vector<Case> cases = {
      {{SigmaModifier::kContains}, Str("x"), "f|contains"},
      {{SigmaModifier::kStartsWith}, Str("x"), "f|startswith"},
      {{SigmaModifier::kEndsWith}, Str("x"), "f|endswith"},
      {{SigmaModifier::kExists}, Bool(true), "f|exists"},
      {{SigmaModifier::kCased, SigmaModifier::kContains}, Str("x"), "f|contains|cased"},
      {{SigmaModifier::kNeq}, Str("x"), "f|neq"},
      {{SigmaModifier::kContains, SigmaModifier::kWindash}, Str("-x"), "f|windash|contains"},
      {{SigmaModifier::kReM, SigmaModifier::kReS, SigmaModifier::kRe}, Str("a"), "f|re|m|s"},
      {{SigmaModifier::kBase64}, Str("x"), "f|base64"},
      {{SigmaModifier::kContains, SigmaModifier::kBase64Offset},
       Str("x"),
       "f|base64offset|contains"},
      {{SigmaModifier::kUtf16le, SigmaModifier::kBase64Offset, SigmaModifier::kContains},
       Str("x"),
       "f|utf16le|base64offset|contains"},
      {{SigmaModifier::kUtf16be, SigmaModifier::kBase64}, Str("x"), "f|utf16be|base64"},
      {{SigmaModifier::kUtf16, SigmaModifier::kBase64}, Str("x"), "f|utf16|base64"},
      {{SigmaModifier::kWide, SigmaModifier::kBase64Offset, SigmaModifier::kContains},
       Str("x"),
       "f|wide|base64offset|contains"},
      {{SigmaModifier::kLt}, Int(1), "f|lt"},
      {{SigmaModifier::kLte}, Int(1), "f|lte"},
      {{SigmaModifier::kGt}, Float(1.5), "f|gt"},
      {{SigmaModifier::kGte}, Int(1), "f|gte"},
      {{SigmaModifier::kMinute}, Int(30), "f|minute"},
      {{SigmaModifier::kGte, SigmaModifier::kHour}, Int(22), "f|hour|gte"},
      {{SigmaModifier::kDay}, Int(1), "f|day"},
      {{SigmaModifier::kWeek}, Int(1), "f|week"},
      {{SigmaModifier::kMonth}, Int(1), "f|month"},
      {{SigmaModifier::kYear}, Int(2025), "f|year"},
      {{SigmaModifier::kCidr}, Str("::1/128"), "f|cidr"},
      {{SigmaModifier::kExpand}, Str("%Servers%"), "f|expand"},
      {{SigmaModifier::kFieldref}, Str("other"), "f|fieldref"},
      {{SigmaModifier::kNeq, SigmaModifier::kFieldref}, Str("other"), "f|fieldref|neq"},
  };
  for (const Case& c : cases) {
    Lowered r = Lower(Match("f", c.mods, {c.value}));
    ASSERT_TRUE(r.ok) << c.key;
    EXPECT_NE(r.text.find(std::string("    ") + c.key + ": "), std::string::npos) << c.key << "\n"
                                                                                  << r.text;
  }
}

TEST(DetectionLoweringTest, FilterLayoutNamesAnIdentifierSelection) {
  Lowered r = Lower(Lets(), Not(Eq("user.role", "red_team")), DetectionLayout::kFilter);
  EXPECT_EQ(r.text,
            "selection:\n"
            "    user.role: 'red_team'\n"
            "condition: not selection\n");
}

TEST(DetectionLoweringTest, InvalidUtf8IsReported) {
  Lowered r = Lower(Eq("a", std::string("\xff\xfe")));
  EXPECT_FALSE(r.ok);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].code, DiagCode::kSigmaCannotExpress);
}

}  // namespace
}  // namespace ward::sigma_test
