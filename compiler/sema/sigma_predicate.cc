#include "compiler/sema/sigma_predicate.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/sigma_like.h"
#include "compiler/sema/sigma_value_checks.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

using AstMod = ast::SigmaModifier;
using IrMod = ir::SigmaModifier;
using ValueKind = ast::SigmaValue::Kind;

// What the operator compares; decides which values and modifiers fit.
enum class Comparison {
  kPlain, kNeq, kContains, kStartsWith, kEndsWith, kLike, kRegex, kNumeric, kCidr, kKeyword
};

Comparison ComparisonOf(ast::SigmaOp op) {
  switch (op) {
    case ast::SigmaOp::kEq: return Comparison::kPlain;
    case ast::SigmaOp::kNeq: return Comparison::kNeq;
    case ast::SigmaOp::kContains: return Comparison::kContains;
    case ast::SigmaOp::kStartsWith: return Comparison::kStartsWith;
    case ast::SigmaOp::kEndsWith: return Comparison::kEndsWith;
    case ast::SigmaOp::kLike: return Comparison::kLike;
    case ast::SigmaOp::kMatches: return Comparison::kRegex;
    case ast::SigmaOp::kLt:
    case ast::SigmaOp::kLte:
    case ast::SigmaOp::kGt:
    case ast::SigmaOp::kGte: return Comparison::kNumeric;
    case ast::SigmaOp::kCidr: return Comparison::kCidr;
  }
  return Comparison::kPlain;
}

bool IsTextEncoding(AstMod m) {
  return m == AstMod::kUtf16le || m == AstMod::kUtf16be || m == AstMod::kUtf16 ||
         m == AstMod::kWide;
}
bool IsBase64(AstMod m) { return m == AstMod::kBase64 || m == AstMod::kBase64Offset; }
bool IsEncoding(AstMod m) { return IsTextEncoding(m) || IsBase64(m); }

IrMod ToIr(AstMod m) {
  switch (m) {
    case AstMod::kCased: return IrMod::kCased;
    case AstMod::kWindash: return IrMod::kWindash;
    case AstMod::kExpand: return IrMod::kExpand;
    case AstMod::kBase64: return IrMod::kBase64;
    case AstMod::kBase64Offset: return IrMod::kBase64Offset;
    case AstMod::kUtf16le: return IrMod::kUtf16le;
    case AstMod::kUtf16be: return IrMod::kUtf16be;
    case AstMod::kUtf16: return IrMod::kUtf16;
    case AstMod::kWide: return IrMod::kWide;
  }
  return IrMod::kCased;
}

struct TimePart {
  const char* name;
  IrMod modifier;
  bool bounded;
  int64_t low, high;
};

// Ranges from the Sigma v2.1 modifier appendix (week: ISO weeks go to 53).
constexpr TimePart kTimeParts[] = {
    {"minute", IrMod::kMinute, true, 0, 59}, {"hour", IrMod::kHour, true, 0, 23},
    {"day", IrMod::kDay, true, 1, 31},       {"week", IrMod::kWeek, true, 1, 53},
    {"month", IrMod::kMonth, true, 1, 12},   {"year", IrMod::kYear, false, 0, 0},
};

const char* Describe(const ast::SigmaValue& value) {
  switch (value.kind) {
    case ValueKind::kString: return "a string";
    case ValueKind::kNumber: return "a number";
    case ValueKind::kNull: return "`null`";
    case ValueKind::kBool: return "a boolean";
    case ValueKind::kRegex: return "a regular expression";
    case ValueKind::kFieldRef: return "a field reference";
  }
  return "a value";
}

class LeafLowering {
 public:
  LeafLowering(const ast::SigmaExpr& expr, DiagnosticEngine& diags) : expr_(expr), diags_(diags) {}

  ir::SigmaExprPtr Run() {
    auto out = std::make_unique<ir::SigmaExpr>();
    out->kind = ir::SigmaExpr::Kind::kMatch;
    out->span = expr_.span;
    if (expr_.kind == ast::SigmaExpr::Kind::kExists) {
      out->field = CheckedField();
      out->modifiers = {IrMod::kExists};
      ir::SigmaValue value;
      value.kind = ir::SigmaValue::Kind::kBool;
      value.boolean = true;
      value.span = expr_.span;
      out->values.push_back(value);
      return out;
    }
    if (expr_.kind == ast::SigmaExpr::Kind::kKeywords) {
      cmp_ = Comparison::kKeyword;
    } else {
      out->field = CheckedField();
      cmp_ = ComparisonOf(expr_.op);
      ResolveTimePart();
    }
    CheckQuantifier();
    CheckModifiers();
    LowerValues(*out);
    BuildModifiers(*out);
    return out;
  }

