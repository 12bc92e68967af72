// FlatEvent, the parser `ward hunt` reads events with: it must accept only
// what nlohmann::json accepts, hold what its DOM holds, and print it as the
// DOM prints (match lines are byte-compared with the reference path). And
// every rule must give the same verdict on a FlatEvent as on the DOM.
#include "compiler/eval/flat_event.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "compiler/eval/rule_logic.h"
#include "eval_testlib.h"

namespace ward::eval_test {
namespace {

// Parses `text` both ways; when the flat parser accepts it, the DOM must
// accept it too and both must print the same.
void ExpectSameAsDom(const std::string& text) {
  eval::FlatEvent flat;
  std::string line = text;
  bool ok = flat.Parse(line);
  nlohmann::json dom;
  bool dom_ok = true;
  try {
    dom = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    dom_ok = false;
  }
  if (!ok) return;  // the DOM path decides (and words the error)
  ASSERT_TRUE(dom_ok) << "accepted what nlohmann rejects: " << text;
  ASSERT_TRUE(dom.is_object()) << text;
  std::string dumped;
  flat.Dump(*flat.root(), dumped);
  EXPECT_EQ(dumped, dom.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) << text;
  EXPECT_EQ(flat.ToJson(*flat.root()), dom) << text;
}

TEST(FlatEventTest, PrintsEventsAsTheDomDoes) {
  for (const char* text : {
           R"({})",
           R"( {"b":1,"a":2} )",
           R"({"z":{"y":[1,-2,3.5,1e3,-0,0.1,18446744073709551615,18446744073709551616]}})",
           R"({"n":-9223372036854775808,"m":-9223372036854775809,"f":1E-7,"g":2.50})",
           R"({"s":"tab\tquote\" back\\ slash\/ nl\n \u0001 \u001f \u007f \u00e9 \uD83D\uDE00"})",
           R"({"unicode":"héllo wörld ✓ 𝄞","\u00e9key":"v","":"empty key"})",
           R"({"a.b":{"c":[{"d":null},{"d":true},false]},"a":{"b.c":"x"}})",
           R"({"arr":[[],[[]],{}, {"k":[1,{"k":2}]}], "t": true, "f": false, "n": null})",
           "{\"ws\" :\t[ 1 ,\r\n 2 ] }",
       }) {
    ExpectSameAsDom(text);
    eval::FlatEvent flat;
    std::string line = text;
    EXPECT_TRUE(flat.Parse(line)) << text;
  }
}

TEST(FlatEventTest, LeavesWhatItDoesNotReadExactlyToTheDom) {
  for (const char* text : {
           "",
           "[1,2]",
           "\"text\"",
           "42",
           "{",
           R"({"a":})",
           R"({"a":1,})",
           R"({"a":01})",
           R"({"a":1.})",
           R"({"a":-})",
           R"({"a":"\x"})",
           R"({"a":"\uD800"})",
           R"({"a":"\uDC00"})",
           R"({"a":tru})",
           R"({"a":1e400})",
           R"({"a":-1e999})",
           R"({"a":1} x)",
           R"({"a":1}{"b":2})",
           "{\"a\":\"\x01\"}",
           "{\"a\":\"\xff\"}",
           "{\"a\":\"\xc0\xaf\"}",
           "{\"a\":\"\xed\xa0\x80\"}",
           "\xef\xbb\xbf{\"bom\":1}",
           R"({"dup":1,"dup":2})",
           R"({'a':1})",
           R"({a:1})",
       }) {
    eval::FlatEvent flat;
    std::string line = text;
    EXPECT_FALSE(flat.Parse(line)) << text;
  }
  std::string deep = std::string(70, '[') + std::string(70, ']');
  eval::FlatEvent flat;
  std::string line = "{\"d\":" + deep + "}";
  EXPECT_FALSE(flat.Parse(line));
}

// Random events from a small alphabet of keys, values and escapes.
std::string RandomValue(std::mt19937& rng, int depth);

std::string RandomString(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "a",       "B", "ignore",  "IGNORE", ".",
      "x.y",     " ", "\\\"",    "\\\\",   "\\n",
      "\\u00e9", "é", "\\u0007", "Ω",      "\\uD83D\\uDE00",
      "rm -rf",  "—", "-",       "/",      "*",
      "?",       "1", "true"};
  std::string out = "\"";
  int n = static_cast<int>(rng() % 5);
  for (int i = 0; i < n; ++i) out += pieces[rng() % pieces.size()];
  return out + "\"";
}

