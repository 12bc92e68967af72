#include "compiler/sema/sigma_logsource.h"

#include <fmt/format.h>

#include <map>

#include "compiler/sema/values.h"

namespace ward::sema {

std::string MemberName(const ast::Member& member) {
  switch (member.kind) {
    case ast::Member::Kind::kProperty: return member.property.key.text;
    case ast::Member::Kind::kWhen: return "when";
    case ast::Member::Kind::kCondition: return "condition";
    case ast::Member::Kind::kWhere: return "where";
    case ast::Member::Kind::kLet: return "let";
    case ast::Member::Kind::kStrings: return "strings";
    case ast::Member::Kind::kBlock: return member.block() ? member.block()->kind.text : "";
  }
  return "";
}

Span MemberNameSpan(const ast::Member& member) {
  if (member.kind == ast::Member::Kind::kProperty) return member.property.key.span;
  if (member.kind == ast::Member::Kind::kBlock && member.block()) return member.block()->kind.span;
  return member.keyword_span.valid() ? member.keyword_span : member.span;
}

std::optional<std::string> GetSigmaWord(const ast::Property& prop, DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  std::string word;
  if (value->kind == ast::Value::Kind::kString) {
    word = value->text;
  } else if (value->kind == ast::Value::Kind::kRef && !value->catalog_key()) {
    word = value->ref.str();
  } else {
    diags.Report(Diag(DiagCode::kWrongValueType, value->span,
                      fmt::format("`{}` expects a string or a name, found {}", prop.key.text,
                                  DescribeValue(*value)))
                     .Label("expected a string or a name"));
    return std::nullopt;
  }
  if (word.empty()) {
    diags.Report(Diag(DiagCode::kEmptyValue, value->span,
                      fmt::format("`{}` must not be empty", prop.key.text))
                     .Label("empty string"));
    return std::nullopt;
  }
  return word;
}

ir::Logsource LowerSigmaLogsource(const ast::Block& block, DiagnosticEngine& diags) {
  ir::Logsource out;
  if (block.label) {
    diags.Report(Diag(DiagCode::kUnknownProperty, block.label->span,
                      fmt::format("`logsource` takes no name, found `{}`", block.label->text))
                     .Label("unexpected name")
                     .Help("write `logsource { product: ...  category: ... }`"));
  }
  std::map<std::string, Span> seen;
  for (const ast::Member& member : block.body.members) {
    if (member.kind != ast::Member::Kind::kProperty) {
      diags.Report(Diag(DiagCode::kUnknownProperty, MemberNameSpan(member),
                        fmt::format("`{}` is not allowed in `logsource`", MemberName(member)))
                       .Label("not a log source attribute")
                       .Help("a log source holds `key: value` pairs such as `product: windows`"));
      continue;
    }
    const ast::Property& prop = member.property;
    auto [it, inserted] = seen.emplace(prop.key.text, prop.key.span);
    if (!inserted) {
      diags.Report(Diag(DiagCode::kDuplicateProperty, prop.key.span,
                        fmt::format("`{}` is given twice", prop.key.text))
                       .Label("second value")
                       .Secondary(it->second, "first given here")
                       .Help("keep one"));
      continue;
    }
    std::optional<std::string> word = GetSigmaWord(prop, diags);
    if (!word) continue;
    const std::string& key = prop.key.text;
    if (key == "category") {
      out.category = *word;
    } else if (key == "product") {
      out.product = *word;
    } else if (key == "service") {
      out.service = *word;
    } else if (key == "definition") {
      out.definition = *word;
    } else {
      out.extra[key] = *word;
    }
  }
  bool attribute_given = seen.count("category") || seen.count("product") || seen.count("service");
  if (!attribute_given) {
    diags.Report(Diag(DiagCode::kInvalidLogsource, block.kind.span,
                      "log source has no `category`, `product` or `service`")
                     .Label("matches no log source")
                     .Help("add at least one, e.g. `product: llm  category: prompt`"));
  }
  return out;
}

bool LogsourceCovers(const ir::Logsource& filter, const ir::Logsource& rule) {
  auto same = [](const std::string& f, const std::string& r) { return f.empty() || f == r; };
  return same(filter.category, rule.category) && same(filter.product, rule.product) &&
         same(filter.service, rule.service);
}

}  // namespace ward::sema
