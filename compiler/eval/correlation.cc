// Correlation: Sigma correlation rules over time-ordered events, with
// sliding windows per group-by value.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "compiler/eval/event_fields.h"
#include "compiler/eval/event_view.h"
#include "compiler/eval/sigma_eval.h"

namespace ward::eval {
namespace {

// Correlations may correlate correlations; sema forbids cycles, this bounds
// hand-built IR.
constexpr int kMaxChain = 16;
// Events between two sweeps of the windows of groups no event touched.
constexpr size_t kSweepEvery = 4096;

bool Compare(const std::string& op, double actual, double wanted) {
  if (op == "gt") return actual > wanted;
  if (op == "gte") return actual >= wanted;
  if (op == "lt") return actual < wanted;
  if (op == "lte") return actual <= wanted;
  if (op == "eq") return actual == wanted;
  if (op == "neq") return actual != wanted;
  return false;
}

const char* OpSymbol(const std::string& op) {
  if (op == "gt") return ">";
  if (op == "gte") return ">=";
  if (op == "lt") return "<";
  if (op == "lte") return "<=";
  if (op == "eq") return "==";
  if (op == "neq") return "!=";
  return "?";
}

std::string Number(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  return fmt::format("{:.6g}", value);
}

}  // namespace

struct Correlation::Impl {
  const ir::Detection* detection = nullptr;
  const ir::Correlation* corr = nullptr;
  std::vector<std::string> timestamp_fields;
  int64_t span_ms = 0;

  struct Source {
    const ir::Detection* rule = nullptr;
    std::unique_ptr<SigmaRule> single;
    std::unique_ptr<Correlation> nested;
  };
  std::vector<Source> sources;  // parallel to corr->rules

  struct Entry {
    int64_t time = 0;
    size_t event = 0;
    size_t rule = 0;
    nlohmann::json value;  // the condition field's value (value_* types)
  };
  struct Group {
    std::vector<std::pair<std::string, nlohmann::json>> key;
    std::deque<Entry> window;
    bool active = false;  // the condition held after the previous event
  };
  std::map<std::string, Group> groups;
  int64_t last_time = 0;
  size_t fed = 0;
  std::vector<std::string> last_matched;

  static std::unique_ptr<Correlation> Build(const ir::Detection& detection,
                                            const std::vector<const ir::Filter*>& filters,
                                            const EvalOptions& options,
                                            std::vector<EvalError>& errors, int depth);

  // The field a group-by name or the condition field reads for `rule`.
  std::string FieldFor(const std::string& name, size_t rule) const {
    auto alias = corr->aliases.find(name);
    if (alias == corr->aliases.end()) return name;
    for (const auto& [detection_ptr, field] : alias->second) {
      if (detection_ptr == sources[rule].rule) return field;
    }
    return name;
  }

  void Evict(Group& group, int64_t now) const {
    while (!group.window.empty() && now - group.window.front().time > span_ms) {
      group.window.pop_front();
    }
  }

  // nullopt when the aggregate has no value (an average of nothing).
  std::optional<double> Aggregate(const Group& group) const {
    const std::string& type = corr->type;
    if (type == "event_count") {
      std::set<size_t> events;
      for (const Entry& e : group.window) events.insert(e.event);
      return static_cast<double>(events.size());
    }
    if (type == "value_count") {
      std::set<std::string> values;
      for (const Entry& e : group.window) {
        if (!e.value.is_null()) values.insert(e.value.dump());
      }
      return static_cast<double>(values.size());
    }
    if (type == "temporal") {
      std::set<size_t> rules;
      for (const Entry& e : group.window) rules.insert(e.rule);
      return static_cast<double>(rules.size());
    }
    if (type == "temporal_ordered") {
      size_t next = 0;
      for (const Entry& e : group.window) {
        if (next < sources.size() && e.rule == next) ++next;
      }
      return static_cast<double>(next);
    }
    std::vector<double> numbers;
    for (const Entry& e : group.window) {
      if (auto n = ValueNumber(e.value)) numbers.push_back(*n);
    }
    if (type == "value_sum") {
      double sum = 0;
      for (double n : numbers) sum += n;
      return sum;
    }
    if (numbers.empty()) return std::nullopt;
    if (type == "value_avg") {
      double sum = 0;
      for (double n : numbers) sum += n;
      return sum / static_cast<double>(numbers.size());
    }
    if (type == "value_percentile") {
      if (corr->percentile) {
        // pySigma's form: the value at that percentile (nearest rank).
        std::sort(numbers.begin(), numbers.end());
        double rank = std::ceil(static_cast<double>(*corr->percentile) / 100.0 *
                                static_cast<double>(numbers.size()));
        size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
        return numbers[std::min(index, numbers.size() - 1)];
      }
      // The newest value's percentile rank: the share of the window's values
      // below it, 0 to 100.
      auto newest = ValueNumber(group.window.back().value);
      if (!newest) return std::nullopt;
      size_t below = 0;
      for (double n : numbers) below += n < *newest ? 1 : 0;
      return 100.0 * static_cast<double>(below) / static_cast<double>(numbers.size());
    }
    return std::nullopt;
  }

