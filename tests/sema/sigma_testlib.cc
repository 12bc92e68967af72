#include "tests/sema/sigma_testlib.h"

#include <fmt/format.h>

#include "compiler/syntax/parser.h"

namespace ward::sema::testing {

SigmaHarness::SigmaHarness(std::string_view snippet) {
  file_ = sources_.Add("test.ward", "package t" + std::string(snippet));
  ast_ = syntax::ParseFile(*sources_.Get(file_), diags_);
  if (!ast_) return;
  std::vector<std::pair<const ast::Decl*, ir::Detection*>> detections;
  std::vector<std::pair<const ast::Decl*, ir::Filter*>> filters;
  for (const ast::Decl& decl : ast_->decls) {
    if (decl.kind == ast::Decl::Kind::kDetection) {
      auto detection = std::make_unique<ir::Detection>();
      detection->name = decl.name.text;
      detection->package = "t";
      detection->detection_kind = decl.detection_kind ? decl.detection_kind->text : "";
      detection->span = decl.span;
      detection->name_span = decl.name.span;
      detections.emplace_back(&decl, detection.get());
      program_.detections.push_back(std::move(detection));
    } else if (decl.kind == ast::Decl::Kind::kFilter) {
      auto filter = std::make_unique<ir::Filter>();
      filter->name = decl.name.text;
      filter->package = "t";
      filter->span = decl.span;
      filter->name_span = decl.name.span;
      filters.emplace_back(&decl, filter.get());
      program_.filters.push_back(std::move(filter));
    }
  }
  std::unique_ptr<DetectionKind> kind = MakeSigmaKind();
  LoweringContext ctx{sources_, diags_, *this, *ast_, "", ""};
  // Filters first: the checks that need the named rules' logic must wait
  // for Finish(), as they do when the analyzer meets a filter early.
  for (auto [decl, filter] : filters) LowerSigmaFilter(*decl, *filter, ctx);
  for (auto [decl, detection] : detections) {
    if (detection->detection_kind == "sigma") detection->logic = kind->Lower(*decl, *detection, ctx);
  }
  kind->Finish(program_, diags_);
}

const ir::Detection* SigmaHarness::detection(std::string_view name) const {
  for (const auto& d : program_.detections) {
    if (d->name == name) return d.get();
  }
  return nullptr;
}

const ir::SigmaLogic* SigmaHarness::logic(std::string_view name) const {
  const ir::Detection* d = detection(name);
  return d ? d->As<ir::SigmaLogic>() : nullptr;
}

const ir::Filter* SigmaHarness::filter(std::string_view name) const {
  for (const auto& f : program_.filters) {
    if (f->name == name) return f.get();
  }
  return nullptr;
}

std::string SigmaHarness::Where(Span span) const { return Checks().Where(span); }

std::string SigmaHarness::DiagList() const { return Checks().List(); }

::testing::AssertionResult SigmaHarness::Has(std::string_view code, std::string_view message,
                                             std::string_view where) const {
  return Checks().Has(code, message, where);
}

::testing::AssertionResult SigmaHarness::Lacks(std::string_view code) const {
  return Checks().Lacks(code);
}

::testing::AssertionResult SigmaHarness::Clean() const { return Checks().Clean(); }

const ir::Detection* SigmaHarness::ResolveDetection(const ast::QualifiedName& name,
                                                    std::string_view kind) {
  std::string text = name.str();
  for (const auto& d : program_.detections) {
    if (d->name != text && d->qualified_name() != text) continue;
    if (!kind.empty() && d->detection_kind != kind) {
      diags_.Report(Diag(DiagCode::kWrongKind, name.span,
                         fmt::format("`{}` is a {} detection", text, d->detection_kind)));
      return nullptr;
    }
    return d.get();
  }
  diags_.Report(Diag(DiagCode::kUnresolvedName, name.span, fmt::format("unresolved `{}`", text)));
  return nullptr;
}

const ir::Detection* SigmaHarness::FindDetection(std::string_view name, std::string_view kind) {
  for (const auto& d : program_.detections) {
    if (d->name == name && (kind.empty() || d->detection_kind == kind)) return d.get();
  }
  return nullptr;
}

namespace {

std::string DumpValue(const ir::SigmaValue& v) {
  switch (v.kind) {
    case ir::SigmaValue::Kind::kString:
      return fmt::format("{}\"{}\"", v.wildcards ? "w" : "", v.text);
    case ir::SigmaValue::Kind::kInteger: return std::to_string(v.integer);
    case ir::SigmaValue::Kind::kFloat: return fmt::format("{}", v.real);
    case ir::SigmaValue::Kind::kBool: return v.boolean ? "true" : "false";
    case ir::SigmaValue::Kind::kNull: return "null";
  }
  return "?";
}

}  // namespace

std::string Dump(const ir::SigmaExpr& expr, const std::vector<ir::SigmaSelection>& selections) {
  auto children = [&](std::string_view name) {
    std::string out = std::string(name) + "(";
    for (size_t i = 0; i < expr.children.size(); ++i) {
      if (i > 0) out += ", ";
      out += expr.children[i] ? Dump(*expr.children[i], selections) : "<null>";
    }
    return out + ")";
  };
  switch (expr.kind) {
    case ir::SigmaExpr::Kind::kAnd: return children("and");
    case ir::SigmaExpr::Kind::kOr: return children("or");
    case ir::SigmaExpr::Kind::kNot: return children("not");
    case ir::SigmaExpr::Kind::kSelection:
      return expr.selection < selections.size() ? "@" + selections[expr.selection].name
                                                : "@<bad index>";
    case ir::SigmaExpr::Kind::kMatch: {
      std::string out = expr.field.empty() ? "*" : expr.field;
      for (ir::SigmaModifier m : expr.modifiers) out += std::string("|") + ir::SigmaModifierName(m);
      out += "=";
      if (expr.values.size() == 1) return out + DumpValue(expr.values[0]);
      out += "[";
      for (size_t i = 0; i < expr.values.size(); ++i) {
        if (i > 0) out += ",";
        out += DumpValue(expr.values[i]);
      }
      return out + "]";
    }
  }
  return "?";
}

std::string DumpCondition(const ir::SigmaLogic& logic) {
  return logic.condition ? Dump(*logic.condition, logic.selections) : "<none>";
}

std::string DumpSelection(const ir::SigmaLogic& logic, std::string_view name) {
  for (const ir::SigmaSelection& s : logic.selections) {
    if (s.name == name && s.expr) return Dump(*s.expr, logic.selections);
  }
  return "<none>";
}

std::string WhenOf(std::string_view expression, std::string* diags) {
  SigmaHarness h(fmt::format("\ndetection sigma r \"R\" {{ logsource {{ product: p }} when: {} }}",
                             expression));
  if (diags) *diags = h.diags().empty() ? "" : h.DiagList();
  const ir::SigmaLogic* logic = h.logic("r");
  return logic ? DumpCondition(*logic) : "<no logic>";
}

}  // namespace ward::sema::testing
