#ifndef WARD_COMPILER_EVAL_EVENT_FIELDS_H_
#define WARD_COMPILER_EVAL_EVENT_FIELDS_H_

// Reading fields of a JSON event: a dotted path names a flat key
// (`{"gen_ai.prompt": ...}`), a nested object (`{"gen_ai": {"prompt": ...}}`)
// or any mix of the two; arrays on the way are searched element by element.
// Also the event time, and the calendar parts the time modifiers read.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ward::eval {

// Appends every value found at `path`. A key equal to the whole remaining
// path wins over splitting it; JSON null values are included.
void ResolveField(const nlohmann::json& event, std::string_view path,
                  std::vector<const nlohmann::json*>& out);
// The first value at `path`, or null.
const nlohmann::json* FindField(const nlohmann::json& event, std::string_view path);

// A value as the text string comparisons see: strings as they are, numbers
// in their JSON form, booleans as true/false. Null, objects and arrays have
// no text.
bool ValueText(const nlohmann::json& value, std::string& out);
// A value as a number: JSON numbers, and strings that are a whole number.
std::optional<double> ValueNumber(const nlohmann::json& value);
// Text that is a number from end to end ("42", "+1.5", "-3e2"), as ValueNumber reads strings.
std::optional<double> NumberFromText(std::string_view text);

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double second = 0;
  int offset_minutes = 0;  // the zone offset as written (0 for Z or none)
};
// RFC 3339 / ISO 8601 date-times ("2026-11-25T22:13:05.120Z", a space for
// the T, "+01:00"/"+0100"/"Z" or no zone) and plain dates ("2026-11-25").
std::optional<CivilTime> ParseCivilTime(std::string_view text);
// A time value: a civil time string, or an epoch number (seconds; above 1e11,
// milliseconds). Parts are read as written: no zone conversion.
std::optional<CivilTime> ValueCivilTime(const nlohmann::json& value);
// An epoch number as ValueCivilTime reads it.
std::optional<CivilTime> CivilTimeFromNumber(double number);
int64_t CivilToEpochMs(const CivilTime& time);  // applies the zone offset
int IsoWeek(int year, int month, int day);

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_EVENT_FIELDS_H_
