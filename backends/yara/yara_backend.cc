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

// Records each rule's own lines of a printed file for the version lock.
void RecordRules(const ir::Program& program, const RuleFile& file, const PrintedFile& printed,
                 const std::string& path, OutputSet& out) {
  std::vector<size_t> line_starts = {0};
  for (size_t i = 0; i < printed.text.size(); ++i) {
    if (printed.text[i] == '\n') line_starts.push_back(i + 1);
  }
  std::map<std::string, const Rule*> by_name;
  for (const Rule& rule : file.rules) by_name[rule.name] = &rule;
  for (const LineRange& range : printed.lines) {
    if (range.role != LineRange::Role::kRule || range.first_line == 0) continue;
    auto rule = by_name.find(range.rule);
    if (rule == by_name.end() || rule->second->source == nullptr) continue;
    size_t begin = line_starts[std::min(range.first_line - 1, line_starts.size() - 1)];
    size_t end = line_starts[std::min(range.last_line, line_starts.size() - 1)];
    out.AddRule({ir::StableId(program, *rule->second->source), "yara", path,
                 printed.text.substr(begin, end - begin)});
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

    LoweringOptions lowering;
    lowering.build_date = ctx.build_date;
    std::optional<LoweredProgram> lowered = LowerProgram(ctx.program, lowering, ctx.diags);
    if (!lowered) return false;

    std::vector<PrintedFile> printed;
    printed.reserve(lowered->files.size());
    for (const RuleFile& file : lowered->files) printed.push_back(PrintRuleFile(file));

    // Nothing is added unless libyara accepts every file: the driver writes
    // the OutputSet only when no error was reported.
    VerifyOptions verify;
    verify.jobs = ctx.jobs;
    verify.cache = ctx.check_cache;
    if (options.check && !VerifyWithLibyara(lowered->files, printed, ctx.diags, verify)) {
      return false;
    }
    if (ctx.diags.error_count() != errors_before) return false;

    for (size_t i = 0; i < printed.size(); ++i) {
      std::string path = "yara/" + lowered->files[i].path;
      RecordRules(ctx.program, lowered->files[i], printed[i], path, out);
      out.Add(std::move(path), std::move(printed[i].text));
    }
    out.Add("yara/all.yar", PrintIndexFile(lowered->files));
    return true;
  }
};

}  // namespace

std::unique_ptr<Backend> MakeYaraBackend() { return std::make_unique<YaraBackend>(); }

std::optional<GeneratedRules> GenerateRules(const ir::Program& program,
                                            const GenerateOptions& options,
                                            DiagnosticEngine& diags) {
  LoweringOptions lowering;
  lowering.build_date = options.build_date;
  std::optional<LoweredProgram> lowered = LowerProgram(program, lowering, diags);
  if (!lowered) return std::nullopt;
  GeneratedRules out;
  for (RuleFile& file : lowered->files) {
    if (options.reveal_private) {
      for (Rule& rule : file.rules) rule.is_private = false;
    }
    out.paths.push_back(file.path);
    out.texts.push_back(PrintRuleFile(file).text);
  }
  out.rule_names = std::move(lowered->rule_names);
  return out;
}

}  // namespace ward::backends::yara
