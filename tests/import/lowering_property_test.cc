// The lowering property (issue 7): for hundreds of random Ward Sigma
// expressions, built directly as ir::SigmaLogic with a fixed seed, the Sigma
// backend's YAML read back by the Sigma reader means the same as the
// original: the evaluator gives the same verdict on both IRs for every one of
// many random events. A failure prints the smallest counterexample found.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "backends/sigma/sigma_backend.h"
#include "compiler/eval/sigma_eval.h"
#include "tests/import/import_test_support.h"

namespace ward::import_test {
namespace {

using ir::SigmaExpr;
using ir::SigmaModifier;
using ir::SigmaValue;
using M = SigmaModifier;

SigmaValue Str(std::string text, bool wildcards = false) {
  SigmaValue v;
  v.text = std::move(text);
  v.wildcards = wildcards;
  return v;
}
SigmaValue Int(int64_t i) {
  SigmaValue v;
  v.kind = SigmaValue::Kind::kInteger;
  v.integer = i;
  return v;
}
SigmaValue Bool(bool b) {
  SigmaValue v;
  v.kind = SigmaValue::Kind::kBool;
  v.boolean = b;
  return v;
}
SigmaValue Null() {
  SigmaValue v;
  v.kind = SigmaValue::Kind::kNull;
  return v;
}

const std::vector<std::string> kFields = {"a", "b", "proc.image", "Cmd", "Event Data"};
// Exact texts, with characters that Sigma must escape.
const std::vector<std::string> kTexts = {"foo",
                                         "Bar",
                                         "foo bar",
                                         "a\\b",
                                         "C:\\Windows\\",
                                         "x*y",
                                         "q?",
                                         "",
                                         "-exec",
                                         "/exec",
                                         "\\\\srv",
                                         "o b",
                                         "yes",
                                         "null",
                                         "123",
                                         "'q'",
                                         "#h",
                                         "a: b",
                                         " x",
                                         "a\nb",
                                         "\xc3\xa9t\xc3\xa9",
                                         "~",
                                         "0x1F"};
// Sigma wildcard patterns (Ward `like`).
const std::vector<std::string> kPatterns = {"f*",     "*bar",   "f?o", "*o b*", "C:\\Windows\\*",
                                            "*\\\\*", "x\\*y*", "?"};
const std::vector<std::string> kRegexes = {"^fo+$", "bar", "^[a-c]\\\\b$", "o b|exec"};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& Of(const std::vector<T>& items) {
    return items[Pick(items.size())];
  }

  SigmaValue TextValue() {
    if (Chance(0.35)) return Str(Of(kPatterns), true);
    return Str(Of(kTexts));
  }

  std::vector<SigmaValue> TextValues(size_t max) {
    std::vector<SigmaValue> values;
    size_t n = 1 + Pick(max);
    for (size_t i = 0; i < n; ++i) values.push_back(TextValue());
    return values;
  }

  ir::SigmaExprPtr Match() {
    auto e = std::make_unique<SigmaExpr>();
    e->kind = SigmaExpr::Kind::kMatch;
    if (Chance(0.12)) {  // keyword search
      e->values = TextValues(3);
      if (e->values.size() > 1 && Chance(0.4)) e->modifiers = {M::kAll};
      return e;
    }
    e->field = Of(kFields);
    switch (Pick(12)) {
      case 0:
      case 1:
        e->values = TextValues(3);
        break;
      case 2: {
        static const std::vector<M> kOps = {M::kContains, M::kStartsWith, M::kEndsWith};
        e->modifiers = {Of(kOps)};
        e->values = TextValues(3);
        if (e->values.size() > 1 && Chance(0.4)) e->modifiers.push_back(M::kAll);
        if (Chance(0.3)) e->modifiers.push_back(M::kCased);
        break;
      }
      case 3: {
        static const std::vector<M> kOps = {M::kLt, M::kLte, M::kGt, M::kGte};
        if (Chance(0.5)) e->modifiers = {Of(kOps)};
        e->values = {Int(static_cast<int64_t>(Pick(12)) - 3)};
        if (e->modifiers.empty() && Chance(0.5)) e->values.push_back(Int(7));
        break;
      }
      case 4:
        e->values = {Null()};
        if (Chance(0.4)) e->values.push_back(TextValue());
        if (Chance(0.3)) e->modifiers = {M::kNeq};
        break;
      case 5:
        e->modifiers = {M::kExists};
        e->values = {Bool(Chance(0.5))};
        break;
      case 6:
        e->modifiers = {M::kRe};
        if (Chance(0.4)) e->modifiers.push_back(M::kReI);
        e->values = {Str(Of(kRegexes))};
        break;
      case 7:
        e->modifiers = {M::kNeq};
        e->values = TextValues(2);
        break;
      case 8:
        e->modifiers = {M::kCidr};
        e->values = {Str(Chance(0.5) ? "10.0.0.0/8" : "192.168.1.0/24")};
        break;
      case 9:
        e->modifiers = {M::kWindash, M::kContains};
        e->values = {Str(Chance(0.5) ? "-exec" : "/exec")};
        break;
      case 10:
        e->modifiers = {M::kBase64Offset, M::kContains};
        e->values = {Str(Chance(0.5) ? "foo" : "bar")};
        break;
      default:
        e->values = {Bool(Chance(0.5))};
        if (Chance(0.5)) e->values.push_back(Int(5));
        break;
    }
    return e;
  }

