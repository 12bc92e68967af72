#include "compiler/eval/event_fields.h"

#include <charconv>
#include <cmath>

#include "compiler/eval/event_view.h"
#include "compiler/eval/sigma_eval.h"

namespace ward::eval {
namespace {

int DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

bool Digits(std::string_view s, size_t pos, size_t count, int& value) {
  if (pos + count > s.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

void ResolveField(const nlohmann::json& event, std::string_view path,
                  std::vector<const nlohmann::json*>& out) {
  ResolveIn(JsonView{}, &event, path, out, 0);
}

const nlohmann::json* FindField(const nlohmann::json& event, std::string_view path) {
  return FindIn(JsonView{}, &event, path);
}

bool ValueText(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      out = value.get_ref<const std::string&>();
      return true;
    case nlohmann::json::value_t::boolean:
      out = value.get<bool>() ? "true" : "false";
      return true;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      out = value.dump();
      return true;
    default:
      return false;
  }
}

std::optional<double> ValueNumber(const nlohmann::json& value) {
  return ValueNumberIn(JsonView{}, &value);
}

std::optional<double> NumberFromText(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double out = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) return std::nullopt;
  return out;
}

std::optional<CivilTime> ParseCivilTime(std::string_view s) {
  CivilTime t;
  if (!Digits(s, 0, 4, t.year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, t.month) ||
      s[7] != '-' || !Digits(s, 8, 2, t.day)) {
    return std::nullopt;
  }
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return std::nullopt;
  if (s.size() == 10) return t;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  if (!Digits(s, 11, 2, t.hour) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, t.minute)) {
    return std::nullopt;
  }
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    int whole = 0;
    if (!Digits(s, pos + 1, 2, whole)) return std::nullopt;
    t.second = whole;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      double scale = 0.1;
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        t.second += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
    }
  }
  if (t.hour > 23 || t.minute > 59 || t.second >= 61) return std::nullopt;
  if (pos == s.size()) return t;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size() ? std::optional(t) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int sign = s[pos] == '-' ? -1 : 1;
  int hours = 0, minutes = 0;
  if (!Digits(s, pos + 1, 2, hours)) return std::nullopt;
  size_t m = pos + 3;
  if (m < s.size() && s[m] == ':') ++m;
  if (m < s.size() && !Digits(s, m, 2, minutes)) return std::nullopt;
  if (m < s.size() && m + 2 != s.size()) return std::nullopt;
  t.offset_minutes = sign * (hours * 60 + minutes);
  return t;
}

std::optional<CivilTime> ValueCivilTime(const nlohmann::json& value) {
  return ValueCivilTimeIn(JsonView{}, &value);
}

std::optional<CivilTime> CivilTimeFromNumber(double number) {
  if (!std::isfinite(number)) return std::nullopt;
  double seconds = std::fabs(number) > 1e11 ? number / 1000 : number;
  auto whole = static_cast<int64_t>(std::floor(seconds));
  int64_t days = whole >= 0 ? whole / 86400 : -((-whole + 86399) / 86400);
  int64_t rest = whole - days * 86400;
  CivilTime t;
  CivilFromDays(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(rest / 3600);
  t.minute = static_cast<int>(rest % 3600 / 60);
  t.second = static_cast<double>(rest % 60) + (seconds - static_cast<double>(whole));
  return t;
}

int64_t CivilToEpochMs(const CivilTime& t) {
  int64_t days = DaysFromCivil(t.year, t.month, t.day);
  double seconds = static_cast<double>(days) * 86400.0 + t.hour * 3600.0 + t.minute * 60.0 +
                   t.second - t.offset_minutes * 60.0;
  return static_cast<int64_t>(std::llround(seconds * 1000.0));
}

int IsoWeek(int year, int month, int day) {
  // Weekday 1 (Monday) .. 7; 1970-01-01 was a Thursday.
  auto weekday = [](int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; };
  int64_t days = DaysFromCivil(year, month, day);
  int wd = weekday(days);
  int64_t thursday = days + (4 - wd);  // the Thursday of this ISO week decides its year
  int ty = 0, tm = 0, td = 0;
  CivilFromDays(thursday, ty, tm, td);
  int64_t first = DaysFromCivil(ty, 1, 1);
  return static_cast<int>((thursday - first) / 7) + 1;
}

std::optional<int64_t> EventTimeMs(const nlohmann::json& event,
                                   const std::vector<std::string>& fields) {
  return EventTimeMsIn(JsonView{}, &event, fields);
}

}  // namespace ward::eval
