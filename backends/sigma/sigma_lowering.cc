#include "backends/sigma/sigma_lowering.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>

#include "backends/sigma/detection_lowering.h"
#include "backends/sigma/sigma_metadata.h"
#include "backends/sigma/sigma_paths.h"
#include "compiler/support/uuid.h"

namespace ward::backends::sigma {
namespace {

const std::set<std::string, std::less<>>& CorrelationTypes() {
  static const std::set<std::string, std::less<>> kTypes = {
      "event_count", "value_count", "temporal",        "temporal_ordered",
      "value_sum",   "value_avg",   "value_percentile"};
  return kTypes;
}

bool IsTemporal(std::string_view type) { return type == "temporal" || type == "temporal_ordered"; }

bool IsTimespan(std::string_view text) {
  if (text.size() < 2 || text.size() > 10) return false;
  char unit = text.back();
  if (unit != 's' && unit != 'm' && unit != 'h' && unit != 'd') return false;
  return std::all_of(text.begin(), text.end() - 1,
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string TimespanFromSeconds(uint64_t seconds) {
  if (seconds == 0) return {};
  if (seconds % 86400 == 0) return fmt::format("{}d", seconds / 86400);
  if (seconds % 3600 == 0) return fmt::format("{}h", seconds / 3600);
  if (seconds % 60 == 0) return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

// A filter applies to a rule when every log source attribute it sets has the
// same value in the rule (pySigma's reading, and Ward's W0513).
bool LogsourceCovers(const ir::Logsource& filter, const ir::Logsource& rule) {
  auto covers = [](const std::string& f, const std::string& r) { return f.empty() || f == r; };
  return covers(filter.category, rule.category) && covers(filter.product, rule.product) &&
         covers(filter.service, rule.service);
}

Logsource LowerLogsource(const ir::Logsource& in) {
  Logsource out;
  out.category = in.category;
  out.product = in.product;
  out.service = in.service;
  out.definition = in.definition;
  for (const auto& [key, value] : in.extra) out.extra.emplace_back(key, value);
  return out;
}

class ProgramLowerer {
 public:
  ProgramLowerer(const ir::Program& program, const SigmaOptions& options, DiagnosticEngine& diags)
      : program_(program), options_(options), diags_(diags) {}

  std::vector<OutputFile> Run() {
    Collect();
    LinkCorrelations();
    AssignNames();
    std::vector<OutputFile> files;
    PlanRuleFiles(files);
    PlanFilterFiles(files);
    std::sort(files.begin(), files.end(),
              [](const OutputFile& a, const OutputFile& b) { return a.path < b.path; });
    return files;
  }

 private:
  bool sigmahq() const { return options_.profile == Profile::kSigmaHq; }

  void Error(Span span, std::string message, std::string help) {
    diags_.Report(
        Diag(DiagCode::kSigmaCannotExpress, span, std::move(message)).Help(std::move(help)));
  }

  // ---- which detections there are and how correlations tie them ----
  void Collect() {
    for (const auto& detection : program_.detections) {
      if (detection->detection_kind != "sigma") continue;
      const auto* logic = detection->As<ir::SigmaLogic>();
      if (logic == nullptr) {
        Error(detection->name_span,
              fmt::format("Sigma detection `{}` has no Sigma logic in the IR", detection->name),
              "this is a compiler bug; please report it");
        continue;
      }
      index_.emplace(detection.get(), rules_.size());
      rules_.push_back(detection.get());
      logic_.push_back(logic);
    }
    parent_.resize(rules_.size());
    std::iota(parent_.begin(), parent_.end(), size_t{0});
    referenced_.assign(rules_.size(), false);
    bad_.assign(rules_.size(), false);
  }

  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }

  std::optional<size_t> Use(size_t user, const ir::Detection* used) {
    auto it = index_.find(used);
    if (used == nullptr || it == index_.end()) {
      Error(rules_[user]->name_span,
            fmt::format("correlation `{}` uses `{}`, which is not a Sigma detection",
                        rules_[user]->name, used ? used->name : "?"),
            "a Sigma correlation can only refer to Sigma detections and correlations");
      bad_[user] = true;
      return std::nullopt;
    }
    referenced_[it->second] = true;
    parent_[Find(it->second)] = Find(user);
    return it->second;
  }

  void LinkCorrelations() {
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (!logic_[i]->correlation) continue;
      for (const ir::Detection* used : logic_[i]->correlation->rules) Use(i, used);
      for (const auto& [alias, mapping] : logic_[i]->correlation->aliases) {
        for (const auto& [used, field] : mapping) Use(i, used);
      }
    }
  }

  // `name:` for every rule a correlation refers to: the Ward name, or the
  // qualified name when two such rules share a name.
  void AssignNames() {
    names_.assign(rules_.size(), "");
    std::map<std::string, int> count;
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (referenced_[i]) ++count[rules_[i]->name];
    }
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (!referenced_[i]) continue;
      std::string name = rules_[i]->name;
      if (count[name] > 1) {
        name = rules_[i]->qualified_name();
        std::replace(name.begin(), name.end(), '.', '_');
      }
      names_[i] = name;
    }
  }

