// Generated rules against the real engine: they compile, and they match
// exactly the bytes the Ward source describes.

#include "backends/yara/libyara_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "backends/yara/yara_backend.h"
#include "tests/yara/yara_testlib.h"

namespace ward::yara_test {
namespace {

using backends::yara::CompileRules;
using backends::yara::ScanBytes;
using Q = YaraExpr::Quant;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace std::string_literals;

// Compiles what the backend emitted, in all.yar's include order.
std::unique_ptr<backends::yara::CompiledRules> CompileOutput(const EmitResult& r) {
  std::vector<std::string> texts;
  std::istringstream index(r.File("yara/all.yar"));
  std::string line;
  while (std::getline(index, line)) {
    if (line.rfind("include \"", 0) != 0) continue;
    texts.push_back(r.File("yara/" + line.substr(9, line.size() - 10)));
  }
  std::vector<std::string_view> chunks(texts.begin(), texts.end());
  auto compiled = CompileRules(chunks);
  EXPECT_TRUE(compiled.ok()) << (compiled.messages.empty() ? "" : compiled.messages[0].text);
  return std::move(compiled.rules);
}

// The single rule of `t`, compiled.
std::unique_ptr<backends::yara::CompiledRules> CompileOne(TestProgram& t) {
  EmitResult r = EmitYara(t);
  EXPECT_TRUE(r.ok) << (r.diags.empty() ? "" : r.diags[0].message + " / " +
                                                   (r.diags[0].notes.empty() ? "" : r.diags[0].notes[0]));
  if (!r.ok) return nullptr;
  return CompileOutput(r);
}

std::vector<ir::YaraString> One(ir::YaraString s) {
  std::vector<ir::YaraString> strings;
  strings.push_back(std::move(s));
  return strings;
}

// ---- the wrapper itself ---------------------------------------------------------------

TEST(LibyaraCheckTest, CompilesAndScans) {
  auto compiled = CompileRules("rule hit { strings: $a = \"needle\" condition: $a }\n"
                               "rule miss { strings: $a = \"absent\" condition: $a }\n"
                               "private rule hidden { condition: true }\n");
  ASSERT_TRUE(compiled.ok());
  EXPECT_THAT(ScanBytes(*compiled.rules, "hay needle hay"), ElementsAre("hit"));
  EXPECT_THAT(ScanBytes(*compiled.rules, "hay"), IsEmpty());
}

TEST(LibyaraCheckTest, ReportsErrorsWithLines) {
  auto compiled = CompileRules("rule a { condition: true }\n\nrule b { condition: nope }\n");
  EXPECT_FALSE(compiled.ok());
  ASSERT_EQ(compiled.error_count(), 1u);
  EXPECT_EQ(compiled.messages[0].line, 3);
  EXPECT_EQ(compiled.messages[0].text, "undefined identifier \"nope\"");
}

TEST(LibyaraCheckTest, ReportsWarnings) {
  auto compiled = CompileRules("rule w { condition: entrypoint == 0 }");
  EXPECT_TRUE(compiled.ok());
  ASSERT_EQ(compiled.warning_count(), 1u);
  EXPECT_FALSE(compiled.messages[0].is_error);
  EXPECT_EQ(compiled.messages[0].rule, "w");
}

TEST(LibyaraCheckTest, LaterChunksSeeEarlierRules) {
  auto compiled = CompileRules(std::vector<std::string_view>{
      "rule base { condition: filesize > 2 }", "rule user { condition: base }"});
  ASSERT_TRUE(compiled.ok());
  EXPECT_THAT(ScanBytes(*compiled.rules, "abcd"), ElementsAre("base", "user"));
  auto broken = CompileRules(std::vector<std::string_view>{"rule x { condition: true }",
                                                           "rule y { condition: z }"});
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.messages[0].chunk, 1u);
}

TEST(LibyaraCheckTest, RefusesIncludes) {
  EXPECT_FALSE(CompileRules("include \"/etc/passwd\"\nrule a { condition: true }").ok());
}

TEST(LibyaraCheckTest, GlobalRulesGateTheOthers) {
  auto compiled = CompileRules("global rule small { condition: filesize < 10 }\n"
                               "rule any_file { condition: true }\n");
  ASSERT_TRUE(compiled.ok());
  EXPECT_THAT(ScanBytes(*compiled.rules, "tiny"), ElementsAre("small", "any_file"));
  EXPECT_THAT(ScanBytes(*compiled.rules, "a much larger input"), IsEmpty());
}

// ---- the API `ward test` uses ------------------------------------------------------------

TEST(GenerateRulesTest, RevealPrivateLetsTestsSeePrivateRules) {
  TestProgram t;
  auto& guard = t.AddYara("p", "guard", {}, Bin("<", Filesize(), Int(10)));
  const_cast<ir::YaraLogic*>(guard.As<ir::YaraLogic>())->is_private = true;
  t.Finish();
  for (bool reveal : {false, true}) {
    DiagnosticEngine diags;
    auto generated = backends::yara::GenerateRules(t.program(), {"2025-01-02", reveal}, diags);
    ASSERT_TRUE(generated.has_value());
    EXPECT_EQ(generated->paths, std::vector<std::string>{"p.yar"});
    std::vector<std::string_view> chunks(generated->texts.begin(), generated->texts.end());
    auto compiled = CompileRules(chunks);
    ASSERT_TRUE(compiled.ok());
    const auto matched = ScanBytes(*compiled.rules, "tiny");
    if (reveal) {
      EXPECT_THAT(matched, ElementsAre(generated->rule_names.at(&guard)));
    } else {
      EXPECT_THAT(matched, IsEmpty());
    }
  }
}

// ---- escaping round trips ---------------------------------------------------------------

std::string RandomBytes(std::mt19937& rng, size_t length) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out;
  for (size_t i = 0; i < length; ++i) out += static_cast<char>(byte(rng));
  return out;
}