 private:
  // ---- helpers -------------------------------------------------------------
  void Report(DiagBuilder&& diag) { diags_.Report(std::move(diag)); }

  std::string OpText() const {
    if (cmp_ == Comparison::kKeyword) return "keywords";
    if (time_) return fmt::format("{}(...)", time_->name);
    return ast::SigmaOpSpelling(expr_.op);
  }

  bool ComparesStrings() const {
    return !time_ && cmp_ != Comparison::kRegex && cmp_ != Comparison::kNumeric &&
           cmp_ != Comparison::kCidr;
  }

  bool HasModifier(AstMod m) const {
    return std::any_of(expr_.modifiers.begin(), expr_.modifiers.end(),
                       [m](const auto& entry) { return entry.first == m; });
  }

  // The first modifier that only applies to strings (all but `cased`).
  std::optional<AstMod> FirstStringTransformation() const {
    for (const auto& [m, span] : expr_.modifiers) {
      if (m != AstMod::kCased) return m;
    }
    return std::nullopt;
  }

  std::string CheckedField() {
    if (expr_.field.text.empty()) {
      Report(Diag(DiagCode::kEmptyValue, expr_.field.span, "empty field name")
                 .Label("a field name is required here"));
    }
    return expr_.field.text;
  }

  void ResolveTimePart() {
    if (!expr_.time_part) return;
    const ast::Name& name = *expr_.time_part;
    std::vector<std::string> names;
    for (const TimePart& part : kTimeParts) {
      if (name.text == part.name) time_ = &part;
      names.push_back(part.name);
    }
    if (!time_) {
      time_error_ = true;
      DiagBuilder diag = Diag(DiagCode::kUnknownTimePart, name.span,
                              fmt::format("unknown time part `{}`", name.text));
      diag.Label("not a Sigma time modifier")
          .Note(fmt::format("time parts are {}", JoinAlternatives(names)));
      if (auto close = ClosestMatch(name.text, names)) {
        diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(name.span, *close);
      }
      Report(std::move(diag));
      return;
    }
    if (cmp_ != Comparison::kPlain && cmp_ != Comparison::kNeq &&
        cmp_ != Comparison::kNumeric) {
      time_error_ = true;
      Report(Diag(DiagCode::kInvalidSigmaValue, expr_.op_span,
                  fmt::format("`{}` cannot compare a time part", ast::SigmaOpSpelling(expr_.op)))
                 .Label("not a numeric comparison")
                 .Help("a time part is a number: compare it with ==, !=, <, <=, > or >="));
    }
  }

  // ---- quantifier ------------------------------------------------------------
  void CheckQuantifier() {
    if (expr_.values.empty()) {
      Report(Diag(DiagCode::kEmptyValue, expr_.span,
                  cmp_ == Comparison::kKeyword ? "empty keyword list" : "empty list of values")
                 .Label("no values")
                 .Help("give at least one value"));
      return;
    }
    if (expr_.quantifier != ast::Quantifier::kAll) return;
    if (expr_.values.size() < 2) {
      Report(Diag(DiagCode::kAllWithOneValue, expr_.quantifier_span,
                  "`all` needs two or more values")
                 .Label("only one value follows")
                 .Help("remove `all`; with a single value it changes nothing"));
      return;
    }
    if ((cmp_ == Comparison::kPlain || cmp_ == Comparison::kNeq) && !time_) {
      Report(Diag(DiagCode::kInvalidModifierCombo, expr_.quantifier_span,
                  fmt::format("`all` cannot be combined with `{}`", OpText()))
                 .Label("a field holds one value at a time")
                 .Note("a field cannot equal several different values at once")
                 .Help("use `contains all` or `like all`, or write one predicate per value"));
    }
  }

