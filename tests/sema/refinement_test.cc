// `refines` between threats and declared detection gaps: how they resolve,
// what the IR records, and how coverage (W0401, W0404) follows them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "compiler/sema/analyzer.h"
#include "compiler/syntax/parser.h"

namespace ward::sema {
namespace {

using ::testing::HasSubstr;

struct Result {
  SourceManager sources;
  std::vector<std::unique_ptr<ast::File>> asts;
  std::unique_ptr<ir::Program> program;
  DiagnosticEngine diags;

  size_t Count(std::string_view code) const {
    size_t n = 0;
    for (const Diagnostic& d : diags.diagnostics()) n += Info(d.code).id == code;
    return n;
  }
  const Diagnostic* First(std::string_view code) const {
    for (const Diagnostic& d : diags.diagnostics()) {
      if (Info(d.code).id == code) return &d;
    }
    return nullptr;
  }
  // W0401 reported on the threat named `name`.
  bool Undetected(std::string_view name) const {
    for (const Diagnostic& d : diags.diagnostics()) {
      if (Info(d.code).id == "W0401" &&
          d.message.find("`" + std::string(name) + "`") != std::string::npos) {
        return true;
      }
    }
    return false;
  }
  const ir::Threat* Threat(std::string_view name) const {
    for (const auto& t : program->threats) {
      if (t->name == name) return t.get();
    }
    return nullptr;
  }
};

std::unique_ptr<Result> Analyze(std::map<std::string, std::string> files) {
  auto r = std::make_unique<Result>();
  std::vector<ParsedFile> parsed;
  for (auto& [path, text] : files) {
    FileId id = r->sources.Add(path, text);
    DiagnosticEngine file_diags;
    auto ast = syntax::ParseFile(*r->sources.Get(id), file_diags);
    for (const auto& d : file_diags.diagnostics()) r->diags.Report(d);
    if (!ast) continue;
    r->asts.push_back(std::make_unique<ast::File>(std::move(*ast)));
    parsed.push_back({r->asts.back().get(), file_diags.has_errors()});
  }
  r->program = sema::Analyze(parsed, ir::Manifest{}, r->sources, r->diags,
                             SemaOptions{/*coverage_warnings=*/true, /*untested_warnings=*/false});
  return r;
}

constexpr const char* kDetection = R"(
detection sigma d "Detection" {
  logsource { product: gen_ai }
  when: gen_ai.prompt contains "x"
}
mitigation m "Mitigation" { type: preventive }
)";

TEST(RefinementTest, BroadThreatIsDetectedThroughTheNarrowOne) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat broad "Broad" { severity: high  mitigated_by: m }
threat narrow "Narrow" { severity: high  mitigated_by: m  refines: broad  detected_by: d }
)") + kDetection}});
  EXPECT_FALSE(r->diags.has_errors());
  EXPECT_FALSE(r->Undetected("broad"));
  EXPECT_EQ(r->Count("W0401"), 0u);
  const ir::Threat* broad = r->Threat("broad");
  const ir::Threat* narrow = r->Threat("narrow");
  ASSERT_NE(broad, nullptr);
  ASSERT_NE(narrow, nullptr);
  ASSERT_EQ(narrow->refines.size(), 1u);
  EXPECT_EQ(narrow->refines[0], broad);
  ASSERT_EQ(broad->refined_by.size(), 1u);
  EXPECT_EQ(broad->refined_by[0], narrow);
  EXPECT_TRUE(broad->detections.empty());  // coverage flows, links are not copied
}

TEST(RefinementTest, CoverageFollowsAChainOfRefinements) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat top "Top" { severity: high  mitigated_by: m }
threat middle "Middle" { severity: high  mitigated_by: m  refines: top }
threat leaf "Leaf" { severity: high  mitigated_by: m  refines: middle  detected_by: d }
)") + kDetection}});
  EXPECT_EQ(r->Count("W0401"), 0u);
}

TEST(RefinementTest, RefiningDoesNotDetectTheNarrowerThreat) {
  // Coverage flows up only: a detected broad threat says nothing about its cases.
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat broad "Broad" { severity: high  mitigated_by: m  detected_by: d }
threat narrow "Narrow" { severity: high  mitigated_by: m  refines: broad }
)") + kDetection}});
  EXPECT_TRUE(r->Undetected("narrow"));
  EXPECT_FALSE(r->Undetected("broad"));
}

