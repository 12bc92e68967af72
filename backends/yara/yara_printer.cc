#include "backends/yara/yara_printer.h"

#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>

#include "backends/yara/yara_escape.h"

namespace ward::backends::yara {
namespace {

// Binding strength, weakest first, after libyara/grammar.y (v4.2.3):
//   %left or; %left and; %right not defined; %left == != contains ... matches;
//   %left < <= > >=; %left |; %left ^; %left &; %left << >>; %left + -;
//   %left * \ %; %right ~ unary-minus.
// kBoolPrimary is for `$a at n`, `$a in (..)`, `of` and `for`: complete
// boolean expressions that bind tighter than not/and/or but cannot be an
// operand of a comparison or of arithmetic.
enum Prec : int {
  kOr = 1,
  kAnd = 2,
  kNot = 3,
  kBoolPrimary = 4,
  kEquality = 5,
  kRelational = 6,
  kBitOr = 7,
  kBitXor = 8,
  kBitAnd = 9,
  kShift = 10,
  kAdditive = 11,
  kMultiplicative = 12,
  kUnary = 13,
  kAtom = 14,
};

// The operands of comparisons, `at`, ranges and indexes are what the
// grammar calls primary_expression: arithmetic and bitwise operators only.
constexpr int kPrimary = kBitOr;

int BinaryPrec(std::string_view op) {
  if (op == "|") return kBitOr;
  if (op == "^") return kBitXor;
  if (op == "&") return kBitAnd;
  if (op == "<<" || op == ">>") return kShift;
  if (op == "+" || op == "-") return kAdditive;
  if (op == "*" || op == "\\" || op == "%") return kMultiplicative;
  if (op == "<" || op == "<=" || op == ">" || op == ">=") return kRelational;
  return kEquality;  // == != contains icontains startswith ... iequals matches
}

struct Printed {
  std::string text;
  int prec = kAtom;
};

class ExprPrinter {
 public:
  Printed Print(const Expr& e);

  // `e` printed so that it binds at least as tightly as `min`.
  std::string At(const Expr& e, int min) {
    Printed p = Print(e);
    if (p.prec >= min) return std::move(p.text);
    return "(" + p.text + ")";
  }