  // ---- modifiers -------------------------------------------------------------
  void CheckModifiers() {
    const auto& mods = expr_.modifiers;
    for (size_t i = 0; i < mods.size(); ++i) {
      auto [m, span] = mods[i];
      const char* name = ast::SigmaModifierName(m);
      auto first = std::find_if(mods.begin(), mods.begin() + static_cast<std::ptrdiff_t>(i),
                                [m = m](const auto& entry) { return entry.first == m; });
      // Double base64 encoding is legitimate (pySigma's validator allows it).
      if (first != mods.begin() + static_cast<std::ptrdiff_t>(i) && m != AstMod::kBase64) {
        Report(Diag(DiagCode::kInvalidModifierCombo, span, fmt::format("`{}` is repeated", name))
                   .Label("second occurrence")
                   .Secondary(first->second, "first used here")
                   .Help(fmt::format("remove one `{}`", name)));
        continue;
      }
      if (m == AstMod::kCased) {
        CheckCased(span);
        continue;
      }
      if (!TransformationFitsOperator(m, span)) continue;
      if (IsEncoding(m) && cmp_ == Comparison::kLike) {
        Report(Diag(DiagCode::kInvalidModifierCombo, span,
                    fmt::format("`{}` cannot encode a `like` pattern", name))
                   .Label("wildcards cannot be encoded")
                   .Secondary(expr_.op_span, "pattern match here")
                   .Help("encode literal text instead: use `contains`, `startswith` or `==`"));
        continue;
      }
      if (m == AstMod::kWindash || m == AstMod::kExpand) {
        for (size_t j = 0; j < i; ++j) {
          if (IsEncoding(mods[j].first)) {
            Report(Diag(DiagCode::kInvalidModifierCombo, span,
                        fmt::format("`{}` must come before `{}`", name,
                                    ast::SigmaModifierName(mods[j].first)))
                       .Label("applied to already encoded text")
                       .Secondary(mods[j].second, "encoding applied here")
                       .Help(fmt::format("modifiers apply in the order written; move `{}` first",
                                         name)));
            break;
          }
        }
      }
      if (IsTextEncoding(m)) CheckTextEncoding(i);
      if (m == AstMod::kBase64Offset && cmp_ != Comparison::kContains) {
        Report(Diag(DiagCode::kInvalidModifierCombo, span, "`base64offset` requires `contains`")
                   .Label("the encoded text sits inside a longer base64 string")
                   .Help(cmp_ == Comparison::kKeyword
                             ? "use a field predicate: `FIELD contains base64offset \"...\"`"
                             : "write `FIELD contains base64offset \"...\"`"));
      }
      if (m == AstMod::kWindash && expr_.quantifier == ast::Quantifier::kAll) {
        Report(Diag(DiagCode::kInvalidModifierCombo, span,
                    "`windash` cannot be combined with `all`")
                   .Label("windash turns each value into several alternatives")
                   .Secondary(expr_.quantifier_span, "`all` here")
                   .Help("write one `contains windash` predicate per value and join them with "
                         "`and`"));
      }
    }
  }

  bool TransformationFitsOperator(AstMod m, Span span) {
    const char* name = ast::SigmaModifierName(m);
    if (cmp_ == Comparison::kRegex) {
      Report(Diag(DiagCode::kInvalidModifierCombo, span,
                  fmt::format("`matches` cannot be combined with `{}`", name))
                 .Label("not applicable to a regular expression")
                 .Secondary(expr_.op_span, "regular expression match here")
                 .Help("Sigma uses the regular expression as written; spell the variants out "
                       "inside it"));
      return false;
    }
    if (!ComparesStrings()) {
      if (time_error_) return false;
      Report(Diag(DiagCode::kInvalidModifierCombo, span,
                  fmt::format("`{}` cannot be used with `{}`", name, OpText()))
                 .Label(fmt::format("`{}` transforms strings", name))
                 .Secondary(time_ ? expr_.time_part->span : expr_.op_span,
                            cmp_ == Comparison::kCidr ? "compares IP networks"
                                                      : "compares numbers")
                 .Help(fmt::format("remove `{}`", name)));
      return false;
    }
    return true;
  }

  void CheckTextEncoding(size_t index) {
    const auto& mods = expr_.modifiers;
    auto [m, span] = mods[index];
    for (size_t j = 0; j < index; ++j) {
      if (IsTextEncoding(mods[j].first)) {
        Report(Diag(DiagCode::kInvalidModifierCombo, span,
                    fmt::format("`{}` conflicts with `{}`", ast::SigmaModifierName(m),
                                ast::SigmaModifierName(mods[j].first)))
                   .Label("second text encoding")
                   .Secondary(mods[j].second, "first text encoding")
                   .Help("keep one of utf16le, utf16be, utf16 and wide"));
        return;
      }
    }
    for (size_t j = index + 1; j < mods.size(); ++j) {
      if (IsBase64(mods[j].first)) return;
    }
    Report(Diag(DiagCode::kInvalidModifierCombo, span,
                fmt::format("`{}` must be followed by `base64` or `base64offset`",
                            ast::SigmaModifierName(m)))
               .Label("UTF-16 text only appears in logs inside base64")
               .Help(fmt::format("write e.g. `contains {} base64offset \"...\"`, or remove `{}`",
                                 ast::SigmaModifierName(m), ast::SigmaModifierName(m))));
  }