  // ---- files ----
  bool ClaimPath(const std::string& path, const ir::Entity& entity) {
    auto [it, inserted] = paths_.emplace(path, &entity);
    if (inserted) return true;
    diags_.Report(Diag(DiagCode::kOutputPathCollision, entity.name_span,
                       fmt::format("`{}` would be written to `{}`, like `{}`", entity.name, path,
                                   it->second->name))
                      .Secondary(it->second->name_span, "the other declaration")
                      .Help("rename one of them; Sigma file names are lowercase, so names that "
                            "differ only in case collide"));
    return false;
  }

  void PlanRuleFiles(std::vector<OutputFile>& files) {
    std::map<size_t, std::vector<size_t>> components;  // root -> members, program order
    std::vector<size_t> roots_in_order;
    for (size_t i = 0; i < rules_.size(); ++i) {
      size_t root = Find(i);
      if (!components.count(root)) roots_in_order.push_back(root);
      components[root].push_back(i);
    }
    for (size_t root : roots_in_order) {
      const std::vector<size_t>& members = components[root];
      bool has_correlation = std::any_of(members.begin(), members.end(),
                                         [&](size_t i) { return logic_[i]->correlation; });
      if (!has_correlation) {
        for (size_t i : members) PlanSingleRule(i, files);
      } else {
        PlanCorrelationFile(members, files);
      }
    }
  }

  void PlanSingleRule(size_t i, std::vector<OutputFile>& files) {
    const ir::Detection& detection = *rules_[i];
    std::optional<Document> doc = LowerRule(i);
    if (!doc) return;
    std::string path =
        OutputPath(detection.package, FileStem(detection.name, detection.package, ""));
    if (!ClaimPath(path, detection)) return;
    files.push_back(OutputFile{path, {std::move(*doc)}});
  }

  void PlanCorrelationFile(const std::vector<size_t>& members, std::vector<OutputFile>& files) {
    std::vector<size_t> outer;
    for (size_t i : members) {
      if (logic_[i]->correlation && !referenced_[i]) outer.push_back(i);
    }
    if (outer.empty()) {
      size_t first = *std::find_if(members.begin(), members.end(),
                                   [&](size_t i) { return logic_[i]->correlation; });
      Error(rules_[first]->name_span,
            fmt::format("correlation `{}` refers to itself through other correlations",
                        rules_[first]->name),
            "a correlation chain must end in Sigma rules");
      return;
    }
    // Correlations first (outermost, then the ones they use), then rules in
    // the order they are first used, as in the specification's example.
    std::vector<size_t> correlations, base_rules;
    std::set<size_t> seen;
    std::vector<size_t> stack(outer.rbegin(), outer.rend());
    while (!stack.empty()) {
      size_t i = stack.back();
      stack.pop_back();
      if (!seen.insert(i).second) continue;
      if (!logic_[i]->correlation) {
        base_rules.push_back(i);
        continue;
      }
      correlations.push_back(i);
      const auto& used = logic_[i]->correlation->rules;
      for (auto it = used.rbegin(); it != used.rend(); ++it) {
        auto found = index_.find(*it);
        if (found != index_.end() && !seen.count(found->second)) stack.push_back(found->second);
      }
    }
    for (size_t i : members) {  // rules only named in an alias
      if (!seen.count(i)) (logic_[i]->correlation ? correlations : base_rules).push_back(i);
    }

    OutputFile file;
    bool ok = true;
    for (size_t i : correlations) {
      std::optional<Document> doc = LowerCorrelation(i);
      ok = ok && doc.has_value();
      if (doc) file.documents.push_back(std::move(*doc));
    }
    for (size_t i : base_rules) {
      std::optional<Document> doc = LowerRule(i);
      ok = ok && doc.has_value();
      if (doc) file.documents.push_back(std::move(*doc));
    }
    if (!ok) return;
    const ir::Detection& head = *rules_[outer[0]];
    const char* prefix = sigmahq() ? "correlation_" : "mr_";
    file.path = OutputPath(head.package, FileStem(head.name, head.package, prefix));
    if (!ClaimPath(file.path, head)) return;
    files.push_back(std::move(file));
  }

