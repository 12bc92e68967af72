#include "compiler/sema/yara_condition_lowering.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "compiler/sema/yara_string_checks.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

using AstKind = ast::YaraExpr::Kind;
using IrKind = ir::YaraExpr::Kind;

constexpr int kMaxLoopNesting = 4;  // YR_MAX_LOOP_NESTING
constexpr size_t kMaxLoopVars = 2;  // YR_MAX_LOOP_VARS

const std::vector<std::string>& Builtins() {
  static const std::vector<std::string> names = {
      "int8",    "int16",    "int32",    "uint8",    "uint16",    "uint32",
      "int8be",  "int16be",  "int32be",  "uint8be",  "uint16be",  "uint32be"};
  return names;
}

bool Contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// Module members that exist only from YARA 4.3 on.
bool IsNewerMember(std::string_view module, std::string_view member) {
  return (module == "math" && member == "to_string") ||
         (module == "pe" && (member == "import_rva" || member == "delayed_import_rva"));
}

// The first `length` bytes of a span: points at `for` rather than the loop.
Span Head(Span span, uint32_t length) {
  if (span.size() > length) span.end = span.begin + length;
  return span;
}

// `a.b.c` if the expression is a chain of plain names.
std::optional<std::string> DottedName(const ast::YaraExpr& e) {
  if (e.kind == AstKind::kIdentifier) return e.text;
  if (e.kind == AstKind::kMember && !e.children.empty()) {
    if (auto base = DottedName(*e.children[0])) return *base + "." + e.text;
  }
  return std::nullopt;
}

const ast::YaraExpr* RootIdentifier(const ast::YaraExpr& e) {
  const ast::YaraExpr* node = &e;
  while (node->kind == AstKind::kMember && !node->children.empty()) node = node->children[0].get();
  return node->kind == AstKind::kIdentifier ? node : nullptr;
}

ast::QualifiedName ToQualifiedName(std::string_view dotted, Span span) {
  ast::QualifiedName name;
  name.span = span;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    name.parts.push_back({std::string(dotted.substr(start, dot - start)), span});
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return name;
}

std::vector<ir::YaraExpr*> Children(ir::YaraExpr& e) {
  std::vector<ir::YaraExpr*> out;
  for (auto& child : e.children) out.push_back(child.get());
  if (e.range_low) out.push_back(e.range_low.get());
  if (e.range_high) out.push_back(e.range_high.get());
  for (auto& item : e.iter_items) out.push_back(item.get());
  if (e.body) out.push_back(e.body.get());
  return out;
}

template <typename Fn>
void Walk(ir::YaraExpr& e, Fn&& fn) {
  fn(e);
  for (ir::YaraExpr* child : Children(e)) Walk(*child, fn);
}

ir::YaraLogic* MutableYara(ir::Detection& d) {
  return dynamic_cast<ir::YaraLogic*>(d.logic.get());
}

}  // namespace

const std::vector<std::string>& YaraModules() {
  static const std::vector<std::string> modules = {
      "console", "cuckoo", "dex", "dotnet", "elf", "hash", "macho", "magic", "math", "pe", "time"};
  return modules;
}

// ---- the lowering of one condition ------------------------------------------
class YaraConditionLowering::Impl {
 public:
  Impl(LoweringContext& ctx, const ir::Detection& self, std::vector<ir::YaraString>& strings,
       std::set<std::string>& modules, RuleSetSpanTable& rule_set_spans)
      : ctx_(ctx), self_(self), strings_(strings), modules_(modules),
        rule_set_spans_(rule_set_spans) {}

  ir::YaraExprPtr Lower(const ast::YaraExpr& e) { return LowerExpr(e, Use::kValue); }
  bool reported_undefined_string() const { return undefined_string_; }
  const std::set<std::string>& meant_strings() const { return meant_; }

 private:
  // Where an identifier appears: modules are only usable through a member.
  enum class Use { kValue, kMemberBase, kCallee };

  struct LoopScope {
    std::vector<ast::Name> vars;
    bool for_of = false;
    Span span;
  };

