// The traceability model: links, residual risk, reverse views, coverage and
// gaps, on the standard fixture.

#include <gtest/gtest.h>

#include <algorithm>

#include "backends/mapping/residual_risk.h"
#include "backends/mapping/trace_lowering.h"
#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

using backends::mapping::CoverageState;
using backends::mapping::GapKind;
using backends::mapping::Rating;
using backends::mapping::TraceModel;

size_t ThreatIndex(const TraceModel& model, const std::string& name) {
  for (size_t i = 0; i < model.threats.size(); ++i) {
    if (model.threats[i].info.name == "demo." + name) return i;
  }
  ADD_FAILURE() << "no threat " << name;
  return 0;
}

TEST(TraceModel, ThreatsKeepProgramOrderAndCarryTheirTrace) {
  auto fixture = StandardFixture();
  TraceModel model = Lower(*fixture);
  ASSERT_EQ(model.threats.size(), 4u);
  EXPECT_EQ(model.threats[0].info.name, "demo.data_leak");
  EXPECT_EQ(model.threats[3].info.name, "demo.unsafe_deserialization");

  const auto& deser = model.threats[ThreatIndex(model, "unsafe_deserialization")];
  ASSERT_EQ(deser.mitigations.size(), 2u);
  EXPECT_EQ(model.mitigations[deser.mitigations[0]].info.name, "demo.safe_formats");
  EXPECT_EQ(model.mitigations[deser.mitigations[1]].info.name, "demo.signing");
  ASSERT_EQ(deser.detections.size(), 1u);
  EXPECT_EQ(model.detections[deser.detections[0]].kind, "yara");
  EXPECT_EQ(model.detections[deser.detections[0]].tests.size(), 2u);
  ASSERT_EQ(deser.assets.size(), 1u);
  EXPECT_EQ(model.assets[deser.assets[0]].info.name, "demo.model_file");
  // Grouped by framework: catalogs sort by framework name.
  ASSERT_EQ(deser.mappings.size(), 3u);
  EXPECT_EQ(model.catalogs[deser.mappings[0].catalog].framework, "mitre_atlas");
  EXPECT_EQ(model.catalogs[deser.mappings[1].catalog].framework, "mitre_attack");
  EXPECT_EQ(model.catalogs[deser.mappings[2].catalog].framework, "owasp_llm");
  EXPECT_EQ(model.EntryOf(deser.mappings[1].refs[0]).id, "T1059.006");
}

TEST(TraceModel, PinnedVersionsAndStableIdsAreKept) {
  auto fixture = StandardFixture();
  TraceModel model = Lower(*fixture);
  const auto& injection = model.threats[ThreatIndex(model, "prompt_injection")];
  EXPECT_EQ(model.EntryOf(injection.mappings[1].refs[0]).id, "AML.T0051.000");
  EXPECT_EQ(injection.mappings[1].refs[0].pinned_version, "5.0.1");
  const auto& phrase = model.detections[injection.detections[0]];
  EXPECT_EQ(phrase.stable_id, "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11");
  const auto& deser = model.threats[ThreatIndex(model, "unsafe_deserialization")];
  const auto& pickle = model.detections[deser.detections[0]];
  EXPECT_EQ(pickle.stable_id,
            ir::StableId(fixture->program(), Get<ir::Detection>(*fixture, "pickle_code_exec")));
}

TEST(TraceModel, LinkDeclaredOnOneSideIsSeenFromBoth) {
  Fixture f;
  ir::Threat& threat = f.AddThreat("t", "Threat", ir::Severity::kHigh);
  ir::Mitigation& mitigation = f.AddMitigation("m", "Mitigation", ir::Effectiveness::kHigh);
  ir::Detection& detection = f.AddDetection("d", "Detection", "sigma", 1);
  mitigation.threats.push_back(&threat);  // only `addresses:` written
  threat.detections.push_back(&detection);  // only `detected_by:` written
  TraceModel model = Lower(f);
  ASSERT_EQ(model.threats[0].mitigations.size(), 1u);
  ASSERT_EQ(model.mitigations[0].threats.size(), 1u);
  ASSERT_EQ(model.threats[0].detections.size(), 1u);
  ASSERT_EQ(model.detections[0].threats.size(), 1u);
  EXPECT_EQ(model.threats[0].coverage(), CoverageState::kBoth);
  // No coverage gap from the one-sided links: the only gap left is that the
  // mitigation implements no framework control (none was given).
  ASSERT_EQ(model.gaps.size(), 1u);
  EXPECT_EQ(model.gaps[0].kind, GapKind::kMitigationUnmapped);
  EXPECT_EQ(model.gaps[0].subject, 0u);
}

TEST(TraceModel, ResidualRiskFollowsTheDocumentedRule) {
  auto fixture = StandardFixture();
  TraceModel model = Lower(*fixture);
  // critical - 2 (high mitigation) - 1 (tested detection) = low
  const auto& deser = model.threats[ThreatIndex(model, "unsafe_deserialization")].residual;
  EXPECT_EQ(deser.rating, Rating::kLow);
  EXPECT_EQ(deser.mitigation_credit, 2);
  EXPECT_EQ(deser.detection_credit, 1);
  // high - 1 (medium) - 1 = low
  EXPECT_EQ(model.threats[ThreatIndex(model, "prompt_injection")].residual.rating, Rating::kLow);
  // nothing covers it: stays medium
  EXPECT_EQ(model.threats[ThreatIndex(model, "model_dos")].residual.rating, Rating::kMedium);
  // an untested detection earns no credit, but the threat still counts as detected
  const auto& leak = model.threats[ThreatIndex(model, "data_leak")].residual;
  EXPECT_TRUE(leak.detected);
  EXPECT_FALSE(leak.detection_tested);
  EXPECT_EQ(leak.rating, Rating::kLow);
}

