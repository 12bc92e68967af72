// Sigma detections, correlations and filters as Ward text (language.md
// sections 7 to 9). A match node of the IR carries Sigma's modifier list;
// here it becomes Ward's operator, quantifier and modifier words again.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "compiler/writer/ward_text.h"
#include "compiler/writer/writer_context.h"

namespace ward::writer {
namespace {

using ir::SigmaExpr;
using ir::SigmaModifier;
using ir::SigmaValue;

enum Prec { kOr = 1, kAnd = 2, kNot = 3, kPrimary = 4 };

struct Printed {
  std::string text;
  int prec = kPrimary;
};

bool IsTransformation(SigmaModifier m) {
  switch (m) {
    case SigmaModifier::kWindash:
    case SigmaModifier::kExpand:
    case SigmaModifier::kBase64:
    case SigmaModifier::kBase64Offset:
    case SigmaModifier::kUtf16le:
    case SigmaModifier::kUtf16be:
    case SigmaModifier::kUtf16:
    case SigmaModifier::kWide:
      return true;
    default:
      return false;
  }
}

bool IsEncoding(SigmaModifier m) {
  return IsTransformation(m) && m != SigmaModifier::kWindash && m != SigmaModifier::kExpand;
}

const char* TimeFunction(SigmaModifier m) {
  switch (m) {
    case SigmaModifier::kMinute:
      return "minute";
    case SigmaModifier::kHour:
      return "hour";
    case SigmaModifier::kDay:
      return "day";
    case SigmaModifier::kWeek:
      return "week";
    case SigmaModifier::kMonth:
      return "month";
    case SigmaModifier::kYear:
      return "year";
    default:
      return nullptr;
  }
}

// The pieces of one match node's modifier list.
struct Modifiers {
  std::vector<SigmaModifier> transformations;  // in order
  const char* time = nullptr;
  std::optional<SigmaModifier> comparison;  // contains ... neq, exists
  std::string regex_flags;
  bool all = false, cased = false, fieldref = false;
};

Modifiers Split(const SigmaExpr& match) {
  Modifiers out;
  for (SigmaModifier m : match.modifiers) {
    if (IsTransformation(m)) {
      out.transformations.push_back(m);
    } else if (const char* time = TimeFunction(m)) {
      out.time = time;
    } else if (m == SigmaModifier::kAll) {
      out.all = true;
    } else if (m == SigmaModifier::kCased) {
      out.cased = true;
    } else if (m == SigmaModifier::kFieldref) {
      out.fieldref = true;
    } else if (m == SigmaModifier::kReI) {
      out.regex_flags += 'i';
    } else if (m == SigmaModifier::kReM) {
      out.regex_flags += 'm';
    } else if (m == SigmaModifier::kReS) {
      out.regex_flags += 's';
    } else {
      out.comparison = m;
    }
  }
  return out;
}

std::string Regex(std::string_view body, const std::string& flags) {
  std::string out = "/";
  if (!body.empty() && (body[0] == '*')) {
    throw CannotWrite("a regular expression that starts with `*` cannot be written");
  }
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\n' || c == '\r') {
      throw CannotWrite("a regular expression containing a line break cannot be written");
    }
    if (c == '\\' && i + 1 < body.size()) {
      out += c;
      out += body[++i];
      continue;
    }
    if (c == '/') {
      out += "\\/";
      continue;
    }
    out += c;
  }
  if (!body.empty() && body.back() == '\\' && (body.size() < 2 || body[body.size() - 2] != '\\')) {
    throw CannotWrite("a regular expression ending in a lone backslash cannot be written");
  }
  return out + "/" + flags;
}

