#include "backends/mapping/mapping_backend.h"

#include <string>

#include "backends/mapping/mapping_options.h"
#include "backends/mapping/printers.h"
#include "backends/mapping/rule_text.h"
#include "backends/mapping/trace_lowering.h"

namespace ward::backends::mapping {
namespace {

class MappingBackend : public Backend {
 public:
  std::string_view name() const override { return "mapping"; }
  std::string_view description() const override {
    return "traceability documents: Markdown, CSV, JSON, STIX 2.1, OSCAL, Navigator layers, "
           "HTML report";
  }

  bool Emit(const BackendContext& ctx, OutputSet& out) override {
    const size_t errors_before = ctx.diags.error_count();
    const MappingOptions options = ParseMappingOptions(ctx.options, ctx.diags);
    if (ctx.diags.error_count() != errors_before) return false;

    const TraceModel model = LowerTraceModel(ctx.program, TraceOptions{ctx.build_date});
    bool ok = true;
    auto add = [&](const std::string& file, std::string text) {
      if (!out.Add("mappings/" + file, std::move(text))) {
        ctx.diags.Report(Diag(DiagCode::kOutputPathCollision, Span{},
                              "two outputs would be written to `mappings/" + file + "`")
                             .Help("another backend already produced this file"));
        ok = false;
      }
    };
    if (options.markdown) add("traceability.md", PrintMarkdown(model));
    if (options.csv) add("traceability.csv", PrintCsv(model));
    if (options.json) add("traceability.json", PrintJson(model));
    if (options.stix) add("stix-bundle.json", PrintStixBundle(model, IndexEmittedRules(out)));
    if (options.oscal) {
      if (auto oscal = PrintOscalMapping(model)) add("oscal-mapping.json", std::move(*oscal));
    }
    if (options.navigator) {
      if (auto layer = PrintNavigatorLayer(model, KnownFramework::kAtlas)) {
        add("navigator-atlas.json", std::move(*layer));
      }
      if (auto layer = PrintNavigatorLayer(model, KnownFramework::kAttack)) {
        add("navigator-attack.json", std::move(*layer));
      }
    }
    if (options.html) add("report.html", PrintHtmlReport(model));
    return ok;
  }
};

}  // namespace

std::unique_ptr<Backend> MakeMappingBackend() { return std::make_unique<MappingBackend>(); }

}  // namespace ward::backends::mapping
