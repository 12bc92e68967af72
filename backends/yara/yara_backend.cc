#include "backends/yara/yara_backend.h"

#include <string>
#include <vector>

#include "backends/yara/yara_lowering.h"
#include "backends/yara/yara_options.h"
#include "backends/yara/yara_printer.h"
#include "backends/yara/yara_verify.h"

namespace ward::backends::yara {
namespace {

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
    if (options.check && !VerifyWithLibyara(lowered->files, printed, ctx.diags)) return false;
    if (ctx.diags.error_count() != errors_before) return false;

    for (size_t i = 0; i < printed.size(); ++i) {
      out.Add("yara/" + lowered->files[i].path, std::move(printed[i].text));
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
