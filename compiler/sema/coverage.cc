#include "compiler/sema/coverage.h"

#include <fmt/format.h>

#include "compiler/sema/refinement.h"

namespace ward::sema {
namespace {

// Detections that feed a correlation inherit its threats: a base rule such
// as "one prompt event" is not an orphan when the correlation over it is
// linked to a threat.
std::set<const ir::Detection*> UsedByLinkedCorrelation(const ir::Program& program) {
  std::set<const ir::Detection*> out;
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto& d : program.detections) {
      const auto* sigma = d->As<ir::SigmaLogic>();
      if (!sigma || !sigma->correlation) continue;
      if (d->threats.empty() && !out.count(d.get())) continue;
      for (const ir::Detection* rule : sigma->correlation->rules) {
        if (out.insert(rule).second) grew = true;
      }
    }
  }
  return out;
}

}  // namespace

void CheckCoverage(const ir::Program& program, const CoverageOptions& options,
                   DiagnosticEngine& diags) {
  auto skipped = [&](const ir::Entity& e) { return options.skip && options.skip->count(&e); };
  auto unsure = [&](const ir::Entity& e, DiagCode code) {
    if (!options.unsure) return false;
    auto it = options.unsure->find(e.name);
    return it != options.unsure->end() && it->second.count(code) != 0;
  };
  if (options.coverage) {
    for (const auto& t : program.threats) {
      if (skipped(*t)) continue;
      if (t->mitigations.empty() && !unsure(*t, DiagCode::kThreatNotMitigated)) {
        diags.Report(Diag(DiagCode::kThreatNotMitigated, t->name_span,
                          fmt::format("threat `{}` has no mitigation", t->name))
                         .Label("nothing mitigates this threat")
                         .Help("add `mitigated_by: NAME`, or `addresses: " + t->name +
                               "` on a mitigation"));
      }
      // A detection of a narrower threat that refines this one detects this
      // one too; a declared gap says no detection can exist.
      const ir::Threat* through = DetectedRefiner(*t);
      const bool detected = !t->detections.empty() || through != nullptr;
      if (!t->detection_gap.empty() && detected) {
        std::string by = !t->detections.empty()
                             ? fmt::format("detection `{}`", t->detections.front()->name)
                             : fmt::format("`{}`, which refines it", through->name);
        diags.Report(Diag(DiagCode::kDetectionGapCovered, t->detection_gap_span,
                          fmt::format("threat `{}` declares a detection gap but is detected by {}",
                                      t->name, by))
                         .Label("declared undetectable here")
                         .Help("remove `detection_gap`: the coverage reports would otherwise "
                               "list a gap that does not exist"));
      }
      if (!detected && t->detection_gap.empty() && !unsure(*t, DiagCode::kThreatNotDetected)) {
        diags.Report(Diag(DiagCode::kThreatNotDetected, t->name_span,
                          fmt::format("threat `{}` has no detection", t->name))
                         .Label("nothing detects this threat")
                         .Help("add `detected_by: NAME`, `detects: " + t->name +
                               "` on a detection, or `refines: " + t->name +
                               "` on a narrower threat that has one"));
      }
    }
    std::set<const ir::Detection*> feeding = UsedByLinkedCorrelation(program);
    for (const auto& d : program.detections) {
      if (skipped(*d) || !d->threats.empty() || feeding.count(d.get()) ||
          unsure(*d, DiagCode::kDetectionWithoutThreat)) {
        continue;
      }
      diags.Report(Diag(DiagCode::kDetectionWithoutThreat, d->name_span,
                        fmt::format("detection `{}` is linked to no threat", d->name))
                       .Label("detects nothing in the threat model")
                       .Help("add `detects: THREAT` so coverage and tags can be derived"));
    }
    for (const auto& m : program.mitigations) {
      if (skipped(*m) || !m->threats.empty() || unsure(*m, DiagCode::kMitigationUnused)) continue;
      diags.Report(Diag(DiagCode::kMitigationUnused, m->name_span,
                        fmt::format("mitigation `{}` addresses no threat", m->name))
                       .Label("linked to no threat")
                       .Help("add `addresses: THREAT`, or `mitigated_by: " + m->name +
                             "` on a threat"));
    }
  }
  if (options.untested) {
    for (const auto& d : program.detections) {
      if (skipped(*d) || !d->tests.empty() || !d->logic) continue;
      diags.Report(Diag(DiagCode::kDetectionUntested, d->name_span,
                        fmt::format("detection `{}` has no test", d->name))
                       .Label("untested")
                       .Help("add `test \"name\" { ... expect: match }` cases next to the rule"));
    }
  }
}

}  // namespace ward::sema