// Random strings over every byte, plus the characters escaping is about.
std::vector<std::string> TrickyStrings() {
  std::vector<std::string> out = {"\"\\\n\t\r"s, "\x00\x01\x02\x03"s, "\x7f\x80\xfe\xff"s,
                                  "say \"hi\" \\ bye", "C:\\\\temp\\x41\\n", "\\x00\\\"",
                                  "h\xc3\xa9llo w\xc3\xb6rld", "/*not a comment*/ //"};
  std::mt19937 rng(20250601);
  std::uniform_int_distribution<size_t> length(4, 40);
  for (int i = 0; i < 40; ++i) out.push_back(RandomBytes(rng, length(rng)));
  return out;
}

TEST(EscapingRoundTripTest, TextStringsMatchExactlyTheirBytes) {
  for (const std::string& bytes : TrickyStrings()) {
    TestProgram t;
    t.AddYara("p", "exact", One(TextString("$a", bytes)), StrAt("$a", Int(0)));
    auto rules = CompileOne(t);
    ASSERT_NE(rules, nullptr);
    EXPECT_THAT(ScanBytes(*rules, bytes), ElementsAre("p__exact"));
    for (size_t i : {size_t{0}, bytes.size() / 2, bytes.size() - 1}) {
      std::string changed = bytes;
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      EXPECT_THAT(ScanBytes(*rules, changed), IsEmpty()) << "byte " << i;
    }
  }
}

TEST(EscapingRoundTripTest, ConditionTextLiteralsKeepTheirBytes) {
  // hash.md5 of the literal equals hash.md5 of the input only for those bytes.
  for (const std::string& bytes : TrickyStrings()) {
    TestProgram t;
    t.AddYara("p", "literal", {},
              Bin("==", Call(Member(Module("hash"), "md5"), Int(0), Filesize()),
                  Call(Member(Module("hash"), "md5"), Text(bytes))),
              {"hash"});
    auto rules = CompileOne(t);
    ASSERT_NE(rules, nullptr);
    EXPECT_THAT(ScanBytes(*rules, bytes), ElementsAre("p__literal"));
    std::string changed = bytes;
    changed.back() = static_cast<char>(changed.back() ^ 0x80);
    EXPECT_THAT(ScanBytes(*rules, changed), IsEmpty());
  }
}