  void PlanFilterFiles(std::vector<OutputFile>& files) {
    for (const auto& filter : program_.filters) {
      std::optional<Document> doc = LowerFilter(*filter);
      if (!doc) continue;
      std::string path =
          OutputPath(filter->package, FileStem(filter->name, filter->package, "mf_"));
      if (!ClaimPath(path, *filter)) continue;
      files.push_back(OutputFile{path, {std::move(*doc)}});
    }
  }

  // ---- documents ----
  std::optional<Document> LowerRule(size_t i) {
    const ir::Detection& detection = *rules_[i];
    const ir::SigmaLogic& logic = *logic_[i];
    RuleDocument doc;
    bool ok = LowerDetectionMetadata(program_, detection, options_, diags_, doc.meta);
    doc.meta.name = names_[i];
    if (!logic.taxonomy.empty() && logic.taxonomy != "sigma") doc.meta.taxonomy = logic.taxonomy;
    doc.logsource = LowerLogsource(logic.logsource);
    if (!logic.condition) {
      Error(detection.name_span,
            fmt::format("Sigma detection `{}` has no `when:` condition", detection.name),
            "add `when:` with the expression to match");
      return std::nullopt;
    }
    std::optional<Detection> lowered = LowerDetection(
        logic.selections, *logic.condition, DetectionLayout::kRule, detection.name_span, diags_);
    if (!lowered || !ok) return std::nullopt;
    doc.detection = std::move(*lowered);
    return doc;
  }

  std::optional<Document> LowerCorrelation(size_t i) {
    const ir::Detection& detection = *rules_[i];
    const ir::Correlation& corr = *logic_[i]->correlation;
    CorrelationDocument doc;
    bool ok = LowerDetectionMetadata(program_, detection, options_, diags_, doc.meta) && !bad_[i];
    doc.meta.name = names_[i];
    if (!logic_[i]->taxonomy.empty() && logic_[i]->taxonomy != "sigma") {
      doc.meta.taxonomy = logic_[i]->taxonomy;
    }
    auto fail = [&](std::string message, std::string help) {
      Error(detection.name_span, std::move(message), std::move(help));
      ok = false;
    };
    doc.type = corr.type;
    if (!CorrelationTypes().count(corr.type)) {
      fail(fmt::format("unknown correlation type `{}`", corr.type),
           "use event_count, value_count, temporal, temporal_ordered, value_sum, value_avg or "
           "value_percentile");
    }
    for (const ir::Detection* used : corr.rules) {
      auto it = index_.find(used);
      if (it != index_.end()) doc.rules.push_back(names_[it->second]);
    }
    if (doc.rules.empty()) fail("a correlation without rules", "list the rules in `rules:`");
    for (const auto& [alias, mapping] : corr.aliases) {
      std::vector<std::pair<std::string, std::string>> fields;
      for (const auto& [used, field] : mapping) {
        auto it = index_.find(used);
        if (it != index_.end()) fields.emplace_back(names_[it->second], field);
      }
      doc.aliases.emplace_back(alias, std::move(fields));
    }
    doc.group_by = corr.group_by;
    if (doc.group_by.empty()) {
      fail(fmt::format("correlation `{}` has no `group_by`, which Sigma v2.1 requires",
                       detection.name),
           "add `group_by:` with the fields that identify one actor or host");
    }
    doc.timespan =
        corr.timespan.empty() ? TimespanFromSeconds(corr.timespan_seconds) : corr.timespan;
    if (!IsTimespan(doc.timespan)) {
      fail(fmt::format("timespan `{}` is not a number followed by s, m, h or d", doc.timespan),
           "write the timespan like `10m` or `1h`");
    }
    std::set<std::string> ops;
    for (const ir::CorrelationThreshold& threshold : corr.condition) {
      static const std::set<std::string, std::less<>> kOps = {"gt",  "gte", "lt",
                                                              "lte", "eq",  "neq"};
      if (!kOps.count(threshold.op) || !ops.insert(threshold.op).second) {
        fail(
            fmt::format("correlation condition operator `{}` is unknown or repeated", threshold.op),
            "use each of gt, gte, lt, lte, eq, neq at most once");
        continue;
      }
      if (!std::isfinite(threshold.value)) {
        fail("a correlation threshold must be a finite number", "use a finite number");
        continue;
      }
      Scalar value = threshold.is_integer
                         ? Scalar::Integer(static_cast<int64_t>(std::llround(threshold.value)))
                         : Scalar::Float(threshold.value);
      doc.condition.push_back({threshold.op, value});
    }
    if (doc.condition.empty() && !IsTemporal(corr.type)) {
      fail(fmt::format("a `{}` correlation needs a condition such as `count >= 10`", corr.type),
           "add `where:` with a threshold");
    }
    if (doc.condition.size() > 1 && sigmahq()) {
      diags_.Report(Diag(DiagCode::kSigmaHqConvention, detection.name_span,
                         "pySigma accepts one correlation condition operator; this range has " +
                             std::to_string(doc.condition.size()))
                        .Note("the two-key range form is valid Sigma v2.1")
                        .Help("split the range into two chained correlations for pySigma"));
    }
    doc.condition_field = corr.condition_field;
    bool value_type = corr.type.rfind("value_", 0) == 0;
    if (value_type && doc.condition_field.empty()) {
      fail(fmt::format("a `{}` correlation needs the field it aggregates", corr.type),
           "write the threshold on a field, e.g. `count(user.id) >= 10`");
    }
    doc.percentile = corr.percentile;
    doc.generate = corr.generate;
    // pySigma reads `generate` inside `correlation:`, the v2.1 schema at the
    // top level; SigmaHQ flags unknown top-level fields, so its profile only
    // writes the first.
    doc.generate_top_level = !sigmahq();
    if (!ok) return std::nullopt;
    return doc;
  }

