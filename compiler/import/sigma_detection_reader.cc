#include "compiler/import/sigma_detection_reader.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "compiler/import/sigma_condition_parser.h"
#include "compiler/support/text_util.h"

namespace ward::import {

using ir::SigmaExpr;
using ir::SigmaModifier;
using ir::SigmaValue;

namespace {

const std::map<std::string, SigmaModifier, std::less<>>& ModifierNames() {
  static const std::map<std::string, SigmaModifier, std::less<>> kNames = {
      {"contains", SigmaModifier::kContains},   {"startswith", SigmaModifier::kStartsWith},
      {"endswith", SigmaModifier::kEndsWith},   {"all", SigmaModifier::kAll},
      {"exists", SigmaModifier::kExists},       {"cased", SigmaModifier::kCased},
      {"neq", SigmaModifier::kNeq},             {"windash", SigmaModifier::kWindash},
      {"re", SigmaModifier::kRe},               {"i", SigmaModifier::kReI},
      {"ignorecase", SigmaModifier::kReI},      {"m", SigmaModifier::kReM},
      {"multiline", SigmaModifier::kReM},       {"s", SigmaModifier::kReS},
      {"dotall", SigmaModifier::kReS},          {"base64", SigmaModifier::kBase64},
      {"base64offset", SigmaModifier::kBase64Offset}, {"utf16le", SigmaModifier::kUtf16le},
      {"utf16be", SigmaModifier::kUtf16be},     {"utf16", SigmaModifier::kUtf16},
      {"wide", SigmaModifier::kWide},           {"lt", SigmaModifier::kLt},
      {"lte", SigmaModifier::kLte},             {"gt", SigmaModifier::kGt},
      {"gte", SigmaModifier::kGte},             {"minute", SigmaModifier::kMinute},
      {"hour", SigmaModifier::kHour},           {"day", SigmaModifier::kDay},
      {"week", SigmaModifier::kWeek},           {"month", SigmaModifier::kMonth},
      {"year", SigmaModifier::kYear},           {"cidr", SigmaModifier::kCidr},
      {"expand", SigmaModifier::kExpand},       {"fieldref", SigmaModifier::kFieldref},
  };
  return kNames;
}

bool Has(const std::vector<SigmaModifier>& mods, SigmaModifier m) {
  return std::find(mods.begin(), mods.end(), m) != mods.end();
}

bool IsRegexFlag(SigmaModifier m) {
  return m == SigmaModifier::kReI || m == SigmaModifier::kReM || m == SigmaModifier::kReS;
}

bool TakesRawString(const std::vector<SigmaModifier>& mods) {
  return Has(mods, SigmaModifier::kRe) || Has(mods, SigmaModifier::kCidr) ||
         Has(mods, SigmaModifier::kFieldref);
}

bool IsComparison(SigmaModifier m) {
  return m == SigmaModifier::kLt || m == SigmaModifier::kLte || m == SigmaModifier::kGt ||
         m == SigmaModifier::kGte;
}

class SectionReader {
 public:
  SectionReader(const YamlFile& file, DiagnosticEngine& diags) : file_(file), diags_(diags) {}

  bool ok() const { return ok_; }

  void Error(DiagCode code, Span span, std::string message, std::string help) {
    diags_.Report(Diag(code, span, std::move(message)).Help(std::move(help)));
    ok_ = false;
  }

  // ---- one search identifier ----
  ir::SigmaExprPtr Identifier(const std::string& name, const YAML::Node& key,
                              const YAML::Node& body) {
    Span where = file_.Of(body, file_.Of(key));
    if (body.IsMap()) return Map(body, where);
    if (body.IsSequence()) {
      size_t maps = 0;
      for (const YAML::Node& item : body) maps += item.IsMap() ? 1 : 0;
      if (body.size() == 0) {
        Error(DiagCode::kSigmaInvalidStructure, where,
              fmt::format("search identifier `{}` is an empty list", name),
              "give it field conditions (a map) or keywords (a list of values)");
        return nullptr;
      }
      if (maps == body.size()) {
        std::vector<ir::SigmaExprPtr> parts;
        for (const YAML::Node& item : body) {
          ir::SigmaExprPtr part = Map(item, file_.Of(item, where));
          if (!part) return nullptr;
          parts.push_back(std::move(part));
        }
        return Combine(SigmaExpr::Kind::kOr, std::move(parts), where);
      }
      if (maps != 0) {
        Error(DiagCode::kSigmaInvalidStructure, where,
              fmt::format("search identifier `{}` mixes maps and plain values in one list", name),
              "use either a list of maps (ORed field conditions) or a list of keywords; put the "
              "other part in its own search identifier");
        return nullptr;
      }
      return Keywords(body, where);
    }
    if (body.IsScalar()) return Keywords(body, where);
    Error(DiagCode::kSigmaInvalidStructure, where,
          fmt::format("search identifier `{}` is empty", name),
          "give it field conditions (a map) or keywords (a list of values)");
    return nullptr;
  }