  void CheckCased(Span span) {
    if (cmp_ == Comparison::kRegex) {
      Report(Diag(DiagCode::kInvalidModifierCombo, span,
                  "`cased` has no effect on a regular expression")
                 .Label("regular expressions are case-sensitive already")
                 .Help("remove `cased`; add the `i` flag for case-insensitive matching"));
      return;
    }
    if (!ComparesStrings()) {
      if (time_error_) return;
      Report(Diag(DiagCode::kInvalidModifierCombo, span,
                  "`cased` only applies to string comparisons")
                 .Label("nothing to match case-sensitively")
                 .Secondary(time_ ? expr_.time_part->span : expr_.op_span,
                            cmp_ == Comparison::kCidr ? "compares IP networks"
                                                      : "compares numbers")
                 .Help("remove `cased`"));
      return;
    }
    for (const ast::SigmaValue& value : expr_.values) {
      if (value.kind != ValueKind::kString) {
        Report(Diag(DiagCode::kInvalidModifierCombo, span,
                    "`cased` only applies to string comparisons")
                   .Label("nothing to match case-sensitively")
                   .Secondary(value.span, fmt::format("this is {}", Describe(value)))
                   .Help("remove `cased`, or compare with strings only"));
        return;
      }
    }
  }

  // ---- values ----------------------------------------------------------------
  void ValueError(const ast::SigmaValue& value, std::string message, std::string label,
                  std::optional<std::string> help = std::nullopt) {
    DiagBuilder diag = Diag(DiagCode::kInvalidSigmaValue, value.span, std::move(message));
    diag.Label(std::move(label));
    if (help) diag.Help(std::move(*help));
    Report(std::move(diag));
  }

  std::string Expected() const {
    if (time_) return "a whole number";
    switch (cmp_) {
      case Comparison::kContains:
      case Comparison::kStartsWith:
      case Comparison::kEndsWith:
      case Comparison::kLike: return "a string";
      case Comparison::kRegex: return "a regular expression such as /pattern/";
      case Comparison::kNumeric: return "a number";
      case Comparison::kCidr: return "a network such as \"10.0.0.0/8\"";
      case Comparison::kKeyword: return "strings or numbers";
      case Comparison::kPlain:
      case Comparison::kNeq: return "a value";
    }
    return "a value";
  }

  void WrongValue(const ast::SigmaValue& value, std::optional<std::string> help = std::nullopt) {
    ValueError(value,
               fmt::format("`{}` needs {}, found {}", OpText(), Expected(), Describe(value)),
               fmt::format("this is {}", Describe(value)), std::move(help));
  }

