// Evaluator: one verdict for a list of events, whatever the detection's
// kind; what a test case needs.

#include <fmt/format.h>

#include "compiler/eval/sigma_eval.h"

namespace ward::eval {

Evaluator::~Evaluator() = default;

std::unique_ptr<Evaluator> Evaluator::Compile(const ir::Detection& detection,
                                              const std::vector<const ir::Filter*>& filters,
                                              const EvalOptions& options,
                                              std::vector<EvalError>& errors) {
  std::unique_ptr<Evaluator> out(new Evaluator());
  const auto* logic = detection.As<ir::SigmaLogic>();
  if (logic && logic->correlation) {
    out->correlation_ = Correlation::Compile(detection, filters, options, errors);
    if (!out->correlation_) return nullptr;
  } else {
    out->rule_ = SigmaRule::Compile(detection, filters, options, errors);
    if (!out->rule_) return nullptr;
  }
  return out;
}

Verdict Evaluator::Evaluate(const std::vector<nlohmann::json>& events) {
  Verdict verdict;
  if (correlation_) correlation_->Reset();
  for (size_t i = 0; i < events.size(); ++i) {
    EventTrace trace;
    trace.index = i;
    if (rule_) {
      trace.explanation = rule_->Explain(events[i]);
      trace.matched = trace.explanation->matched;
    } else {
      trace.matched = !correlation_->Feed(events[i]).empty();
      trace.rules_matched = correlation_->last_matched();
    }
    verdict.matched = verdict.matched || trace.matched;
    verdict.events.push_back(std::move(trace));
  }
  if (correlation_) verdict.groups = correlation_->DescribeGroups();
  return verdict;
}

std::string Verdict::ToText(const std::string& indent) const {
  std::string out;
  for (const EventTrace& e : events) {
    if (e.explanation) {
      out += fmt::format("{}event {}: {}\n", indent, e.index + 1,
                         e.matched ? "matches" : "does not match");
      out += e.explanation->ToText(indent + "  ");
    } else {
      out += fmt::format("{}event {}: {}{}\n", indent, e.index + 1,
                         e.rules_matched.empty()
                             ? std::string("matches no correlated rule")
                             : fmt::format("matches {}", fmt::join(e.rules_matched, ", ")),
                         e.matched ? "; the correlation fires" : "");
    }
  }
  if (!groups.empty() || (events.size() && !events.front().explanation)) {
    out += fmt::format("{}groups after the last event:{}\n", indent, groups.empty() ? " none" : "");
    for (const std::string& g : groups) out += fmt::format("{}  {}\n", indent, g);
  }
  return out;
}

nlohmann::json Verdict::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  out["matched"] = matched;
  out["events"] = nlohmann::json::array();
  for (const EventTrace& e : events) {
    nlohmann::json item = {{"index", e.index}, {"matched", e.matched}};
    if (e.explanation) {
      item["explanation"] = e.explanation->ToJson();
    } else {
      item["rules_matched"] = e.rules_matched;
    }
    out["events"].push_back(std::move(item));
  }
  if (!groups.empty()) out["groups"] = groups;
  return out;
}

}  // namespace ward::eval