 private:
  static ir::SigmaExprPtr Combine(SigmaExpr::Kind kind, std::vector<ir::SigmaExprPtr> parts,
                                  Span span) {
    if (parts.size() == 1) return std::move(parts[0]);
    auto node = std::make_unique<SigmaExpr>();
    node->kind = kind;
    node->span = span;
    node->children = std::move(parts);
    return node;
  }

  ir::SigmaExprPtr Keywords(const YAML::Node& body, Span where) {
    auto match = std::make_unique<SigmaExpr>();
    match->kind = SigmaExpr::Kind::kMatch;
    match->span = where;
    if (!Values(body, where, *match)) return nullptr;
    return match;
  }

  ir::SigmaExprPtr Map(const YAML::Node& map, Span where) {
    if (!map.IsMap() || map.size() == 0) {
      Error(DiagCode::kSigmaInvalidStructure, where, "an empty map of field conditions",
            "write at least one `field: value` line, or remove the map");
      return nullptr;
    }
    std::vector<ir::SigmaExprPtr> items;
    for (auto it = map.begin(); it != map.end(); ++it) {
      ir::SigmaExprPtr item = Item(it->first, it->second);
      if (!item) return nullptr;
      items.push_back(std::move(item));
    }
    return Combine(SigmaExpr::Kind::kAnd, std::move(items), where);
  }

  // `field|mod|mod: values`
  ir::SigmaExprPtr Item(const YAML::Node& key, const YAML::Node& value) {
    Span key_span = file_.Of(key);
    if (!key.IsScalar()) {
      Error(DiagCode::kSigmaInvalidStructure, key_span, "a field name must be a plain text key",
            "write the field name, optionally followed by `|modifier`s");
      return nullptr;
    }
    const std::string& text = key.Scalar();
    auto match = std::make_unique<SigmaExpr>();
    match->kind = SigmaExpr::Kind::kMatch;
    match->span = key_span;
    size_t bar = text.find('|');
    match->field = text.substr(0, bar);
    std::optional<uint32_t> key_start = file_.ContentStart(key);
    while (bar != std::string::npos) {
      size_t next = text.find('|', bar + 1);
      std::string name = text.substr(bar + 1, next == std::string::npos ? next : next - bar - 1);
      Span mod_span = key_span;
      if (key_start) {
        uint32_t begin = *key_start + static_cast<uint32_t>(bar + 1);
        mod_span = Span{file_.id(), begin,
                        begin + static_cast<uint32_t>(std::max<size_t>(1, name.size()))};
      }
      std::optional<SigmaModifier> mod = SigmaModifierFromName(name);
      if (!mod) {
        std::vector<std::string> known;
        for (const auto& [known_name, m] : ModifierNames()) known.push_back(known_name);
        std::optional<std::string> close = ClosestMatch(name, known);
        Error(DiagCode::kSigmaUnknownModifier, mod_span,
              name.empty() ? std::string("an empty modifier (`||` or a trailing `|`)")
                           : fmt::format("`{}` is not a Sigma value modifier", name),
              close ? fmt::format("did you mean `{}`?", *close)
                    : std::string("see the Sigma specification's modifier appendix for the "
                                  "modifiers there are"));
        return nullptr;
      }
      match->modifiers.push_back(*mod);
      bar = next;
    }
    if (!CheckModifiers(*match, key_span)) return nullptr;
    if (!Values(value, file_.Of(value, key_span), *match)) return nullptr;
    return match;
  }

  bool CheckModifiers(const SigmaExpr& match, Span span) {
    const auto& mods = match.modifiers;
    for (SigmaModifier m : mods) {
      if (IsRegexFlag(m) && !Has(mods, SigmaModifier::kRe)) {
        Error(DiagCode::kSigmaUnknownModifier, span,
              fmt::format("the regular-expression flag `{}` is used without `re`",
                          ir::SigmaModifierName(m)),
              fmt::format("write `{}|re|{}`", match.field, ir::SigmaModifierName(m)));
        return false;
      }
    }
    return true;
  }