  DiagnosticEngine& diags() { return ctx_.diags; }

  static ir::YaraExprPtr Make(IrKind kind, Span span) {
    auto out = std::make_unique<ir::YaraExpr>();
    out->kind = kind;
    out->span = span;
    return out;
  }
  // Stands in for a node that could not be resolved, so lowering goes on.
  static ir::YaraExprPtr Placeholder(Span span) {
    auto out = Make(IrKind::kBool, span);
    out->boolean = false;
    return out;
  }

  ir::YaraExprPtr LowerExpr(const ast::YaraExpr& e, Use use) {
    switch (e.kind) {
      case AstKind::kOr: return Nary(e, IrKind::kOr);
      case AstKind::kAnd: return Nary(e, IrKind::kAnd);
      case AstKind::kNot: return Nary(e, IrKind::kNot);
      case AstKind::kDefined: return Nary(e, IrKind::kDefined);
      case AstKind::kBinary: {
        auto out = Nary(e, IrKind::kBinary);
        out->op = e.op;
        return out;
      }
      case AstKind::kUnary: {
        auto out = Nary(e, IrKind::kUnary);
        out->op = e.op;
        return out;
      }
      case AstKind::kInteger: {
        auto out = Make(IrKind::kInteger, e.span);
        out->integer = e.number.integer;
        return out;
      }
      case AstKind::kFloat: {
        auto out = Make(IrKind::kFloat, e.span);
        out->real = e.number.is_integer ? static_cast<double>(e.number.integer) : e.number.real;
        return out;
      }
      case AstKind::kText: {
        auto out = Make(IrKind::kText, e.span);
        out->text = e.text;
        return out;
      }
      case AstKind::kRegex: {
        CheckYaraRegexLiteral(e.text, e.regex_flags, e.span, "", ctx_.sources, diags());
        auto out = Make(IrKind::kRegex, e.span);
        out->text = e.text;
        out->regex_nocase = e.regex_flags.find('i') != std::string::npos;
        out->regex_dotall = e.regex_flags.find('s') != std::string::npos;
        return out;
      }
      case AstKind::kBool: {
        auto out = Make(IrKind::kBool, e.span);
        out->boolean = e.boolean;
        return out;
      }
      case AstKind::kFilesize: return Make(IrKind::kFilesize, e.span);
      case AstKind::kEntrypoint: return Make(IrKind::kEntrypoint, e.span);
      case AstKind::kStringMatch: return StringForm(e, IrKind::kStringMatch);
      case AstKind::kStringCount: return StringForm(e, IrKind::kStringCount);
      case AstKind::kStringOffset: return StringForm(e, IrKind::kStringOffset);
      case AstKind::kStringLength: return StringForm(e, IrKind::kStringLength);
      case AstKind::kIdentifier: return Identifier(e, use);
      case AstKind::kMember: return Member(e, use);
      case AstKind::kIndex: {
        auto out = Make(IrKind::kIndex, e.span);
        for (const auto& child : e.children) out->children.push_back(LowerExpr(*child, Use::kValue));
        return out;
      }
      case AstKind::kCall: return Call(e);
      case AstKind::kOf: return Of(e);
      case AstKind::kForOf: return ForOf(e);
      case AstKind::kForIn: return ForIn(e);
    }
    return Placeholder(e.span);
  }

  ir::YaraExprPtr Nary(const ast::YaraExpr& e, IrKind kind) {
    auto out = Make(kind, e.span);
    for (const auto& child : e.children) out->children.push_back(LowerExpr(*child, Use::kValue));
    return out;
  }

  // ---- strings --------------------------------------------------------------
  bool InForOf() const {
    return std::any_of(scopes_.begin(), scopes_.end(), [](const LoopScope& s) { return s.for_of; });
  }

  ir::YaraString* FindString(std::string_view id) {
    for (ir::YaraString& s : strings_) {
      if (s.id == id) return &s;
    }
    return nullptr;
  }