 private:
  static std::string Sigil(char sigil, const Expr& e) { return sigil + e.string_id; }
  std::string Range(const Expr& e) {
    return "(" + At(*e.range_low, kPrimary) + ".." + At(*e.range_high, kPrimary) + ")";
  }
  static std::string Quantifier(const Expr& e) {
    switch (e.quant) {
      case Expr::Quant::kAll: return "all";
      case Expr::Quant::kAny: return "any";
      case Expr::Quant::kNone: return "none";
      case Expr::Quant::kCount: return FormatInteger(e.quant_value);
      case Expr::Quant::kPercent: return FormatInteger(e.quant_value) + "%";
    }
    return "any";
  }
  static std::string Set(const Expr& e) {
    if (e.them) return "them";
    std::string out = "(";
    for (size_t i = 0; i < e.set.size(); ++i) {
      if (i != 0) out += ", ";
      out += e.set[i];
    }
    return out + ")";
  }
  std::string List(const std::vector<ExprPtr>& items, size_t from, int min) {
    std::string out;
    for (size_t i = from; i < items.size(); ++i) {
      if (i != from) out += ", ";
      out += At(*items[i], min);
    }
    return out;
  }
  std::string Joined(const Expr& e, std::string_view op, int min) {
    std::string out;
    for (size_t i = 0; i < e.children.size(); ++i) {
      if (i != 0) {
        out += ' ';
        out += op;
        out += ' ';
      }
      out += At(*e.children[i], min);
    }
    return out;
  }
  std::string Body(const Expr& e) { return e.body ? At(*e.body, kOr) : "true"; }
};

Printed ExprPrinter::Print(const Expr& e) {
  using Kind = Expr::Kind;
  switch (e.kind) {
    case Kind::kOr:
      if (e.children.empty()) return {"false", kAtom};
      if (e.children.size() == 1) return Print(*e.children[0]);
      return {Joined(e, "or", kOr), kOr};
    case Kind::kAnd:
      if (e.children.empty()) return {"true", kAtom};
      if (e.children.size() == 1) return Print(*e.children[0]);
      return {Joined(e, "and", kAnd), kAnd};
    case Kind::kNot:
      return {"not " + At(*e.children.at(0), kNot), kNot};
    case Kind::kDefined:
      return {"defined " + At(*e.children.at(0), kNot), kNot};
    case Kind::kBinary: {
      const int prec = BinaryPrec(e.op);
      const bool comparison = prec <= kRelational;
      const int left_min = comparison ? kPrimary : prec;
      const int right_min = comparison ? kPrimary : prec + 1;
      return {At(*e.children.at(0), left_min) + " " + e.op + " " + At(*e.children.at(1), right_min),
              prec};
    }
    case Kind::kUnary: {
      std::string operand = At(*e.children.at(0), kUnary);
      // `- -x` must not print as `--x`.
      if (!operand.empty() && operand[0] == e.op[0]) operand = "(" + operand + ")";
      return {e.op + operand, kUnary};
    }
    case Kind::kInteger:
      if (e.integer == std::numeric_limits<int64_t>::min()) {
        return {"(-9223372036854775807 - 1)", kAtom};  // no literal for it
      }
      return {FormatInteger(e.integer), e.integer < 0 ? kUnary : kAtom};
    case Kind::kFloat:
      if (e.real < 0) return {"-" + FormatFloat(-e.real), kUnary};
      return {FormatFloat(e.real), kAtom};
    case Kind::kText:
      return {QuoteText(e.text), kAtom};
    case Kind::kRegex:
      return {FormatRegex(e.text, e.regex_nocase, e.regex_dotall), kAtom};
    case Kind::kBool:
      return {e.boolean ? "true" : "false", kAtom};
    case Kind::kKeyword:
    case Kind::kIdentifier:
      return {e.text, kAtom};
    case Kind::kStringMatch:
      if (e.range_low && e.range_high) return {Sigil('$', e) + " in " + Range(e), kBoolPrimary};
      if (!e.children.empty()) {
        return {Sigil('$', e) + " at " + At(*e.children[0], kPrimary), kBoolPrimary};
      }
      return {Sigil('$', e), kAtom};
    case Kind::kStringCount:
      if (e.range_low && e.range_high) return {Sigil('#', e) + " in " + Range(e), kAtom};
      return {Sigil('#', e), kAtom};
    case Kind::kStringOffset:
    case Kind::kStringLength: {
      std::string out = Sigil(e.kind == Kind::kStringOffset ? '@' : '!', e);
      if (!e.children.empty()) out += "[" + At(*e.children[0], kPrimary) + "]";
      return {out, kAtom};
    }
    case Kind::kMember:
      return {At(*e.children.at(0), kAtom) + "." + e.text, kAtom};
    case Kind::kIndex:
      return {At(*e.children.at(0), kAtom) + "[" + At(*e.children.at(1), kPrimary) + "]", kAtom};
    case Kind::kCall:
      return {At(*e.children.at(0), kAtom) + "(" + List(e.children, 1, kOr) + ")", kAtom};
    case Kind::kOf: {
      std::string out = Quantifier(e) + " of " + Set(e);
      if (e.range_low && e.range_high) out += " in " + Range(e);
      return {out, kBoolPrimary};
    }
    case Kind::kForOf:
      return {"for " + Quantifier(e) + " of " + Set(e) + " : (" + Body(e) + ")", kBoolPrimary};
    case Kind::kForIn: {
      std::string vars;
      for (size_t i = 0; i < e.vars.size(); ++i) vars += (i == 0 ? "" : ", ") + e.vars[i];
      std::string iterable;
      switch (e.iter) {
        case Expr::Iter::kRange: iterable = Range(e); break;
        case Expr::Iter::kList: iterable = "(" + List(e.iter_items, 0, kPrimary) + ")"; break;
        case Expr::Iter::kExpr:
          iterable = e.iter_items.empty() ? "()" : At(*e.iter_items[0], kAtom);
          break;
      }
      return {"for " + Quantifier(e) + " " + vars + " in " + iterable + " : (" + Body(e) + ")",
              kBoolPrimary};
    }
  }
  return {"true", kAtom};
}

// Appends lines and counts them, so ranges can be recorded as we go.
class LineWriter {
 public:
  explicit LineWriter(size_t first_line) : line_(first_line) {}
  void Line(std::string_view text) {
    out_.text += text;
    out_.text += '\n';
    ++line_;
  }
  size_t line() const { return line_; }
  void Record(LineRange::Role role, size_t first, Span span, std::string rule,
              std::string string_id = {}) {
    out_.lines.push_back({role, first, line_ - 1, span, std::move(rule), std::move(string_id)});
  }
  PrintedFile& out() { return out_; }