  bool Values(const YAML::Node& node, Span where, SigmaExpr& match) {
    bool keyword = match.field.empty();
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) items.push_back(item);
      if (items.empty()) {
        Error(DiagCode::kSigmaInvalidStructure, where, "an empty list of values",
              "give at least one value; to test that a field is absent, use `null`");
        return false;
      }
    } else if (node.IsMap()) {
      Error(DiagCode::kSigmaInvalidStructure, where,
            fmt::format("the value of `{}` is a mapping; Sigma values are text, numbers, "
                        "booleans or null",
                        match.field),
            "write modifiers in the key (`field|contains: value`) and give the values as a "
            "single value or a list");
      return false;
    } else {
      items.push_back(node);
    }
    for (const YAML::Node& item : items) {
      Span span = file_.Of(item, where);
      if (item.IsMap() || item.IsSequence()) {
        Error(DiagCode::kSigmaInvalidStructure, span,
              fmt::format("{} inside a list of values", NodeKindName(item)),
              "a value list holds plain values only; use a list of maps to OR field conditions");
        return false;
      }
      std::optional<SigmaValue> value = Value(item, span, match, keyword);
      if (!value) return false;
      match.values.push_back(std::move(*value));
    }
    return CheckValueTypes(match, where);
  }

  std::optional<SigmaValue> Value(const YAML::Node& item, Span span, const SigmaExpr& match,
                                  bool keyword) {
    Scalar s = ResolveScalar(item);
    SigmaValue v;
    v.span = span;
    switch (s.type) {
      case Scalar::Type::kNull:
        if (keyword) {
          Error(DiagCode::kSigmaInvalidValue, span, "`null` cannot be a keyword",
                "keywords are text searched in the whole event; test a field for `null` "
                "instead");
          return std::nullopt;
        }
        v.kind = SigmaValue::Kind::kNull;
        return v;
      case Scalar::Type::kBool:
        v.kind = SigmaValue::Kind::kBool;
        v.boolean = s.boolean;
        return v;
      case Scalar::Type::kInteger:
        if (s.out_of_range) {
          Error(DiagCode::kSigmaInvalidValue, span,
                fmt::format("the number `{}` does not fit in 64 bits", s.text),
                "quote it to match it as text");
          return std::nullopt;
        }
        v.kind = SigmaValue::Kind::kInteger;
        v.integer = s.integer;
        return v;
      case Scalar::Type::kFloat:
        if (!std::isfinite(s.real)) {
          Error(DiagCode::kSigmaInvalidValue, span,
                fmt::format("`{}` is not a finite number", s.text),
                "quote it to match it as text");
          return std::nullopt;
        }
        v.kind = SigmaValue::Kind::kFloat;
        v.real = s.real;
        return v;
      case Scalar::Type::kString: break;
    }
    v.kind = SigmaValue::Kind::kString;
    if (!IsValidUtf8(s.text)) {
      Error(DiagCode::kSigmaInvalidValue, span, "this value is not valid UTF-8",
            "Sigma rules are UTF-8 text");
      return std::nullopt;
    }
    if (TakesRawString(match.modifiers)) {
      v.text = s.text;
    } else if (std::optional<std::string> exact = UnescapeWildcards(s.text)) {
      v.text = std::move(*exact);
    } else {
      v.text = s.text;
      v.wildcards = true;
    }
    return v;
  }

  bool CheckValueTypes(const SigmaExpr& match, Span where) {
    const auto& mods = match.modifiers;
    auto is = [&](SigmaValue::Kind kind) {
      return std::all_of(match.values.begin(), match.values.end(),
                         [&](const SigmaValue& v) { return v.kind == kind; });
    };
    if (Has(mods, SigmaModifier::kExists)) {
      if (match.values.size() != 1 || !is(SigmaValue::Kind::kBool)) {
        Error(DiagCode::kSigmaInvalidValue, where,
              "`exists` takes a single `true` or `false`",
              fmt::format("write `{}|exists: true` (or `false` for an absent field)",
                          match.field));
        return false;
      }
    }
    if (std::any_of(mods.begin(), mods.end(), IsComparison)) {
      bool numbers = std::all_of(match.values.begin(), match.values.end(), [](const SigmaValue& v) {
        return v.kind == SigmaValue::Kind::kInteger || v.kind == SigmaValue::Kind::kFloat;
      });
      if (!numbers) {
        Error(DiagCode::kSigmaInvalidValue, where, "`lt`, `lte`, `gt` and `gte` compare numbers",
              "write the value as an unquoted number");
        return false;
      }
    }
    if (TakesRawString(mods) && !is(SigmaValue::Kind::kString)) {
      Error(DiagCode::kSigmaInvalidValue, where,
            "`re`, `cidr` and `fieldref` take text values",
            "quote the value: a regular expression, a network such as `10.0.0.0/8`, or a field "
            "name");
      return false;
    }
    return true;
  }

