#include "backends/sigma/sigma_backend.h"

#include <fmt/format.h>

#include <string>
#include <variant>

#include "backends/sigma/sigma_lowering.h"
#include "backends/sigma/sigma_options.h"
#include "backends/sigma/sigma_printer.h"

namespace ward::backends::sigma {
namespace {

const std::string& DocumentId(const Document& document) {
  return std::visit([](const auto& doc) -> const std::string& { return doc.meta.id; }, document);
}

const char* DocumentKind(const Document& document) {
  if (std::holds_alternative<CorrelationDocument>(document)) return "sigma_correlation";
  if (std::holds_alternative<FilterDocument>(document)) return "sigma_filter";
  return "sigma";
}

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
    for (OutputFile& file : files) {
      // Printed document by document (as PrintFile does) so that where each
      // rule's own text is is recorded for the version lock.
      std::string text;
      for (size_t i = 0; i < file.documents.size(); ++i) {
        if (i > 0) text += "---\n";
        const size_t offset = text.size();
        text += PrintDocument(file.documents[i]);
        out.AddRule({DocumentId(file.documents[i]), DocumentKind(file.documents[i]), file.path,
                     offset, text.size() - offset});
      }
      // Each file's model is freed once printed, so the model and the text
      // of the whole program are not both held at the end.
      std::vector<Document>().swap(file.documents);
      if (!out.Add(file.path, std::move(text))) {
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