  void LowerValues(ir::SigmaExpr& out) {
    bool is_list = expr_.values.size() > 1 || expr_.bracketed;
    const ast::SigmaValue* first_fieldref = nullptr;
    const ast::SigmaValue* first_other = nullptr;
    const ast::SigmaValue* first_regex = nullptr;
    for (const ast::SigmaValue& value : expr_.values) {
      ir::SigmaValue lowered;
      lowered.span = value.span;
      if (value.kind == ValueKind::kFieldRef) {
        if (!first_fieldref) first_fieldref = &value;
      } else if (!first_other) {
        first_other = &value;
      }
      if (value.kind == ValueKind::kNull && is_list) {
        Report(Diag(DiagCode::kNullInList, value.span, "`null` cannot be part of a list of values")
                   .Label("`null` inside a list")
                   .Help(fmt::format("test for `null` in a predicate of its own, e.g. "
                                     "`{0} == null or {0} == [...]`",
                                     expr_.field.text.empty() ? "FIELD" : expr_.field.text)));
        continue;
      }
      // String transformations (windash, expand, encodings) need strings; when
      // the operator itself rules them out, CheckModifiers already said so.
      if (value.kind != ValueKind::kString && ComparesStrings()) {
        if (auto transformation = FirstStringTransformation()) {
          ValueError(value,
                     fmt::format("`{}` applies to strings, found {}",
                                 ast::SigmaModifierName(*transformation), Describe(value)),
                     fmt::format("this is {}", Describe(value)));
          continue;
        }
      }
      switch (value.kind) {
        case ValueKind::kString:
          if (!LowerString(value, lowered)) continue;
          break;
        case ValueKind::kNumber:
          if (!LowerNumber(value, lowered)) continue;
          break;
        case ValueKind::kBool:
          if (cmp_ != Comparison::kPlain && cmp_ != Comparison::kNeq) {
            WrongValue(value);
            continue;
          }
          if (time_) {
            WrongValue(value);
            continue;
          }
          lowered.kind = ir::SigmaValue::Kind::kBool;
          lowered.boolean = value.boolean;
          break;
        case ValueKind::kNull:
          if (!LowerNull(value)) continue;
          lowered.kind = ir::SigmaValue::Kind::kNull;
          break;
        case ValueKind::kRegex:
          if (cmp_ != Comparison::kRegex) {
            ValueError(value, "a regular expression needs `matches`",
                       "regular expression literal",
                       cmp_ == Comparison::kKeyword
                           ? std::optional<std::string>("use a field predicate: "
                                                        "`FIELD matches /.../`")
                           : std::optional<std::string>(fmt::format(
                                 "write `{} matches /.../`", expr_.field.text)));
            continue;
          }
          if (first_regex && first_regex->regex_flags != value.regex_flags) {
            Report(Diag(DiagCode::kInvalidModifierCombo, value.span,
                        "all regular expressions of one predicate need the same flags")
                       .Label(fmt::format("flags `{}`", value.regex_flags))
                       .Secondary(first_regex->span,
                                  fmt::format("flags `{}`", first_regex->regex_flags))
                       .Help("Sigma applies one set of flags to the whole list; split the "
                             "predicate"));
            continue;
          }
          if (!first_regex) first_regex = &value;
          if (!CheckRegex(value)) continue;
          lowered.kind = ir::SigmaValue::Kind::kString;
          lowered.text = value.text;
          break;
        case ValueKind::kFieldRef:
          if (!LowerFieldRef(value, lowered)) continue;
          break;
      }
      out.values.push_back(std::move(lowered));
    }
    if (first_fieldref && first_other) {
      has_fieldref_ = true;
      const ast::SigmaValue& later =
          first_fieldref->span.begin > first_other->span.begin ? *first_fieldref : *first_other;
      ValueError(later, "field references cannot be mixed with other values",
                 "mixed with the other kind of value",
                 fmt::format("split it: `{0} == field(...) or {0} == \"...\"`", expr_.field.text));
    } else if (first_fieldref) {
      has_fieldref_ = true;
    }
    if (first_regex) regex_flags_ = first_regex->regex_flags;
  }

  bool LowerString(const ast::SigmaValue& value, ir::SigmaValue& lowered) {
    if (auto bad = FindInvalidUtf8(value.text)) {
      ValueError(value, "string is not valid UTF-8",
                 fmt::format("invalid UTF-8 at byte {}", *bad),
                 "Sigma rules are UTF-8 text; use `\\u{...}` escapes for characters, not raw "
                 "`\\x` bytes");
      return false;
    }
    if (time_ || cmp_ == Comparison::kNumeric) {
      std::optional<std::string> help;
      if (!value.text.empty() &&
          value.text.find_first_not_of("-0123456789.") == std::string::npos) {
        help = "write the number without quotes";
      }
      WrongValue(value, help);
      return false;
    }
    if (cmp_ == Comparison::kRegex) {
      WrongValue(value, fmt::format("write the pattern between slashes: /{}/", value.text));
      return false;
    }
    if (cmp_ == Comparison::kCidr) {
      if (auto error = CheckCidr(value.text)) {
        DiagBuilder diag = Diag(DiagCode::kInvalidCidr, value.span, error->message);
        diag.Label("not a valid CIDR network");
        if (error->suggestion) {
          diag.Help(fmt::format("the network is `{}`", *error->suggestion))
              .Fix(value.span, fmt::format("\"{}\"", *error->suggestion));
        } else {
          diag.Help("write an IPv4 or IPv6 network such as \"10.0.0.0/8\" or \"fe80::/10\"");
        }
        Report(std::move(diag));
        return false;
      }
    }
    if (HasModifier(AstMod::kExpand)) {
      if (auto error = CheckPlaceholders(value.text)) {
        Report(Diag(DiagCode::kInvalidPlaceholder, value.span, *error)
                   .Label("`expand` needs a placeholder here")
                   .Help("write placeholders as `%name%` (e.g. `%Administrators%`), or remove "
                         "`expand`"));
        return false;
      }
    }
    lowered.kind = ir::SigmaValue::Kind::kString;
    if (cmp_ == Comparison::kLike) {
      lowered.text = LikeToSigmaPattern(value.text);
      lowered.wildcards = true;
    } else {
      lowered.text = value.text;
    }
    return true;
  }

