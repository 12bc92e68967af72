// What the printed rules look like: every string kind and modifier, every
// condition form, and parentheses exactly where YARA's precedence needs them.

#include <gtest/gtest.h>

#include "backends/yara/libyara_check.h"
#include "tests/yara/yara_testlib.h"

namespace ward::yara_test {
namespace {

using Q = YaraExpr::Quant;
using namespace std::string_literals;

// ---- conditions -----------------------------------------------------------------

TEST(ConditionPrinterTest, LiteralsAndKeywords) {
  EXPECT_EQ(PrintCondition(Bool(true)), "true");
  EXPECT_EQ(PrintCondition(Bin("<", Filesize(), Int(10485760))), "filesize < 10485760");
  EXPECT_EQ(PrintCondition(Bin("==", Entrypoint(), Int(0))), "entrypoint == 0");
  EXPECT_EQ(PrintCondition(Bin(">", Float(7.5), Float(-0.25))), "7.5 > -0.25");
  EXPECT_EQ(PrintCondition(Bin("==", Text("a\"b\n"), Text("x"))), R"("a\"b\n" == "x")");
  EXPECT_EQ(PrintCondition(Bin("matches", Member(Module("pe"), "dll_name"), Regex("^evil", true))),
            "pe.dll_name matches /^evil/i");
  EXPECT_EQ(PrintCondition(Bin("==", Int(INT64_MIN), Int(0))), "(-9223372036854775807 - 1) == 0");
}

TEST(ConditionPrinterTest, EveryComparisonOperator) {
  for (const char* op : {"==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "startswith",
                         "istartswith", "endswith", "iendswith", "iequals"}) {
    EXPECT_EQ(PrintCondition(Bin(op, Member(Module("pe"), "dll_name"), Text("x"))),
              std::string("pe.dll_name ") + op + " \"x\"");
  }
}

TEST(ConditionPrinterTest, StringForms) {
  EXPECT_EQ(PrintCondition(Str("$a")), "$a");
  EXPECT_EQ(PrintCondition(StrAt("$a", Int(0))), "$a at 0");
  EXPECT_EQ(PrintCondition(StrAt("$a", Bin("+", Offset("$b", Int(1)), Int(4)))),
            "$a at @b[1] + 4");
  EXPECT_EQ(PrintCondition(StrIn("$a", Int(0), Filesize())), "$a in (0..filesize)");
  EXPECT_EQ(PrintCondition(Bin(">", Count("$a"), Int(2))), "#a > 2");
  EXPECT_EQ(PrintCondition(Bin("==", CountIn("$a", Int(0), Int(100)), Int(1))),
            "#a in (0..100) == 1");
  EXPECT_EQ(PrintCondition(Bin("<", Offset("$a"), Int(9))), "@a < 9");
  EXPECT_EQ(PrintCondition(Bin("==", Length("$a", Int(1)), Int(3))), "!a[1] == 3");
  // The IR may also carry the other sigils; the kind decides which is printed.
  EXPECT_EQ(PrintCondition(Bin(">", Count("#a"), Int(0))), "#a > 0");
}

TEST(ConditionPrinterTest, OfWithEveryQuantifier) {
  EXPECT_EQ(PrintCondition(Of(Q::kAny, 0, {})), "any of them");
  EXPECT_EQ(PrintCondition(Of(Q::kAll, 0, {"$a", "$b*"})), "all of ($a, $b*)");
  EXPECT_EQ(PrintCondition(Of(Q::kNone, 0, {"$x*"})), "none of ($x*)");
  EXPECT_EQ(PrintCondition(Of(Q::kCount, 2, {})), "2 of them");
  EXPECT_EQ(PrintCondition(Of(Q::kPercent, 50, {"$a", "$b"})), "50% of ($a, $b)");
  EXPECT_EQ(PrintCondition(OfIn(Q::kAny, 0, {"$a"}, Int(0), Int(100))),
            "any of ($a) in (0..100)");
}

TEST(ConditionPrinterTest, Loops) {
  EXPECT_EQ(PrintCondition(ForOf(Q::kAny, 0, {"$a*"}, StrAt("$", Int(0)))),
            "for any of ($a*) : ($ at 0)");
  EXPECT_EQ(PrintCondition(ForOf(Q::kAll, 0, {}, Bin(">", Count("$"), Int(1)))),
            "for all of them : (# > 1)");
  EXPECT_EQ(PrintCondition(ForInRange(Q::kAll, 0, {"i"}, Int(1), Count("$a"),
                                      Bin("<", Offset("$a", LoopVar("i")), Int(100)))),
            "for all i in (1..#a) : (@a[i] < 100)");
  std::vector<YaraExprPtr> items;
  items.push_back(Int(1));
  items.push_back(Int(2));
  items.push_back(Int(3));
  EXPECT_EQ(PrintCondition(ForInList(Q::kCount, 2, {"k"}, std::move(items),
                                     StrAt("$a", LoopVar("k")))),
            "for 2 k in (1, 2, 3) : ($a at k)");
  EXPECT_EQ(PrintCondition(ForInExpr(
                Q::kAny, 0, {"s"}, Member(Module("pe"), "sections"),
                Bin("==", Member(LoopVar("s"), "name"), Text(".text")))),
            "for any s in pe.sections : (s.name == \".text\")");
  EXPECT_EQ(PrintCondition(ForInExpr(Q::kNone, 0, {"k", "v"},
                                     Member(Module("pe"), "version_info"),
                                     Bin("==", LoopVar("v"), Text("x")))),
            "for none k, v in pe.version_info : (v == \"x\")");
}

TEST(ConditionPrinterTest, ModulesMembersIndexesCalls) {
  EXPECT_EQ(PrintCondition(Bin(">=", Call(Member(Module("math"), "entropy"), Int(0), Filesize()),
                               Float(7.0))),
            "math.entropy(0, filesize) >= 7.0");
  EXPECT_EQ(PrintCondition(Bin("==", Call(Member(Module("hash"), "sha256"), Int(0), Filesize()),
                               Text("ab"))),
            "hash.sha256(0, filesize) == \"ab\"");
  EXPECT_EQ(PrintCondition(Bin("==", Member(Index(Member(Module("pe"), "sections"), Int(0)), "name"),
                               Text(".text"))),
            "pe.sections[0].name == \".text\"");
  EXPECT_EQ(PrintCondition(Bin("==", Call(Module("uint16"), Int(0)), Int(0x5A4D))),
            "uint16(0) == 23117");
  EXPECT_EQ(PrintCondition(Call(Member(Module("pe"), "exports"), Text("Run"))),
            "pe.exports(\"Run\")");
}

TEST(ConditionPrinterTest, CallWithTheFunctionNameInText) {
  // A built-in reader may come as `text` plus arguments only.
  auto call = std::make_unique<YaraExpr>();
  call->kind = YaraExpr::Kind::kCall;
  call->text = "uint32be";
  call->children.push_back(Int(4));
  EXPECT_EQ(PrintCondition(Bin("==", std::move(call), Int(1))), "uint32be(4) == 1");
}

TEST(ConditionPrinterTest, BooleanPrecedence) {
  EXPECT_EQ(PrintCondition(And(Str("$a"), Or(Str("$b"), Str("$c")))), "$a and ($b or $c)");
  EXPECT_EQ(PrintCondition(Or(Str("$a"), And(Str("$b"), Str("$c")))), "$a or $b and $c");
  EXPECT_EQ(PrintCondition(And(Str("$a"), And(Str("$b"), Str("$c")))), "$a and $b and $c");
  EXPECT_EQ(PrintCondition(Not(Or(Str("$a"), Str("$b")))), "not ($a or $b)");
  EXPECT_EQ(PrintCondition(Not(Str("$a"))), "not $a");
  EXPECT_EQ(PrintCondition(Not(Bin("==", Filesize(), Int(0)))), "not filesize == 0");
  EXPECT_EQ(PrintCondition(Not(Of(Q::kAny, 0, {}))), "not any of them");
  EXPECT_EQ(PrintCondition(And(Not(Str("$a")), StrAt("$b", Int(0)))), "not $a and $b at 0");
  EXPECT_EQ(PrintCondition(Defined(Member(Module("pe"), "number_of_sections"))),
            "defined pe.number_of_sections");
  EXPECT_EQ(PrintCondition(Not(Defined(Member(Module("pe"), "x")))), "not defined pe.x");
}

TEST(ConditionPrinterTest, ArithmeticPrecedenceAndAssociativity) {
  // (a + b) * c needs parentheses; a + b * c does not.
  EXPECT_EQ(PrintCondition(Bin("==", Bin("*", Bin("+", Int(1), Int(2)), Int(3)), Int(9))),
            "(1 + 2) * 3 == 9");
  EXPECT_EQ(PrintCondition(Bin("==", Bin("+", Int(1), Bin("*", Int(2), Int(3))), Int(7))),
            "1 + 2 * 3 == 7");
  // Left-associative: a - (b - c) keeps its parentheses, (a - b) - c drops them.
  EXPECT_EQ(PrintCondition(Bin("==", Bin("-", Int(9), Bin("-", Int(5), Int(1))), Int(5))),
            "9 - (5 - 1) == 5");
  EXPECT_EQ(PrintCondition(Bin("==", Bin("-", Bin("-", Int(9), Int(5)), Int(1)), Int(3))),
            "9 - 5 - 1 == 3");
  EXPECT_EQ(PrintCondition(Bin("==", Bin("\\", Int(9), Int(2)), Bin("%", Int(9), Int(5)))),
            "9 \\ 2 == 9 % 5");
  // Bitwise levels: | < ^ < & < shifts < additive.
  EXPECT_EQ(PrintCondition(Bin("==", Bin("&", Bin("|", Int(1), Int(2)), Int(3)), Int(3))),
            "(1 | 2) & 3 == 3");
  EXPECT_EQ(PrintCondition(Bin("==", Bin("|", Int(1), Bin("^", Int(2), Bin("&", Int(3), Int(4)))),
                               Int(3))),
            "1 | 2 ^ 3 & 4 == 3");
  EXPECT_EQ(PrintCondition(Bin("==", Bin("<<", Bin("+", Int(1), Int(1)), Int(2)), Int(8))),
            "1 + 1 << 2 == 8");
  EXPECT_EQ(PrintCondition(Bin("==", Bin("+", Int(1), Bin(">>", Int(8), Int(2))), Int(3))),
            "1 + (8 >> 2) == 3");
  EXPECT_EQ(PrintCondition(Bin("==", Un("~", Bin("&", Int(1), Int(2))), Int(-1))),
            "~(1 & 2) == -1");
  EXPECT_EQ(PrintCondition(Bin("==", Un("-", Un("-", Int(2))), Int(2))), "-(-2) == 2");
  EXPECT_EQ(PrintCondition(Bin("==", Bin("*", Int(2), Int(-3)), Int(-6))), "2 * -3 == -6");
}

// Whatever the printer decides, libyara must read the same value back: each
// condition below is true, so a rule made of it must match any input.
TEST(ConditionPrinterTest, PrintedArithmeticEvaluatesAsBuilt) {
  std::vector<YaraExprPtr> conditions;
  conditions.push_back(Bin("==", Bin("*", Bin("+", Int(1), Int(2)), Int(3)), Int(9)));
  conditions.push_back(Bin("==", Bin("-", Int(9), Bin("-", Int(5), Int(1))), Int(5)));
  conditions.push_back(Bin("==", Bin("&", Bin("|", Int(1), Int(2)), Int(3)), Int(3)));
  conditions.push_back(Bin("==", Bin("+", Int(1), Bin(">>", Int(8), Int(2))), Int(3)));
  conditions.push_back(Bin("==", Un("~", Bin("&", Int(1), Int(2))), Int(-1)));
  conditions.push_back(Bin("==", Un("-", Un("-", Int(2))), Int(2)));
  conditions.push_back(Bin("==", Int(INT64_MIN), Bin("-", Int(-INT64_MAX), Int(1))));
  conditions.push_back(Bin("==", Bin("\\", Int(9), Int(2)), Bin("%", Int(9), Int(5))));
  conditions.push_back(Not(And(Bool(true), Or(Bool(false), Bool(false)))));
  conditions.push_back(Bin(">", Float(7.5), Float(-0.25)));
  for (auto& condition : conditions) {
    const std::string text = PrintCondition(std::move(condition));
    auto compiled = backends::yara::CompileRules("rule t { condition: " + text + " }");
    ASSERT_TRUE(compiled.ok()) << text;
    EXPECT_EQ(backends::yara::ScanBytes(*compiled.rules, "x"), std::vector<std::string>{"t"})
        << text;
  }
}

// ---- strings and rules ------------------------------------------------------------

TEST(RulePrinterTest, EveryStringKind) {
  TestProgram t;
  std::vector<ir::YaraString> strings;
  strings.push_back(TextString("$text", "cos\nsystem \"q\" \\ \x01\xff"s));
  strings.push_back(HexString(
      "$hex", {Byte(0x8C), Wild(), Alt({HexBytes("6F 73"), HexBytes("70 6F 73 69 78")}),
               Byte(0x40, 0xF0), Byte(0x0A, 0x0F), Jump(2, 4), Byte(0x93), Jump(3, std::nullopt),
               Byte(0x94), Jump(std::nullopt, std::nullopt), Byte(0x95), Jump(6, 6), Byte(1)}));
  strings.push_back(RegexString("$re", "c(os|posix|nt)\\n(system|popen)/x", true, true));
  auto& d = t.AddYara("p", "kinds", std::move(strings), Of(Q::kAny, 0, {}));
  EXPECT_EQ(RuleText(t, d), R"(rule p__kinds {
  meta:
    description = "Test rule kinds"
    author = "Ward tests"
    date = "2025-01-02"
    id = ")" + ir::StableId(t.program(), d) + R"("
    severity = "high"
    score = 75
  strings:
    $text = "cos\nsystem \"q\" \\ \x01\xFF"
    $hex = { 8C ?? ( 6F 73 | 70 6F 73 69 78 ) 4? ?A [2-4] 93 [3-] 94 [-] 95 [6] 01 }
    $re = /c(os|posix|nt)\n(system|popen)\/x/is
  condition:
    any of them
}
)");
}

TEST(RulePrinterTest, EveryModifier) {
  TestProgram t;
  std::vector<ir::YaraString> strings;
  ir::YaraStringModifiers text_mods;
  text_mods.nocase = text_mods.wide = text_mods.ascii = text_mods.fullword = true;
  text_mods.is_private = true;
  strings.push_back(TextString("$a", "alpha", text_mods));
  ir::YaraStringModifiers plain_xor;
  plain_xor.xor_ = true;
  strings.push_back(TextString("$b", "bravo", plain_xor));
  ir::YaraStringModifiers one_key;
  one_key.xor_ = true;
  one_key.xor_range = {0x20, 0x20};
  strings.push_back(TextString("$c", "charlie", one_key));
  ir::YaraStringModifiers key_range;
  key_range.xor_ = true;
  key_range.xor_range = {0x01, 0xFF};
  key_range.wide = key_range.ascii = true;
  strings.push_back(TextString("$d", "delta", key_range));
  ir::YaraStringModifiers b64;
  b64.base64 = b64.base64wide = true;
  strings.push_back(TextString("$e", "powershell", b64));
  ir::YaraStringModifiers b64_alphabet;
  b64_alphabet.base64 = true;
  b64_alphabet.base64_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  strings.push_back(TextString("$f", "foxtrot", b64_alphabet));
  ir::YaraStringModifiers regex_mods;
  regex_mods.wide = regex_mods.ascii = regex_mods.nocase = regex_mods.fullword = true;
  strings.push_back(RegexString("$g", "golf[0-9]+", false, false, regex_mods));
  ir::YaraStringModifiers hex_private;
  hex_private.is_private = true;
  strings.push_back(HexString("$h", HexBytes("4D 5A 90 00"), hex_private));
  auto& d = t.AddYara("p", "mods", std::move(strings), Of(Q::kAny, 0, {}));
  const std::string text = RuleText(t, d);
  EXPECT_NE(text.find(R"(    $a = "alpha" nocase wide ascii fullword private)"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(    $b = "bravo" xor)" "\n"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(    $c = "charlie" xor(0x20))"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(    $d = "delta" wide ascii xor(0x01-0xFF))"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(    $e = "powershell" base64 base64wide)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(    $f = "foxtrot" base64("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(    $g = /golf[0-9]+/ nocase wide ascii fullword)"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(    $h = { 4D 5A 90 00 } private)"), std::string::npos) << text;
  // And libyara accepts every one of them.
  auto compiled = backends::yara::CompileRules(text);
  EXPECT_TRUE(compiled.ok()) << text << (compiled.messages.empty() ? "" : compiled.messages[0].text);
}

TEST(RulePrinterTest, PrivateGlobalAndTags) {
  TestProgram t;
  auto& d = t.AddYara("p", "guard", {}, Bin("<", Filesize(), Int(1000)));
  auto* logic = const_cast<ir::YaraLogic*>(d.As<ir::YaraLogic>());
  logic->is_private = true;
  logic->is_global = true;
  d.meta.tags = {"supply-chain", "pickle", "supply_chain", "2024"};
  const std::string text = RuleText(t, d);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "private global rule p__guard : supply_chain pickle _2024 {");
  EXPECT_EQ(text.find("strings:"), std::string::npos);  // no empty section
}

TEST(RulePrinterTest, LongTopLevelConditionsGetOneOperandPerLine) {
  TestProgram t;
  std::vector<ir::YaraString> strings;
  strings.push_back(TextString("$global", "cos\nsystem"));
  strings.push_back(HexString("$stack", HexBytes("8C 05 70 6F 73 69 78")));
  strings.push_back(RegexString("$re", "c(os|posix|nt)\\n(system|popen)"));
  auto& d = t.AddYara(
      "p", "long", std::move(strings),
      And(Bin("==", Call(Module("uint8"), Int(0)), Int(0x80)),
          Or(Of(Q::kAny, 0, {"$global", "$stack"}), Bin(">", Count("$re"), Int(2))),
          Bin("<", Filesize(), Int(10 * 1024 * 1024))));
  const std::string text = RuleText(t, d);
  EXPECT_NE(text.find("  condition:\n"
                      "    uint8(0) == 128\n"
                      "    and (any of ($global, $stack) or #re > 2)\n"
                      "    and filesize < 10485760\n"
                      "}\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace ward::yara_test
