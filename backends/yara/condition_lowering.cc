#include "backends/yara/condition_lowering.h"

#include <algorithm>
#include <utility>

namespace ward::backends::yara {
namespace {

using IrKind = ir::YaraExpr::Kind;
using Kind = Expr::Kind;

Expr::Quant LowerQuant(ir::YaraExpr::Quant quant) {
  switch (quant) {
    case ir::YaraExpr::Quant::kAll: return Expr::Quant::kAll;
    case ir::YaraExpr::Quant::kAny: return Expr::Quant::kAny;
    case ir::YaraExpr::Quant::kNone: return Expr::Quant::kNone;
    case ir::YaraExpr::Quant::kCount: return Expr::Quant::kCount;
    case ir::YaraExpr::Quant::kPercent: return Expr::Quant::kPercent;
  }
  return Expr::Quant::kAny;
}

// A string set entry always carries its `$` ("$a", "$b*", "$*").
std::string StringSetEntry(std::string_view entry) {
  return "$" + StripSigil(entry);
}

ExprPtr Identifier(std::string name, Span span) {
  auto out = std::make_unique<Expr>();
  out->kind = Kind::kIdentifier;
  out->text = std::move(name);
  out->span = span;
  return out;
}

}  // namespace

std::string StripSigil(std::string_view id) {
  if (!id.empty() && (id[0] == '$' || id[0] == '#' || id[0] == '@' || id[0] == '!')) {
    id.remove_prefix(1);
  }
  return std::string(id);
}

ExprPtr ConditionLowering::LowerOptional(const ir::YaraExpr* expr) {
  return expr == nullptr ? nullptr : Lower(*expr);
}

std::string ConditionLowering::RuleName(const ir::Detection* rule, Span span) {
  auto it = rule == nullptr ? names_.end() : names_.find(rule);
  if (it == names_.end()) {
    failed_ = true;
    std::string what = rule == nullptr ? "an unresolved name" : "`" + rule->qualified_name() + "`";
    diags_.Report(Diag(DiagCode::kUnknownIdentifier, span,
                       "the condition refers to " + what + ", which is not a YARA rule")
                      .Help("only `detection yara` rules can be used in a YARA condition"));
    return "__undefined_rule";
  }
  const bool seen = std::any_of(references_.begin(), references_.end(),
                                [&](const RuleReference& r) { return r.target == rule; });
  if (!seen) references_.push_back({it->second, rule, span});
  return it->second;
}

ExprPtr ConditionLowering::Lower(const ir::YaraExpr& in) {
  auto out = std::make_unique<Expr>();
  out->span = in.span;
  out->op = in.op;
  out->integer = in.integer;
  out->real = in.real;
  out->boolean = in.boolean;
  out->regex_nocase = in.regex_nocase;
  out->regex_dotall = in.regex_dotall;
  out->string_id = StripSigil(in.string_id);
  out->range_low = LowerOptional(in.range_low.get());
  out->range_high = LowerOptional(in.range_high.get());
  out->quant = LowerQuant(in.quant);
  out->quant_value = in.quant_value;
  out->them = in.them;
  out->vars = in.vars;
  for (const auto& item : in.iter_items) out->iter_items.push_back(Lower(*item));
  out->body = LowerOptional(in.body.get());

  switch (in.kind) {
    case IrKind::kOr: out->kind = Kind::kOr; break;
    case IrKind::kAnd: out->kind = Kind::kAnd; break;
    case IrKind::kNot: out->kind = Kind::kNot; break;
    case IrKind::kDefined: out->kind = Kind::kDefined; break;
    case IrKind::kBinary: out->kind = Kind::kBinary; break;
    case IrKind::kUnary: out->kind = Kind::kUnary; break;
    case IrKind::kInteger: out->kind = Kind::kInteger; break;
    case IrKind::kFloat: out->kind = Kind::kFloat; break;
    case IrKind::kText: out->kind = Kind::kText; break;
    case IrKind::kRegex: out->kind = Kind::kRegex; break;
    case IrKind::kBool: out->kind = Kind::kBool; break;
    case IrKind::kFilesize:
      out->kind = Kind::kKeyword;
      out->text = "filesize";
      break;
    case IrKind::kEntrypoint:
      out->kind = Kind::kKeyword;
      out->text = "entrypoint";
      break;
    case IrKind::kStringMatch: out->kind = Kind::kStringMatch; break;
    case IrKind::kStringCount: out->kind = Kind::kStringCount; break;
    case IrKind::kStringOffset: out->kind = Kind::kStringOffset; break;
    case IrKind::kStringLength: out->kind = Kind::kStringLength; break;
    case IrKind::kRuleRef:
      out->kind = Kind::kIdentifier;
      out->text = RuleName(in.rule, in.span);
      break;
    case IrKind::kModule:
    case IrKind::kLoopVar:
      out->kind = Kind::kIdentifier;
      out->text = in.text;
      break;
    case IrKind::kMember: out->kind = Kind::kMember; break;
    case IrKind::kIndex: out->kind = Kind::kIndex; break;
    case IrKind::kCall:
      out->kind = Kind::kCall;
      // The callee is children[0] (pe.imphash, math.entropy, uint8...). A
      // call may also name a built-in function in `text` with only the
      // arguments as children.
      if (!in.text.empty()) {
        const bool callee_child =
            !in.children.empty() && in.children[0]->text == in.text &&
            (in.children[0]->kind == IrKind::kModule || in.children[0]->kind == IrKind::kLoopVar);
        if (!callee_child) out->children.push_back(Identifier(in.text, in.span));
      }
      break;
    case IrKind::kOf: out->kind = Kind::kOf; break;
    case IrKind::kForOf: out->kind = Kind::kForOf; break;
    case IrKind::kForIn: out->kind = Kind::kForIn; break;
  }
  if (out->kind != Kind::kIdentifier && out->kind != Kind::kKeyword) out->text = in.text;

  for (const auto& child : in.children) out->children.push_back(Lower(*child));

  if (in.kind == IrKind::kOf || in.kind == IrKind::kForOf) {
    if (in.of_rules) {
      // Rule sets are written out as explicit lists of emitted names: Ward
      // patterns (`pickle_*`) name Ward rules, not emitted identifiers.
      for (const ir::Detection* rule : in.rule_set) out->set.push_back(RuleName(rule, in.span));
      if (in.rule_set.empty()) {
        failed_ = true;
        diags_.Report(Diag(DiagCode::kUnknownIdentifier, in.span, "the rule set matches no YARA rule")
                          .Help("name at least one `detection yara` rule in the set"));
      }
    } else if (!in.them) {
      for (const std::string& entry : in.set) out->set.push_back(StringSetEntry(entry));
    }
  }
  if (in.kind == IrKind::kForIn) {
    out->iter = in.iter_is_range  ? Expr::Iter::kRange
                : in.iter_is_expr ? Expr::Iter::kExpr
                                  : Expr::Iter::kList;
  }
  return out;
}

}  // namespace ward::backends::yara