  bool LowerNumber(const ast::SigmaValue& value, ir::SigmaValue& lowered) {
    switch (cmp_) {
      case Comparison::kContains:
      case Comparison::kStartsWith:
      case Comparison::kEndsWith:
      case Comparison::kLike:
        WrongValue(value, fmt::format("quote the number: \"{}\"", value.number.text));
        return false;
      case Comparison::kRegex:
      case Comparison::kCidr:
        WrongValue(value);
        return false;
      default: break;
    }
    if (time_) {
      if (!value.number.is_integer) {
        WrongValue(value);
        return false;
      }
      if (time_->bounded &&
          (value.number.integer < time_->low || value.number.integer > time_->high)) {
        ValueError(value,
                   fmt::format("`{}` is between {} and {}, found {}", time_->name, time_->low,
                               time_->high, value.number.integer),
                   "out of range");
        return false;
      }
    }
    if (value.number.is_integer) {
      lowered.kind = ir::SigmaValue::Kind::kInteger;
      lowered.integer = value.number.integer;
    } else {
      lowered.kind = ir::SigmaValue::Kind::kFloat;
      lowered.real = value.number.real;
    }
    return true;
  }

  bool LowerNull(const ast::SigmaValue& value) {
    if (cmp_ == Comparison::kPlain && !time_) return true;
    std::string field = expr_.field.text.empty() ? "FIELD" : expr_.field.text;
    if (cmp_ == Comparison::kNeq && !time_) {
      ValueError(value, "`!= null` is not a Sigma comparison", "`null` cannot be negated here",
                 fmt::format("to require a value write `{0} exists`; to require none write "
                             "`not {0} exists` or `{0} == null`",
                             field));
      return false;
    }
    WrongValue(value, cmp_ == Comparison::kKeyword
                          ? std::nullopt
                          : std::optional<std::string>(fmt::format(
                                "to match a missing field write `{} == null`", field)));
    return false;
  }

  bool LowerFieldRef(const ast::SigmaValue& value, ir::SigmaValue& lowered) {
    bool fits = !time_ && (cmp_ == Comparison::kPlain || cmp_ == Comparison::kNeq ||
                           cmp_ == Comparison::kContains || cmp_ == Comparison::kStartsWith ||
                           cmp_ == Comparison::kEndsWith);
    if (!fits) {
      ValueError(value, fmt::format("`{}` cannot compare with a field reference", OpText()),
                 "field reference",
                 "`field(...)` works with ==, !=, contains, startswith and endswith");
      return false;
    }
    if (value.field.text.empty()) {
      Report(Diag(DiagCode::kEmptyValue, value.span, "empty field name in `field(...)`")
                 .Label("a field name is required here"));
      return false;
    }
    lowered.kind = ir::SigmaValue::Kind::kString;
    lowered.text = value.field.text;
    return true;
  }