std::string RandomValue(std::mt19937& rng, int depth) {
  static const std::vector<std::string> scalars = {
      "0", "-1", "42", "3.25", "1e2", "-0.0", "true", "false", "null", "18446744073709551616"};
  int kind = static_cast<int>(rng() % (depth > 3 ? 2 : 4));
  if (kind == 0) return scalars[rng() % scalars.size()];
  if (kind == 1) return RandomString(rng);
  static const std::vector<std::string> keys = {"a",      "b",      "a.b", "c", "gen_ai.prompt",
                                                "gen_ai", "prompt", "b.c", "A", ""};
  std::string out = kind == 2 ? "[" : "{";
  int n = static_cast<int>(rng() % 4);
  std::vector<std::string> used;
  for (int i = 0; i < n; ++i) {
    std::string member;
    if (kind == 3) {
      std::string key = keys[rng() % keys.size()];
      if (std::find(used.begin(), used.end(), key) != used.end()) continue;
      used.push_back(key);
      member = "\"" + key + "\":";
    }
    if (out.size() > 1) out += ",";
    out += member + RandomValue(rng, depth + 1);
  }
  return out + (kind == 2 ? "]" : "}");
}

std::string RandomEvent(std::mt19937& rng) {
  std::string event;
  do {
    event = RandomValue(rng, 0);
  } while (event[0] != '{');
  return event;
}

TEST(FlatEventTest, RandomEventsPrintAsTheDomDoes) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) ExpectSameAsDom(RandomEvent(rng));
}

// Every rule shape over the random events: the flat form's verdict is the DOM's.
TEST(FlatEventTest, RulesGiveTheSameVerdictOnBothForms) {
  std::vector<ir::SigmaExprPtr (*)()> rules = {
      [] { return Leaf("a", {}, {Str("ignore")}); },
      [] {
        return Leaf("a.b", {Mod::kContains}, {Str("x.y"), Str("é")});
      },
      [] { return Leaf("gen_ai.prompt", {Mod::kStartsWith}, {Str("ignore")}); },
      [] {
        return Leaf("b", {Mod::kEndsWith, Mod::kCased}, {Str("B")});
      },
      [] { return Leaf("c", {}, {Int(42)}); },
      [] { return Leaf("c", {Mod::kGte}, {Real(3)}); },
      [] { return Leaf("a", {}, {Null()}); },
      [] { return Leaf("b", {}, {Bool(true)}); },
      [] { return Leaf("a.b", {Mod::kExists}, {Bool(true)}); },
      [] { return Leaf("a", {Mod::kExists}, {Bool(false)}); },
      [] { return Leaf("a", {Mod::kRe}, {Str("^[a-z]+$")}); },
      [] { return Leaf("a", {}, {Like("*gn?re*")}); },
      [] {
        return Leaf("a", {Mod::kWindash, Mod::kContains}, {Str("-rf")});
      },
      [] { return Leaf("a", {Mod::kFieldref}, {Str("b")}); },
      [] {
        return Leaf("c", {Mod::kContains, Mod::kAll}, {Str("1"), Str("e")});
      },
      [] { return Keywords({}, {Str("ignore")}); },
      [] { return Not(Leaf("b.c", {Mod::kNeq}, {Str("a")})); },
  };
  std::mt19937 rng(99);
  std::vector<std::string> events;
  for (int i = 0; i < 1500; ++i) events.push_back(RandomEvent(rng));
  size_t parsed = 0;
  for (const std::string& text : events) {
    eval::FlatEvent flat;
    std::string line = text;
    parsed += flat.Parse(line) ? 1 : 0;
  }
  EXPECT_EQ(parsed, events.size());  // the generator writes valid JSON with unique keys
  for (size_t r = 0; r < rules.size(); ++r) {
    auto rule = MakeRule("rule", rules[r]());
    std::vector<eval::EvalError> errors;
    auto compiled = eval::SigmaRule::Compile(*rule, {}, {}, errors);
    ASSERT_TRUE(compiled) << r;
    for (const std::string& text : events) {
      eval::FlatEvent flat;
      std::string line = text;
      if (!flat.Parse(line)) continue;
      nlohmann::json dom = nlohmann::json::parse(text);
      EXPECT_EQ(compiled->Match(flat), compiled->Match(dom)) << "rule " << r << " on " << text;
    }
  }
}

// The parser skips plain ASCII eight bytes at a time: a quote, a backslash,
// a control character or a multi-byte character at any offset of a string
// of any length must still be read (or refused) exactly as the DOM does.
TEST(FlatEventTest, StringsOfEveryLengthWithASpecialByteAnywhere) {
  const std::vector<std::string> specials = {"\\\"",         "\\\\", "\\n",  "\\u00e9", "\xc3\xa9",
                                             "\xe2\x80\x94", "\x01", "\xff", "/"};
  size_t accepted = 0;
  for (size_t length = 0; length <= 40; ++length) {
    for (const std::string& special : specials) {
      for (size_t at = 0; at <= length; ++at) {
        std::string text(length, 'a');
        text.insert(at, special);
        for (const std::string& event :
             {"{\"k\":\"" + text + "\"}", "{\"" + text + "\":1,\"z\":\"" + text + text + "\"}"}) {
          ExpectSameAsDom(event);
          eval::FlatEvent flat;
          std::string line = event;
          accepted += flat.Parse(line) ? 1 : 0;
        }
      }
    }
  }
  EXPECT_GT(accepted, 5000u);  // all but the raw control and invalid bytes
}

