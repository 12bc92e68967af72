// YARA detections as Ward text (language.md section 10): strings with their
// modifiers, and the condition, which is YARA's own syntax with Ward's
// string escapes and Ward names for other rules.

#include <fmt/format.h>

#include <limits>

#include "compiler/writer/ward_text.h"
#include "compiler/writer/writer_context.h"

namespace ward::writer {
namespace {

using ir::YaraExpr;

// Binding strength, weakest first, as in YARA 4.2's grammar (and the YARA
// backend's printer): kBoolPrimary is `$a at n`, `of`, `for`.
enum Prec : int {
  kOr = 1,
  kAnd,
  kNot,
  kBoolPrimary,
  kEquality,
  kRelational,
  kBitOr,
  kBitXor,
  kBitAnd,
  kShift,
  kAdditive,
  kMultiplicative,
  kUnary,
  kAtom
};
constexpr int kPrimary = kBitOr;

int BinaryPrec(std::string_view op) {
  if (op == "|") return kBitOr;
  if (op == "^") return kBitXor;
  if (op == "&") return kBitAnd;
  if (op == "<<" || op == ">>") return kShift;
  if (op == "+" || op == "-") return kAdditive;
  if (op == "*" || op == "\\" || op == "%") return kMultiplicative;
  if (op == "<" || op == "<=" || op == ">" || op == ">=") return kRelational;
  return kEquality;
}

struct Printed {
  std::string text;
  int prec = kAtom;
};

bool IsIntegerRead(const YaraExpr& e) {
  return e.kind == YaraExpr::Kind::kCall &&
         (e.text.starts_with("uint") || e.text.starts_with("int"));
}

std::string Hex(int64_t value) { return fmt::format("0x{:X}", value); }

std::string RegexLiteral(std::string_view body, bool nocase, bool dotall) {
  if (body.empty()) throw CannotWrite("an empty regular expression");
  if (body[0] == '*' || body[0] == '/') {
    throw CannotWrite("a regular expression that starts with `*` or `/` cannot be written");
  }
  if (body.find_first_of("\r\n") != std::string_view::npos) {
    throw CannotWrite("a regular expression containing a line break cannot be written");
  }
  std::string out = "/";
  out += body;
  out += '/';
  if (nocase) out += 'i';
  if (dotall) out += 's';
  return out;
}

class ConditionPrinter {
 public:
  explicit ConditionPrinter(WriterContext& ctx) : ctx_(ctx) {}

  std::string At(const YaraExpr& e, int min) {
    Printed p = Print(e);
    return p.prec >= min ? p.text : "(" + p.text + ")";
  }

