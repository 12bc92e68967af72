// Each Sigma modifier, wildcards and case rules, over hand-built predicates.

#include <gtest/gtest.h>

#include "tests/eval/eval_testlib.h"

namespace ward::eval_test {
namespace {

const json kCmd = {{"CommandLine", "powershell.exe -NoProfile -EncodedCommand SQBFAFgA"},
                   {"Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"}};

TEST(EvalPlainTest, EqualityIsCaseInsensitiveAndWhole) {
  EXPECT_TRUE(Matches(Leaf("user", {}, {Str("Alice")}), {{"user", "alice"}}));
  EXPECT_TRUE(Matches(Leaf("user", {}, {Str("alice")}), {{"user", "ALICE"}}));
  EXPECT_FALSE(Matches(Leaf("user", {}, {Str("alice")}), {{"user", "alice2"}}));
  EXPECT_FALSE(Matches(Leaf("user", {}, {Str("alice")}), {{"other", "alice"}}));
}

TEST(EvalPlainTest, NonAsciiCaseFolding) {
  EXPECT_TRUE(Matches(Leaf("name", {}, {Str("ÉCOLE")}), {{"name", "école"}}));
  EXPECT_TRUE(Matches(Leaf("name", {}, {Str("ΣΟΦΙΑ")}), {{"name", "σοφια"}}));
  EXPECT_TRUE(Matches(Leaf("name", {}, {Str("ПРИВЕТ")}), {{"name", "привет"}}));
}

TEST(EvalPlainTest, ListsAreOred) {
  auto expr = [] { return Leaf("role", {}, {Str("admin"), Str("root")}); };
  EXPECT_TRUE(Matches(expr(), {{"role", "root"}}));
  EXPECT_FALSE(Matches(expr(), {{"role", "user"}}));
}

TEST(EvalPlainTest, LiteralValuesHaveNoWildcards) {
  EXPECT_TRUE(Matches(Leaf("path", {}, {Str("/tmp/*")}), {{"path", "/tmp/*"}}));
  EXPECT_FALSE(Matches(Leaf("path", {}, {Str("/tmp/*")}), {{"path", "/tmp/file"}}));
  EXPECT_FALSE(Matches(Leaf("c", {}, {Str("a?c")}), {{"c", "abc"}}));
}

TEST(EvalCasedTest, CasedIsCaseSensitive) {
  EXPECT_TRUE(Matches(Leaf("user", {Mod::kCased}, {Str("Alice")}), {{"user", "Alice"}}));
  EXPECT_FALSE(Matches(Leaf("user", {Mod::kCased}, {Str("Alice")}), {{"user", "alice"}}));
  EXPECT_FALSE(
      Matches(Leaf("Image", {Mod::kEndsWith, Mod::kCased}, {Str("\\PowerShell.exe")}), kCmd));
  EXPECT_TRUE(Matches(Leaf("Image", {Mod::kEndsWith}, {Str("\\PowerShell.exe")}), kCmd));
}

TEST(EvalWildcardTest, StarAndQuestionMark) {
  EXPECT_TRUE(Matches(Leaf("Image", {}, {Like("*\\powershell.exe")}), kCmd));
  // In Sigma syntax `\*` is a literal star: a backslash before a wildcard is `\\*`.
  EXPECT_TRUE(Matches(Leaf("Image", {}, {Like("C:\\Windows\\\\*\\v?.0\\\\*")}), kCmd));
  EXPECT_FALSE(Matches(Leaf("Image", {}, {Like("C:\\Windows\\\\*\\v??.0\\\\*")}), kCmd));
  EXPECT_FALSE(Matches(Leaf("Image", {}, {Like("C:\\Windows\\*")}), kCmd));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("a*b*c")}), {{"x", "aXXbYYc"}}));
  EXPECT_FALSE(Matches(Leaf("x", {}, {Like("a*b*c")}), {{"x", "aXXbYYcd"}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("*")}), {{"x", ""}}));
  EXPECT_FALSE(Matches(Leaf("x", {}, {Like("?")}), {{"x", ""}}));
}

