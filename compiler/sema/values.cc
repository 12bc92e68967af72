#include "compiler/sema/values.h"

#include <fmt/format.h>

#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

void FlattenInto(const ast::Value& value, std::vector<const ast::Value*>& out) {
  if (value.kind == ast::Value::Kind::kList) {
    for (const ast::Value& item : value.items()) FlattenInto(item, out);
  } else {
    out.push_back(&value);
  }
}

void WrongType(const ast::Value& value, std::string_view property, std::string_view expected,
               DiagnosticEngine& diags) {
  diags.Report(Diag(DiagCode::kWrongValueType, value.span,
                    fmt::format("`{}` expects {}, found {}", property, expected,
                                DescribeValue(value)))
                   .Label(fmt::format("expected {}", expected)));
}

}  // namespace

const char* DescribeValue(const ast::Value& value) {
  switch (value.kind) {
    case ast::Value::Kind::kString: return "a string";
    case ast::Value::Kind::kNumber: return "a number";
    case ast::Value::Kind::kDate: return "a date";
    case ast::Value::Kind::kDuration: return "a duration";
    case ast::Value::Kind::kBool: return "a boolean";
    case ast::Value::Kind::kNull: return "`null`";
    case ast::Value::Kind::kRef: return value.catalog_key() ? "a catalog reference" : "a name";
    case ast::Value::Kind::kList: return "a list";
    case ast::Value::Kind::kObject: return "an object";
  }
  return "a value";
}

std::vector<const ast::Value*> Flatten(const ast::Property& prop) {
  std::vector<const ast::Value*> out;
  for (const ast::Value& value : prop.values) FlattenInto(value, out);
  return out;
}

const ast::Value* Single(const ast::Property& prop, DiagnosticEngine& diags) {
  std::vector<const ast::Value*> values = Flatten(prop);
  if (values.size() == 1) return values[0];
  Span span = prop.values.empty() ? prop.key.span : prop.values.front().span;
  if (!prop.values.empty()) span.end = prop.values.back().span.end;
  diags.Report(Diag(DiagCode::kWrongValueType, span,
                    fmt::format("`{}` takes one value, found {}", prop.key.text, values.size()))
                   .Help("keep a single value"));
  return nullptr;
}

std::optional<std::string> AsString(const ast::Value& value, std::string_view what,
                                    DiagnosticEngine& diags) {
  if (value.kind == ast::Value::Kind::kString) return value.text;
  WrongType(value, what, "a string", diags);
  return std::nullopt;
}

bool RequireUtf8(std::string_view text, Span span, std::string_view what,
                 DiagnosticEngine& diags) {
  std::optional<size_t> bad = FindInvalidUtf8(text);
  if (!bad) return true;
  diags.Report(Diag(DiagCode::kTextNotUtf8, span,
                    fmt::format("{} is not valid UTF-8 text: byte {} of its value is 0x{:02X}",
                                what, *bad + 1, static_cast<unsigned char>(text[*bad])))
                   .Label("raw byte from a `\\x` escape")
                   .Help("write characters outside ASCII as `\\u{...}` (e.g. `\\u{e9}` for "
                         "\u00e9); `\\xNN` inserts a raw byte, for YARA strings and data only"));
  return false;
}

std::optional<std::string> GetString(const ast::Property& prop, DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  std::optional<std::string> text = AsString(*value, prop.key.text, diags);
  if (text && !RequireUtf8(*text, value->span, fmt::format("`{}`", prop.key.text), diags)) {
    return std::nullopt;
  }
  return text;
}

