#include "compiler/sema/refinement.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ward::sema {
namespace {

bool ByName(const ir::Threat* a, const ir::Threat* b) {
  return a->qualified_name() < b->qualified_name();
}

}  // namespace

void LinkRefinements(ir::Program& program, DiagnosticEngine& diags) {
  for (auto& threat : program.threats) threat->refined_by.clear();
  for (auto& threat : program.threats) {
    for (const ir::Threat* broader : threat->refines) {
      auto& list = const_cast<ir::Threat*>(broader)->refined_by;
      if (std::find(list.begin(), list.end(), threat.get()) == list.end()) {
        list.push_back(threat.get());
      }
    }
  }
  for (auto& threat : program.threats) {
    std::sort(threat->refined_by.begin(), threat->refined_by.end(), ByName);
  }

  // Depth-first over `refines`, in name order so the same cycle is always
  // reported at the same link.
  enum class State { kNew, kActive, kDone };
  std::map<const ir::Threat*, State> state;
  std::vector<const ir::Threat*> stack;
  std::function<void(const ir::Threat*)> visit = [&](const ir::Threat* threat) {
    state[threat] = State::kActive;
    stack.push_back(threat);
    for (size_t i = 0; i < threat->refines.size(); ++i) {
      const ir::Threat* broader = threat->refines[i];
      State& s = state[broader];
      if (s == State::kNew) {
        visit(broader);
      } else if (s == State::kActive) {
        auto begin = std::find(stack.begin(), stack.end(), broader);
        std::string cycle;
        for (auto it = begin; it != stack.end(); ++it) cycle += "`" + (*it)->name + "` -> ";
        cycle += "`" + broader->name + "`";
        Span span = i < threat->refine_spans.size() ? threat->refine_spans[i] : threat->name_span;
        diags.Report(Diag(DiagCode::kRefinementCycle, span,
                          fmt::format("threats refine each other in a cycle: {}", cycle))
                         .Label("this link closes the cycle")
                         .Secondary(broader->name_span, "the cycle starts here")
                         .Help("`refines` points from a narrower threat to a broader one; remove "
                               "the link that points back down"));
      }
    }
    stack.pop_back();
    state[threat] = State::kDone;
  };
  for (auto& threat : program.threats) {
    if (state[threat.get()] == State::kNew) visit(threat.get());
  }
}

std::set<const ir::Threat*> TransitiveRefiners(const ir::Threat& threat) {
  std::set<const ir::Threat*> seen;
  std::vector<const ir::Threat*> todo(threat.refined_by.begin(), threat.refined_by.end());
  while (!todo.empty()) {
    const ir::Threat* next = todo.back();
    todo.pop_back();
    if (next == &threat || !seen.insert(next).second) continue;
    todo.insert(todo.end(), next->refined_by.begin(), next->refined_by.end());
  }
  return seen;
}

const ir::Threat* DetectedRefiner(const ir::Threat& threat) {
  std::vector<const ir::Threat*> refiners;
  for (const ir::Threat* t : TransitiveRefiners(threat)) {
    if (!t->detections.empty()) refiners.push_back(t);
  }
  if (refiners.empty()) return nullptr;
  return *std::min_element(refiners.begin(), refiners.end(), ByName);
}

}  // namespace ward::sema