TEST(EscapingRoundTripTest, MetaValuesKeepTheirBytes) {
  TestProgram t;
  auto& d = t.AddYara("p", "meta", {}, Bool(true));
  d.meta.description = "caf\xc3\xa9 \"quoted\" back\\slash";
  EmitResult r = EmitYara(t);
  ASSERT_TRUE(r.ok);
  EXPECT_THAT(r.File("yara/p.yar"),
              ::testing::HasSubstr(R"(description = "caf\xC3\xA9 \"quoted\" back\\slash")"));
}

TEST(EscapingRoundTripTest, RegexWithRawNonAsciiBytes) {
  TestProgram t;
  t.AddYara("p", "re", One(RegexString("$r", "h\xc3\xa9llo/w[\xc3]"s)), Str("$r"));
  auto rules = CompileOne(t);
  ASSERT_NE(rules, nullptr);
  EXPECT_THAT(ScanBytes(*rules, "say h\xc3\xa9llo/w\xc3!"), ElementsAre("p__re"));
  EXPECT_THAT(ScanBytes(*rules, "say hello/w\xc3!"), IsEmpty());
}

// ---- hex round trips ---------------------------------------------------------------------

TEST(HexRoundTripTest, RandomByteSequences) {
  std::mt19937 rng(4242);
  for (int i = 0; i < 30; ++i) {
    const std::string bytes = RandomBytes(rng, 4 + static_cast<size_t>(i));
    std::vector<ir::HexItem> items;
    for (char c : bytes) items.push_back(Byte(static_cast<uint8_t>(c)));
    TestProgram t;
    t.AddYara("p", "hex", One(HexString("$h", std::move(items))), StrAt("$h", Int(0)));
    auto rules = CompileOne(t);
    ASSERT_NE(rules, nullptr);
    EXPECT_THAT(ScanBytes(*rules, bytes), ElementsAre("p__hex"));
    std::string changed = bytes;
    changed[1] = static_cast<char>(changed[1] ^ 0x10);
    EXPECT_THAT(ScanBytes(*rules, changed), IsEmpty());
  }
}

TEST(HexRoundTripTest, WildcardsMasksJumpsAndAlternatives) {
  // 4D ?? 4? ?A [1-2] ( 01 02 | 03 ) 5A
  TestProgram t;
  t.AddYara("p", "hex",
            One(HexString("$h", {Byte(0x4D), Wild(), Byte(0x40, 0xF0), Byte(0x0A, 0x0F),
                                 Jump(1, 2), Alt({HexBytes("01 02"), HexBytes("03")}),
                                 Byte(0x5A)})),
            StrAt("$h", Int(0)));
  auto rules = CompileOne(t);
  ASSERT_NE(rules, nullptr);
  const std::vector<std::string> yes = {"\x4D\x00\x41\x1A\xEE\x01\x02\x5A"s,
                                        "\x4D\xFF\x4F\xFA\xEE\xEE\x03\x5A"s};
  const std::vector<std::string> no = {
      "\x4E\x00\x41\x1A\xEE\x01\x02\x5A"s,  // first byte
      "\x4D\x00\x51\x1A\xEE\x01\x02\x5A"s,  // high nibble of 4?
      "\x4D\x00\x41\x1B\xEE\x01\x02\x5A"s,  // low nibble of ?A
      "\x4D\x00\x41\x1A\x01\x02\x5A"s,      // jump shorter than 1
      "\x4D\x00\x41\x1A\xEE\xEE\xEE\x03\x5A"s,  // jump longer than 2
      "\x4D\x00\x41\x1A\xEE\x04\x5A"s,      // no alternative
  };
  for (const std::string& bytes : yes) EXPECT_THAT(ScanBytes(*rules, bytes), ElementsAre("p__hex"));
  for (const std::string& bytes : no) EXPECT_THAT(ScanBytes(*rules, bytes), IsEmpty());
}

TEST(HexRoundTripTest, UnboundedJumps) {
  TestProgram t;
  t.AddYara("p", "hex",
            One(HexString("$h", {Byte(0xCA), Byte(0xFE), Jump(3, std::nullopt), Byte(0xBA),
                                 Byte(0xBE), Jump(std::nullopt, std::nullopt), Byte(0xEF)})),
            Str("$h"));
  auto rules = CompileOne(t);
  ASSERT_NE(rules, nullptr);
  EXPECT_THAT(ScanBytes(*rules, "\xCA\xFE...\xBA\xBE\xEF"), ElementsAre("p__hex"));
  EXPECT_THAT(ScanBytes(*rules, "\xCA\xFE" + std::string(100, '.') + "\xBA\xBE" +
                                    std::string(50, '.') + "\xEF"),
              ElementsAre("p__hex"));
  EXPECT_THAT(ScanBytes(*rules, "\xCA\xFE..\xBA\xBE\xEF"), IsEmpty());
}

// ---- modifiers do what they say ---------------------------------------------------------

std::string Xor(const std::string& text, uint8_t key) {
  std::string out = text;
  for (char& c : out) c = static_cast<char>(c ^ key);
  return out;
}

TEST(ModifierMatchingTest, EachModifierMatchesItsEncoding) {
  struct Case {
    const char* name;
    ir::YaraStringModifiers modifiers;
    std::string yes, no;
  };
  std::vector<Case> cases;
  {
    ir::YaraStringModifiers m;
    m.nocase = true;
    cases.push_back({"nocase", m, "xx PoWeRsHeLL xx", "xx p0wershell xx"});
  }
  {
    ir::YaraStringModifiers m;
    m.wide = true;
    cases.push_back({"wide", m, "p\0o\0w\0e\0r\0s\0h\0e\0l\0l\0"s, "powershell"});
  }
  {
    ir::YaraStringModifiers m;
    m.fullword = true;
    cases.push_back({"fullword", m, "run powershell now", "run powershellx now"});
  }
  {
    ir::YaraStringModifiers m;
    m.xor_ = true;
    m.xor_range = {0x20, 0x20};
    cases.push_back({"xor_key", m, Xor("powershell", 0x20), Xor("powershell", 0x21)});
  }
  {
    ir::YaraStringModifiers m;
    m.xor_ = true;
    m.xor_range = {0x10, 0x1F};
    cases.push_back({"xor_range", m, Xor("powershell", 0x1F), Xor("powershell", 0x20)});
  }
  {
    ir::YaraStringModifiers m;
    m.base64 = true;
    // base64("powershell") = cG93ZXJzaGVsbA==
    cases.push_back({"base64", m, "x cG93ZXJzaGVsbA== x", "x powershell x"});
  }
  for (auto& c : cases) {
    TestProgram t;
    t.AddYara("p", c.name, One(TextString("$a", "powershell", c.modifiers)), Str("$a"));
    auto rules = CompileOne(t);
    ASSERT_NE(rules, nullptr) << c.name;
    EXPECT_THAT(ScanBytes(*rules, c.yes), ElementsAre(std::string("p__") + c.name)) << c.name;
    EXPECT_THAT(ScanBytes(*rules, c.no), IsEmpty()) << c.name;
  }
}

// ---- pickle fixtures ------------------------------------------------------------------------

// Two detections in the spirit of the examples: GLOBAL (protocols 0-3) by a
// regex, STACK_GLOBAL (protocol 4+) by a hex pattern behind the PROTO byte.
void AddPickleRules(TestProgram& t) {
  auto& is_pickle4 = t.AddYara("cosai.common", "pickle_v4", {},
                               And(Bin("==", Call(Module("uint8"), Int(0)), Int(0x80)),
                                   Bin(">=", Call(Module("uint8"), Int(1)), Int(4))));
  const_cast<ir::YaraLogic*>(is_pickle4.As<ir::YaraLogic>())->is_private = true;
  t.AddYara("cosai.supply_chain", "pickle_global",
            One(RegexString("$global", "c(os|posix|nt|subprocess|builtins)\\n(system|popen|exec|eval)\\n")),
            Str("$global"));
  std::vector<ir::HexItem> module = {
      Alt({HexBytes("05 70 6F 73 69 78"), HexBytes("02 6F 73"), HexBytes("02 6E 74")})};
  std::vector<ir::HexItem> stack = {Byte(0x8C)};
  stack.insert(stack.end(), module.begin(), module.end());
  stack.push_back(Jump(0, 1));
  stack.push_back(Byte(0x8C));
  stack.push_back(Alt({HexBytes("06 73 79 73 74 65 6D"), HexBytes("05 70 6F 70 65 6E")}));
  stack.push_back(Jump(0, 1));
  stack.push_back(Byte(0x93));
  t.AddYara("cosai.supply_chain", "pickle_stack_global", One(HexString("$stack", stack)),
            And(RuleRef(is_pickle4), Str("$stack")));
}

const std::string kProto0 = "cos\nsystem\n(S'ls'\ntR.";
// pickle.dumps of a __reduce__ returning (os.system, ("id",)) on Linux, protocol 4.
const std::string kProto4 =
    "\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94"
    "\x8c\x02id\x94\x85\x94R\x94."s;
// pickle.dumps({"a": 1}, protocol=4).
const std::string kBenign4 =
    "\x80\x04\x95\x0a\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01" "a\x94K\x01s."s;

TEST(PickleFixtureTest, HandWrittenPickles) {
  TestProgram t;
  AddPickleRules(t);
  EmitResult r = EmitYara(t);
  ASSERT_TRUE(r.ok) << (r.diags.empty() ? "" : r.diags[0].message);
  auto rules = CompileOutput(r);
  ASSERT_NE(rules, nullptr);
  EXPECT_THAT(ScanBytes(*rules, kProto0), ElementsAre("cosai_supply_chain__pickle_global"));
  EXPECT_THAT(ScanBytes(*rules, kProto4), ElementsAre("cosai_supply_chain__pickle_stack_global"));
  EXPECT_THAT(ScanBytes(*rules, kBenign4), IsEmpty());
  // The STACK_GLOBAL pattern without the protocol byte is not a pickle.
  EXPECT_THAT(ScanBytes(*rules, kProto4.substr(1)), IsEmpty());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(PickleFixtureTest, PicklesWrittenByPython) {
  if (!HaveProgram("python3")) GTEST_SKIP() << "python3 is not installed";
  TempDir dir;
  // The payload class only describes a call; nothing here loads the pickles.
  const std::string script = dir.Write("make.py", R"(import os, pickle, sys
class Payload:
    def __reduce__(self):
        return (os.system, ("id",))
out = sys.argv[1]
for proto in range(0, 6):
    with open(f"{out}/p{proto}.pkl", "wb") as f:
        f.write(pickle.dumps(Payload(), protocol=proto))
with open(f"{out}/benign.pkl", "wb") as f:
    f.write(pickle.dumps({"weights": [1.0, 2.0], "name": "model"}, protocol=4))
)");
  std::string output;
  ASSERT_EQ(RunCommand("python3 " + script + " " + dir.path(), &output), 0) << output;

  TestProgram t;
  AddPickleRules(t);
  EmitResult r = EmitYara(t);
  ASSERT_TRUE(r.ok);
  auto rules = CompileOutput(r);
  ASSERT_NE(rules, nullptr);
  for (int proto = 0; proto <= 3; ++proto) {
    EXPECT_THAT(ScanBytes(*rules, ReadFile(dir.path() + "/p" + std::to_string(proto) + ".pkl")),
                ElementsAre("cosai_supply_chain__pickle_global"))
        << "protocol " << proto;
  }
  for (int proto = 4; proto <= 5; ++proto) {
    EXPECT_THAT(ScanBytes(*rules, ReadFile(dir.path() + "/p" + std::to_string(proto) + ".pkl")),
                ElementsAre("cosai_supply_chain__pickle_stack_global"))
        << "protocol " << proto;
  }
  EXPECT_THAT(ScanBytes(*rules, ReadFile(dir.path() + "/benign.pkl")), IsEmpty());
}

// ---- modules ----------------------------------------------------------------------------------

TEST(ModuleTest, MathHashPeElfEvaluate) {
  TestProgram t;
  // "aaaa..." has zero entropy; its md5 is known.
  t.AddYara("m", "low_entropy", {},
            Bin("<", Call(Member(Module("math"), "entropy"), Int(0), Filesize()), Float(0.5)),
            {"math"});
  t.AddYara("m", "md5", {},
            Bin("==", Call(Member(Module("hash"), "md5"), Int(0), Filesize()),
                Text("74b87337454200d4d33f80c4663dc5e5")),
            {"hash"});
  t.AddYara("m", "pe_file", {}, Bin(">", Member(Module("pe"), "number_of_sections"), Int(0)),
            {"pe"});
  t.AddYara("m", "elf_file", {},
            Bin("==", Member(Module("elf"), "type"), Member(Module("elf"), "ET_EXEC")), {"elf"});
  EmitResult r = EmitYara(t);
  ASSERT_TRUE(r.ok) << (r.diags.empty() ? "" : r.diags[0].message);
  auto rules = CompileOutput(r);
  ASSERT_NE(rules, nullptr);
  EXPECT_THAT(ScanBytes(*rules, "aaaa"), ElementsAre("m__low_entropy", "m__md5"));
  EXPECT_THAT(ScanBytes(*rules, "abcdefgh"), IsEmpty());
}

}  // namespace
}  // namespace ward::yara_test