TEST(EvalWildcardTest, QuestionMarkIsOneCharacterNotOneByte) {
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("caf?")}), {{"x", "café"}}));
  EXPECT_FALSE(Matches(Leaf("x", {}, {Like("caf??")}), {{"x", "café"}}));
}

TEST(EvalWildcardTest, Escapes) {
  // \* and \? are literal; \\ is one backslash; a backslash before any
  // other character (or at the end) stays a backslash.
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("rm -rf /\\*")}), {{"x", "rm -rf /*"}}));
  EXPECT_FALSE(Matches(Leaf("x", {}, {Like("rm -rf /\\*")}), {{"x", "rm -rf /tmp"}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("why\\?")}), {{"x", "why?"}}));
  EXPECT_FALSE(Matches(Leaf("x", {}, {Like("why\\?")}), {{"x", "whyz"}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("a\\\\*")}), {{"x", "a\\anything"}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("a\\\\\\*")}), {{"x", "a\\*"}}));
  EXPECT_FALSE(Matches(Leaf("x", {}, {Like("a\\\\\\*")}), {{"x", "a\\b"}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("C:\\Temp\\\\*")}), {{"x", "C:\\Temp\\a.exe"}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("C:\\Temp\\*")}), {{"x", "C:\\Temp*"}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Like("trailing\\")}), {{"x", "trailing\\"}}));
}

TEST(EvalStringModifierTest, ContainsStartsWithEndsWith) {
  EXPECT_TRUE(Matches(Leaf("CommandLine", {Mod::kContains}, {Str("-encodedcommand")}), kCmd));
  EXPECT_FALSE(Matches(Leaf("CommandLine", {Mod::kContains}, {Str("-enc ")}), kCmd));
  EXPECT_TRUE(Matches(Leaf("CommandLine", {Mod::kStartsWith}, {Str("POWERSHELL")}), kCmd));
  EXPECT_FALSE(Matches(Leaf("CommandLine", {Mod::kStartsWith}, {Str("-NoProfile")}), kCmd));
  EXPECT_TRUE(Matches(Leaf("CommandLine", {Mod::kEndsWith}, {Str("sqbfafga")}), kCmd));
  EXPECT_FALSE(Matches(Leaf("CommandLine", {Mod::kEndsWith}, {Str("powershell")}), kCmd));
  // A `contains` value keeps wildcards of its own when it is a pattern.
  EXPECT_TRUE(Matches(Leaf("CommandLine", {Mod::kContains}, {Like("-no*-enc")}), kCmd));
  // ...and a literal one does not.
  EXPECT_FALSE(Matches(Leaf("CommandLine", {Mod::kContains}, {Str("-no*-enc")}), kCmd));
}

TEST(EvalStringModifierTest, AllRequiresEveryValue) {
  auto expr = [](std::string second) {
    return Leaf("CommandLine", {Mod::kContains, Mod::kAll}, {Str("-noprofile"), Str(second)});
  };
  EXPECT_TRUE(Matches(expr("-encodedcommand"), kCmd));
  EXPECT_FALSE(Matches(expr("-windowstyle"), kCmd));
}

TEST(EvalStringModifierTest, NeqIsTheNegationOfEquality) {
  EXPECT_TRUE(Matches(Leaf("role", {Mod::kNeq}, {Str("admin")}), {{"role", "user"}}));
  EXPECT_FALSE(Matches(Leaf("role", {Mod::kNeq}, {Str("admin")}), {{"role", "ADMIN"}}));
  // With a list, the field differs from either value: nearly always true.
  EXPECT_TRUE(Matches(Leaf("role", {Mod::kNeq}, {Str("admin"), Str("root")}), {{"role", "root"}}));
  EXPECT_FALSE(Matches(Leaf("role", {Mod::kNeq, Mod::kAll}, {Str("admin"), Str("root")}),
                       {{"role", "root"}}));
  EXPECT_TRUE(Matches(Leaf("count", {Mod::kNeq}, {Int(3)}), {{"count", 4}}));
  EXPECT_FALSE(Matches(Leaf("count", {Mod::kNeq}, {Int(3)}), {{"count", 3}}));
}