std::string PlainValue(const SigmaValue& v) {
  switch (v.kind) {
    case SigmaValue::Kind::kString:
      return Quote(v.text);
    case SigmaValue::Kind::kInteger:
      return FormatInteger(v.integer);
    case SigmaValue::Kind::kFloat:
      return FormatDecimal(v.real);
    case SigmaValue::Kind::kBool:
      return v.boolean ? "true" : "false";
    case SigmaValue::Kind::kNull:
      return "null";
  }
  return "null";
}

std::string Values(const std::vector<std::string>& items) {
  if (items.size() == 1) return items[0];
  size_t total = 0;
  for (const std::string& item : items) total += item.size() + 2;
  if (total > 90) {
    // One value per line, under the `let` it belongs to.
    std::string out = "[\n";
    for (size_t i = 0; i < items.size(); ++i) {
      out += "    " + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    }
    return out + "  ]";
  }
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ", ";
    out += items[i];
  }
  return out + "]";
}

std::string Field(const std::string& field) {
  std::string out = FieldPath(field);
  if (out.empty()) {
    throw CannotWrite(
        fmt::format("the field name `{}` contains a back quote or a line break", field));
  }
  return out;
}

class SigmaPrinter {
 public:
  SigmaPrinter(const std::vector<ir::SigmaSelection>& selections, WriterContext& ctx)
      : selections_(selections), ctx_(ctx) {
    std::map<std::string, int> taken;
    for (const ir::SigmaSelection& s : selections) {
      std::string name = ToWardName(s.name);
      if (IsConstructWord(name)) name += "_";
      std::string unique = name;
      for (int n = 2; taken.count(unique); ++n) unique = fmt::format("{}_{}", name, n);
      taken[unique] = 1;
      names_.push_back(unique);
    }
  }

  const std::string& Name(size_t index) const {
    if (index >= names_.size()) throw CannotWrite("a condition refers to a missing selection");
    return names_[index];
  }

  // `current` is the selection being defined, excluded from patterns.
  std::string Expr(const SigmaExpr& e, size_t current) {
    current_ = current;
    return Print(e).text;
  }

 private:
  std::string At(const SigmaExpr& e, int min) {
    Printed p = Print(e);
    return p.prec >= min ? p.text : "(" + p.text + ")";
  }

