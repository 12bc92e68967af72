// Correlations and meta filters survive read -> Sigma backend -> read: the
// same correlation settings, the filter still applies to its rule, and the
// evaluator raises the same alerts and verdicts on both IRs.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "backends/sigma/sigma_backend.h"
#include "compiler/eval/sigma_eval.h"
#include "tests/import/import_test_support.h"

namespace ward::import_test {
namespace {

const char* kFiles[][2] = {
    {"mr_failed_logons.yml",
     "title: Many failed logons\n"
     "id: 0e95725d-7320-415d-80f7-004da920fc11\n"
     "correlation:\n"
     "    type: event_count\n"
     "    rules:\n"
     "        - failed_logon\n"
     "    group-by:\n"
     "        - TargetUserName\n"
     "    timespan: 5m\n"
     "    condition:\n"
     "        gte: 3\n"
     "level: high\n"
     "---\n"
     "title: Failed logon\n"
     "id: 5638f7c0-ac70-491d-8465-2a65075e0d86\n"
     "name: failed_logon\n"
     "logsource: {product: windows, service: security}\n"
     "detection:\n"
     "    selection: {EventID: 4625}\n"
     "    condition: selection\n"
     "level: low\n"},
    {"mf_admins.yml",
     "title: Not for admins\n"
     "id: 7f7a6e5c-1111-4222-8333-944455556666\n"
     "logsource: {product: windows, service: security}\n"
     "filter:\n"
     "    rules:\n"
     "        - 5638f7c0-ac70-491d-8465-2a65075e0d86\n"
     "    selection:\n"
     "        TargetUserName|startswith: 'adm_'\n"
     "    condition: not selection\n"},
};

std::vector<nlohmann::json> Events() {
  std::vector<nlohmann::json> events;
  for (int i = 0; i < 12; ++i) {
    events.push_back({{"EventID", i % 3 == 0 ? 4624 : 4625},
                      {"TargetUserName", i % 2 == 0 ? "alice" : "adm_bob"},
                      {"timestamp", 1700000000 + i * 20}});
  }
  return events;
}

const ir::Detection* Find(const import::SigmaImport& imp, const std::string& title) {
  for (const auto& d : imp.detections) {
    if (d->meta.title == title) return d.get();
  }
  return nullptr;
}

TEST(CorrelationFilterRoundTripTest, CorrelationAndFilterKeepTheirMeaning) {
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const auto& f : kFiles) inputs.emplace_back(f[0], f[1]);
  auto first = ReadSigmaFiles(inputs);
  ASSERT_EQ(first->diags.error_count(), 0u) << first->Render();
  std::unique_ptr<ir::Program> program = import::ToProgram(std::move(first->import));

  SourceManager sources;
  DiagnosticEngine diags;
  backends::OutputSet files;
  backends::BackendContext ctx{*program, sources, diags, {}, "2025-07-01"};
  ASSERT_TRUE(backends::sigma::MakeSigmaBackend()->Emit(ctx, files));
  std::vector<std::pair<std::string, std::string>> emitted(files.files().begin(),
                                                           files.files().end());
  ASSERT_EQ(emitted.size(), 2u);
  auto second = ReadSigmaFiles(emitted);
  ASSERT_EQ(second->diags.error_count(), 0u) << second->Render();

  // The same correlation settings and references.
  std::map<std::string, const ir::Detection*> a, b;
  for (const auto& d : program->detections) a[d->meta.title] = d.get();
  const ir::Detection* corr_a = a.at("Many failed logons");
  const ir::Detection* corr_b = Find(second->import, "Many failed logons");
  ASSERT_NE(corr_b, nullptr);
  const ir::Correlation& ca = *corr_a->As<ir::SigmaLogic>()->correlation;
  const ir::Correlation& cb = *corr_b->As<ir::SigmaLogic>()->correlation;
  EXPECT_EQ(ca.type, cb.type);
  EXPECT_EQ(ca.group_by, cb.group_by);
  EXPECT_EQ(ca.timespan_seconds, cb.timespan_seconds);
  ASSERT_EQ(cb.condition.size(), 1u);
  EXPECT_EQ(cb.condition[0].op, "gte");
  EXPECT_EQ(cb.condition[0].value, 3);
  ASSERT_EQ(cb.rules.size(), 1u);
  EXPECT_EQ(cb.rules[0]->meta.title, "Failed logon");
  EXPECT_EQ(cb.rules[0]->id, ca.rules[0]->id);
  EXPECT_EQ(corr_b->id, corr_a->id);

  // The filter still names the rule.
  ASSERT_EQ(second->import.filters.size(), 1u);
  const ir::Filter& filter_b = *second->import.filters[0];
  ASSERT_EQ(filter_b.rules.size(), 1u);
  EXPECT_EQ(filter_b.rules[0], cb.rules[0]);
  EXPECT_EQ(filter_b.id, program->filters[0]->id);
  EXPECT_EQ(filter_b.logsource.service, "security");

  // The same verdicts: the rule with its filter, and the correlation's alerts.
  eval::EvalOptions options;
  std::vector<eval::EvalError> errors;
  std::vector<const ir::Filter*> filters_a = {program->filters[0].get()};
  std::vector<const ir::Filter*> filters_b = {&filter_b};
  auto rule_a = eval::SigmaRule::Compile(*ca.rules[0], filters_a, options, errors);
  auto rule_b = eval::SigmaRule::Compile(*cb.rules[0], filters_b, options, errors);
  ASSERT_TRUE(rule_a && rule_b) << (errors.empty() ? "" : errors.back().message);
  size_t matched = 0;
  for (const nlohmann::json& event : Events()) {
    EXPECT_EQ(rule_a->Match(event), rule_b->Match(event)) << event.dump();
    matched += rule_a->Match(event);
  }
  EXPECT_EQ(matched, 4u);  // failed logons of alice; adm_bob is filtered out

  auto eval_a = eval::Evaluator::Compile(*corr_a, filters_a, options, errors);
  auto eval_b = eval::Evaluator::Compile(*corr_b, filters_b, options, errors);
  ASSERT_TRUE(eval_a && eval_b) << (errors.empty() ? "" : errors.back().message);
  eval::Verdict va = eval_a->Evaluate(Events());
  eval::Verdict vb = eval_b->Evaluate(Events());
  EXPECT_TRUE(va.matched);
  EXPECT_EQ(va.matched, vb.matched);
  ASSERT_EQ(va.events.size(), vb.events.size());
  for (size_t i = 0; i < va.events.size(); ++i) {
    EXPECT_EQ(va.events[i].matched, vb.events[i].matched) << i;
  }
}

}  // namespace
}  // namespace ward::import_test