TEST(EvalStringModifierTest, WindashTriesEveryDash) {
  auto expr = [] { return Leaf("CommandLine", {Mod::kWindash, Mod::kContains}, {Str(" -enc ")}); };
  for (std::string dash : {"-", "/", "\u2013", "\u2014", "\u2015"}) {
    EXPECT_TRUE(Matches(expr(), {{"CommandLine", "powershell " + dash + "enc AAAA"}})) << dash;
  }
  EXPECT_FALSE(Matches(expr(), {{"CommandLine", "powershell +enc AAAA"}}));
  // Every occurrence is permuted independently (the specification's reading).
  EXPECT_TRUE(Matches(Leaf("c", {Mod::kWindash}, {Str("a-b/c")}), {{"c", "a/b\u2014c"}}));
}

TEST(EvalStringModifierTest, WindashBeforeAnEncodingPermutesTheText) {
  // base64("-x") = "LXg=", base64("/x") = "L3g="
  auto expr = [] { return Leaf("p", {Mod::kWindash, Mod::kBase64}, {Str("-x")}); };
  EXPECT_TRUE(Matches(expr(), {{"p", "LXg="}}));
  EXPECT_TRUE(Matches(expr(), {{"p", "L3g="}}));
  EXPECT_FALSE(Matches(expr(), {{"p", "K3g="}}));
}

TEST(EvalRegexTest, CaseSensitiveByDefaultAndFlags) {
  EXPECT_TRUE(Matches(Leaf("k", {Mod::kRe}, {Str("AKIA[0-9A-Z]{16}")}),
                      {{"k", "key AKIAIOSFODNN7EXAMPLE here"}}));
  EXPECT_FALSE(Matches(Leaf("k", {Mod::kRe}, {Str("AKIA[0-9A-Z]{16}")}),
                       {{"k", "key akiaiosfodnn7example here"}}));
  EXPECT_TRUE(Matches(Leaf("k", {Mod::kRe, Mod::kReI}, {Str("AKIA[0-9A-Z]{16}")}),
                      {{"k", "key akiaiosfodnn7example here"}}));
  EXPECT_FALSE(Matches(Leaf("t", {Mod::kRe}, {Str("^second$")}), {{"t", "first\nsecond"}}));
  EXPECT_TRUE(
      Matches(Leaf("t", {Mod::kRe, Mod::kReM}, {Str("^second$")}), {{"t", "first\nsecond"}}));
  EXPECT_FALSE(Matches(Leaf("t", {Mod::kRe}, {Str("first.second")}), {{"t", "first\nsecond"}}));
  EXPECT_TRUE(
      Matches(Leaf("t", {Mod::kRe, Mod::kReS}, {Str("first.second")}), {{"t", "first\nsecond"}}));
}