TEST(RefinementTest, MitigationsDoNotFlowThroughRefinement) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat broad "Broad" { severity: high }
threat narrow "Narrow" { severity: high  mitigated_by: m  refines: broad  detected_by: d }
)") + kDetection}});
  const Diagnostic* d = r->First("W0400");
  ASSERT_NE(d, nullptr);
  EXPECT_THAT(d->message, HasSubstr("`broad`"));
}

TEST(RefinementTest, RefinesAcrossPackagesThroughAnImport) {
  auto r = Analyze({{"broad.ward", R"(package risks
threat poisoning "Poisoning" { severity: high  mitigated_by: m }
mitigation m "M" { type: preventive }
)"},
                    {"narrow.ward", R"(package cases
import risks
threat hub "Hub dataset" { severity: high  mitigated_by: risks.m  refines: risks.poisoning  detected_by: d }
detection sigma d "D" {
  logsource { product: gen_ai }
  when: gen_ai.prompt contains "x"
}
)"}});
  EXPECT_FALSE(r->diags.has_errors());
  EXPECT_EQ(r->Count("W0401"), 0u);
}

TEST(RefinementTest, RefinesMustNameThreats) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat a "A" { severity: low  mitigated_by: m  refines: m }
threat b "B" { severity: low  mitigated_by: m  refines: nothing_here }
threat c "C" { severity: low  mitigated_by: m  refines: "a" }
)") + kDetection}});
  const Diagnostic* wrong_kind = r->First("E0202");
  ASSERT_NE(wrong_kind, nullptr);
  EXPECT_THAT(wrong_kind->message, HasSubstr("`m`"));
  EXPECT_NE(r->First("E0200"), nullptr);
  const Diagnostic* not_a_name = r->First("E0303");
  ASSERT_NE(not_a_name, nullptr);
  EXPECT_THAT(not_a_name->message, HasSubstr("names of threats"));
  // The threat `nothing_here` meant may be detected through b: not reported.
  EXPECT_FALSE(r->Undetected("nothing_here"));
}

TEST(RefinementTest, ACycleIsReportedOnceAtTheLinkThatClosesIt) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat a "A" { severity: low  mitigated_by: m  refines: b }
threat b "B" { severity: low  mitigated_by: m  refines: c }
threat c "C" { severity: low  mitigated_by: m  refines: a  detected_by: d }
)") + kDetection}});
  ASSERT_EQ(r->Count("E0310"), 1u);
  const Diagnostic* d = r->First("E0310");
  EXPECT_THAT(d->message, HasSubstr("`a` -> `b` -> `c` -> `a`"));
  EXPECT_FALSE(d->help->empty());
}

TEST(RefinementTest, AThreatCannotRefineItself) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat a "A" { severity: low  mitigated_by: m  refines: a  detected_by: d }
)") + kDetection}});
  ASSERT_EQ(r->Count("E0310"), 1u);
  EXPECT_THAT(r->First("E0310")->message, HasSubstr("refines itself"));
  EXPECT_TRUE(r->Threat("a")->refines.empty());
}

TEST(RefinementTest, DeclaredGapSilencesW0401AndIsKeptInTheIr) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat side_channel "Side channel" {
  severity: medium
  mitigated_by: m
  detection_gap: "leaves no trace in any log"
}
)") + kDetection}});
  EXPECT_FALSE(r->diags.has_errors());
  EXPECT_EQ(r->Count("W0401"), 0u);
  EXPECT_EQ(r->Threat("side_channel")->detection_gap, "leaves no trace in any log");
}

TEST(RefinementTest, EmptyGapIsAnErrorAndSilencesNothing) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat t "T" { severity: medium  mitigated_by: m  detection_gap: "  " }
)") + kDetection}});
  EXPECT_NE(r->First("E0308"), nullptr);
  EXPECT_TRUE(r->Undetected("t"));
}

TEST(RefinementTest, GapOnADetectedThreatIsStale) {
  auto r = Analyze({{"m.ward", std::string(R"(package demo
threat own "Own detection" { severity: low  mitigated_by: m  detection_gap: "none"  detected_by: d }
threat broad "Broad" { severity: low  mitigated_by: m  detection_gap: "none" }
threat narrow "Narrow" { severity: low  mitigated_by: m  refines: broad  detected_by: d }
)") + kDetection}});
  ASSERT_EQ(r->Count("W0404"), 2u);
  bool through = false;
  for (const Diagnostic& d : r->diags.diagnostics()) {
    if (Info(d.code).id == "W0404" &&
        d.message.find("`narrow`, which refines it") != std::string::npos) {
      through = true;
    }
  }
  EXPECT_TRUE(through);
}

}  // namespace
}  // namespace ward::sema
