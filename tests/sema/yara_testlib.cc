#include "tests/sema/yara_testlib.h"

#include <fmt/format.h>

#include "compiler/syntax/parser.h"

namespace ward::sema::testing {

YaraHarness::YaraHarness(std::string_view snippet, YaraHarnessOptions options) {
  file_ = sources_.Add("test.ward", "package t" + std::string(snippet));
  ast_ = syntax::ParseFile(*sources_.Get(file_), diags_);
  if (!ast_) return;
  std::vector<std::pair<const ast::Decl*, ir::Detection*>> detections;
  for (const ast::Decl& decl : ast_->decls) {
    if (decl.kind != ast::Decl::Kind::kDetection) continue;
    auto detection = std::make_unique<ir::Detection>();
    detection->name = decl.name.text;
    detection->package = "t";
    detection->detection_kind = decl.detection_kind ? decl.detection_kind->text : "";
    detection->span = decl.span;
    detection->name_span = decl.name.span;
    detections.emplace_back(&decl, detection.get());
    program_.detections.push_back(std::move(detection));
  }
  std::unique_ptr<DetectionKind> kind = MakeYaraKind();
  LoweringContext ctx{sources_, diags_, *this, *ast_, options.base_dir, options.root_dir};
  for (auto [decl, detection] : detections) {
    if (detection->detection_kind == "yara") detection->logic = kind->Lower(*decl, *detection, ctx);
  }
  kind->Finish(program_, diags_);
}

const ir::Detection* YaraHarness::detection(std::string_view name) const {
  for (const auto& d : program_.detections) {
    if (d->name == name) return d.get();
  }
  return nullptr;
}

const ir::YaraLogic* YaraHarness::logic(std::string_view name) const {
  const ir::Detection* d = detection(name);
  return d ? d->As<ir::YaraLogic>() : nullptr;
}

std::string YaraHarness::Condition(std::string_view name) const {
  const ir::YaraLogic* l = logic(name);
  return l && l->condition ? Dump(*l->condition) : "<none>";
}

std::string YaraHarness::Where(Span span) const { return Checks().Where(span); }

std::string YaraHarness::DiagList() const { return Checks().List(); }

::testing::AssertionResult YaraHarness::Has(std::string_view code, std::string_view message,
                                            std::string_view where) const {
  return Checks().Has(code, message, where);
}

::testing::AssertionResult YaraHarness::Lacks(std::string_view code) const {
  return Checks().Lacks(code);
}

::testing::AssertionResult YaraHarness::Clean() const { return Checks().Clean(); }

const Diagnostic* YaraHarness::Find(std::string_view code) const {
  return Checks().Find(code);
}

const ir::Detection* YaraHarness::ResolveDetection(const ast::QualifiedName& name,
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

const ir::Detection* YaraHarness::FindDetection(std::string_view name, std::string_view kind) {
  for (const auto& d : program_.detections) {
    if ((d->name == name || d->qualified_name() == name) &&
        (kind.empty() || d->detection_kind == kind)) {
      return d.get();
    }
  }
  return nullptr;
}

namespace {

const char* QuantName(ir::YaraExpr::Quant q) {
  switch (q) {
    case ir::YaraExpr::Quant::kAll: return "all";
    case ir::YaraExpr::Quant::kAny: return "any";
    case ir::YaraExpr::Quant::kNone: return "none";
    case ir::YaraExpr::Quant::kCount: return "";
    case ir::YaraExpr::Quant::kPercent: return "%";
  }
  return "?";
}

std::string Quant(const ir::YaraExpr& e) {
  if (e.quant == ir::YaraExpr::Quant::kCount) return std::to_string(e.quant_value);
  if (e.quant == ir::YaraExpr::Quant::kPercent) return fmt::format("{}%", e.quant_value);
  return QuantName(e.quant);
}

std::string Set(const ir::YaraExpr& e) {
  if (e.them) return "them";
  std::string out = e.of_rules ? "rules(" : "(";
  for (size_t i = 0; i < e.set.size(); ++i) out += (i ? ", " : "") + e.set[i];
  out += ")";
  if (e.of_rules) {
    out += "=[";
    for (size_t i = 0; i < e.rule_set.size(); ++i) {
      out += (i ? ", " : "") + (e.rule_set[i] ? e.rule_set[i]->name : std::string("<null>"));
    }
    out += "]";
  }
  return out;
}

std::string Escaped(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F && c != '"' && c != '\\') {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  return out;
}

}  // namespace

std::string Dump(const ir::YaraExpr& e) {
  using K = ir::YaraExpr::Kind;
  auto list = [&](std::string_view head, const std::vector<ir::YaraExprPtr>& items) {
    std::string out = std::string(head) + "(";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ", ";
      out += items[i] ? Dump(*items[i]) : "<null>";
    }
    return out + ")";
  };
  auto range = [&]() -> std::string {
    if (!e.range_low) return "";
    return fmt::format(" in ({}..{})", Dump(*e.range_low),
                       e.range_high ? Dump(*e.range_high) : "<null>");
  };
  auto string_id = [&](char sigil) {
    return e.string_id.empty() ? std::string(1, sigil) : sigil + e.string_id.substr(1);
  };
  switch (e.kind) {
    case K::kOr: return list("or", e.children);
    case K::kAnd: return list("and", e.children);
    case K::kNot: return list("not", e.children);
    case K::kDefined: return list("defined", e.children);
    case K::kBinary:
    case K::kUnary: return list(e.op, e.children);
    case K::kInteger: return std::to_string(e.integer);
    case K::kFloat: return fmt::format("{}", e.real);
    case K::kText: return "\"" + Escaped(e.text) + "\"";
    case K::kRegex:
      return fmt::format("/{}/{}{}", e.text, e.regex_nocase ? "i" : "", e.regex_dotall ? "s" : "");
    case K::kBool: return e.boolean ? "true" : "false";
    case K::kFilesize: return "filesize";
    case K::kEntrypoint: return "entrypoint";
    case K::kStringMatch: {
      std::string out = string_id('$');
      if (!e.children.empty()) out += " at " + Dump(*e.children[0]);
      return out + range();
    }
    case K::kStringCount: return string_id('#') + range();
    case K::kStringOffset:
      return string_id('@') + (e.children.empty() ? "" : "[" + Dump(*e.children[0]) + "]");
    case K::kStringLength:
      return string_id('!') + (e.children.empty() ? "" : "[" + Dump(*e.children[0]) + "]");
    case K::kRuleRef: return "rule:" + (e.rule ? e.rule->name : std::string("<null>"));
    case K::kModule: return "mod:" + e.text;
    case K::kLoopVar: return "var:" + e.text;
    case K::kMember:
      return (e.children.empty() ? std::string("<null>") : Dump(*e.children[0])) + "." + e.text;
    case K::kIndex:
      return e.children.size() == 2 ? Dump(*e.children[0]) + "[" + Dump(*e.children[1]) + "]"
                                    : "<bad index>";
    case K::kCall: return list(e.text.empty() ? "call" : e.text, e.children);
    case K::kOf: return fmt::format("{} of {}{}", Quant(e), Set(e), range());
    case K::kForOf:
      return fmt::format("for {} of {} : ({})", Quant(e), Set(e),
                         e.body ? Dump(*e.body) : "<null>");
    case K::kForIn: {
      std::string vars;
      for (size_t i = 0; i < e.vars.size(); ++i) vars += (i ? ", " : "") + e.vars[i];
      std::string iter;
      if (e.iter_is_range) {
        iter = range().substr(4);  // "(lo..hi)"
      } else if (e.iter_is_expr) {
        iter = e.iter_items.empty() ? "<null>" : Dump(*e.iter_items[0]);
      } else {
        iter = list("", e.iter_items);
      }
      return fmt::format("for {} {} in {} : ({})", Quant(e), vars, iter,
                         e.body ? Dump(*e.body) : "<null>");
    }
  }
  return "?";
}

bool HandBuilt::HasCode(std::string_view code) const {
  for (const Diagnostic& d : diags.diagnostics()) {
    if (Info(d.code).id == code) return true;
  }
  return false;
}

namespace {

// Resolves nothing: hand-built tests exercise one detection alone.
class NoNames : public NameResolver {
 public:
  const ir::Detection* ResolveDetection(const ast::QualifiedName&, std::string_view) override {
    return nullptr;
  }
  const ir::Detection* FindDetection(std::string_view, std::string_view) override {
    return nullptr;
  }
};

}  // namespace

void LowerHandBuilt(HandBuilt& out, ast::Decl decl) {
  out.detection.name = decl.name.text;
  out.detection.package = "t";
  out.detection.detection_kind = "yara";
  out.file.decls.push_back(std::move(decl));
  NoNames names;
  LoweringContext ctx{out.sources, out.diags, names, out.file, "", ""};
  out.logic = MakeYaraKind()->Lower(out.file.decls.back(), out.detection, ctx);
}

}  // namespace ward::sema::testing