TEST(EvalRegexTest, InvalidRegexDoesNotCompile) {
  auto errors = CompileErrors(Leaf("k", {Mod::kRe}, {Str("(unclosed")}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("invalid regular expression"), std::string::npos);
}

TEST(EvalRegexTest, InvalidUtf8SubjectIsNotAnError) {
  EXPECT_TRUE(Matches(Leaf("k", {Mod::kRe}, {Str("ab")}), {{"k", std::string("\xff"
                                                                             "ab")}}));
}

TEST(EvalEncodingTest, Base64) {
  // base64("whoami") = "d2hvYW1p"
  EXPECT_TRUE(Matches(Leaf("p", {Mod::kBase64}, {Str("whoami")}), {{"p", "d2hvYW1p"}}));
  EXPECT_TRUE(
      Matches(Leaf("p", {Mod::kBase64, Mod::kContains}, {Str("whoami")}), {{"p", "xxd2hvYW1pxx"}}));
  // Base64 text is case-significant.
  EXPECT_FALSE(Matches(Leaf("p", {Mod::kBase64}, {Str("whoami")}), {{"p", "D2HVYW1P"}}));
}

TEST(EvalEncodingTest, Base64OffsetFindsTheTextAtEachOffset) {
  auto expr = [] { return Leaf("p", {Mod::kBase64Offset, Mod::kContains}, {Str("ping")}); };
  EXPECT_TRUE(Matches(expr(), {{"p", "cGluZyB0aGUgaG9zdA=="}}));  // "ping the host"
  EXPECT_TRUE(Matches(expr(), {{"p", "eHBpbmc="}}));              // "xping"
  EXPECT_TRUE(Matches(expr(), {{"p", "eHhwaW5nIHRoZSBob3N0"}}));  // "xxping the host"
  EXPECT_FALSE(Matches(expr(), {{"p", "cG9uZw=="}}));             // "pong"
}

TEST(EvalEncodingTest, Utf16ThenBase64) {
  // "   Invoke-Expression  " in UTF-16LE, base64-encoded.
  const json event = {{"p", "ICAgSQBuAHYAbwBrAGUALQBFAHgAcAByAGUAcwBzAGkAbwBuACAg"}};
  EXPECT_TRUE(Matches(
      Leaf("p", {Mod::kWide, Mod::kBase64Offset, Mod::kContains}, {Str("Invoke-Expression")}),
      event));
  EXPECT_TRUE(Matches(
      Leaf("p", {Mod::kUtf16le, Mod::kBase64Offset, Mod::kContains}, {Str("Invoke-Expression")}),
      event));
  EXPECT_FALSE(
      Matches(Leaf("p", {Mod::kBase64Offset, Mod::kContains}, {Str("Invoke-Expression")}), event));
  EXPECT_TRUE(Matches(Leaf("p", {Mod::kUtf16be, Mod::kBase64}, {Str("cmd")}), {{"p", "AGMAbQBk"}}));
  EXPECT_TRUE(
      Matches(Leaf("p", {Mod::kUtf16, Mod::kBase64}, {Str("cmd")}), {{"p", "//5jAG0AZAA="}}));
  EXPECT_TRUE(Matches(Leaf("p", {Mod::kWide, Mod::kBase64}, {Str("cmd")}), {{"p", "YwBtAGQA"}}));
}

TEST(EvalNumericTest, Comparisons) {
  const json event = {{"tokens", 1500}, {"ratio", 0.25}, {"text_number", "1500"}};
  EXPECT_TRUE(Matches(Leaf("tokens", {Mod::kGt}, {Int(1000)}), event));
  EXPECT_FALSE(Matches(Leaf("tokens", {Mod::kGt}, {Int(1500)}), event));
  EXPECT_TRUE(Matches(Leaf("tokens", {Mod::kGte}, {Int(1500)}), event));
  EXPECT_TRUE(Matches(Leaf("tokens", {Mod::kLt}, {Int(1501)}), event));
  EXPECT_FALSE(Matches(Leaf("tokens", {Mod::kLt}, {Int(1500)}), event));
  EXPECT_TRUE(Matches(Leaf("tokens", {Mod::kLte}, {Int(1500)}), event));
  EXPECT_TRUE(Matches(Leaf("ratio", {Mod::kLt}, {Real(0.5)}), event));
  // A string holding a number compares as that number.
  EXPECT_TRUE(Matches(Leaf("text_number", {Mod::kGte}, {Int(1000)}), event));
  EXPECT_FALSE(Matches(Leaf("missing", {Mod::kGte}, {Int(0)}), event));
  EXPECT_FALSE(Matches(Leaf("tokens", {Mod::kGte}, {Int(0)}), {{"tokens", "many"}}));
}

TEST(EvalNumericTest, NumbersAndStrings) {
  // An integer value matches the number and its decimal text; a string
  // value matches a number's JSON text.
  EXPECT_TRUE(Matches(Leaf("EventID", {}, {Int(4688)}), {{"EventID", 4688}}));
  EXPECT_TRUE(Matches(Leaf("EventID", {}, {Int(4688)}), {{"EventID", "4688"}}));
  EXPECT_FALSE(Matches(Leaf("EventID", {}, {Int(4688)}), {{"EventID", "4688x"}}));
  EXPECT_FALSE(Matches(Leaf("EventID", {}, {Int(4688)}), {{"EventID", 46880}}));
  EXPECT_TRUE(Matches(Leaf("EventID", {}, {Str("4688")}), {{"EventID", 4688}}));
  EXPECT_TRUE(Matches(Leaf("EventID", {}, {Like("46*")}), {{"EventID", 4688}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Real(0.5)}), {{"x", 0.5}}));
  EXPECT_TRUE(Matches(Leaf("x", {}, {Int(1)}), {{"x", 1.0}}));
}