std::vector<ir::SigmaExprPtr> Two(ir::SigmaExprPtr a, ir::SigmaExprPtr b) {
  std::vector<ir::SigmaExprPtr> both;
  both.push_back(std::move(a));
  both.push_back(std::move(b));
  return both;
}

// Rules that share predicates share their verdict on an event (the verdict
// is cached per event): predicates that only look alike must not. Every rule
// is evaluated on the same parsed event, in turn, as `ward hunt` does, both
// through SigmaRule::Match and through one program of every rule's logic.
TEST(FlatEventTest, SharedVerdictsOnlyJoinIdenticalPredicates) {
  std::vector<ir::SigmaExprPtr (*)()> rules = {
      [] { return Leaf("a", {}, {Str("x*")}); },      // a literal star
      [] { return Leaf("a", {}, {Like("x*")}); },     // x then anything
      [] { return Leaf("a", {}, {Str("\\*")}); },     // backslash, star
      [] { return Leaf("a", {}, {Like("\\\\*")}); },  // backslash then anything
      [] { return Leaf("a", {}, {Like("\\*")}); },    // a literal star
      [] { return Leaf("a", {Mod::kCased}, {Str("X*")}); },
      [] { return Leaf("a", {Mod::kContains}, {Str("x")}); },
      [] {
        return Leaf("a", {Mod::kContains, Mod::kCased}, {Str("x")});
      },
      [] {
        return Leaf("a", {Mod::kContains}, {Str("x"), Str("y")});
      },
      [] {
        return Leaf("a", {Mod::kContains, Mod::kAll}, {Str("x"), Str("y")});
      },
      [] {
        return Leaf("a", {Mod::kContains, Mod::kNeq}, {Str("x")});
      },
      [] { return Leaf("a", {Mod::kStartsWith}, {Str("x")}); },
      [] { return Leaf("a", {Mod::kEndsWith}, {Str("x")}); },
      [] { return Leaf("b", {Mod::kContains}, {Str("x")}); },
      [] { return Leaf("c", {}, {Int(42)}); },
      [] { return Leaf("c", {}, {Str("42")}); },
      [] { return Leaf("c", {Mod::kContains}, {Int(4)}); },
      [] { return Leaf("c", {}, {Real(42)}); },
      [] { return Leaf("c", {}, {Real(42.5)}); },
      [] { return Leaf("b", {}, {Bool(true)}); },
      [] { return Leaf("b", {}, {Str("true")}); },
      [] { return Keywords({}, {Str("x")}); },
      [] { return Not(Leaf("a", {Mod::kContains}, {Str("x")})); },
      [] { return And(Two(Leaf("a", {Mod::kContains}, {Str("x")}), Leaf("b", {}, {Bool(true)}))); },
      [] {
        return Or(Two(Not(Leaf("c", {}, {Int(42)})), Leaf("a", {Mod::kStartsWith}, {Str("x")})));
      },
  };
  std::vector<std::unique_ptr<ir::Detection>> detections;
  std::vector<std::unique_ptr<eval::SigmaRule>> compiled;
  std::vector<eval::RuleOp> program;
  std::vector<uint32_t> roots;
  for (size_t r = 0; r < rules.size(); ++r) {
    detections.push_back(MakeRule("rule" + std::to_string(r), rules[r]()));
    std::vector<eval::EvalError> errors;
    compiled.push_back(eval::SigmaRule::Compile(*detections.back(), {}, {}, errors));
    ASSERT_TRUE(compiled.back()) << r;
    roots.push_back(compiled.back()->AppendProgram(program));
  }
  const std::vector<std::string> events = {
      R"({"a":"x*","b":true,"c":42})",
      R"({"a":"xyz","b":"TRUE","c":42.5})",
      R"({"a":"\\*","b":false,"c":"42"})",
      R"({"a":"\\zz","b":"x","c":4})",
      R"({"a":"X*","c":[1,42]})",
      R"({"a":["y","ax"],"b":null})",
      R"({"a":"*","c":-42})",
      R"({"a":"yx","b":{"x":1}})",
      R"({"a":42,"c":"x"})",
      R"({})",
  };
  std::mt19937 rng(7);
  for (const std::string& text : events) {
    eval::FlatEvent flat;
    std::string line = text;
    ASSERT_TRUE(flat.Parse(line)) << text;
    nlohmann::json dom = nlohmann::json::parse(text);
    // In a shuffled order too: which rule fills the cache first must not matter.
    std::vector<size_t> order(rules.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (int pass = 0; pass < 3; ++pass) {
      for (size_t r : order) {
        const bool expected = compiled[r]->Match(dom);
        EXPECT_EQ(compiled[r]->Match(flat), expected) << "rule " << r << " on " << text;
        EXPECT_EQ(eval::EvalOps(program.data(), roots[r], flat), expected)
            << "rule " << r << " on " << text;
      }
      std::shuffle(order.begin(), order.end(), rng);
    }
  }
}

}  // namespace
}  // namespace ward::eval_test