  Printed Print(const SigmaExpr& e) {
    switch (e.kind) {
      case SigmaExpr::Kind::kAnd:
      case SigmaExpr::Kind::kOr: {
        const bool is_and = e.kind == SigmaExpr::Kind::kAnd;
        if (e.children.empty()) throw CannotWrite("an empty `and`/`or` in a condition");
        if (e.children.size() == 1) return Print(*e.children[0]);
        if (auto pattern = Pattern(e, is_and)) return {*pattern, kPrimary};
        const int prec = is_and ? kAnd : kOr;
        std::string out;
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i != 0) out += is_and ? " and " : " or ";
          out += At(*e.children[i], prec + (is_and ? 0 : 0));
        }
        return {out, prec};
      }
      case SigmaExpr::Kind::kNot:
        if (e.children.size() != 1) throw CannotWrite("a `not` without exactly one operand");
        return {"not " + At(*e.children[0], kNot), kNot};
      case SigmaExpr::Kind::kSelection:
        return {Name(e.selection), kPrimary};
      case SigmaExpr::Kind::kMatch:
        return Match(e);
    }
    return {"", kPrimary};
  }

  // `any of prefix_*` / `all of *` for a list of selections that is exactly
  // what the pattern expands to (in declaration order, without the
  // selection being defined).
  std::optional<std::string> Pattern(const SigmaExpr& e, bool is_and) {
    if (e.children.size() < 2) return std::nullopt;
    std::vector<size_t> listed;
    for (const auto& child : e.children) {
      if (child->kind != SigmaExpr::Kind::kSelection) return std::nullopt;
      listed.push_back(child->selection);
    }
    const char* quant = is_and ? "all of " : "any of ";
    auto expands_to = [&](const std::string& prefix) {
      std::vector<size_t> out;
      for (size_t i = 0; i < names_.size(); ++i) {
        if (i == current_ || names_[i].compare(0, prefix.size(), prefix) != 0) continue;
        if (prefix.empty() && names_[i][0] == '_') continue;
        out.push_back(i);
      }
      return out;
    };
    if (listed == expands_to("")) return std::string(quant) + "*";
    std::string prefix = Name(listed[0]);
    for (size_t index : listed) {
      const std::string& name = Name(index);
      size_t n = 0;
      while (n < prefix.size() && n < name.size() && prefix[n] == name[n]) ++n;
      prefix.resize(n);
    }
    if (prefix.empty()) return std::nullopt;
    if (listed == expands_to(prefix)) return std::string(quant) + prefix + "*";
    return std::nullopt;
  }

  Printed Match(const SigmaExpr& e) {
    Modifiers m = Split(e);
    if (m.comparison == SigmaModifier::kExists) {
      bool present =
          e.values.empty() || e.values[0].kind != SigmaValue::Kind::kBool || e.values[0].boolean;
      std::string text = Field(e.field) + " exists";
      if (present) return {text, kPrimary};
      return {"not " + text, kNot};
    }
    if (e.values.empty()) throw CannotWrite("a field condition without values");
    std::string words;
    for (SigmaModifier t : m.transformations) {
      words += ir::SigmaModifierName(t);
      words += ' ';
    }
    if (m.cased) words += "cased ";
    const std::string quant = m.all ? "all " : "";

    if (e.field.empty()) return {Keywords(e, quant, words), kPrimary};

    if (m.fieldref) {
      std::vector<std::string> refs;
      for (const SigmaValue& v : e.values) refs.push_back("field(" + Field(v.text) + ")");
      return {Field(e.field) + " " + FieldrefOperator(m) + " " + quant + words + Values(refs),
              kPrimary};
    }
    if (m.time) {
      std::vector<std::string> values;
      for (const SigmaValue& v : e.values) values.push_back(PlainValue(v));
      return {fmt::format("{}({}) {} {}{}{}", m.time, Field(e.field), NumericOperator(m), quant,
                          words, Values(values)),
              kPrimary};
    }
    if (m.comparison == SigmaModifier::kRe) {
      std::vector<std::string> values;
      for (const SigmaValue& v : e.values) values.push_back(Regex(v.text, m.regex_flags));
      return {Field(e.field) + " matches " + quant + words + Values(values), kPrimary};
    }
    if (m.comparison == SigmaModifier::kCidr) {
      std::vector<std::string> values;
      for (const SigmaValue& v : e.values) values.push_back(Quote(v.text));
      return {Field(e.field) + " in cidr " + quant + words + Values(values), kPrimary};
    }
    if (m.comparison && m.comparison != SigmaModifier::kNeq &&
        m.comparison != SigmaModifier::kContains && m.comparison != SigmaModifier::kStartsWith &&
        m.comparison != SigmaModifier::kEndsWith) {
      std::vector<std::string> values;
      for (const SigmaValue& v : e.values) values.push_back(PlainValue(v));
      return {Field(e.field) + " " + NumericOperator(m) + " " + quant + words + Values(values),
              kPrimary};
    }
    return TextComparison(e, m, quant, words);
  }

  static std::string FieldrefOperator(const Modifiers& m) {
    if (!m.comparison) return "==";
    switch (*m.comparison) {
      case SigmaModifier::kNeq:
        return "!=";
      case SigmaModifier::kContains:
        return "contains";
      case SigmaModifier::kStartsWith:
        return "startswith";
      case SigmaModifier::kEndsWith:
        return "endswith";
      default:
        throw CannotWrite("`fieldref` with a modifier Ward cannot combine it with");
    }
  }

  static std::string NumericOperator(const Modifiers& m) {
    if (!m.comparison) return "==";
    switch (*m.comparison) {
      case SigmaModifier::kNeq:
        return "!=";
      case SigmaModifier::kLt:
        return "<";
      case SigmaModifier::kLte:
        return "<=";
      case SigmaModifier::kGt:
        return ">";
      case SigmaModifier::kGte:
        return ">=";
      default:
        throw CannotWrite("a time part compared with a text operator");
    }
  }

  std::string Keywords(const SigmaExpr& e, const std::string& quant, const std::string& words) {
    std::vector<std::string> values;
    for (const SigmaValue& v : e.values) {
      if (v.kind == SigmaValue::Kind::kString && v.wildcards) {
        // Ward keywords are plain text; a keyword that only has leading or
        // trailing `*` (the usual `'*text*'`) means the same as the text.
        std::string_view t = v.text;
        while (!t.empty() && t.front() == '*') t.remove_prefix(1);
        while (!t.empty() && t.back() == '*' && (t.size() < 2 || t[t.size() - 2] != '\\')) {
          t.remove_suffix(1);
        }
        std::optional<std::string> literal = Unescape(t);
        if (!literal || literal->empty()) {
          throw CannotWrite(fmt::format(
              "the keyword `{}` uses wildcards inside the text, which Ward keywords cannot "
              "express",
              v.text));
        }
        values.push_back(Quote(*literal));
      } else {
        values.push_back(PlainValue(v));
      }
    }
    return "keywords " + quant + words + Values(values);
  }

  // Sigma wildcard text without wildcards as plain text; nullopt if it has any.
  static std::optional<std::string> Unescape(std::string_view sigma) {
    std::string out;
    for (size_t i = 0; i < sigma.size(); ++i) {
      char c = sigma[i];
      if (c == '\\' && i + 1 < sigma.size() &&
          (sigma[i + 1] == '*' || sigma[i + 1] == '?' || sigma[i + 1] == '\\')) {
        out += sigma[++i];
      } else if (c == '*' || c == '?') {
        return std::nullopt;
      } else {
        out += c;
      }
    }
    return out;
  }

  Printed TextComparison(const SigmaExpr& e, const Modifiers& m, const std::string& quant,
                         const std::string& words) {
    bool wildcards = false, non_string = false;
    for (const SigmaValue& v : e.values) {
      wildcards = wildcards || (v.kind == SigmaValue::Kind::kString && v.wildcards);
      non_string = non_string || v.kind != SigmaValue::Kind::kString;
    }
    const bool neq = m.comparison == SigmaModifier::kNeq;
    // `==` with `all` cannot hold for two different literal values, but it
    // can for patterns: Sigma's `field|all: ['*a*', '*b*']`.
    const bool like = (wildcards || (m.all && !m.comparison)) && !neq;
    if (!like) {
      std::string op = !m.comparison                                ? "=="
                       : neq                                        ? "!="
                       : m.comparison == SigmaModifier::kContains   ? "contains"
                       : m.comparison == SigmaModifier::kStartsWith ? "startswith"
                                                                    : "endswith";
      std::vector<std::string> values;
      for (const SigmaValue& v : e.values) values.push_back(PlainValue(v));
      return {Field(e.field) + " " + op + " " + quant + words + Values(values), kPrimary};
    }
    for (SigmaModifier t : m.transformations) {
      if (IsEncoding(t)) {
        throw CannotWrite(
            fmt::format("wildcards together with `{}`: Ward's `like` patterns "
                        "cannot be encoded",
                        ir::SigmaModifierName(t)));
      }
    }
    std::string before, after;
    if (m.comparison == SigmaModifier::kContains || m.comparison == SigmaModifier::kEndsWith) {
      before = "*";
    }
    if (m.comparison == SigmaModifier::kContains || m.comparison == SigmaModifier::kStartsWith) {
      after = "*";
    }
    std::vector<std::string> patterns, others;
    for (const SigmaValue& v : e.values) {
      if (v.kind != SigmaValue::Kind::kString) {
        if (m.comparison || m.all) {
          throw CannotWrite("a list mixing wildcard patterns and non-text values");
        }
        others.push_back(PlainValue(v));
        continue;
      }
      std::optional<std::string> pattern =
          v.wildcards ? SigmaPatternToLike(v.text) : LiteralToLike(v.text);
      if (!pattern) {
        throw CannotWrite(
            fmt::format("the pattern `{}` has a `?` wildcard between `[` and `]`, "
                        "which Ward's `like` reads as a literal `?`",
                        v.text));
      }
      patterns.push_back(Quote(before + *pattern + after));
    }
    std::string text = Field(e.field) + " like " + quant + words + Values(patterns);
    if (others.empty()) return {text, kPrimary};
    // Numbers, booleans and null next to patterns: the same field, ORed.
    return {Field(e.field) + " == " + words + Values(others) + " or " + text, kOr};
  }

  const std::vector<ir::SigmaSelection>& selections_;
  WriterContext& ctx_;
  std::vector<std::string> names_;
  size_t current_ = static_cast<size_t>(-1);
};