TEST(EvalNumericTest, Booleans) {
  EXPECT_TRUE(Matches(Leaf("stream", {}, {Bool(true)}), {{"stream", true}}));
  EXPECT_FALSE(Matches(Leaf("stream", {}, {Bool(true)}), {{"stream", false}}));
  EXPECT_TRUE(Matches(Leaf("stream", {}, {Bool(true)}), {{"stream", "True"}}));
  EXPECT_FALSE(Matches(Leaf("stream", {}, {Bool(true)}), {{"stream", 1}}));
}

TEST(EvalTimeTest, Parts) {
  const json event = {{"eventTime", "2026-12-24T23:15:42Z"}};
  EXPECT_TRUE(Matches(Leaf("eventTime", {Mod::kHour, Mod::kGte}, {Int(22)}), event));
  EXPECT_FALSE(Matches(Leaf("eventTime", {Mod::kHour, Mod::kLt}, {Int(6)}), event));
  EXPECT_TRUE(Matches(Leaf("eventTime", {Mod::kMinute}, {Int(15)}), event));
  EXPECT_TRUE(Matches(Leaf("eventTime", {Mod::kDay}, {Int(24)}), event));
  EXPECT_TRUE(Matches(Leaf("eventTime", {Mod::kMonth}, {Int(12)}), event));
  EXPECT_TRUE(Matches(Leaf("eventTime", {Mod::kYear}, {Int(2026)}), event));
  EXPECT_TRUE(Matches(Leaf("eventTime", {Mod::kWeek}, {Int(52)}), event));
  EXPECT_TRUE(Matches(Leaf("eventTime", {Mod::kMonth, Mod::kNeq}, {Int(11)}), event));
  // ISO weeks: 2027-01-01 is a Friday, in week 53 of 2026.
  EXPECT_TRUE(Matches(Leaf("t", {Mod::kWeek}, {Int(53)}), {{"t", "2027-01-01"}}));
  // No time-zone conversion: the hour is read as written.
  EXPECT_TRUE(Matches(Leaf("t", {Mod::kHour}, {Int(23)}), {{"t", "2026-12-24 23:15:42+05:00"}}));
  // Epoch seconds and milliseconds read as UTC: 1798150542 = 2026-12-24T22:15:42Z.
  EXPECT_TRUE(Matches(Leaf("t", {Mod::kHour}, {Int(22)}), {{"t", 1798150542}}));
  EXPECT_TRUE(Matches(Leaf("t", {Mod::kHour}, {Int(22)}), {{"t", 1798150542000}}));
  EXPECT_FALSE(Matches(Leaf("t", {Mod::kHour}, {Int(22)}), {{"t", "not a time"}}));
}

TEST(EvalCidrTest, Ipv4AndIpv6) {
  auto expr = [] {
    return Leaf("ip", {Mod::kCidr}, {Str("10.0.0.0/8"), Str("192.168.0.0/16"), Str("fd00::/8")});
  };
  EXPECT_TRUE(Matches(expr(), {{"ip", "10.1.2.3"}}));
  EXPECT_TRUE(Matches(expr(), {{"ip", "192.168.255.1"}}));
  EXPECT_FALSE(Matches(expr(), {{"ip", "192.169.0.1"}}));
  EXPECT_TRUE(Matches(expr(), {{"ip", "fd12:3456::1"}}));
  EXPECT_FALSE(Matches(expr(), {{"ip", "fe80::1"}}));
  EXPECT_TRUE(Matches(expr(), {{"ip", "::ffff:10.9.9.9"}}));  // IPv4-mapped
  EXPECT_FALSE(Matches(expr(), {{"ip", "not an address"}}));
  EXPECT_TRUE(Matches(Leaf("ip", {Mod::kCidr}, {Str("10.1.2.128/25")}), {{"ip", "10.1.2.200"}}));
  EXPECT_FALSE(Matches(Leaf("ip", {Mod::kCidr}, {Str("10.1.2.128/25")}), {{"ip", "10.1.2.100"}}));
  EXPECT_FALSE(CompileErrors(Leaf("ip", {Mod::kCidr}, {Str("10.0.0.0/33")})).empty());
}

