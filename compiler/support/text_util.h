#ifndef WARD_COMPILER_SUPPORT_TEXT_UTIL_H_
#define WARD_COMPILER_SUPPORT_TEXT_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ward {

// Byte offset of the first invalid UTF-8 sequence, or nullopt if `text` is
// valid UTF-8 (overlong forms, surrogates and values above U+10FFFF are
// invalid).
std::optional<size_t> FindInvalidUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text); }

// Appends the UTF-8 encoding of a code point (must be <= 0x10FFFF).
void AppendUtf8(std::string& out, uint32_t code_point);

// Levenshtein distance, capped: returns max+1 as soon as it is exceeded.
size_t EditDistance(std::string_view a, std::string_view b, size_t max);

// The candidate closest to `word` if it is close enough to be a plausible
// typo (distance <= max(1, len/3)); ties go to the first candidate.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

// "a", "a or b", "a, b or c" (each quoted in backticks).
std::string JoinAlternatives(const std::vector<std::string>& items);

}  // namespace ward

#endif  // WARD_COMPILER_SUPPORT_TEXT_UTIL_H_