  void ReportUndefinedString(const ast::Name& name, char sigil) {
    std::vector<std::string> candidates;
    for (const ir::YaraString& s : strings_) {
      if (s.id.size() > 1) candidates.push_back(sigil + s.id.substr(1));
    }
    DiagBuilder diag(DiagCode::kUndefinedString, name.span,
                     fmt::format("undefined string `{}`", name.text));
    diag.Label("not defined in `strings`");
    if (auto close = ClosestMatch(name.text, candidates)) {
      diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(name.span, *close);
      meant_.insert("$" + close->substr(1));
    } else if (strings_.empty()) {
      diag.Help("define the string in a `strings { }` block of this detection");
    } else {
      diag.Help("define the string in the `strings { }` block, or use one of the defined ones");
    }
    diags().Report(std::move(diag));
  }

  // `$a`, `#a`, `@a[i]`, `!a[i]` and their anonymous forms.
  ir::YaraExprPtr StringForm(const ast::YaraExpr& e, IrKind kind) {
    auto out = Make(kind, e.span);
    const ast::Name& id = e.id;
    char sigil = id.text.empty() ? '$' : id.text[0];
    std::string rest = id.text.empty() ? "" : id.text.substr(1);
    if (rest.empty()) {
      if (!InForOf()) {
        diags().Report(Diag(DiagCode::kAnonymousOutsideLoop, id.span,
                            fmt::format("`{}` without a name is only valid inside `for ... of`",
                                        sigil))
                           .Label("refers to no string here")
                           .Help(fmt::format("name the string, e.g. `{}a`, or loop over a set: "
                                             "`for any of ($a*) : ( {} )`",
                                             sigil, sigil == '$' ? "$ at 0" : "# > 1")));
      }
    } else if (rest.back() == '*') {
      diags().Report(Diag(DiagCode::kUndefinedString, id.span,
                          fmt::format("`{}` names a set of strings, but one string is needed here",
                                      id.text))
                         .Label("wildcard not allowed here")
                         .Help(fmt::format("use a set: `any of (${})`, or name one string",
                                           rest)));
    } else {
      std::string string_id = "$" + rest;
      if (ir::YaraString* s = FindString(string_id)) {
        s->used = true;
      } else {
        ReportUndefinedString(id, sigil);
      }
      out->string_id = string_id;
    }
    for (const auto& child : e.children) out->children.push_back(LowerExpr(*child, Use::kValue));
    LowerRange(e, *out);
    return out;
  }

  void LowerRange(const ast::YaraExpr& e, ir::YaraExpr& out) {
    if (e.range_low) out.range_low = LowerExpr(*e.range_low, Use::kValue);
    if (e.range_high) out.range_high = LowerExpr(*e.range_high, Use::kValue);
  }

  // One entry of a string set: `$a` or a wildcard `$a*`.
  void StringSetEntry(const ast::Name& name) {
    const std::string& text = name.text;
    if (!text.empty() && text.back() == '*') {
      std::string prefix = text.substr(0, text.size() - 1);
      bool any = false;
      for (ir::YaraString& s : strings_) {
        if (s.id.starts_with(prefix)) {
          s.used = true;
          any = true;
        }
      }
      if (!any) {
        undefined_string_ = true;
        diags().Report(Diag(DiagCode::kUndefinedString, name.span,
                            fmt::format("no string matches `{}`", text))
                           .Label("matches no string")
                           .Help(fmt::format("define a string whose identifier starts with `{}`",
                                             prefix)));
      }
      return;
    }
    if (text == "$") {
      diags().Report(Diag(DiagCode::kAnonymousOutsideLoop, name.span,
                          "`$` without a name cannot be listed in a set")
                         .Label("refers to no string")
                         .Help("anonymous strings are selected with `them` or `($*)`"));
      return;
    }
    if (ir::YaraString* s = FindString(text)) {
      s->used = true;
    } else {
      ReportUndefinedString(name, '$');
    }
  }