  Printed Print(const YaraExpr& e) {
    using K = YaraExpr::Kind;
    switch (e.kind) {
      case K::kOr:
      case K::kAnd: {
        const bool is_and = e.kind == K::kAnd;
        if (e.children.empty()) return {is_and ? "true" : "false", kAtom};
        if (e.children.size() == 1) return Print(*e.children[0]);
        std::string out;
        const int prec = is_and ? kAnd : kOr;
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i != 0) out += is_and ? " and " : " or ";
          out += At(*e.children[i], prec);
        }
        return {out, prec};
      }
      case K::kNot:
        return {"not " + At(*Child(e, 0), kNot), kNot};
      case K::kDefined:
        return {"defined " + At(*Child(e, 0), kNot), kNot};
      case K::kBinary: {
        const int prec = BinaryPrec(e.op);
        const bool comparison = prec <= kRelational;
        const YaraExpr& left = *Child(e, 0);
        const YaraExpr& right = *Child(e, 1);
        hex_ = IsIntegerRead(left) || IsIntegerRead(right) || e.op == "&" || e.op == "|" ||
               e.op == "^";
        std::string l = At(left, comparison ? kPrimary : prec);
        hex_ = IsIntegerRead(left) || IsIntegerRead(right) || e.op == "&" || e.op == "|" ||
               e.op == "^";
        std::string r = At(right, comparison ? kPrimary : prec + 1);
        hex_ = false;
        return {l + " " + e.op + " " + r, prec};
      }
      case K::kUnary: {
        std::string operand = At(*Child(e, 0), kUnary);
        if (!operand.empty() && operand[0] == e.op[0]) operand = "(" + operand + ")";
        return {e.op + operand, kUnary};
      }
      case K::kInteger:
        if (e.integer == std::numeric_limits<int64_t>::min()) {
          return {"(-9223372036854775807 - 1)", kAtom};
        }
        if (e.integer < 0) return {FormatInteger(e.integer), kUnary};
        if (hex_ && e.integer >= 10) return {Hex(e.integer), kAtom};
        return {FormatInteger(e.integer), kAtom};
      case K::kFloat:
        if (e.real < 0) return {"-" + FormatDecimal(-e.real), kUnary};
        return {FormatDecimal(e.real), kAtom};
      case K::kText:
        return {Quote(e.text, false), kAtom};
      case K::kRegex:
        return {RegexLiteral(e.text, e.regex_nocase, e.regex_dotall), kAtom};
      case K::kBool:
        return {e.boolean ? "true" : "false", kAtom};
      case K::kFilesize:
        return {"filesize", kAtom};
      case K::kEntrypoint:
        return {"entrypoint", kAtom};
      case K::kStringMatch: {
        std::string id = Sigil('$', e);
        if (e.range_low && e.range_high) return {id + " in " + Range(e), kBoolPrimary};
        if (!e.children.empty()) return {id + " at " + At(*e.children[0], kPrimary), kBoolPrimary};
        return {id, kAtom};
      }
      case K::kStringCount: {
        std::string id = Sigil('#', e);
        if (e.range_low && e.range_high) return {id + " in " + Range(e), kAtom};
        return {id, kAtom};
      }
      case K::kStringOffset:
      case K::kStringLength: {
        std::string out = Sigil(e.kind == K::kStringOffset ? '@' : '!', e);
        if (!e.children.empty()) out += "[" + At(*e.children[0], kPrimary) + "]";
        return {out, kAtom};
      }
      case K::kRuleRef:
        if (e.rule == nullptr)
          throw CannotWrite("the condition names a rule that was not imported");
        return {ctx_.Ref(*e.rule), kAtom};
      case K::kModule:
      case K::kLoopVar:
        return {e.text, kAtom};
      case K::kMember:
        return {At(*Child(e, 0), kAtom) + "." + e.text, kAtom};
      case K::kIndex:
        return {At(*Child(e, 0), kAtom) + "[" + At(*Child(e, 1), kPrimary) + "]", kAtom};
      case K::kCall: {
        size_t first_arg = 0;
        std::string callee;
        if (!e.text.empty() &&
            (e.children.empty() || e.children[0]->text != e.text ||
             (e.children[0]->kind != K::kModule && e.children[0]->kind != K::kLoopVar))) {
          callee = e.text;
        } else {
          callee = At(*Child(e, 0), kAtom);
          first_arg = 1;
        }
        std::string args;
        const bool saved = hex_;
        hex_ = false;
        for (size_t i = first_arg; i < e.children.size(); ++i) {
          if (i != first_arg) args += ", ";
          args += At(*e.children[i], kOr);
        }
        hex_ = saved;
        return {callee + "(" + args + ")", kAtom};
      }
      case K::kOf: {
        std::string out = Quantifier(e) + " of " + Set(e);
        if (e.range_low && e.range_high) out += " in " + Range(e);
        return {out, kBoolPrimary};
      }
      case K::kForOf:
        return {"for " + Quantifier(e) + " of " + Set(e) + " : ( " + Body(e) + " )", kBoolPrimary};
      case K::kForIn: {
        std::string vars;
        for (size_t i = 0; i < e.vars.size(); ++i) vars += (i == 0 ? "" : ", ") + e.vars[i];
        std::string iterable;
        if (e.iter_is_range) {
          iterable = Range(e);
        } else if (e.iter_is_expr) {
          if (e.iter_items.empty()) throw CannotWrite("a `for ... in` loop without an iterable");
          iterable = At(*e.iter_items[0], kAtom);
        } else {
          iterable = "(";
          for (size_t i = 0; i < e.iter_items.size(); ++i) {
            if (i != 0) iterable += ", ";
            iterable += At(*e.iter_items[i], kPrimary);
          }
          iterable += ")";
        }
        return {"for " + Quantifier(e) + " " + vars + " in " + iterable + " : ( " + Body(e) + " )",
                kBoolPrimary};
      }
    }
    return {"true", kAtom};
  }