  bool Holds(double aggregate) const {
    if (corr->condition.empty()) {
      // Temporal types without `where`: every correlated rule.
      return aggregate >= static_cast<double>(sources.size());
    }
    for (const ir::CorrelationThreshold& t : corr->condition) {
      if (!Compare(t.op, aggregate, t.value)) return false;
    }
    return true;
  }

  std::string AggregateName() const {
    const std::string& type = corr->type;
    const std::string& f = corr->condition_field;
    if (type == "value_count") return "count(" + f + ")";
    if (type == "value_sum") return "sum(" + f + ")";
    if (type == "value_avg") return "avg(" + f + ")";
    if (type == "value_percentile") return "percentile(" + f + ")";
    if (type == "temporal" || type == "temporal_ordered") return "rules matched";
    return "count";
  }

  std::string Needs() const {
    if (corr->condition.empty()) {
      return fmt::format("needs all {} rules{}", sources.size(),
                         corr->type == "temporal_ordered" ? " in order" : "");
    }
    std::vector<std::string> parts;
    for (const ir::CorrelationThreshold& t : corr->condition) {
      parts.push_back(fmt::format("{} {}", OpSymbol(t.op), Number(t.value)));
    }
    return fmt::format("needs {}", fmt::join(parts, " and "));
  }
};

Correlation::Correlation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Correlation::~Correlation() = default;

std::unique_ptr<Correlation> Correlation::Impl::Build(const ir::Detection& detection,
                                                      const std::vector<const ir::Filter*>& filters,
                                                      const EvalOptions& options,
                                                      std::vector<EvalError>& errors, int depth) {
  const std::string name = detection.qualified_name();
  const auto* logic = detection.As<ir::SigmaLogic>();
  if (!logic || !logic->correlation) {
    errors.push_back({name, "not a Sigma correlation", detection.span});
    return nullptr;
  }
  if (depth > kMaxChain) {
    errors.push_back({name, "correlations are chained too deeply (or in a cycle)", detection.span});
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->detection = &detection;
  impl->corr = &*logic->correlation;
  impl->timestamp_fields = options.timestamp_fields;
  static const std::set<std::string> kTypes = {"event_count",      "value_count", "temporal",
                                               "temporal_ordered", "value_sum",   "value_avg",
                                               "value_percentile"};
  bool ok = true;
  if (!kTypes.count(impl->corr->type)) {
    errors.push_back(
        {name, fmt::format("unknown correlation type `{}`", impl->corr->type), detection.span});
    ok = false;
  }
  if (impl->corr->type.rfind("value_", 0) == 0 && impl->corr->condition_field.empty()) {
    errors.push_back({name,
                      fmt::format("a {} correlation needs a condition field", impl->corr->type),
                      detection.span});
    ok = false;
  }
  if (impl->corr->rules.empty()) {
    errors.push_back({name, "the correlation names no rules", detection.span});
    ok = false;
  }
  impl->span_ms = static_cast<int64_t>(impl->corr->timespan_seconds) * 1000;
  for (const ir::Detection* rule : impl->corr->rules) {
    Source source;
    source.rule = rule;
    if (!rule) {
      errors.push_back({name, "the correlation names an unresolved rule", detection.span});
      ok = false;
      continue;
    }
    const auto* rule_logic = rule->As<ir::SigmaLogic>();
    if (rule_logic && rule_logic->correlation) {
      source.nested = Build(*rule, filters, options, errors, depth + 1);
      ok = ok && source.nested != nullptr;
    } else {
      source.single = SigmaRule::Compile(*rule, filters, options, errors);
      ok = ok && source.single != nullptr;
    }
    impl->sources.push_back(std::move(source));
  }
  if (!ok) return nullptr;
  return std::unique_ptr<Correlation>(new Correlation(std::move(impl)));
}

std::unique_ptr<Correlation> Correlation::Compile(const ir::Detection& detection,
                                                  const std::vector<const ir::Filter*>& filters,
                                                  const EvalOptions& options,
                                                  std::vector<EvalError>& errors) {
  return Impl::Build(detection, filters, options, errors, 0);
}

const ir::Detection& Correlation::detection() const { return *impl_->detection; }

const std::vector<std::string>& Correlation::last_matched() const { return impl_->last_matched; }

void Correlation::Reset() {
  impl_->last_matched.clear();
  impl_->groups.clear();
  impl_->last_time = 0;
  impl_->fed = 0;
  for (Impl::Source& source : impl_->sources) {
    if (source.nested) source.nested->Reset();
  }
}

namespace {

JsonView ViewOf(const nlohmann::json&) { return {}; }
const nlohmann::json* RootOf(const nlohmann::json& event) { return &event; }
FlatView ViewOf(const FlatEvent& event) { return {&event}; }
const FlatNode* RootOf(const FlatEvent& event) { return event.root(); }

std::optional<int64_t> EventTimeOf(const nlohmann::json& event,
                                   const std::vector<std::string>& fields) {
  return EventTimeMsIn(JsonView{}, &event, fields);
}

// Every correlation reads the time of every event: on a flat event it is
// looked up once per thread and event (for the same fields), not once per
// correlation.
std::optional<int64_t> EventTimeOf(const FlatEvent& event, const std::vector<std::string>& fields) {
  thread_local uint64_t generation = 0;
  thread_local std::vector<std::string> cached_fields;
  thread_local std::optional<int64_t> cached;
  if (generation != event.generation() || cached_fields != fields) {
    cached = EventTimeMsIn(FlatView{&event}, event.root(), fields);
    generation = event.generation();
    cached_fields = fields;
  }
  return cached;
}
nlohmann::json EventJson(const nlohmann::json& event) {
  return event.is_object() ? event : nlohmann::json::object();
}
nlohmann::json EventJson(const FlatEvent& event) { return event.ToJson(*event.root()); }

}  // namespace

std::vector<CorrelationAlert> Correlation::Feed(const nlohmann::json& event) {
  return FeedEvent(event);
}

std::vector<CorrelationAlert> Correlation::Feed(const FlatEvent& event) { return FeedEvent(event); }

template <class Event>
std::vector<CorrelationAlert> Correlation::FeedEvent(const Event& event) {
  Impl& s = *impl_;
  const auto view = ViewOf(event);
  const auto root = RootOf(event);
  const size_t index = s.fed++;
  int64_t now = EventTimeOf(event, s.timestamp_fields).value_or(s.last_time);
  now = std::max(now, s.last_time);  // out-of-order events count as "now"
  s.last_time = now;

  // The value at `field` of the event itself, or of a nested correlation's
  // synthetic event (the event with the alert's group fields set).
  auto field_value = [&](const nlohmann::json* synthetic,
                         const std::string& field) -> std::optional<nlohmann::json> {
    if (synthetic) {
      const nlohmann::json* value = FindField(*synthetic, field);
      if (!value) return std::nullopt;
      return *value;
    }
    auto value = FindIn(view, root, field);
    if (!value) return std::nullopt;
    return view.ToJson(value);
  };

  std::vector<std::string> touched;
  s.last_matched.clear();
  for (size_t i = 0; i < s.sources.size(); ++i) {
    Impl::Source& source = s.sources[i];
    // Null: the event itself matched.
    std::vector<std::unique_ptr<nlohmann::json>> matched_events;
    if (source.single) {
      if (source.single->Match(event)) matched_events.push_back(nullptr);
    } else if (source.nested) {
      // A nested correlation's alert acts as an event carrying its group.
      for (const CorrelationAlert& alert : source.nested->Feed(event)) {
        auto synthetic = std::make_unique<nlohmann::json>(EventJson(event));
        for (const auto& [field, value] : alert.group) (*synthetic)[field] = value;
        matched_events.push_back(std::move(synthetic));
      }
    }
    if (!matched_events.empty()) s.last_matched.push_back(source.rule->name);
    for (const auto& matched : matched_events) {
      std::vector<std::pair<std::string, nlohmann::json>> key;
      for (const std::string& name : s.corr->group_by) {
        auto value = field_value(matched.get(), s.FieldFor(name, i));
        key.emplace_back(name, value ? std::move(*value) : nlohmann::json());
      }
      nlohmann::json key_json = nlohmann::json::array();
      for (const auto& [name, value] : key) key_json.push_back(value);
      std::string key_text = key_json.dump();
      Impl::Group& group = s.groups[key_text];
      if (group.key.empty()) group.key = key;
      Impl::Entry entry;
      entry.time = now;
      entry.event = index;
      entry.rule = i;
      if (!s.corr->condition_field.empty()) {
        auto value = field_value(matched.get(), s.FieldFor(s.corr->condition_field, i));
        if (value) entry.value = std::move(*value);
      }
      group.window.push_back(std::move(entry));
      if (std::find(touched.begin(), touched.end(), key_text) == touched.end()) {
        touched.push_back(key_text);
      }
    }
  }

  // Only the groups this event touched can change their verdict; in key
  // order, as the alerts always came. Eviction is idempotent as time only
  // moves forward, so the other groups are swept now and then, to bound
  // memory, instead of on every event.
  std::vector<CorrelationAlert> alerts;
  if (index % kSweepEvery == 0) {
    for (auto& entry : s.groups) s.Evict(entry.second, now);
  }
  std::sort(touched.begin(), touched.end());
  for (const std::string& key_text : touched) {
    Impl::Group& group = s.groups.find(key_text)->second;
    s.Evict(group, now);
    std::optional<double> aggregate = s.Aggregate(group);
    bool holds = aggregate && s.Holds(*aggregate);
    if (holds && !group.active) {
      CorrelationAlert alert;
      alert.event_index = index;
      alert.time_ms = now;
      alert.group = group.key;
      alert.aggregate = *aggregate;
      std::set<size_t> events;
      for (const Impl::Entry& e : group.window) events.insert(e.event);
      alert.events = events.size();
      alerts.push_back(std::move(alert));
    }
    group.active = holds;
  }
  return alerts;
}

std::vector<std::string> Correlation::DescribeGroups() const {
  const Impl& s = *impl_;
  std::vector<std::string> out;
  for (const auto& [key_text, group_state] : s.groups) {
    Impl::Group group = group_state;
    s.Evict(group, s.last_time);
    std::vector<std::string> key;
    for (const auto& [name, value] : group.key) key.push_back(name + "=" + value.dump());
    std::string who = key.empty() ? "all events" : fmt::format("{}", fmt::join(key, ", "));
    std::set<size_t> events;
    for (const Impl::Entry& e : group.window) events.insert(e.event);
    std::string value_text = "(no value)";
    if (!group.window.empty()) {
      if (auto aggregate = s.Aggregate(group)) value_text = Number(*aggregate);
    }
    std::string detail;
    if (s.corr->type == "temporal" || s.corr->type == "temporal_ordered") {
      std::vector<std::string> names;
      std::set<size_t> seen;
      for (const Impl::Entry& e : group.window) {
        if (seen.insert(e.rule).second) names.push_back(s.sources[e.rule].rule->name);
      }
      detail =
          fmt::format("{} = {} ({})", s.AggregateName(), group.window.empty() ? "0" : value_text,
                      names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")));
    } else {
      detail = fmt::format("{} = {}", s.AggregateName(), value_text);
    }
    std::string span = s.corr->timespan.empty()
                           ? Number(static_cast<double>(s.corr->timespan_seconds)) + "s"
                           : s.corr->timespan;
    out.push_back(fmt::format("{}: {} event{} in the {} window, {} ({})", who, events.size(),
                              events.size() == 1 ? "" : "s", span, detail, s.Needs()));
  }
  return out;
}

}  // namespace ward::eval