constexpr size_t kNone = static_cast<size_t>(-1);

void WriteLogsource(const ir::Logsource& ls, Lines& out) {
  std::vector<std::pair<std::string, std::string>> items;
  if (!ls.category.empty()) items.emplace_back("category", NameOrString(ls.category));
  if (!ls.product.empty()) items.emplace_back("product", NameOrString(ls.product));
  if (!ls.service.empty()) items.emplace_back("service", NameOrString(ls.service));
  for (const auto& [key, value] : ls.extra) {
    if (!IsWardName(key)) {
      throw CannotWrite(fmt::format("the logsource key `{}` is not a Ward name", key));
    }
    items.emplace_back(key, NameOrString(value));
  }
  const bool definition = !ls.definition.empty();
  std::string one_line = "  logsource {";
  for (const auto& [key, value] : items) one_line += " " + key + ": " + value + " ";
  if (!definition && one_line.size() < 90) {
    out.push_back(one_line + "}");
    return;
  }
  out.push_back("  logsource {");
  for (const auto& [key, value] : items) out.push_back("    " + key + ": " + value);
  if (definition) out.push_back("    definition: " + QuoteProse(ls.definition, "      "));
  out.push_back("  }");
}

void WriteSelectionsAndCondition(const std::vector<ir::SigmaSelection>& selections,
                                 const ir::SigmaExprPtr& condition, WriterContext& ctx,
                                 Lines& out) {
  SigmaPrinter printer(selections, ctx);
  for (size_t i = 0; i < selections.size(); ++i) {
    if (!selections[i].expr) throw CannotWrite("a selection without an expression");
    out.push_back("  let " + printer.Name(i) + " = " + printer.Expr(*selections[i].expr, i));
  }
  if (!condition) throw CannotWrite("a detection without a condition");
  out.push_back("  when: " + printer.Expr(*condition, kNone));
}