 private:
  static const YaraExpr* Child(const YaraExpr& e, size_t i) {
    if (i >= e.children.size() || !e.children[i]) {
      throw CannotWrite("a malformed condition (an operator without its operands)");
    }
    return e.children[i].get();
  }
  static std::string Sigil(char sigil, const YaraExpr& e) {
    std::string id = e.string_id;
    if (!id.empty() && (id[0] == '$' || id[0] == '#' || id[0] == '@' || id[0] == '!')) {
      id.erase(0, 1);
    }
    return sigil + id;
  }
  std::string Range(const YaraExpr& e) {
    if (!e.range_low || !e.range_high) throw CannotWrite("a range without both bounds");
    return "(" + At(*e.range_low, kPrimary) + ".." + At(*e.range_high, kPrimary) + ")";
  }
  static std::string Quantifier(const YaraExpr& e) {
    switch (e.quant) {
      case YaraExpr::Quant::kAll:
        return "all";
      case YaraExpr::Quant::kAny:
        return "any";
      case YaraExpr::Quant::kNone:
        return "none";
      case YaraExpr::Quant::kCount:
        return FormatInteger(e.quant_value);
      case YaraExpr::Quant::kPercent:
        return FormatInteger(e.quant_value) + "%";
    }
    return "any";
  }
  std::string Set(const YaraExpr& e) {
    if (e.them) return "them";
    std::string out = "(";
    if (e.of_rules) {
      // Exact names through their (possibly other-package) Ward names;
      // patterns as written.
      size_t resolved = 0;
      for (size_t i = 0; i < e.set.size(); ++i) {
        if (i != 0) out += ", ";
        const std::string& entry = e.set[i];
        if (!entry.empty() && entry.back() == '*') {
          out += entry;
        } else if (resolved < e.rule_set.size() && e.rule_set[resolved] != nullptr &&
                   e.rule_set[resolved]->name == entry) {
          const ir::Detection& rule = *e.rule_set[resolved++];
          if (rule.package != ctx_.package) {
            throw CannotWrite(
                fmt::format("the rule set names `{}` of another package, and Ward "
                            "rule sets hold names of the same package only",
                            rule.name));
          }
          out += rule.name;
        } else {
          out += entry;
        }
      }
      return out + ")";
    }
    for (size_t i = 0; i < e.set.size(); ++i) {
      if (i != 0) out += ", ";
      std::string entry = e.set[i];
      if (entry.empty() || entry[0] != '$') entry = "$" + entry;
      out += entry;
    }
    return out + ")";
  }
  std::string Body(const YaraExpr& e) { return e.body ? At(*e.body, kOr) : "true"; }

  WriterContext& ctx_;
  bool hex_ = false;  // integers next to uintN() reads and bit masks read best in hex
};

