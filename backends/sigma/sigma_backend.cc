#include "backends/sigma/sigma_backend.h"

#include <fmt/format.h>

#include "backends/sigma/sigma_lowering.h"
#include "backends/sigma/sigma_options.h"
#include "backends/sigma/sigma_printer.h"

namespace ward::backends::sigma {
namespace {

class SigmaBackend : public Backend {
 public:
  std::string_view name() const override { return "sigma"; }
  std::string_view description() const override {
    return "Sigma v2.1 rules, correlations and meta filters (sigma/<package>/*.yml)";
  }

  bool Emit(const BackendContext& ctx, OutputSet& out) override {
    size_t errors_before = ctx.diags.error_count();
    std::optional<SigmaOptions> options = ParseSigmaOptions(ctx.options, ctx.build_date, ctx.diags);
    if (!options) return false;
    std::vector<OutputFile> files = LowerProgram(ctx.program, *options, ctx.diags);
    for (const OutputFile& file : files) {
      if (!out.Add(file.path, PrintFile(file))) {
        ctx.diags.Report(Diag(DiagCode::kOutputPathCollision, Span{},
                              fmt::format("`{}` is written by two backends", file.path))
                             .Help("this is a compiler bug; please report it"));
      }
    }
    return ctx.diags.error_count() == errors_before;
  }
};

}  // namespace

std::unique_ptr<Backend> MakeSigmaBackend() { return std::make_unique<SigmaBackend>(); }

}  // namespace ward::backends::sigma
