#ifndef WARD_COMPILER_EVAL_SIGMA_EVAL_H_
#define WARD_COMPILER_EVAL_SIGMA_EVAL_H_

// The Sigma evaluator: runs the IR's Sigma logic (ir::SigmaLogic, filters and
// correlations) over JSON events with Sigma v2.1 semantics. `ward test`,
// `ward hunt` and the lowering property test all use it; docs/eval.md lists
// every semantic decision (where the specification is silent or pySigma
// differs).
//
// Compile a detection once, then evaluate events:
//
//   std::vector<eval::EvalError> errors;
//   auto rule = eval::SigmaRule::Compile(detection, filters, options, errors);
//   if (rule && rule->Match(event)) ...
//
// SigmaRule is immutable after Compile and may be used from several threads
// at once. A Correlation keeps per-group windows and belongs to one thread.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compiler/eval/flat_event.h"
#include "compiler/ir/ir.h"

namespace ward::eval {

struct RuleOp;  // rule_logic.h

struct EvalOptions {
  // Values for `expand` placeholders: name without the percent signs
  // ("Administrators") -> values, each a Sigma wildcard pattern (`*`, `?`,
  // `\` escapes). A rule whose placeholder has no entry does not compile, as
  // the specification requires of tools that cannot resolve it.
  std::map<std::string, std::vector<std::string>, std::less<>> placeholders;
  // Fields holding an event's time, tried in order (dotted paths, nested or
  // flat). Values: RFC 3339 / ISO 8601 strings ("2026-11-25T22:13:00Z",
  // "2026-11-25 22:13:00.5+01:00") or epoch numbers (seconds; values above
  // 1e11 are milliseconds). Events without a readable time are taken to
  // happen at the time of the event before them (the first at time 0): in
  // order, and within any timespan of their neighbours.
  std::vector<std::string> timestamp_fields = {"@timestamp", "timestamp", "time", "eventTime"};
};

// A rule that cannot be evaluated (an unresolved placeholder, a regex PCRE2
// rejects, a malformed CIDR, a correlation without rules...).
struct EvalError {
  std::string rule;     // qualified name of the detection or filter
  std::string message;  // lowercase, no final period
  Span span;            // the offending value or predicate, when known
};

// ---- explanations (for test failure messages) ---------------------------------

// One predicate of the rule (a field, its modifiers and values, in Sigma
// notation) with its verdict and the event's value(s) for that field.
struct PredicateVerdict {
  std::string scope;      // the selection or filter it belongs to; empty: the condition
  std::string predicate;  // `gen_ai.prompt|contains: ['a', 'b']`
  bool matched = false;
  std::string actual;  // the event's value(s) as JSON, or "(missing)"
  Span span;
};

struct SelectionVerdict {
  std::string name;
  bool matched = false;
};

struct FilterVerdict {
  std::string filter;   // qualified name
  bool passed = false;  // true: the filter's condition holds, the match stands
  std::vector<SelectionVerdict> selections;
};

struct Explanation {
  bool matched = false;                      // the final verdict, after filters
  bool condition_matched = false;            // the rule's own condition
  std::vector<SelectionVerdict> selections;  // declaration order
  std::vector<FilterVerdict> filters;        // the filters that apply, in name order
  std::vector<PredicateVerdict> predicates;  // every predicate, in source order
  std::string ToText(const std::string& indent = "") const;
  nlohmann::json ToJson() const;
};

// ---- single-event rules -----------------------------------------------------------

class SigmaRule {
 public:
  // Compiles a Sigma detection that is not a correlation. `filters` are the
  // program's filters: those that name the detection, or apply to any rule
  // whose log source they cover, are applied (every filter condition must
  // hold for a match to stand). Returns null after appending to `errors`.
  static std::unique_ptr<SigmaRule> Compile(const ir::Detection& detection,
                                            const std::vector<const ir::Filter*>& filters,
                                            const EvalOptions& options,
                                            std::vector<EvalError>& errors);
  ~SigmaRule();
  SigmaRule(const SigmaRule&) = delete;
  SigmaRule& operator=(const SigmaRule&) = delete;