TEST(TraceModel, CoverageCountsEveryEntity) {
  auto fixture = StandardFixture();
  const auto c = Lower(*fixture).coverage;
  EXPECT_EQ(c.threats, 4u);
  EXPECT_EQ(c.mitigated, 2u);
  EXPECT_EQ(c.detected, 3u);
  EXPECT_EQ(c.both, 2u);
  EXPECT_EQ(c.uncovered, 1u);
  EXPECT_EQ(c.mitigations, 4u);
  EXPECT_EQ(c.mitigations_unused, 1u);
  EXPECT_EQ(c.mitigations_unmapped, 1u);
  EXPECT_EQ(c.detections, 4u);
  EXPECT_EQ(c.detections_tested, 3u);
  EXPECT_EQ(c.detections_orphan, 1u);
  EXPECT_EQ(c.tests, 5u);
  EXPECT_EQ(c.residual[static_cast<size_t>(Rating::kLow)], 3u);
  EXPECT_EQ(c.residual[static_cast<size_t>(Rating::kMedium)], 1u);
}

TEST(TraceModel, FrameworkCoverageCountsMappedAndImplementedEntries) {
  auto fixture = StandardFixture();
  TraceModel model = Lower(*fixture);
  for (const auto& fc : model.coverage.frameworks) {
    const auto& catalog = model.catalogs[fc.catalog];
    if (catalog.framework == "mitre_atlas") {
      EXPECT_EQ(fc.mapped_by_threats, 3u);  // T0010.003, T0051.000, T0029
      EXPECT_EQ(fc.covered, 2u);            // T0029 is the uncovered threat's
      EXPECT_EQ(fc.implemented, 2u);        // M0011, M0015
      EXPECT_EQ(fc.implementable, 3u);      // every `mitigation` entry
    } else if (catalog.framework == "nist_sp800_53") {
      EXPECT_EQ(fc.entries, 4u);
      EXPECT_EQ(fc.implemented, 3u);
      EXPECT_EQ(fc.implementable, 4u);
      EXPECT_EQ(fc.mapped_by_threats, 0u);
    }
  }
}

TEST(TraceModel, GapsListEveryUncoveredThreatFirst) {
  auto fixture = StandardFixture();
  TraceModel model = Lower(*fixture);
  std::vector<std::pair<GapKind, std::string>> gaps;
  for (const auto& gap : model.gaps) {
    std::string name = gap.subject_kind == "threat"      ? model.threats[gap.subject].info.name
                       : gap.subject_kind == "detection" ? model.detections[gap.subject].info.name
                                                         : model.mitigations[gap.subject].info.name;
    gaps.emplace_back(gap.kind, name);
  }
  const std::vector<std::pair<GapKind, std::string>> expected = {
      {GapKind::kThreatUncovered, "demo.model_dos"},
      {GapKind::kThreatUnmitigated, "demo.data_leak"},
      {GapKind::kDetectionOrphan, "demo.orphan_rule"},
      {GapKind::kDetectionUntested, "demo.leak_watch"},
      {GapKind::kMitigationUnused, "demo.unused_policy"},
      {GapKind::kMitigationUnmapped, "demo.unused_policy"},
  };
  EXPECT_EQ(gaps, expected);
}

TEST(TraceModel, ReverseViewsLeadFromControlsAndIdsBackToEntities) {
  auto fixture = StandardFixture();
  TraceModel model = Lower(*fixture);
  bool found_si7 = false;
  for (const auto& view : model.controls) {
    if (model.EntryOf(view.control).id != "SI-7") continue;
    found_si7 = true;
    ASSERT_EQ(view.mitigations.size(), 1u);
    EXPECT_EQ(model.mitigations[view.mitigations[0]].info.name, "demo.signing");
    ASSERT_EQ(view.threats.size(), 1u);
    EXPECT_EQ(model.threats[view.threats[0]].info.name, "demo.unsafe_deserialization");
  }
  EXPECT_TRUE(found_si7);
  EXPECT_EQ(model.controls.size(), 7u);

  bool found_risk = false;
  for (const auto& view : model.framework_ids) {
    if (model.EntryOf(view.ref).id != "riskPromptInjection") continue;
    found_risk = true;
    ASSERT_EQ(view.entities.size(), 3u);
    EXPECT_EQ(view.entities[0].kind, "threat");
    EXPECT_EQ(view.entities[0].name, "demo.prompt_injection");
    EXPECT_EQ(view.entities[1].kind, "asset");
    EXPECT_EQ(view.entities[2].kind, "persona");
    EXPECT_EQ(view.entities[2].relation, "maps");
  }
  EXPECT_TRUE(found_risk);
}

TEST(TraceModel, DocumentDateComesFromTheBuildThenTheSources) {
  auto fixture = StandardFixture();
  EXPECT_EQ(Lower(*fixture, "2026-01-15").document_date, "2026-01-15");
  EXPECT_EQ(Lower(*fixture, "").document_date, "2025-09-03");  // newest date in the fixture
  Fixture empty;
  EXPECT_EQ(Lower(empty, "").document_date, "1970-01-01");
}

}  // namespace
}  // namespace ward::mapping_test