std::string ThresholdOp(const std::string& op) {
  if (op == "gt") return ">";
  if (op == "gte") return ">=";
  if (op == "lt") return "<";
  if (op == "lte") return "<=";
  if (op == "eq") return "==";
  if (op == "neq") return "!=";
  throw CannotWrite(fmt::format("the correlation condition `{}` is not a comparison", op));
}

std::string GroupField(const std::string& field, const ir::Correlation& c) {
  if (c.aliases.count(field)) return field;
  std::string path = FieldPath(field);
  if (!path.empty() && path[0] != '`') return path;
  return Quote(field);
}

std::string Timespan(const ir::Correlation& c) {
  if (c.timespan.size() >= 2 &&
      std::string_view("smhd").find(c.timespan.back()) != std::string_view::npos &&
      c.timespan.find_first_not_of("0123456789") == c.timespan.size() - 1) {
    return c.timespan;
  }
  uint64_t s = c.timespan_seconds;
  if (s == 0) throw CannotWrite("a correlation without a timespan");
  if (s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

void WriteCorrelation(const ir::Correlation& c, WriterContext& ctx, Lines& out) {
  out.push_back("  correlation " + c.type + " {");
  std::vector<std::string> rules;
  for (const ir::Detection* rule : c.rules) {
    if (rule == nullptr) throw CannotWrite("a correlation names a rule that was not imported");
    rules.push_back(ctx.Ref(*rule));
  }
  if (rules.empty()) throw CannotWrite("a correlation without rules");
  out.push_back("    rules: " + ListValue(rules, 4));
  if (!c.group_by.empty()) {
    std::vector<std::string> fields;
    for (const std::string& f : c.group_by) fields.push_back(GroupField(f, c));
    out.push_back("    group_by: " + ListValue(fields, 4));
  }
  out.push_back("    timespan: " + Timespan(c));
  if (!c.condition.empty()) {
    std::string aggregate = c.type == "value_count"        ? "count"
                            : c.type == "value_sum"        ? "sum"
                            : c.type == "value_avg"        ? "avg"
                            : c.type == "value_percentile" ? "percentile"
                                                           : "count";
    if (!c.condition_field.empty()) {
      std::string path = FieldPath(c.condition_field);
      if (path.empty()) throw CannotWrite("the correlation's field cannot be written");
      aggregate += "(" + path + ")";
    }
    std::string where;
    for (const ir::CorrelationThreshold& t : c.condition) {
      if (!where.empty()) where += " and ";
      where +=
          aggregate + " " + ThresholdOp(t.op) + " " +
          (t.is_integer ? FormatInteger(static_cast<int64_t>(t.value)) : FormatDecimal(t.value));
    }
    out.push_back("    where: " + where);
  }
  if (c.percentile) {
    throw CannotWrite(
        "a `value_percentile` correlation's separate `percentile` rank has no Ward "
        "form");
  }
  if (c.generate) out.push_back("    generate: true");
  for (const auto& [alias, mapping] : c.aliases) {
    if (!IsWardName(alias)) {
      throw CannotWrite(fmt::format("the alias `{}` is not a Ward name", alias));
    }
    out.push_back("    alias " + alias + " {");
    for (const auto& [rule, field] : mapping) {
      if (rule == nullptr) throw CannotWrite("an alias names a rule that was not imported");
      std::string path = FieldPath(field);
      if (path.empty() || path[0] == '`') path = Quote(field);
      out.push_back("      " + ctx.Ref(*rule) + ": " + path);
    }
    out.push_back("    }");
  }
  out.push_back("  }");
}

}  // namespace

void WriteSigmaBody(const ir::SigmaLogic& logic, WriterContext& ctx, Lines& out) {
  if (!logic.taxonomy.empty()) out.push_back("  taxonomy: " + NameOrString(logic.taxonomy));
  if (logic.correlation) {
    WriteCorrelation(*logic.correlation, ctx, out);
    return;
  }
  WriteLogsource(logic.logsource, out);
  WriteSelectionsAndCondition(logic.selections, logic.condition, ctx, out);
}

void WriteFilterBody(const ir::Filter& filter, WriterContext& ctx, Lines& out) {
  WriteLogsource(filter.logsource, out);
  if (filter.applies_to_any) {
    out.push_back("  rules: any");
  } else {
    std::vector<std::string> rules;
    for (const ir::Detection* rule : filter.rules) {
      if (rule == nullptr) throw CannotWrite("the filter names a rule that was not imported");
      rules.push_back(ctx.Ref(*rule));
    }
    if (rules.empty()) throw CannotWrite("a filter without rules");
    out.push_back("  rules: " + ListValue(rules, 2));
  }
  WriteSelectionsAndCondition(filter.selections, filter.condition, ctx, out);
}

}  // namespace ward::writer