  const ir::Detection& detection() const;
  bool Match(const nlohmann::json& event) const;
  // The same verdict on the flat form `ward hunt` parses events into.
  bool Match(const FlatEvent& event) const;
  Explanation Explain(const nlohmann::json& event) const;
  // Appends the rule's logic and its filters' to `ops` as one program, and
  // returns its first op: EvalOps(ops.data(), op, event) is Match(event).
  // Many rules in one array keep what an event reads of each rule together.
  uint32_t AppendProgram(std::vector<RuleOp>& ops) const;

  struct Impl;

 private:
  explicit SigmaRule(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- correlations -----------------------------------------------------------------

struct CorrelationAlert {
  size_t event_index = 0;  // 0-based index of the event (in Feed order) that completed it
  int64_t time_ms = 0;     // that event's time
  // group-by name -> value (JSON null when the event lacks the field)
  std::vector<std::pair<std::string, nlohmann::json>> group;
  double aggregate = 0;  // count, distinct count, sum, average, percentile...
  size_t events = 0;     // distinct events in the group's window
};

class Correlation {
 public:
  // Compiles a correlation detection and the rules it names (recursively:
  // a correlation may correlate other correlations). Filters apply to the
  // correlated rules, never to the correlation itself.
  static std::unique_ptr<Correlation> Compile(const ir::Detection& detection,
                                              const std::vector<const ir::Filter*>& filters,
                                              const EvalOptions& options,
                                              std::vector<EvalError>& errors);
  ~Correlation();
  Correlation(const Correlation&) = delete;
  Correlation& operator=(const Correlation&) = delete;

  const ir::Detection& detection() const;
  // Feeds the next event (events must come in time order). Returns the
  // alerts it raises: a group's condition turning true raises one alert; the
  // group raises again only after its condition was false in between.
  std::vector<CorrelationAlert> Feed(const nlohmann::json& event);
  std::vector<CorrelationAlert> Feed(const FlatEvent& event);  // the same, on the flat form
  // Forgets every window and counter.
  void Reset();
  // The names of the correlated rules that the last event fed matched.
  const std::vector<std::string>& last_matched() const;
  // The state of every group after the events fed so far, one line each:
  // `user.id=u-77: 2 events, sum(gen_ai.usage.input_tokens) = 1300000
  // (needs >= 2000000)`. For failure messages.
  std::vector<std::string> DescribeGroups() const;

  struct Impl;

 private:
  explicit Correlation(std::unique_ptr<Impl> impl);
  template <class Event>
  std::vector<CorrelationAlert> FeedEvent(const Event& event);
  std::unique_ptr<Impl> impl_;
};

// ---- one verdict over a list of events (what a test case needs) ---------------------

struct EventTrace {
  size_t index = 0;
  bool matched = false;  // a rule: the event matched; a correlation: it raised an alert
  std::vector<std::string> rules_matched;  // correlation: the correlated rules it matched
  std::optional<Explanation> explanation;  // a rule: why it did (not) match
};

struct Verdict {
  bool matched = false;  // a rule: some event matched; a correlation: it fired at least once
  std::vector<EventTrace> events;
  std::vector<std::string> groups;  // correlation: DescribeGroups() after the last event
  // Multi-line text for a failure message, each line prefixed with `indent`.
  std::string ToText(const std::string& indent = "") const;
  nlohmann::json ToJson() const;
};

// A compiled Sigma detection of either kind, evaluated over whole event lists.
class Evaluator {
 public:
  static std::unique_ptr<Evaluator> Compile(const ir::Detection& detection,
                                            const std::vector<const ir::Filter*>& filters,
                                            const EvalOptions& options,
                                            std::vector<EvalError>& errors);
  ~Evaluator();
  bool is_correlation() const { return correlation_ != nullptr; }
  // Evaluates `events` in order from a fresh state. Not thread-safe for
  // correlations (they keep state); use one Evaluator per thread.
  Verdict Evaluate(const std::vector<nlohmann::json>& events);

 private:
  Evaluator() = default;
  std::unique_ptr<SigmaRule> rule_;
  std::unique_ptr<Correlation> correlation_;
};

// Whether `filter` applies to `detection`: the filter names it, or applies
// to any rule and each of its category/product/service is unset or equal to
// the rule's. Never true for a correlation.
bool FilterApplies(const ir::Filter& filter, const ir::Detection& detection);

// The time of `event` in milliseconds since the epoch, from the first of
// `fields` that holds a readable time.
std::optional<int64_t> EventTimeMs(const nlohmann::json& event,
                                   const std::vector<std::string>& fields);

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_SIGMA_EVAL_H_