  const YamlFile& file_;
  DiagnosticEngine& diags_;
  bool ok_ = true;
};

}  // namespace

std::optional<SigmaModifier> SigmaModifierFromName(std::string_view name) {
  auto it = ModifierNames().find(name);
  if (it == ModifierNames().end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> UnescapeWildcards(std::string_view sigma) {
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

bool ReadDetectionSection(const YamlFile& file, const YAML::Node& section_key,
                          const YAML::Node& section, const std::vector<std::string>& skip,
                          DiagnosticEngine& diags, std::vector<ir::SigmaSelection>& selections,
                          ir::SigmaExprPtr& condition) {
  Span section_span = file.Of(section_key);
  const std::string section_name = section_key.Scalar();
  if (!section.IsMap()) {
    diags.Report(Diag(DiagCode::kSigmaInvalidStructure, file.Of(section, section_span),
                      fmt::format("`{}` must be a mapping of search identifiers and a "
                                  "`condition`, not {}",
                                  section_name, NodeKindName(section)))
                     .Help("indent the search identifiers and `condition:` under it"));
    return false;
  }
  SectionReader reader(file, diags);
  YAML::Node condition_key, condition_node;
  for (auto it = section.begin(); it != section.end(); ++it) {
    std::string name = it->first.Scalar();
    if (name == "condition") {
      condition_key = it->first;
      condition_node = it->second;
      continue;
    }
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    if (name == "timeframe") {
      reader.Error(DiagCode::kSigmaLegacyAggregation, file.Of(it->first),
                   "`timeframe` belongs to Sigma 1 aggregations, which Sigma 2 replaced by "
                   "correlation rules",
                   "remove `timeframe` and write a correlation rule with a `timespan` for the "
                   "aggregation");
      continue;
    }
    ir::SigmaSelection selection;
    selection.name = name;
    selection.span = file.Of(it->first);
    selection.expr = reader.Identifier(name, it->first, it->second);
    if (!selection.expr) continue;
    selections.push_back(std::move(selection));
  }
  if (!reader.ok()) return false;
  if (!condition_key.IsDefined()) {
    diags.Report(Diag(DiagCode::kSigmaInvalidStructure, section_span,
                      fmt::format("`{}` has no `condition`", section_name))
                     .Help("add `condition:` naming the search identifiers that must match, e.g. "
                           "`condition: selection`"));
    return false;
  }
  std::vector<std::string> names;
  for (const ir::SigmaSelection& s : selections) names.push_back(s.name);
  std::vector<YAML::Node> parts;
  if (condition_node.IsSequence()) {
    for (const YAML::Node& part : condition_node) parts.push_back(part);
  } else {
    parts.push_back(condition_node);
  }
  std::vector<bool> used(names.size(), false);
  std::vector<ir::SigmaExprPtr> alternatives;
  bool ok = true;
  for (const YAML::Node& part : parts) {
    Span span = file.Of(part, file.Of(condition_key));
    if (!part.IsScalar() || ResolveScalar(part).type == Scalar::Type::kNull) {
      diags.Report(Diag(DiagCode::kSigmaInvalidStructure, span,
                        fmt::format("`condition` must be text (or a list of texts), not {}",
                                    NodeKindName(part)))
                       .Help("write the condition as one line, e.g. `selection and not filter`"));
      ok = false;
      continue;
    }
    ConditionSource source;
    source.text = part.Scalar();
    source.file = file.id();
    source.whole = span;
    if (std::optional<uint32_t> start = file.ContentStart(part)) {
      source.base = *start;
      source.exact = true;
    }
    ir::SigmaExprPtr expr = ParseSigmaCondition(source, names, used, diags);
    if (!expr) {
      ok = false;
      continue;
    }
    alternatives.push_back(std::move(expr));
  }
  if (!ok || alternatives.empty()) {
    if (ok) {
      diags.Report(Diag(DiagCode::kSigmaInvalidStructure, file.Of(condition_key),
                        "`condition` is an empty list")
                       .Help("write the condition as one line, e.g. `selection and not filter`"));
    }
    return false;
  }
  if (alternatives.size() == 1) {
    condition = std::move(alternatives[0]);
  } else {
    condition = std::make_unique<SigmaExpr>();
    condition->kind = SigmaExpr::Kind::kOr;
    condition->span = file.Of(condition_key);
    condition->children = std::move(alternatives);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (used[i]) continue;
    diags.Report(Diag(DiagCode::kSigmaUnusedIdentifier, selections[i].span,
                      fmt::format("search identifier `{}` is never used by the condition",
                                  names[i]))
                     .Help("use it in the condition or delete it; it is kept as it is"));
  }
  return true;
}

}  // namespace ward::import
