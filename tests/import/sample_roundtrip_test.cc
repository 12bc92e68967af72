// Round trip over the SigmaHQ sample rules (issue 8's fidelity measure):
// read each rule, emit it with the Sigma backend, read the output back, and
// check the same logsource, the same metadata and the same evaluator
// verdicts on events generated from the rule's own values (so that rules do
// match some of them). docs/import.md reports the figures printed here.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <set>

#include "backends/sigma/sigma_backend.h"
#include "compiler/eval/sigma_eval.h"
#include "tests/import/import_test_support.h"

namespace ward::import_test {
namespace {

using ir::SigmaExpr;
using ir::SigmaModifier;
using ir::SigmaValue;

bool Has(const SigmaExpr& e, SigmaModifier m) {
  return std::find(e.modifiers.begin(), e.modifiers.end(), m) != e.modifiers.end();
}

std::string Base64(std::string_view bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(n >> k) & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string Utf16le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

// Builds events that satisfy parts of a rule, from the rule's own values.
class EventMaker {
 public:
  EventMaker(const ir::SigmaLogic& logic, uint64_t seed) : logic_(logic), rng_(seed) {}

  std::vector<nlohmann::json> Events() {
    std::vector<nlohmann::json> events;
    for (int i = 0; i < 12; ++i) {  // the condition, choosing different alternatives
      Begin();
      Satisfy(*logic_.condition, 0);
      // Half of them give every other field the rule reads a harmless value,
      // so that `not field: null` filters do not fire by the field's absence.
      events.push_back(Render(/*fill_other_fields=*/i % 2 == 1));
    }
    for (const ir::SigmaSelection& s : logic_.selections) {  // each identifier alone
      Begin();
      Satisfy(*s.expr, 0);
      events.push_back(Render(false));
      // ...and together with the condition (so that filters bite).
      Begin();
      Satisfy(*logic_.condition, 0);
      Satisfy(*s.expr, 0);
      events.push_back(Render(true));
    }
    events.push_back(nlohmann::json::object());
    return events;
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  void Satisfy(const SigmaExpr& e, int depth) {
    if (depth > 50) return;
    switch (e.kind) {
      case SigmaExpr::Kind::kAnd:
        for (const auto& c : e.children) Satisfy(*c, depth + 1);
        return;
      case SigmaExpr::Kind::kOr:
        Satisfy(*e.children[Pick(e.children.size())], depth + 1);
        return;
      case SigmaExpr::Kind::kNot:
        return;  // leave the negated part unset
      case SigmaExpr::Kind::kSelection:
        Satisfy(*logic_.selections[e.selection].expr, depth + 1);
        return;
      case SigmaExpr::Kind::kMatch:
        Assign(e);
        return;
    }
  }

  // What the event's fields must hold; several tests of one field (a
  // `startswith` and an `endswith`, two `contains`) are combined in Render().
  struct FieldPlan {
    std::optional<nlohmann::json> exact;
    std::string start, end;
    std::vector<std::string> middle;
    bool absent = false;
  };

  void Begin() {
    plans_.clear();
    keyword_ = 0;
  }

  void CollectFields(const SigmaExpr& e, std::set<std::string>& out, int depth) {
    if (depth > 50) return;
    if (e.kind == SigmaExpr::Kind::kMatch && !e.field.empty()) out.insert(e.field);
    if (e.kind == SigmaExpr::Kind::kSelection) {
      CollectFields(*logic_.selections[e.selection].expr, out, depth + 1);
    }
    for (const auto& c : e.children) CollectFields(*c, out, depth + 1);
  }

  nlohmann::json Render(bool fill_other_fields) {
    nlohmann::json event = nlohmann::json::object();
    if (fill_other_fields) {
      std::set<std::string> fields;
      CollectFields(*logic_.condition, fields, 0);
      for (const std::string& f : fields) event[f] = "unrelated-value";
    }
    for (const auto& [field, plan] : plans_) {
      if (plan.absent) {
        event.erase(field);
      } else if (plan.exact) {
        event[field] = *plan.exact;
      } else {
        std::string text = plan.start;
        for (const std::string& m : plan.middle) text += m;
        event[field] = text + plan.end;
      }
    }
    return event;
  }

  // A text that the Sigma pattern `text` matches.
  std::string Instance(const SigmaValue& v) {
    if (!v.wildcards) return v.text;
    std::string out;
    for (size_t i = 0; i < v.text.size(); ++i) {
      char c = v.text[i];
      if (c == '\\' && i + 1 < v.text.size() &&
          (v.text[i + 1] == '*' || v.text[i + 1] == '?' || v.text[i + 1] == '\\')) {
        out += v.text[++i];
      } else if (c == '*') {
        out += Pick(2) ? "" : "zz";
      } else if (c == '?') {
        out += 'q';
      } else {
        out += c;
      }
    }
    return out;
  }

  void Assign(const SigmaExpr& e) {
    if (e.values.empty()) return;
    std::string field = e.field.empty() ? fmt::format("keyword_{}", keyword_++) : e.field;
    FieldPlan& plan = plans_[field];
    const SigmaValue& v = e.values[Pick(e.values.size())];
    if (Has(e, SigmaModifier::kExists)) {
      plan.absent = !v.boolean;
      if (v.boolean && !plan.exact && plan.middle.empty()) plan.middle.push_back("present");
      return;
    }
    switch (v.kind) {
      case SigmaValue::Kind::kNull:
        plan.exact = nullptr;
        return;
      case SigmaValue::Kind::kBool:
        plan.exact = v.boolean;
        return;
      case SigmaValue::Kind::kFloat:
        plan.exact = v.real;
        return;
      case SigmaValue::Kind::kInteger: {
        int64_t n = v.integer;
        if (Has(e, SigmaModifier::kLt)) --n;
        if (Has(e, SigmaModifier::kGt)) ++n;
        plan.exact = n;
        return;
      }
      case SigmaValue::Kind::kString:
        break;
    }
    if (Has(e, SigmaModifier::kCidr)) {
      plan.exact = v.text.substr(0, v.text.find('/'));
      return;
    }
    std::string text;
    if (Has(e, SigmaModifier::kAll)) {
      for (const SigmaValue& each : e.values) text += Instance(each) + " ";
    } else {
      text = Instance(v);
    }
    if (Has(e, SigmaModifier::kWide) || Has(e, SigmaModifier::kUtf16le)) text = Utf16le(text);
    if (Has(e, SigmaModifier::kBase64) || Has(e, SigmaModifier::kBase64Offset)) {
      text = Base64(text);
      while (!text.empty() && text.back() == '=') text.pop_back();
    }
    if (!Has(e, SigmaModifier::kCased) && !Has(e, SigmaModifier::kRe) && Pick(3) == 0) {
      for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (Has(e, SigmaModifier::kStartsWith)) {
      plan.start = text;
      plan.middle.push_back("_");
    } else if (Has(e, SigmaModifier::kEndsWith)) {
      plan.end = text;
      plan.middle.push_back("_");
    } else if (Has(e, SigmaModifier::kContains) || e.field.empty()) {
      plan.middle.push_back(" " + text + " ");
    } else {
      plan.exact = text;
    }
  }

  const ir::SigmaLogic& logic_;
  std::mt19937_64 rng_;
  int keyword_ = 0;
  std::map<std::string, FieldPlan> plans_;
};

std::string LogsourceText(const ir::Logsource& l) {
  std::string out = fmt::format("{}/{}/{}/{}", l.category, l.product, l.service, l.definition);
  for (const auto& [k, v] : l.extra) out += fmt::format(" {}={}", k, v);
  return out;
}

// Metadata fields that differ between two reads of a rule.
std::vector<std::string> MetadataDifferences(const ir::Detection& a, const ir::Detection& b) {
  std::vector<std::string> diffs;
  auto check = [&](const char* name, bool same) {
    if (!same) diffs.push_back(name);
  };
  check("title", a.meta.title == b.meta.title);
  check("id", a.id == b.id);
  check("status", a.meta.status == b.meta.status);
  check("description", a.meta.description == b.meta.description);
  check("references", a.meta.references == b.meta.references);
  check("author", a.meta.author == b.meta.author);
  check("date", a.meta.date == b.meta.date);
  check("modified", a.meta.modified == b.meta.modified);
  check("tags", a.meta.tags == b.meta.tags);
  check("falsepositives", a.falsepositives == b.falsepositives);
  check("level", a.level == b.level);
  bool related = a.related.size() == b.related.size();
  for (size_t i = 0; related && i < a.related.size(); ++i) {
    related = a.related[i].id == b.related[i].id && a.related[i].type == b.related[i].type;
  }
  check("related", related);
  return diffs;
}

TEST(SampleRoundTripTest, SampleRulesKeepLogsourceMetadataAndMeaning) {
  std::optional<SampleRules> samples = FindSampleRules();
  if (!samples) GTEST_SKIP() << "../shared/reference/sigma/rules-sample is not available";
  size_t read = 0, emitted = 0, same_logsource = 0, same_metadata = 0, same_verdicts = 0;
  size_t evaluable = 0, rules_matching = 0, events_total = 0, full = 0;
  std::vector<std::string> problems, unmatched;
  uint64_t seed = 1;
  for (const std::string& rel : samples->paths) {
    auto original = ReadSigma(ReadWholeFile(samples->root + "/" + rel), rel);
    if (original->import.detections.size() != 1) continue;
    ++read;
    std::unique_ptr<ir::Program> program = import::ToProgram(std::move(original->import));
    const ir::Detection& first = *program->detections[0];

    SourceManager sources;
    DiagnosticEngine diags;
    backends::OutputSet files;
    backends::BackendContext ctx{*program, sources, diags, {}, "2025-07-01"};
    if (!backends::sigma::MakeSigmaBackend()->Emit(ctx, files) || files.files().size() != 1) {
      problems.push_back(
          rel + ": the Sigma backend did not emit it" +
          (diags.diagnostics().empty() ? "" : ": " + diags.diagnostics()[0].message));
      continue;
    }
    ++emitted;
    const std::string& yaml = files.files().begin()->second;
    auto back = ReadSigma(yaml, rel);
    if (back->import.detections.size() != 1) {
      problems.push_back(rel + ": the emitted rule was refused: " + back->Render());
      continue;
    }
    const ir::Detection& second = *back->import.detections[0];
    const auto& logic1 = *first.As<ir::SigmaLogic>();
    const auto& logic2 = *second.As<ir::SigmaLogic>();
    bool logsource = LogsourceText(logic1.logsource) == LogsourceText(logic2.logsource);
    same_logsource += logsource;
    if (!logsource) {
      problems.push_back(rel + ": logsource " + LogsourceText(logic1.logsource) + " became " +
                         LogsourceText(logic2.logsource));
    }
    std::vector<std::string> diffs = MetadataDifferences(first, second);
    same_metadata += diffs.empty();
    for (const std::string& d : diffs) problems.push_back(rel + ": metadata `" + d + "` changed");

    eval::EvalOptions options;
    std::vector<eval::EvalError> errors;
    auto rule1 = eval::SigmaRule::Compile(first, {}, options, errors);
    auto rule2 = eval::SigmaRule::Compile(second, {}, options, errors);
    if (!rule1 || !rule2) {
      problems.push_back(
          rel + ": not evaluable: " + (errors.empty() ? std::string("?") : errors.back().message));
      continue;
    }
    ++evaluable;
    bool same = true, any_match = false;
    for (const nlohmann::json& event : EventMaker(logic1, seed++).Events()) {
      ++events_total;
      bool v1 = rule1->Match(event);
      any_match = any_match || v1;
      if (v1 != rule2->Match(event)) {
        same = false;
        problems.push_back(fmt::format("{}: verdicts differ on {}\n{}", rel, event.dump(), yaml));
        break;
      }
    }
    same_verdicts += same;
    rules_matching += any_match;
    if (!any_match) unmatched.push_back(rel);
    full += same && logsource && diffs.empty();
  }
  std::printf(
      "[ sigma round trip ] %zu read, %zu emitted, %zu same logsource, %zu same metadata, "
      "%zu evaluable, %zu same verdicts (%zu events; %zu rules matched some), %zu full "
      "fidelity\n",
      read, emitted, same_logsource, same_metadata, evaluable, same_verdicts, events_total,
      rules_matching, full);
  for (const std::string& p : problems) std::printf("  %s\n", p.c_str());
  for (const std::string& u : unmatched)
    std::printf("  no generated event matched %s\n", u.c_str());
  EXPECT_EQ(read, samples->paths.size());
  EXPECT_EQ(full, read) << problems.size() << " problems, listed above";
  // Only rules whose sole test is a regular expression may go unmatched.
  EXPECT_GE(rules_matching * 20, evaluable * 19) << "the generated events must exercise the rules";
}

}  // namespace
}  // namespace ward::import_test