  void StringSet(const ast::YaraExpr& e, ir::YaraExpr& out, Span where) {
    if (e.them) {
      out.them = true;
      if (strings_.empty()) {
        undefined_string_ = true;
        diags().Report(Diag(DiagCode::kUndefinedString, where, "`them` refers to no strings")
                           .Label("this detection defines no strings")
                           .Help("define strings in a `strings { }` block, or remove this "
                                 "part of the condition"));
      }
      for (ir::YaraString& s : strings_) s.used = true;
      return;
    }
    for (const ast::Name& name : e.set) {
      out.set.push_back(name.text);
      StringSetEntry(name);
    }
  }

  // ---- quantifiers ----------------------------------------------------------
  void CheckQuantifier(const ast::YaraExpr& e, ir::YaraExpr& out, bool in_for) {
    out.quant = static_cast<ir::YaraExpr::Quant>(static_cast<int>(e.quant));
    out.quant_value = e.quant_value;
    if (e.quant != ast::YaraExpr::Quant::kPercent) return;
    Span span = e.quant_span.valid() ? e.quant_span : e.span;
    if (in_for) {
      diags().Report(Diag(DiagCode::kInvalidYaraValue, span,
                          "a percentage cannot be used as the quantifier of a `for` loop")
                         .Label("not allowed in YARA 4.2")
                         .Help("use a count (`for 2 of ...`), or `N% of (...)` without `for`"));
    } else if (e.quant_value < 1 || e.quant_value > 100) {
      diags().Report(Diag(DiagCode::kInvalidYaraValue, span,
                          fmt::format("percentage {}% is out of range", e.quant_value))
                         .Label("must be between 1 and 100")
                         .Help(e.quant_value < 1 ? "use `none of` to require that no string "
                                                   "matches"
                                                 : "use `all of` to require every string"));
    }
  }

