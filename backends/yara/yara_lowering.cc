#include "backends/yara/yara_lowering.h"

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

#include "backends/yara/condition_lowering.h"
#include "backends/yara/rule_meta.h"
#include "backends/yara/rule_naming.h"
#include "backends/yara/rule_order.h"

namespace ward::backends::yara {
namespace {

// yara/<package>.yar; the two names that would clash with something else
// (no package at all, and a package called `all` next to all.yar) differ.
std::string FilePath(const std::string& package) {
  if (package.empty()) return "default.yar";
  if (package == "all") return "all_package.yar";
  return package + ".yar";
}

std::vector<const ir::Detection*> YaraDetections(const ir::Program& program) {
  std::vector<const ir::Detection*> out;
  for (const auto& detection : program.detections) {
    if (detection->As<ir::YaraLogic>() != nullptr) out.push_back(detection.get());
  }
  std::sort(out.begin(), out.end(), [](const ir::Detection* a, const ir::Detection* b) {
    return a->qualified_name() < b->qualified_name();
  });
  return out;
}

std::vector<HexToken> LowerHex(const std::vector<ir::HexItem>& items) {
  std::vector<HexToken> out;
  out.reserve(items.size());
  for (const ir::HexItem& item : items) {
    HexToken token;
    switch (item.kind) {
      case ir::HexItem::Kind::kByte: token.kind = HexToken::Kind::kByte; break;
      case ir::HexItem::Kind::kJump: token.kind = HexToken::Kind::kJump; break;
      case ir::HexItem::Kind::kAlternation: token.kind = HexToken::Kind::kAlternation; break;
    }
    token.value = item.value;
    token.mask = item.mask;
    token.jump_low = item.jump_low;
    token.jump_high = item.jump_high;
    for (const auto& alternative : item.alternatives) {
      token.alternatives.push_back(LowerHex(alternative));
    }
    out.push_back(std::move(token));
  }
  return out;
}

StringDef LowerString(const ir::YaraString& in) {
  StringDef out;
  switch (in.kind) {
    case ir::YaraString::Kind::kText: out.kind = StringDef::Kind::kText; break;
    case ir::YaraString::Kind::kHex: out.kind = StringDef::Kind::kHex; break;
    case ir::YaraString::Kind::kRegex: out.kind = StringDef::Kind::kRegex; break;
  }
  out.id = StripSigil(in.id);
  out.span = in.span;
  out.text = in.text;
  out.regex_nocase = in.regex_nocase;
  out.regex_dotall = in.regex_dotall;
  out.hex = LowerHex(in.hex);
  const ir::YaraStringModifiers& m = in.modifiers;
  out.modifiers.nocase = m.nocase;
  out.modifiers.wide = m.wide;
  out.modifiers.ascii = m.ascii;
  out.modifiers.fullword = m.fullword;
  out.modifiers.is_private = m.is_private;
  out.modifiers.xor_ = m.xor_ || m.xor_range.has_value();
  out.modifiers.xor_range = m.xor_range;
  out.modifiers.base64 = m.base64;
  out.modifiers.base64wide = m.base64wide;
  out.modifiers.base64_alphabet = m.base64_alphabet;
  return out;
}

// Follows dependencies inside `cyclic` from `start` until an item repeats and
// returns that cycle (first item repeated at the end).
std::vector<size_t> FindCycle(size_t start, const std::vector<std::vector<size_t>>& deps,
                              const std::set<size_t>& cyclic) {
  std::vector<size_t> path{start};
  while (true) {
    size_t next = path.back();
    for (size_t dep : deps[path.back()]) {
      if (dep != path.back() && cyclic.count(dep) != 0) {
        next = dep;
        break;
      }
    }
    auto seen = std::find(path.begin(), path.end(), next);
    if (seen != path.end()) {
      std::vector<size_t> cycle(seen, path.end());
      cycle.push_back(next);
      return cycle;
    }
    path.push_back(next);
  }
}

// Reports one diagnostic per cycle among `cyclic` items. `edge_span(a, b)`
// is where item a refers to item b; `label(i)` names item i.
void ReportCycles(const std::vector<size_t>& cyclic_items,
                  const std::vector<std::vector<size_t>>& deps, std::string_view message,
                  std::string_view help, const std::function<Span(size_t, size_t)>& edge_span,
                  const std::function<std::string(size_t)>& label, DiagnosticEngine& diags) {
  const std::set<size_t> cyclic(cyclic_items.begin(), cyclic_items.end());
  std::set<size_t> reported;
  for (size_t start : cyclic_items) {
    if (reported.count(start) != 0) continue;
    const std::vector<size_t> cycle = FindCycle(start, deps, cyclic);
    bool fresh = true;
    for (size_t item : cycle) fresh = fresh && reported.count(item) == 0;
    reported.insert(start);
    reported.insert(cycle.begin(), cycle.end());
    if (!fresh) continue;
    std::string chain;
    for (size_t item : cycle) chain += (chain.empty() ? "`" : " -> `") + label(item) + "`";
    auto diag = Diag(DiagCode::kRuleForwardReference, edge_span(cycle[0], cycle[1]),
                     std::string(message) + chain);
    diag.Label("refers to `" + label(cycle[1]) + "`");
    for (size_t i = 1; i + 1 < cycle.size(); ++i) {
      diag.Secondary(edge_span(cycle[i], cycle[i + 1]), "refers to `" + label(cycle[i + 1]) + "`");
    }
    diags.Report(diag.Help(std::string(help)));
  }
}

// What PlanProgram keeps of a rule.
struct RuleLinks {
  std::vector<RuleReference> references;
  std::vector<std::string> modules;
};

// The references LowerRule finds (and the problems it reports), without
// keeping the lowered condition.
RuleLinks LinksOf(const ir::Detection& detection,
                  const std::map<const ir::Detection*, std::string>& names,
                  DiagnosticEngine& diags) {
  const ir::YaraLogic& logic = *detection.As<ir::YaraLogic>();
  ConditionLowering conditions(names, diags);
  if (logic.condition != nullptr) conditions.Lower(*logic.condition);
  return {conditions.references(), logic.modules};
}

}  // namespace

std::map<const ir::Detection*, std::string> AssignRuleNames(const ir::Program& program) {
  std::map<const ir::Detection*, std::string> names;
  RuleNamer namer;
  for (const ir::Detection* detection : YaraDetections(program)) {
    names[detection] = namer.Assign(detection->package, detection->name);
  }
  return names;
}

Rule LowerRule(const ir::Program& program, const ir::Detection& detection,
               const std::map<const ir::Detection*, std::string>& names,
               const LoweringOptions& options, DiagnosticEngine& diags) {
  const ir::YaraLogic& logic = *detection.As<ir::YaraLogic>();
  Rule rule;
  auto name = names.find(&detection);
  rule.name = name != names.end() ? name->second
                                  : BaseRuleName(detection.package, detection.name);
  rule.is_private = logic.is_private;
  rule.is_global = logic.is_global;
  rule.tags = SanitizeTags(detection.meta.tags);
  rule.meta = BuildMeta(program, detection, options.build_date);
  for (const ir::YaraString& string : logic.strings) rule.strings.push_back(LowerString(string));
  ConditionLowering conditions(names, diags);
  if (logic.condition != nullptr) {
    rule.condition = conditions.Lower(*logic.condition);
    rule.condition_span = logic.condition->span;
  } else {
    // The frontend requires a condition; keep the rule printable anyway.
    rule.condition = std::make_unique<Expr>();
    rule.condition->kind = Expr::Kind::kBool;
    rule.condition_span = detection.span;
  }
  rule.references = conditions.references();
  rule.modules = logic.modules;
  std::sort(rule.modules.begin(), rule.modules.end());
  rule.modules.erase(std::unique(rule.modules.begin(), rule.modules.end()), rule.modules.end());
  rule.source = &detection;
  rule.span = detection.span;
  return rule;
}

std::optional<ProgramPlan> PlanProgram(const ir::Program& program, DiagnosticEngine& diags) {
  const size_t errors_before = diags.error_count();
  ProgramPlan plan;
  plan.rule_names = AssignRuleNames(program);
  const std::vector<const ir::Detection*> detections = YaraDetections(program);

  // What ordering needs of each rule: its references (found, and reported,
  // by lowering its condition, which is then dropped) and its modules.
  std::vector<RuleLinks> rules;
  rules.reserve(detections.size());
  std::map<const ir::Detection*, size_t> index_of;
  for (const ir::Detection* detection : detections) {
    index_of[detection] = rules.size();
    rules.push_back(LinksOf(*detection, plan.rule_names, diags));
  }
  if (diags.error_count() != errors_before) return std::nullopt;

  // Packages, numbered in name order.
  std::vector<std::string> packages;
  for (const ir::Detection* detection : detections) packages.push_back(detection->package);
  std::sort(packages.begin(), packages.end());
  packages.erase(std::unique(packages.begin(), packages.end()), packages.end());
  auto package_index = [&](const std::string& package) {
    return static_cast<size_t>(std::lower_bound(packages.begin(), packages.end(), package) -
                               packages.begin());
  };

  std::vector<std::vector<size_t>> package_deps(packages.size());
  // (from package, to package) -> the first reference that makes the edge.
  std::map<std::pair<size_t, size_t>, Span> package_edge;
  std::vector<std::vector<size_t>> package_rules(packages.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    const size_t from = package_index(detections[i]->package);
    package_rules[from].push_back(i);
    for (const RuleReference& ref : rules[i].references) {
      const size_t to = package_index(ref.target->package);
      if (to == from) continue;
      package_deps[from].push_back(to);
      package_edge.emplace(std::make_pair(from, to), ref.span);
    }
  }

  bool cycles = false;
  std::vector<std::vector<size_t>> ordered_rules(packages.size());
  for (size_t p = 0; p < packages.size(); ++p) {
    const std::vector<size_t>& members = package_rules[p];  // ascending = name order
    std::map<size_t, size_t> local;
    for (size_t k = 0; k < members.size(); ++k) local[members[k]] = k;
    std::vector<std::vector<size_t>> deps(members.size());
    for (size_t k = 0; k < members.size(); ++k) {
      for (const RuleReference& ref : rules[members[k]].references) {
        auto it = local.find(index_of.at(ref.target));
        if (it != local.end()) deps[k].push_back(it->second);
      }
    }
    TopologicalResult order = TopologicalOrder(deps);
    if (!order.cyclic.empty()) {
      cycles = true;
      ReportCycles(
          order.cyclic, deps, "YARA rules refer to each other in a cycle: ",
          "YARA can only use a rule that is defined before it; remove one of these references",
          [&](size_t a, size_t b) {
            for (const RuleReference& ref : rules[members[a]].references) {
              if (index_of.at(ref.target) == members[b]) return ref.span;
            }
            return detections[members[a]]->span;
          },
          [&](size_t k) { return detections[members[k]]->qualified_name(); }, diags);
    }
    for (size_t k : order.order) ordered_rules[p].push_back(members[k]);
  }

  TopologicalResult file_order = TopologicalOrder(package_deps);
  if (!file_order.cyclic.empty()) {
    cycles = true;
    ReportCycles(
        file_order.cyclic, package_deps, "packages use each other's YARA rules in a cycle: ",
        "each package becomes one .yar file and all.yar includes them in dependency order; "
        "move the rules that use each other into one package",
        [&](size_t a, size_t b) { return package_edge.at({a, b}); },
        [&](size_t p) { return packages[p]; }, diags);
  }
  if (cycles) return std::nullopt;

  for (size_t p : file_order.order) {
    FilePlan& file = plan.files.emplace_back();
    file.package = packages[p];
    file.path = FilePath(packages[p]);
    std::set<std::string> imports;
    for (size_t i : ordered_rules[p]) {
      imports.insert(rules[i].modules.begin(), rules[i].modules.end());
      file.rules.push_back(detections[i]);
    }
    file.imports.assign(imports.begin(), imports.end());
    std::set<size_t> deps(package_deps[p].begin(), package_deps[p].end());
    for (size_t dep : deps) file.depends_on.push_back(FilePath(packages[dep]));
  }
  return plan;
}

RuleFile LowerFile(const ir::Program& program, const FilePlan& plan,
                   const std::map<const ir::Detection*, std::string>& names,
                   const LoweringOptions& options) {
  RuleFile file;
  file.package = plan.package;
  file.path = plan.path;
  file.imports = plan.imports;
  file.depends_on = plan.depends_on;
  file.rules.reserve(plan.rules.size());
  DiagnosticEngine reported_by_plan;
  for (const ir::Detection* detection : plan.rules) {
    file.rules.push_back(LowerRule(program, *detection, names, options, reported_by_plan));
  }
  return file;
}

}  // namespace ward::backends::yara