  ir::SigmaExprPtr Tree(int depth, size_t lets) {
    size_t choice = depth <= 0 ? 0 : Pick(lets > 0 ? 6 : 5);
    auto e = std::make_unique<SigmaExpr>();
    switch (choice) {
      case 0:
      case 1:
        return Match();
      case 2:
      case 3: {
        e->kind = choice == 2 ? SigmaExpr::Kind::kAnd : SigmaExpr::Kind::kOr;
        size_t n = 2 + Pick(2);
        for (size_t i = 0; i < n; ++i) e->children.push_back(Tree(depth - 1, lets));
        return e;
      }
      case 4:
        e->kind = SigmaExpr::Kind::kNot;
        e->children.push_back(Tree(depth - 1, lets));
        return e;
      default:
        e->kind = SigmaExpr::Kind::kSelection;
        e->selection = Pick(lets);
        return e;
    }
  }

  // An event with some of the fields, from values near the ones rules use.
  nlohmann::json Event() {
    static const std::vector<std::string> kEventTexts = {"foo",
                                                         "FOO",
                                                         "Bar",
                                                         "bar",
                                                         "foobar",
                                                         "xfoo bar",
                                                         "foo bar",
                                                         "fo",
                                                         "f",
                                                         "fxo",
                                                         "a\\b",
                                                         "A\\B",
                                                         "C:\\Windows\\",
                                                         "C:\\Windows\\System32",
                                                         "c:\\windows\\x",
                                                         "x*y",
                                                         "xay",
                                                         "x*yz",
                                                         "q?",
                                                         "qz",
                                                         "",
                                                         "-exec",
                                                         "/exec",
                                                         "\xe2\x80\x93"
                                                         "exec",
                                                         " -exec ",
                                                         "\\\\srv",
                                                         "\\\\srv\\x",
                                                         "10.1.2.3",
                                                         "192.168.1.7",
                                                         "8.8.8.8",
                                                         "Zm9v",
                                                         "xZm9vx",
                                                         "YmFy",
                                                         "o b",
                                                         "bar foo",
                                                         "yes",
                                                         "YES",
                                                         "null",
                                                         "123",
                                                         "'q'",
                                                         "#h",
                                                         "a: b",
                                                         " x",
                                                         "a\nb",
                                                         "\xc3\xa9t\xc3\xa9",
                                                         "\xc3\x89T\xc3\x89",
                                                         "~",
                                                         "0x1F"};
    nlohmann::json event = nlohmann::json::object();
    auto value = [&]() -> nlohmann::json {
      switch (Pick(8)) {
        case 0:
          return static_cast<int>(Pick(12)) - 3;
        case 1:
          return Chance(0.5);
        case 2:
          return nullptr;
        default:
          return Of(kEventTexts);
      }
    };
    for (const std::string& field : kFields) {
      if (!Chance(0.75)) continue;
      if (field == "proc.image") {
        event["proc"]["image"] = value();
      } else {
        event[field] = value();
      }
    }
    if (Chance(0.5)) event["Message"] = Of(kEventTexts);
    return event;
  }

