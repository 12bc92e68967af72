#include "backends/yara/yara_backend.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "backends/yara/yara_lowering.h"
#include "backends/yara/yara_options.h"
#include "backends/yara/yara_printer.h"
#include "backends/yara/yara_verify.h"

namespace ward::backends::yara {
namespace {

// Records where each rule's own lines are in its printed file, for the
// version lock.
void RecordRules(const ir::Program& program, const FileOutline& file, const PrintedFile& printed,
                 const std::string& path, OutputSet& out) {
  std::vector<size_t> line_starts = {0};
  for (size_t i = 0; i < printed.text.size(); ++i) {
    if (printed.text[i] == '\n') line_starts.push_back(i + 1);
  }
  std::map<std::string, const RuleOutline*> by_name;
  for (const RuleOutline& rule : file.rules) by_name[rule.name] = &rule;
  for (const LineRange& range : printed.lines) {
    if (range.role != LineRange::Role::kRule || range.first_line == 0) continue;
    auto rule = by_name.find(range.rule);
    if (rule == by_name.end() || rule->second->source == nullptr) continue;
    size_t begin = line_starts[std::min(range.first_line - 1, line_starts.size() - 1)];
    size_t end = line_starts[std::min(range.last_line, line_starts.size() - 1)];
    out.AddRule({ir::StableId(program, *rule->second->source), "yara", path, begin, end - begin});
  }
}

class YaraBackend : public Backend {
 public:
  std::string_view name() const override { return "yara"; }
  std::string_view description() const override {
    return "YARA 4.2 rules, one file per package plus all.yar, checked with libyara";
  }

  bool Emit(const BackendContext& ctx, OutputSet& out) override {
    const size_t errors_before = ctx.diags.error_count();
    const YaraOptions options = ParseYaraOptions(ctx.options, ctx.diags);

    std::optional<ProgramPlan> plan = PlanProgram(ctx.program, ctx.diags);
    if (!plan) return false;
    LoweringOptions lowering;
    lowering.build_date = ctx.build_date;

    // One file's model at a time: lowered, printed, outlined, freed.
    std::vector<PrintedFile> printed;
    std::vector<FileOutline> outlines;
    printed.reserve(plan->files.size());
    outlines.reserve(plan->files.size());
    for (const FilePlan& file_plan : plan->files) {
      const RuleFile file = LowerFile(ctx.program, file_plan, plan->rule_names, lowering);
      printed.push_back(PrintRuleFile(file));
      outlines.push_back(OutlineOf(file));
    }

    // Nothing is added unless libyara accepts every file: the driver writes
    // the OutputSet only when no error was reported.
    VerifyOptions verify;
    verify.jobs = ctx.jobs;
    verify.cache = ctx.check_cache;
    if (options.check && !VerifyWithLibyara(outlines, printed, ctx.diags, verify)) {
      return false;
    }
    if (ctx.diags.error_count() != errors_before) return false;

    std::vector<std::string> paths;
    for (size_t i = 0; i < printed.size(); ++i) {
      paths.push_back(outlines[i].path);
      std::string path = "yara/" + outlines[i].path;
      RecordRules(ctx.program, outlines[i], printed[i], path, out);
      out.Add(std::move(path), std::move(printed[i].text));
      printed[i] = {};
    }
    out.Add("yara/all.yar", PrintIndexFile(paths));
    return true;
  }
};

}  // namespace

std::unique_ptr<Backend> MakeYaraBackend() { return std::make_unique<YaraBackend>(); }

std::optional<GeneratedRules> GenerateRules(const ir::Program& program,
                                            const GenerateOptions& options,
                                            DiagnosticEngine& diags) {
  std::optional<ProgramPlan> plan = PlanProgram(program, diags);
  if (!plan) return std::nullopt;
  LoweringOptions lowering;
  lowering.build_date = options.build_date;
  GeneratedRules out;
  for (const FilePlan& file_plan : plan->files) {
    RuleFile file = LowerFile(program, file_plan, plan->rule_names, lowering);
    if (options.reveal_private) {
      for (Rule& rule : file.rules) rule.is_private = false;
    }
    out.paths.push_back(file.path);
    out.texts.push_back(PrintRuleFile(file).text);
  }
  out.rule_names = std::move(plan->rule_names);
  return out;
}

}  // namespace ward::backends::yara