std::optional<std::vector<std::string>> GetStrings(const ast::Property& prop,
                                                   DiagnosticEngine& diags) {
  std::vector<std::string> out;
  bool ok = true;
  for (const ast::Value* value : Flatten(prop)) {
    std::optional<std::string> text = AsString(*value, prop.key.text, diags);
    if (text && RequireUtf8(*text, value->span, fmt::format("`{}`", prop.key.text), diags)) {
      out.push_back(*text);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<bool> GetBool(const ast::Property& prop, DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  if (value->kind == ast::Value::Kind::kBool) return value->boolean;
  WrongType(*value, prop.key.text, "`true` or `false`", diags);
  return std::nullopt;
}

std::optional<int64_t> GetInteger(const ast::Property& prop, DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  if (value->kind == ast::Value::Kind::kNumber && value->number().is_integer) {
    return value->number().integer;
  }
  WrongType(*value, prop.key.text, "an integer", diags);
  return std::nullopt;
}

std::optional<std::string> AsEnum(const ast::Value& value, std::string_view property,
                                  const std::vector<std::string>& allowed,
                                  DiagnosticEngine& diags) {
  std::string word;
  if (value.kind == ast::Value::Kind::kString) {
    word = value.text;
  } else if (value.kind == ast::Value::Kind::kRef && !value.catalog_key() &&
             value.ref.parts.size() == 1) {
    word = value.ref.parts[0].text;
  } else {
    WrongType(value, property, "one of " + JoinAlternatives(allowed), diags);
    return std::nullopt;
  }
  for (const std::string& a : allowed) {
    if (a == word) return word;
  }
  DiagBuilder diag = Diag(DiagCode::kInvalidEnumValue, value.span,
                          fmt::format("invalid {} `{}`", property, word));
  diag.Label(fmt::format("not a valid {}", property))
      .Note(fmt::format("`{}` must be one of {}", property, JoinAlternatives(allowed)));
  if (auto close = ClosestMatch(word, allowed)) {
    diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(value.span, *close);
  }
  diags.Report(std::move(diag));
  return std::nullopt;
}

std::optional<std::string> GetEnum(const ast::Property& prop,
                                   const std::vector<std::string>& allowed,
                                   DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  return AsEnum(*value, prop.key.text, allowed, diags);
}

std::optional<ir::Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  ir::Date d{num(0, 4), num(5, 2), num(8, 2)};
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 1970 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int max_day = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  if (d.day > max_day) return std::nullopt;
  return d;
}

std::optional<ir::Date> GetDate(const ast::Property& prop, DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  if (value->kind != ast::Value::Kind::kDate && value->kind != ast::Value::Kind::kString) {
    WrongType(*value, prop.key.text, "a date (YYYY-MM-DD)", diags);
    return std::nullopt;
  }
  if (auto date = ParseDate(value->text)) return date;
  diags.Report(Diag(DiagCode::kInvalidDate, value->span,
                    fmt::format("`{}` is not a valid date", value->text))
                   .Label("not a calendar date")
                   .Help("write the date as YYYY-MM-DD, e.g. 2025-06-01"));
  return std::nullopt;
}

std::optional<uint64_t> GetDurationSeconds(const ast::Property& prop, std::string* as_written,
                                           DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  std::string text = value->text;
  if (value->kind != ast::Value::Kind::kDuration && value->kind != ast::Value::Kind::kString) {
    WrongType(*value, prop.key.text, "a duration such as `10m`", diags);
    return std::nullopt;
  }
  uint64_t number = 0;
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && number < (1ull << 40)) {
    number = number * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
  }
  static const std::pair<char, uint64_t> kUnits[] = {
      {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}, {'M', 2629746}, {'y', 31556952}};
  if (i > 0 && i + 1 == text.size() && number > 0) {
    for (auto [unit, seconds] : kUnits) {
      if (text[i] == unit) {
        if (as_written) *as_written = text;
        return number * seconds;
      }
    }
  }
  diags.Report(Diag(DiagCode::kInvalidDuration, value->span,
                    fmt::format("`{}` is not a valid duration", text))
                   .Help("write a positive number followed by s, m, h or d, e.g. `10m`"));
  return std::nullopt;
}

nlohmann::json ToJson(const ast::Value& value) {
  using nlohmann::json;
  switch (value.kind) {
    case ast::Value::Kind::kString:
    case ast::Value::Kind::kDate:
    case ast::Value::Kind::kDuration:
      return value.text;
    case ast::Value::Kind::kNumber:
      if (value.number().is_integer) return value.number().integer;
      return value.number().real;
    case ast::Value::Kind::kBool: return value.boolean;
    case ast::Value::Kind::kNull: return nullptr;
    case ast::Value::Kind::kRef: return value.ref.str();
    case ast::Value::Kind::kList: {
      json out = json::array();
      for (const ast::Value& item : value.items()) out.push_back(ToJson(item));
      return out;
    }
    case ast::Value::Kind::kObject: {
      json out = json::object();
      // Keys are kept as written: `user.role: "x"` is the flat key
      // "user.role" (as OpenTelemetry attributes are), `user: { role: "x" }`
      // is nested. Sigma field paths match either form.
      for (const ast::ObjectEntry& entry : value.entries()) out[entry.key] = ToJson(entry.value);
      return out;
    }
  }
  return nullptr;
}

}  // namespace ward::sema