  // ---- identifiers ----------------------------------------------------------
  const ast::Name* FindLoopVar(std::string_view name) const {
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      for (const ast::Name& var : scope->vars) {
        if (var.text == name) return &var;
      }
    }
    return nullptr;
  }

  std::vector<std::string> IdentifierCandidates() const {
    std::vector<std::string> out;
    for (const LoopScope& scope : scopes_) {
      for (const ast::Name& var : scope.vars) out.push_back(var.text);
    }
    for (const std::string& m : YaraModules()) out.push_back(m);
    for (const std::string& b : Builtins()) out.push_back(b);
    out.push_back("filesize");
    for (const ast::Decl& decl : ctx_.file.decls) {
      if (decl.kind == ast::Decl::Kind::kDetection && decl.detection_kind &&
          decl.detection_kind->text == "yara" && decl.name.text != self_.name) {
        out.push_back(decl.name.text);
      }
    }
    return out;
  }

  void ReportUnknownIdentifier(std::string_view name, Span span) {
    DiagBuilder diag(DiagCode::kUnknownIdentifier, span,
                     fmt::format("unknown identifier `{}`", name));
    diag.Label("not a YARA rule, module or loop variable");
    std::string as_string = "$" + std::string(name);
    if (FindString(as_string)) {
      diag.Help(fmt::format("strings are written with `$`: `{}`", as_string))
          .Fix(span, as_string);
    } else if (auto close = ClosestMatch(name, IdentifierCandidates())) {
      diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(span, *close);
    } else {
      diag.Help("name a `detection yara` rule, a module (" + JoinAlternatives(YaraModules()) +
                ") or a variable of an enclosing `for` loop");
    }
    diags().Report(std::move(diag));
  }

  // A name that may be another YARA detection; nullptr after reporting.
  ir::YaraExprPtr RuleReference(std::string_view dotted, Span span) {
    if (const ir::Detection* rule = ctx_.resolver.FindDetection(dotted, "yara")) {
      auto out = Make(IrKind::kRuleRef, span);
      out->rule = rule;
      out->text = std::string(dotted);
      return out;
    }
    if (ctx_.resolver.FindDetection(dotted, "")) {
      // A detection of another kind: the resolver explains the mismatch.
      ctx_.resolver.ResolveDetection(ToQualifiedName(dotted, span), "yara");
      return Placeholder(span);
    }
    return nullptr;
  }

  ir::YaraExprPtr Identifier(const ast::YaraExpr& e, Use use) {
    const std::string& name = e.text;
    if (FindLoopVar(name)) {
      auto out = Make(IrKind::kLoopVar, e.span);
      out->text = name;
      return out;
    }
    if (name == "string") {
      diags().Report(Diag(DiagCode::kNewerYaraFeature, e.span,
                          "the `string` module requires YARA 4.3")
                         .Label("not available in YARA 4.2")
                         .Help("compare or search the text with `contains`, `matches` or "
                               "string literals instead"));
      return Placeholder(e.span);
    }
    if (Contains(YaraModules(), name)) {
      modules_.insert(name);
      if (use == Use::kValue) {
        diags().Report(Diag(DiagCode::kUnknownIdentifier, e.span,
                            fmt::format("module `{}` cannot be used as a value", name))
                           .Label("a module, not a value")
                           .Help(fmt::format("use one of its fields or functions: `{}.<name>`",
                                             name)));
      }
      auto out = Make(IrKind::kModule, e.span);
      out->text = name;
      return out;
    }
    if (Contains(Builtins(), name)) {
      diags().Report(Diag(DiagCode::kUnknownIdentifier, e.span,
                          fmt::format("`{}` is a function and must be called", name))
                         .Label("not called")
                         .Help(fmt::format("read a value at an offset: `{}(0)`", name)));
      return Placeholder(e.span);
    }
    if (auto rule = RuleReference(name, e.span)) return rule;
    ReportUnknownIdentifier(name, e.span);
    return Placeholder(e.span);
  }

  ir::YaraExprPtr Member(const ast::YaraExpr& e, Use use) {
    (void)use;
    // `pkg.rule` may name a detection of another package.
    const ast::YaraExpr* root = RootIdentifier(e);
    if (auto dotted = DottedName(e); dotted && root != nullptr) {
      const std::string& head = root->text;
      if (!FindLoopVar(head) && !Contains(YaraModules(), head) && head != "string" &&
          !Contains(Builtins(), head)) {
        if (auto rule = RuleReference(*dotted, e.span)) return rule;
        ReportUnknownIdentifier(*dotted, e.span);
        return Placeholder(e.span);
      }
    }
    auto out = Make(IrKind::kMember, e.span);
    out->text = e.text;
    if (e.children.empty()) return Placeholder(e.span);
    out->children.push_back(LowerExpr(*e.children[0], Use::kMemberBase));
    const ir::YaraExpr& base = *out->children[0];
    if (base.kind == IrKind::kModule && IsNewerMember(base.text, e.text)) {
      diags().Report(Diag(DiagCode::kNewerYaraFeature, e.span,
                          fmt::format("`{}.{}` requires YARA 4.3", base.text, e.text))
                         .Label("not available in YARA 4.2")
                         .Help("express the check with the module functions YARA 4.2 has"));
    }
    return out;
  }

  ir::YaraExprPtr Call(const ast::YaraExpr& e) {
    auto out = Make(IrKind::kCall, e.span);
    if (e.children.empty()) return Placeholder(e.span);
    const ast::YaraExpr& callee = *e.children[0];
    size_t args = e.children.size() - 1;
    if (callee.kind == AstKind::kIdentifier && Contains(Builtins(), callee.text) &&
        !FindLoopVar(callee.text)) {
      // Built-in readers carry their name; the children are the arguments.
      out->text = callee.text;
      if (args != 1) {
        diags().Report(Diag(DiagCode::kInvalidYaraValue, e.span,
                            fmt::format("`{}` takes one argument, found {}", callee.text, args))
                           .Label("wrong number of arguments")
                           .Help(fmt::format("pass the file offset to read: `{}(0)`",
                                             callee.text)));
      }
      for (size_t i = 1; i < e.children.size(); ++i) {
        out->children.push_back(LowerExpr(*e.children[i], Use::kValue));
      }
      return out;
    }
    out->children.push_back(LowerExpr(callee, Use::kCallee));
    for (size_t i = 1; i < e.children.size(); ++i) {
      out->children.push_back(LowerExpr(*e.children[i], Use::kValue));
    }
    return out;
  }

  // ---- sets and loops -------------------------------------------------------
  ir::YaraExprPtr Of(const ast::YaraExpr& e) {
    auto out = Make(IrKind::kOf, e.span);
    CheckQuantifier(e, *out, /*in_for=*/false);
    if (e.of_rules) {
      RuleSet(e, *out);
    } else {
      StringSet(e, *out, e.span);
    }
    LowerRange(e, *out);
    if (!e.children.empty()) {
      // The parser keeps YARA 4.3's `of ... at N` as the offset child.
      diags().Report(Diag(DiagCode::kNewerYaraFeature, e.op_span, "`of ... at` requires YARA 4.3")
                         .Label("not available in YARA 4.2")
                         .Help("test the strings one by one (`$a at 0 or $b at 0`), or loop: "
                               "`for any of ($a, $b) : ($ at 0)`"));
    }
    return out;
  }

  // `any of (rule_a, pickle_*)`: exact names now, wildcards once every
  // detection exists (ResolveYaraRuleSets).
  void RuleSet(const ast::YaraExpr& e, ir::YaraExpr& out) {
    out.of_rules = true;
    RuleSetSpans& spans = rule_set_spans_[&out];
    for (const ast::Name& name : e.set) {
      out.set.push_back(name.text);
      spans.entries.push_back(name.span);
      if (!name.text.empty() && name.text.back() == '*') continue;
      ir::YaraExprPtr rule = RuleReference(name.text, name.span);
      if (!rule) {
        ReportUnknownIdentifier(name.text, name.span);
      } else if (rule->kind == IrKind::kRuleRef) {
        out.rule_set.push_back(rule->rule);
        spans.rules.push_back(name.span);
      }
    }
  }

  // Reports when one more loop would nest deeper than libyara allows.
  void EnterLoop(const ast::YaraExpr& e) {
    if (static_cast<int>(scopes_.size()) >= kMaxLoopNesting) {
      diags().Report(Diag(DiagCode::kLoopNestingTooDeep, Head(e.span, 3),
                          fmt::format("loops are nested more than {} deep", kMaxLoopNesting))
                         .Label(fmt::format("loop number {} of this nest", scopes_.size() + 1))
                         .Secondary(Head(scopes_.front().span, 3), "outermost loop")
                         .Help("YARA 4.2 allows at most 4 nested loops: move the inner part "
                               "into a private detection (`private: true`) and reference it"));
    }
  }

  ir::YaraExprPtr ForOf(const ast::YaraExpr& e) {
    auto out = Make(IrKind::kForOf, e.span);
    CheckQuantifier(e, *out, /*in_for=*/true);
    for (const LoopScope& scope : scopes_) {
      if (!scope.for_of) continue;
      diags().Report(Diag(DiagCode::kLoopNestingTooDeep, Head(e.span, 3),
                          "`for ... of` loops cannot be nested")
                         .Label("inside another `for ... of` loop")
                         .Secondary(Head(scope.span, 3), "enclosing `for ... of` loop")
                         .Help("`$`, `#`, `@` and `!` would be ambiguous; combine the sets or "
                               "use `for ... in` with `#a` and `@a[i]`"));
      break;
    }
    if (e.of_rules) {
      RuleSet(e, *out);
    } else {
      StringSet(e, *out, e.span);
    }
    EnterLoop(e);
    scopes_.push_back({{}, true, e.span});
    if (e.body) out->body = LowerExpr(*e.body, Use::kValue);
    scopes_.pop_back();
    return out;
  }

  ir::YaraExprPtr ForIn(const ast::YaraExpr& e) {
    auto out = Make(IrKind::kForIn, e.span);
    CheckQuantifier(e, *out, /*in_for=*/true);
    CheckLoopVariables(e);
    for (const ast::Name& var : e.vars) out->vars.push_back(var.text);
    out->iter_is_range = e.iter_is_range;
    out->iter_is_expr = e.iter_is_expr;
    LowerRange(e, *out);
    for (const auto& item : e.iter_items) {
      if (item->kind == AstKind::kText) {
        diags().Report(Diag(DiagCode::kNewerYaraFeature, item->span,
                            "looping over text strings requires YARA 4.3")
                           .Label("YARA 4.2 loops over integers only")
                           .Help("compare the values one by one: `x == \"a\" or x == \"b\"`"));
      }
      out->iter_items.push_back(LowerExpr(*item, Use::kValue));
    }
    EnterLoop(e);
    scopes_.push_back({e.vars, false, e.span});
    if (e.body) out->body = LowerExpr(*e.body, Use::kValue);
    scopes_.pop_back();
    return out;
  }

  void CheckLoopVariables(const ast::YaraExpr& e) {
    if (e.vars.size() > kMaxLoopVars) {
      diags().Report(Diag(DiagCode::kLoopNestingTooDeep, e.vars[kMaxLoopVars].span,
                          fmt::format("a `for` loop binds at most {} variables, found {}",
                                      kMaxLoopVars, e.vars.size()))
                         .Label("one variable too many")
                         .Help("YARA loops bind one variable (an integer or array item) or two "
                               "(a dictionary key and value)"));
    } else if (!e.iter_is_expr && e.vars.size() > 1) {
      diags().Report(Diag(DiagCode::kLoopNestingTooDeep, e.vars[1].span,
                          fmt::format("a loop over {} binds one variable, found {}",
                                      e.iter_is_range ? "a range" : "a list", e.vars.size()))
                         .Label("extra variable")
                         .Help("remove it: only dictionaries yield key and value pairs"));
    }
    for (size_t i = 0; i < e.vars.size(); ++i) {
      const ast::Name& var = e.vars[i];
      const ast::Name* earlier = nullptr;
      for (size_t j = 0; j < i && !earlier; ++j) {
        if (e.vars[j].text == var.text) earlier = &e.vars[j];
      }
      bool enclosing = false;
      if (!earlier) {
        earlier = FindLoopVar(var.text);
        enclosing = earlier != nullptr;
      }
      if (!earlier) continue;
      diags().Report(Diag(DiagCode::kLoopNestingTooDeep, var.span,
                          fmt::format("loop variable `{}` is already bound{}", var.text,
                                      enclosing ? " by an enclosing loop" : " by this loop"))
                         .Label("bound again here")
                         .Secondary(earlier->span, "first bound here")
                         .Help("give the variable another name"));
    }
  }

  LoweringContext& ctx_;
  const ir::Detection& self_;
  std::vector<ir::YaraString>& strings_;
  std::set<std::string>& modules_;
  RuleSetSpanTable& rule_set_spans_;
  std::vector<LoopScope> scopes_;
  bool undefined_string_ = false;
  std::set<std::string> meant_;
};