 private:
  std::mt19937_64 rng_;
};

size_t Size(const SigmaExpr& e) {
  size_t n = 1;
  for (const auto& c : e.children) n += Size(*c);
  return n;
}

struct Case {
  std::unique_ptr<ir::Program> program;
  size_t size = 0;
};

Case BuildCase(Generator& gen, size_t index) {
  Case c;
  c.program = std::make_unique<ir::Program>();
  c.program->manifest.name = "property";
  c.program->manifest.namespace_uuid = "46542ce6-c2a8-437d-8198-63834802d069";
  auto d = std::make_unique<ir::Detection>();
  d->package = "prop";
  d->name = fmt::format("case_{}", index);
  d->meta.title = fmt::format("Case {}", index);
  d->detection_kind = "sigma";
  auto logic = std::make_unique<ir::SigmaLogic>();
  logic->logsource.product = "llm";
  size_t lets = gen.Pick(3);
  for (size_t i = 0; i < lets; ++i) {
    ir::SigmaSelection s;
    s.name = i == 0 ? "optional_admin" : fmt::format("sel_{}", i);
    s.expr = gen.Tree(2, i);  // may use the selections before it
    c.size += Size(*s.expr);
    logic->selections.push_back(std::move(s));
  }
  logic->condition = gen.Tree(3, lets);
  c.size += Size(*logic->condition);
  d->logic = std::move(logic);
  c.program->by_name[d->qualified_name()] = d.get();
  c.program->detections.push_back(std::move(d));
  return c;
}

TEST(LoweringPropertyTest, EmittedSigmaReadBackMeansTheSameAsTheIr) {
  // WARD_PROPERTY_CASES raises the count for a longer hunt (e.g. 20000).
  const char* env = std::getenv("WARD_PROPERTY_CASES");
  const size_t kCases = env ? std::max<size_t>(1, std::strtoul(env, nullptr, 10)) : 500;
  constexpr size_t kEvents = 80;
  Generator gen(20261201);
  size_t mutations = 0, mutations_detected = 0;
  size_t compared = 0, not_expressible = 0, not_evaluable = 0, matches = 0, failures = 0;
  std::string smallest;
  size_t smallest_size = SIZE_MAX;
  for (size_t i = 0; i < kCases; ++i) {
    Case c = BuildCase(gen, i);
    SourceManager sources;
    DiagnosticEngine emit_diags;
    backends::OutputSet files;
    backends::BackendContext ctx{*c.program, sources, emit_diags, {}, "2025-07-01"};
    if (i % 2 == 1) ctx.options["sigma-profile"] = "sigmahq";  // both profiles
    if (!backends::sigma::MakeSigmaBackend()->Emit(ctx, files)) {
      ++not_expressible;
      continue;
    }
    ASSERT_EQ(files.files().size(), 1u);
    const std::string& yaml = files.files().begin()->second;
    auto read = ReadSigma(yaml, files.files().begin()->first);
    ASSERT_EQ(read->diags.error_count(), 0u) << yaml << read->Render();
    ASSERT_EQ(read->import.detections.size(), 1u);

    eval::EvalOptions options;
    std::vector<eval::EvalError> errors;
    auto original = eval::SigmaRule::Compile(*c.program->detections[0], {}, options, errors);
    if (!original) {
      ++not_evaluable;
      continue;
    }
    auto reread = eval::SigmaRule::Compile(*read->import.detections[0], {}, options, errors);
    ASSERT_NE(reread, nullptr) << yaml << (errors.empty() ? "" : errors.back().message);
    ++compared;
    // A control that shows the comparison can fail: the same YAML with its
    // condition's first `and` turned into `or`.
    std::unique_ptr<eval::SigmaRule> mutated;
    std::unique_ptr<ReadResult> mutated_read;
    size_t cond = yaml.find("condition: ");
    size_t and_pos = cond == std::string::npos ? cond : yaml.find(" and ", cond);
    if (and_pos != std::string::npos && yaml.find('\n', cond) > and_pos) {
      std::string changed = yaml;
      changed.replace(and_pos, 5, " or ");
      mutated_read = ReadSigma(changed);
      if (!mutated_read->import.detections.empty()) {
        mutated =
            eval::SigmaRule::Compile(*mutated_read->import.detections[0], {}, options, errors);
        ++mutations;
      }
    }
    bool mutation_seen = false;
    for (size_t k = 0; k < kEvents; ++k) {
      nlohmann::json event = gen.Event();
      bool expected = original->Match(event);
      matches += expected ? 1 : 0;
      if (mutated && !mutation_seen && mutated->Match(event) != expected) {
        mutation_seen = true;
        ++mutations_detected;
      }
      if (expected == reread->Match(event)) continue;
      ++failures;
      if (c.size < smallest_size) {
        smallest_size = c.size;
        const auto& logic = *c.program->detections[0]->As<ir::SigmaLogic>();
        smallest = fmt::format(
            "IR:\n{}\n\nemitted:\n{}\nread back:\n{}\n\nevent: {}\nIR verdict: {}, YAML verdict: "
            "{}\n",
            DescribeLogic(logic), yaml, DescribeLogic(read->Logic()), event.dump(), expected,
            !expected);
      }
    }
  }
  std::printf(
      "[ lowering property ] control: %zu of %zu conditions with `and` turned into `or` "
      "were told apart\n",
      mutations_detected, mutations);
  std::printf(
      "[ lowering property ] %zu cases compared over %zu events each (%zu matching "
      "verdicts); %zu not expressible in Sigma, %zu not evaluable; %zu failures\n",
      compared, kEvents, matches, not_expressible, not_evaluable, failures);
  EXPECT_EQ(failures, 0u) << "smallest counterexample (" << smallest_size << " nodes):\n"
                          << smallest;
  EXPECT_GE(compared * 5, kCases * 4);
  EXPECT_GT(matches, compared);                  // events do match, the property is not vacuous
  EXPECT_GT(mutations_detected * 2, mutations);  // and a changed meaning is seen
}

}  // namespace
}  // namespace ward::import_test