TEST(EvalExpandTest, PlaceholdersComeFromTheCaller) {
  eval::EvalOptions options;
  options.placeholders["Administrators"] = {"admin", "svc-*"};
  auto expr = [] { return Leaf("User", {Mod::kExpand}, {Str("CORP\\\\%Administrators%")}); };
  EXPECT_TRUE(Matches(expr(), {{"User", "corp\\admin"}}, options));
  EXPECT_TRUE(Matches(expr(), {{"User", "CORP\\svc-backup"}}, options));
  EXPECT_FALSE(Matches(expr(), {{"User", "CORP\\bob"}}, options));
  // An escaped percent sign is literal.
  EXPECT_TRUE(Matches(Leaf("p", {Mod::kExpand}, {Str("50\\% of %Administrators%")}),
                      {{"p", "50% of admin"}}, options));
  // A placeholder without values: the rule is refused, as the specification asks.
  auto errors = CompileErrors(Leaf("User", {Mod::kExpand}, {Str("%DomainControllers%")}), options);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "placeholder `%DomainControllers%` has no value");
}

TEST(EvalFieldrefTest, ComparesTwoFields) {
  const json same = {{"approver", "Alice"}, {"requester", "alice"}};
  const json other = {{"approver", "bob"}, {"requester", "alice"}};
  EXPECT_TRUE(Matches(Leaf("approver", {Mod::kFieldref}, {Str("requester")}), same));
  EXPECT_FALSE(Matches(Leaf("approver", {Mod::kFieldref}, {Str("requester")}), other));
  EXPECT_TRUE(Matches(Leaf("approver", {Mod::kFieldref, Mod::kNeq}, {Str("requester")}), other));
  EXPECT_FALSE(Matches(Leaf("approver", {Mod::kFieldref, Mod::kCased}, {Str("requester")}), same));
  EXPECT_TRUE(Matches(Leaf("cmd", {Mod::kFieldref, Mod::kContains}, {Str("file")}),
                      {{"cmd", "cat /etc/passwd"}, {"file", "/etc/passwd"}}));
  EXPECT_FALSE(Matches(Leaf("approver", {Mod::kFieldref}, {Str("missing")}), same));
}

TEST(EvalExistsTest, PresenceOnly) {
  EXPECT_TRUE(Matches(Leaf("a", {Mod::kExists}, {Bool(true)}), {{"a", ""}}));
  EXPECT_TRUE(Matches(Leaf("a", {Mod::kExists}, {Bool(true)}), {{"a", nullptr}}));
  EXPECT_FALSE(Matches(Leaf("a", {Mod::kExists}, {Bool(true)}), {{"b", 1}}));
  EXPECT_TRUE(Matches(Leaf("a", {Mod::kExists}, {Bool(false)}), {{"b", 1}}));
  EXPECT_TRUE(Matches(Leaf("a.b", {Mod::kExists}, {Bool(true)}), {{"a", {{"b", 0}}}}));
}

TEST(EvalNullTest, NullMeansAbsentOrNull) {
  EXPECT_TRUE(Matches(Leaf("a", {}, {Null()}), {{"b", 1}}));
  EXPECT_TRUE(Matches(Leaf("a", {}, {Null()}), {{"a", nullptr}}));
  EXPECT_FALSE(Matches(Leaf("a", {}, {Null()}), {{"a", ""}}));
  EXPECT_FALSE(Matches(Leaf("a", {}, {Null()}), {{"a", "x"}}));
  EXPECT_TRUE(Matches(Not(Leaf("a", {}, {Null()})), {{"a", "x"}}));
}

TEST(EvalEmptyTest, EmptyStringMeansPresentAndEmpty) {
  EXPECT_TRUE(Matches(Leaf("a", {}, {Str("")}), {{"a", ""}}));
  EXPECT_FALSE(Matches(Leaf("a", {}, {Str("")}), {{"a", " "}}));
  EXPECT_FALSE(Matches(Leaf("a", {}, {Str("")}), {{"b", ""}}));
  EXPECT_FALSE(Matches(Leaf("a", {}, {Str("")}), {{"a", nullptr}}));
}