std::string HexToken(const ir::HexItem& item) {
  switch (item.kind) {
    case ir::HexItem::Kind::kByte: {
      const char* digits = "0123456789ABCDEF";
      std::string out;
      out += (item.mask & 0xF0) ? digits[item.value >> 4] : '?';
      out += (item.mask & 0x0F) ? digits[item.value & 0x0F] : '?';
      return out;
    }
    case ir::HexItem::Kind::kJump:
      if (!item.jump_low && !item.jump_high) return "[-]";
      if (item.jump_low && !item.jump_high) return fmt::format("[{}-]", *item.jump_low);
      if (!item.jump_low) return fmt::format("[0-{}]", *item.jump_high);
      if (*item.jump_low == *item.jump_high) return fmt::format("[{}]", *item.jump_low);
      return fmt::format("[{}-{}]", *item.jump_low, *item.jump_high);
    case ir::HexItem::Kind::kAlternation: {
      std::string out = "(";
      for (size_t i = 0; i < item.alternatives.size(); ++i) {
        out += i == 0 ? " " : " | ";
        for (size_t k = 0; k < item.alternatives[i].size(); ++k) {
          if (k != 0) out += ' ';
          out += HexToken(item.alternatives[i][k]);
        }
      }
      return out + " )";
    }
  }
  return "??";
}

std::string StringModifiers(const ir::YaraString& s) {
  const ir::YaraStringModifiers& m = s.modifiers;
  std::string out;
  auto add = [&](const std::string& word) { out += " " + word; };
  if (m.ascii) add("ascii");
  if (m.wide) add("wide");
  if (m.nocase) add("nocase");
  if (m.fullword) add("fullword");
  if (m.xor_) {
    if (!m.xor_range) {
      add("xor");
    } else if (m.xor_range->first == m.xor_range->second) {
      add(fmt::format("xor({})", m.xor_range->first));
    } else {
      add(fmt::format("xor({}-{})", m.xor_range->first, m.xor_range->second));
    }
  }
  std::string alphabet = m.base64_alphabet ? "(" + Quote(*m.base64_alphabet, false) + ")" : "";
  if (m.base64) add("base64" + alphabet);
  if (m.base64wide) add("base64wide" + alphabet);
  if (m.is_private) add("private");
  return out;
}

}  // namespace

void WriteYaraBody(const ir::YaraLogic& logic, WriterContext& ctx, Lines& out) {
  if (logic.is_private) out.push_back("  private: true");
  if (logic.is_global) out.push_back("  global: true");
  if (!logic.strings.empty()) {
    size_t width = 0;
    for (const ir::YaraString& s : logic.strings) width = std::max(width, s.id.size());
    out.push_back("  strings {");
    for (const ir::YaraString& s : logic.strings) {
      std::string value;
      switch (s.kind) {
        case ir::YaraString::Kind::kText:
          if (s.text.empty()) throw CannotWrite(fmt::format("the string {} is empty", s.id));
          value = Quote(s.text, false);
          break;
        case ir::YaraString::Kind::kRegex:
          value = RegexLiteral(s.text, s.regex_nocase, s.regex_dotall);
          break;
        case ir::YaraString::Kind::kHex: {
          value = "{";
          for (const ir::HexItem& item : s.hex) value += " " + HexToken(item);
          value += " }";
          break;
        }
      }
      std::string id = s.id;
      id.resize(width, ' ');
      out.push_back("    " + id + " = " + value + StringModifiers(s));
    }
    out.push_back("  }");
  }
  if (!logic.condition) throw CannotWrite("a YARA rule without a condition");
  ConditionPrinter printer(ctx);
  const YaraExpr& c = *logic.condition;
  std::string text = printer.At(c, kOr);
  if (text.size() > 80 && (c.kind == YaraExpr::Kind::kAnd || c.kind == YaraExpr::Kind::kOr) &&
      c.children.size() > 1) {
    // A long top-level chain reads best one operand per line.
    const bool is_and = c.kind == YaraExpr::Kind::kAnd;
    const int prec = is_and ? kAnd : kOr;
    for (size_t i = 0; i < c.children.size(); ++i) {
      std::string part = printer.At(*c.children[i], prec);
      if (i == 0) {
        out.push_back("  condition: " + part);
      } else {
        out.push_back(std::string("             ") + (is_and ? "and " : "or ") + part);
      }
    }
    return;
  }
  out.push_back("  condition: " + text);
}

}  // namespace ward::writer