 private:
  PrintedFile out_;
  size_t line_;
};

std::string MetaValue(const MetaEntry& meta) {
  switch (meta.kind) {
    case MetaEntry::Kind::kString: return QuoteText(meta.text);
    case MetaEntry::Kind::kInteger: return FormatInteger(meta.integer);
    case MetaEntry::Kind::kBool: return meta.boolean ? "true" : "false";
  }
  return "\"\"";
}

std::string StringValue(const StringDef& s) {
  std::string value;
  switch (s.kind) {
    case StringDef::Kind::kText: value = QuoteText(s.text); break;
    case StringDef::Kind::kHex: value = "{ " + FormatHexTokens(s.hex) + " }"; break;
    case StringDef::Kind::kRegex:
      value = FormatRegex(s.text, s.regex_nocase, s.regex_dotall);
      break;
  }
  const std::string modifiers = FormatModifiers(s.modifiers);
  if (!modifiers.empty()) value += " " + modifiers;
  return value;
}

// Long top-level and/or chains get one operand per line, operator first,
// the way the style guides write them; each line keeps its own Ward span.
constexpr size_t kMaxConditionLine = 80;

void PrintCondition(const Rule& rule, LineWriter& writer) {
  constexpr std::string_view kIndent = "    ";
  const Expr& condition = *rule.condition;
  ExprPrinter printer;
  std::string one_line = printer.At(condition, kOr);
  const bool chain = (condition.kind == Expr::Kind::kAnd || condition.kind == Expr::Kind::kOr) &&
                     condition.children.size() > 1;
  if (!chain || kIndent.size() + one_line.size() <= kMaxConditionLine) {
    const size_t first = writer.line();
    writer.Line(std::string(kIndent) + one_line);
    writer.Record(LineRange::Role::kCondition, first, rule.condition_span, rule.name);
    return;
  }
  const bool is_and = condition.kind == Expr::Kind::kAnd;
  const int min = is_and ? kAnd : kOr;
  for (size_t i = 0; i < condition.children.size(); ++i) {
    const Expr& child = *condition.children[i];
    const size_t first = writer.line();
    std::string text(kIndent);
    if (i != 0) text += is_and ? "and " : "or ";
    writer.Line(text + printer.At(child, min));
    writer.Record(LineRange::Role::kCondition, first,
                  child.span.valid() ? child.span : rule.condition_span, rule.name);
  }
}

void PrintRuleInto(const Rule& rule, LineWriter& writer) {
  const size_t rule_first = writer.line();
  std::string head;
  if (rule.is_private) head += "private ";
  if (rule.is_global) head += "global ";
  head += "rule " + rule.name;
  if (!rule.tags.empty()) {
    head += " :";
    for (const std::string& tag : rule.tags) head += " " + tag;
  }
  writer.Line(head + " {");
  if (!rule.meta.empty()) {
    writer.Line("  meta:");
    for (const MetaEntry& meta : rule.meta) writer.Line("    " + meta.key + " = " + MetaValue(meta));
  }
  if (!rule.strings.empty()) {
    writer.Line("  strings:");
    for (const StringDef& s : rule.strings) {
      const size_t first = writer.line();
      writer.Line("    $" + s.id + " = " + StringValue(s));
      writer.Record(LineRange::Role::kString, first, s.span, rule.name, s.id);
    }
  }
  writer.Line("  condition:");
  PrintCondition(rule, writer);
  writer.Line("}");
  writer.Record(LineRange::Role::kRule, rule_first, rule.span, rule.name);
}

}  // namespace

std::string PrintExpr(const Expr& expr) { return ExprPrinter().At(expr, kOr); }

PrintedFile PrintRule(const Rule& rule, size_t first_line) {
  LineWriter writer(first_line);
  PrintRuleInto(rule, writer);
  return std::move(writer.out());
}

PrintedFile PrintRuleFile(const RuleFile& file) {
  LineWriter writer(1);
  writer.Line("// Generated by Ward from package " + file.package + ". Do not edit.");
  if (!file.depends_on.empty()) {
    std::string uses;
    for (const std::string& dep : file.depends_on) uses += (uses.empty() ? "" : ", ") + dep;
    writer.Line("// Uses rules from " + uses + ": compile after them (all.yar does).");
  }
  if (!file.imports.empty()) {
    writer.Line("");
    for (const std::string& module : file.imports) writer.Line("import " + QuoteText(module));
  }
  for (const Rule& rule : file.rules) {
    writer.Line("");
    PrintRuleInto(rule, writer);
  }
  return std::move(writer.out());
}

std::string PrintIndexFile(const std::vector<std::string>& paths) {
  std::string out = "// Generated by Ward: every package's rules, dependencies first. Do not edit.\n";
  if (!paths.empty()) out += "\n";
  for (const std::string& path : paths) out += "include " + QuoteText(path) + "\n";
  return out;
}

}  // namespace ward::backends::yara