TEST(EvalKeywordTest, SearchesEveryStringOfTheEvent) {
  const json event = {{"proc", {{"args", {"python", "-c", "import pickle; pickle.loads(x)"}}}},
                      {"pid", 42}};
  EXPECT_TRUE(Matches(Keywords({}, {Str("PICKLE.LOADS")}), event));
  EXPECT_TRUE(Matches(Keywords({}, {Str("torch.load"), Str("pickle.loads")}), event));
  EXPECT_FALSE(Matches(Keywords({}, {Str("torch.load")}), event));
  EXPECT_TRUE(Matches(Keywords({Mod::kAll}, {Str("python"), Str("pickle")}), event));
  EXPECT_FALSE(Matches(Keywords({Mod::kAll}, {Str("python"), Str("torch")}), event));
  // Only string values are searched, not numbers or keys.
  EXPECT_FALSE(Matches(Keywords({}, {Str("42")}), event));
  EXPECT_FALSE(Matches(Keywords({}, {Str("args")}), event));
  EXPECT_TRUE(Matches(Keywords({}, {Like("import*loads")}), event));
}

TEST(EvalFieldTest, NestedAndFlatDottedFields) {
  auto expr = [] { return Leaf("gen_ai.prompt", {Mod::kContains}, {Str("ignore")}); };
  EXPECT_TRUE(Matches(expr(), {{"gen_ai.prompt", "please IGNORE that"}}));
  EXPECT_TRUE(Matches(expr(), {{"gen_ai", {{"prompt", "please ignore that"}}}}));
  EXPECT_TRUE(Matches(Leaf("a.b.c", {}, {Str("x")}), {{"a", {{"b.c", "x"}}}}));
  EXPECT_TRUE(Matches(Leaf("a.b.c", {}, {Str("x")}), {{"a.b", {{"c", "x"}}}}));
  EXPECT_FALSE(Matches(expr(), {{"gen_ai", "prompt ignore"}}));
}

TEST(EvalFieldTest, ArraysMatchAnyElement) {
  EXPECT_TRUE(Matches(Leaf("tags", {}, {Str("b")}), {{"tags", {"a", "b"}}}));
  EXPECT_FALSE(Matches(Leaf("tags", {}, {Str("c")}), {{"tags", {"a", "b"}}}));
  EXPECT_TRUE(Matches(Leaf("msgs.role", {}, {Str("system")}),
                      {{"msgs", {{{"role", "user"}}, {{"role", "system"}}}}}));
}

TEST(EvalLogicTest, SelectionsAndBooleanOperators) {
  std::vector<ir::SigmaSelection> selections;
  selections.push_back(Selection("tool", Leaf("op", {}, {Str("execute_tool")})));
  selections.push_back(Selection("filter_sandbox", Leaf("host", {}, {Str("sandbox")})));
  selections.push_back(Selection("both", And([] {
                                   std::vector<ir::SigmaExprPtr> c;
                                   c.push_back(Sel(0));
                                   c.push_back(Not(Sel(1)));
                                   return c;
                                 }())));
  auto rule = MakeRule("logic", Sel(2), std::move(selections));
  std::vector<eval::EvalError> errors;
  auto compiled = eval::SigmaRule::Compile(*rule, {}, {}, errors);
  ASSERT_TRUE(compiled) << errors[0].message;
  EXPECT_TRUE(compiled->Match({{"op", "execute_tool"}, {"host", "prod"}}));
  EXPECT_FALSE(compiled->Match({{"op", "execute_tool"}, {"host", "sandbox"}}));
  eval::Explanation why = compiled->Explain({{"op", "execute_tool"}, {"host", "sandbox"}});
  EXPECT_FALSE(why.matched);
  ASSERT_EQ(why.selections.size(), 3u);
  EXPECT_TRUE(why.selections[0].matched);
  EXPECT_TRUE(why.selections[1].matched);
  EXPECT_FALSE(why.selections[2].matched);
  const std::string text = why.ToText();
  EXPECT_NE(text.find("selection filter_sandbox: true"), std::string::npos) << text;
  EXPECT_NE(text.find("+ host: 'sandbox'  <- \"sandbox\""), std::string::npos) << text;
}

}  // namespace
}  // namespace ward::eval_test