  std::optional<Document> LowerFilter(const ir::Filter& filter) {
    FilterDocument doc;
    bool ok = LowerFilterMetadata(program_, filter, options_, diags_, doc.meta);
    doc.logsource = LowerLogsource(filter.logsource);
    if (filter.applies_to_any) {
      // Sigma v2.1 has no `rules: any` (the v2.2 draft adds it; the v2.1
      // filter schema wants a non-empty list of rule IDs), so the filter
      // lists every rule of the ruleset it would apply to: the same set
      // pySigma picks for `any`, since correlations never take filters.
      for (size_t i = 0; i < rules_.size(); ++i) {
        if (logic_[i]->correlation || !LogsourceCovers(filter.logsource, logic_[i]->logsource)) {
          continue;
        }
        doc.rules.emplace_back(ir::StableId(program_, *rules_[i]), rules_[i]->qualified_name());
      }
      if (doc.rules.empty()) {
        Error(filter.name_span,
              fmt::format("filter `{}` applies to `any` rule, but no Sigma rule of the ruleset "
                          "has a log source it covers",
                          filter.name),
              "widen the filter's `logsource`, or name the rules in `rules:`");
        ok = false;
      }
    }
    for (const ir::Detection* rule : filter.rules) {
      if (rule == nullptr || rule->detection_kind != "sigma") {
        Error(filter.name_span,
              fmt::format("filter `{}` applies to `{}`, which is not a Sigma detection",
                          filter.name, rule ? rule->name : "?"),
              "a Sigma meta filter can only apply to Sigma detections");
        ok = false;
        continue;
      }
      doc.rules.emplace_back(ir::StableId(program_, *rule), rule->qualified_name());
    }
    if (doc.rules.empty() && ok) {
      Error(filter.name_span, fmt::format("filter `{}` applies to no rule", filter.name),
            "list the detections in `rules:`, or write `rules: any`");
      ok = false;
    }
    if (!filter.condition) {
      Error(filter.name_span, fmt::format("filter `{}` has no `when:` condition", filter.name),
            "add `when:` with the expression the events must satisfy");
      return std::nullopt;
    }
    std::optional<Detection> lowered = LowerDetection(
        filter.selections, *filter.condition, DetectionLayout::kFilter, filter.name_span, diags_);
    if (!lowered || !ok) return std::nullopt;
    doc.detection = std::move(*lowered);
    return doc;
  }

  const ir::Program& program_;
  const SigmaOptions& options_;
  DiagnosticEngine& diags_;
  std::vector<const ir::Detection*> rules_;
  std::vector<const ir::SigmaLogic*> logic_;
  std::map<const ir::Detection*, size_t> index_;
  std::vector<size_t> parent_;
  std::vector<bool> referenced_;
  std::vector<bool> bad_;
  std::vector<std::string> names_;
  std::map<std::string, const ir::Entity*> paths_;
};

}  // namespace

std::vector<OutputFile> LowerProgram(const ir::Program& program, const SigmaOptions& options,
                                     DiagnosticEngine& diags) {
  return ProgramLowerer(program, options, diags).Run();
}

}  // namespace ward::backends::sigma