YaraConditionLowering::YaraConditionLowering(LoweringContext& ctx, const ir::Detection& self,
                                             std::vector<ir::YaraString>& strings,
                                             std::set<std::string>& modules,
                                             RuleSetSpanTable& rule_set_spans)
    : impl_(std::make_unique<Impl>(ctx, self, strings, modules, rule_set_spans)) {}

YaraConditionLowering::~YaraConditionLowering() = default;

ir::YaraExprPtr YaraConditionLowering::Lower(const ast::YaraExpr& condition) {
  return impl_->Lower(condition);
}

bool YaraConditionLowering::reported_undefined_string() const {
  return impl_->reported_undefined_string();
}

const std::set<std::string>& YaraConditionLowering::meant_strings() const {
  return impl_->meant_strings();
}

// ---- whole-program checks -------------------------------------------------------
void ResolveYaraRuleSets(ir::Program& program, RuleSetSpanTable& spans, DiagnosticEngine& diags) {
  for (auto& detection : program.detections) {
    ir::YaraLogic* logic = MutableYara(*detection);
    if (!logic || !logic->condition) continue;
    Walk(*logic->condition, [&](ir::YaraExpr& e) {
      if (!e.of_rules || (e.kind != IrKind::kOf && e.kind != IrKind::kForOf)) return;
      RuleSetSpans& where = spans[&e];
      for (size_t i = 0; i < e.set.size(); ++i) {
        const std::string& pattern = e.set[i];
        if (pattern.empty() || pattern.back() != '*') continue;
        std::string_view prefix(pattern.data(), pattern.size() - 1);
        Span span = i < where.entries.size() ? where.entries[i] : e.span;
        bool any = false;
        for (const auto& other : program.detections) {
          if (other.get() == detection.get() || other->package != detection->package ||
              !other->As<ir::YaraLogic>() || !other->name.starts_with(prefix)) {
            continue;
          }
          any = true;
          if (std::find(e.rule_set.begin(), e.rule_set.end(), other.get()) != e.rule_set.end()) {
            continue;
          }
          e.rule_set.push_back(other.get());
          where.rules.push_back(span);
        }
        if (!any) {
          diags.Report(Diag(DiagCode::kUnknownIdentifier, span,
                            fmt::format("no YARA rule matches `{}`", pattern))
                           .Label("matches no other yara detection")
                           .Help(fmt::format("a rule set names `detection yara` rules of "
                                             "package `{}` whose names start with `{}`",
                                             detection->package, prefix)));
        }
      }
    });
  }
}