  // Flags, then PCRE2. The error points at the character PCRE2 stopped at
  // when the literal's text maps one-to-one onto the source.
  bool CheckRegex(const ast::SigmaValue& value) {
    RegexFlags flags;
    bool ok = true;
    for (size_t i = 0; i < value.regex_flags.size(); ++i) {
      char c = value.regex_flags[i];
      bool* flag = c == 'i' ? &flags.caseless : c == 'm' ? &flags.multiline
                                             : c == 's' ? &flags.dotall : nullptr;
      if (!flag) {
        Report(Diag(DiagCode::kInvalidRegex, value.span,
                    fmt::format("unknown regular expression flag `{}`", c))
                   .Label("unknown flag")
                   .Help("Sigma supports `i` (ignore case), `m` (multi-line) and `s` (dot "
                         "matches newline)"));
        ok = false;
      } else if (*flag) {
        Report(Diag(DiagCode::kInvalidRegex, value.span,
                    fmt::format("regular expression flag `{}` is repeated", c))
                   .Label("repeated flag")
                   .Help(fmt::format("remove the second `{}`", c)));
        ok = false;
      } else {
        *flag = true;
      }
    }
    if (!ok) return false;
    auto error = CheckSigmaRegex(value.text, flags);
    if (!error) return true;
    Span at = value.span;
    if (value.span.valid() &&
        value.span.size() == value.text.size() + 2 + value.regex_flags.size()) {
      at.begin = value.span.begin + 1 + static_cast<uint32_t>(error->offset);
      at.end = at.begin + 1;
    }
    Report(Diag(DiagCode::kInvalidRegex, at,
                fmt::format("invalid regular expression: {}", error->message))
               .Label(fmt::format("PCRE2 stopped at offset {}", error->offset))
               .Secondary(value.span, "in this regular expression")
               .Help(RegexFixHint(error->message)));
    return false;
  }

  // How to fix the commonest PCRE2 complaints; the generic hint covers the
  // rest, which are nearly always an unescaped metacharacter.
  static std::string RegexFixHint(std::string_view message) {
    if (message.find("missing closing parenthesis") != std::string_view::npos) {
      return "close the group with `)`, or write `\\(` for a literal parenthesis";
    }
    if (message.find("missing terminating ]") != std::string_view::npos) {
      return "close the character class with `]`, or write `\\[` for a literal bracket";
    }
    if (message.find("quantifier does not follow") != std::string_view::npos) {
      return "write `\\*`, `\\+` or `\\?` for a literal character, or put something "
             "before the quantifier";
    }
    return "fix the pattern where it is marked; write `\\` before a metacharacter "
           "(`( ) [ ] { } * + ? . | ^ $`) that should match itself";
  }

  // ---- modifier list -----------------------------------------------------------
  void BuildModifiers(ir::SigmaExpr& out) const {
    std::vector<IrMod>& mods = out.modifiers;
    for (const auto& [m, span] : expr_.modifiers) {
      if (m != AstMod::kCased) mods.push_back(ToIr(m));
    }
    if (time_) mods.push_back(time_->modifier);
    if (has_fieldref_) mods.push_back(IrMod::kFieldref);
    switch (cmp_) {
      case Comparison::kContains: mods.push_back(IrMod::kContains); break;
      case Comparison::kStartsWith: mods.push_back(IrMod::kStartsWith); break;
      case Comparison::kEndsWith: mods.push_back(IrMod::kEndsWith); break;
      case Comparison::kRegex:
        mods.push_back(IrMod::kRe);
        // Sigma's sub-modifiers in a fixed order, whatever order was written.
        if (regex_flags_.find('i') != std::string::npos) mods.push_back(IrMod::kReI);
        if (regex_flags_.find('m') != std::string::npos) mods.push_back(IrMod::kReM);
        if (regex_flags_.find('s') != std::string::npos) mods.push_back(IrMod::kReS);
        break;
      case Comparison::kNumeric:
        switch (expr_.op) {
          case ast::SigmaOp::kLt: mods.push_back(IrMod::kLt); break;
          case ast::SigmaOp::kLte: mods.push_back(IrMod::kLte); break;
          case ast::SigmaOp::kGt: mods.push_back(IrMod::kGt); break;
          default: mods.push_back(IrMod::kGte); break;
        }
        break;
      case Comparison::kCidr: mods.push_back(IrMod::kCidr); break;
      case Comparison::kNeq: mods.push_back(IrMod::kNeq); break;
      case Comparison::kPlain:
      case Comparison::kLike:
      case Comparison::kKeyword: break;
    }
    if (expr_.quantifier == ast::Quantifier::kAll) mods.push_back(IrMod::kAll);
    if (HasModifier(AstMod::kCased)) mods.push_back(IrMod::kCased);
  }

  const ast::SigmaExpr& expr_;
  DiagnosticEngine& diags_;
  Comparison cmp_ = Comparison::kPlain;
  const TimePart* time_ = nullptr;
  bool time_error_ = false;  // the time part was already reported
  bool has_fieldref_ = false;
  std::string regex_flags_;
};

}  // namespace

ir::SigmaExprPtr LowerSigmaLeaf(const ast::SigmaExpr& expr, DiagnosticEngine& diags) {
  return LeafLowering(expr, diags).Run();
}

}  // namespace ward::sema