void CheckYaraRuleCycles(const ir::Program& program, const RuleSetSpanTable& spans,
                         DiagnosticEngine& diags) {
  struct Edge {
    const ir::Detection* to;
    Span span;
  };
  std::map<const ir::Detection*, std::vector<Edge>> edges;
  std::vector<const ir::Detection*> nodes;
  for (const auto& detection : program.detections) {
    ir::YaraLogic* logic = MutableYara(*detection);
    if (!logic) continue;
    nodes.push_back(detection.get());
    std::vector<Edge>& out = edges[detection.get()];
    if (!logic->condition) continue;
    Walk(*logic->condition, [&](ir::YaraExpr& e) {
      if (e.kind == IrKind::kRuleRef && e.rule) out.push_back({e.rule, e.span});
      if (!e.of_rules) return;
      auto where = spans.find(&e);
      for (size_t i = 0; i < e.rule_set.size(); ++i) {
        Span span = where != spans.end() && i < where->second.rules.size()
                        ? where->second.rules[i]
                        : e.span;
        out.push_back({e.rule_set[i], span});
      }
    });
  }

  // Iterative depth-first search; a reference to a rule still on the stack
  // closes a cycle and is reported once, at that reference.
  enum class State { kNew, kActive, kDone };
  std::map<const ir::Detection*, State> state;
  for (const ir::Detection* start : nodes) {
    if (state[start] != State::kNew) continue;
    struct Frame {
      const ir::Detection* node;
      size_t next = 0;
    };
    std::vector<Frame> stack = {{start}};
    state[start] = State::kActive;
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const std::vector<Edge>& out = edges[frame.node];
      if (frame.next == out.size()) {
        state[frame.node] = State::kDone;
        stack.pop_back();
        continue;
      }
      const Edge& edge = out[frame.next++];
      if (!edges.count(edge.to)) continue;  // not a YARA detection: reported elsewhere
      State& target = state[edge.to];
      if (target == State::kNew) {
        target = State::kActive;
        stack.push_back({edge.to});
        continue;
      }
      if (target != State::kActive) continue;
      std::string path;
      bool on_cycle = false;
      for (const Frame& f : stack) {
        if (f.node == edge.to) on_cycle = true;
        if (on_cycle) path += fmt::format("`{}` -> ", f.node->name);
      }
      path += fmt::format("`{}`", edge.to->name);
      const ir::Detection* from = stack.back().node;
      std::string message =
          from == edge.to
              ? fmt::format("YARA rule `{}` references itself", from->name)
              : fmt::format("YARA rules reference each other in a cycle: {}", path);
      diags.Report(Diag(DiagCode::kRuleForwardReference, edge.span, std::move(message))
                       .Label("this reference closes the cycle")
                       .Help("a YARA rule can only use rules defined before it: remove one of "
                             "the references, or move the shared part into a third rule"));
    }
  }
}

}  // namespace ward::sema
