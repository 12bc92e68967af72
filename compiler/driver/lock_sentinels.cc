#include "compiler/driver/lock_sentinels.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace ward::driver {
namespace {

constexpr size_t kDateLength = 10;  // YYYY-MM-DD

// The text around a date on a `modified` line, from the preceding newline
// to the line's end.
std::string LinePrefix(bool yara, std::string_view key) {
  return yara ? "\n    " + std::string(key) + " = \"" : "\n" + std::string(key) + ": ";
}
std::string_view LineSuffix(bool yara) { return yara ? "\"\n" : "\n"; }

// Calls `visit(line_begin, line_end, date)` for every `modified` line of
// `text` (line_begin just after the preceding newline, line_end just after
// the line's own), from the last to the first so that edits keep earlier
// positions valid.
template <class Visit>
void ForEachDateLine(const std::string& text, bool yara, std::string_view key, Visit visit) {
  std::string prefix = LinePrefix(yara, key);
  std::string_view suffix = LineSuffix(yara);
  std::vector<size_t> starts;
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
    size_t date = at + prefix.size();
    if (date + kDateLength + suffix.size() > text.size()) continue;
    if (text.compare(date + kDateLength, suffix.size(), suffix) != 0) continue;
    starts.push_back(at);
  }
  for (size_t i = starts.size(); i-- > 0;) {
    size_t at = starts[i];
    size_t date = at + prefix.size();
    visit(at + 1, date + kDateLength + suffix.size(), text.substr(date, kDateLength));
  }
}

}  // namespace

ir::Date SentinelDates::Next() {
  for (;;) {
    int n = next_++;
    ir::Date date{1000 + n / (12 * 28), 1 + (n / 28) % 12, 1 + n % 28};
    if (date.year > 1999) date.year = 1999;  // 336,000 rules; beyond, Next() repeats
    if (taken_.insert(date.str()).second) return date;
    if (next_ > 336000) return date;
  }
}

size_t CutDateLine(std::string& text, bool yara, std::string_view key,
                   const std::string& date_text) {
  size_t found = 0, begin = 0, end = 0;
  ForEachDateLine(text, yara, key,
                  [&](size_t line_begin, size_t line_end, const std::string& date) {
                    if (date != date_text) return;
                    ++found;
                    begin = line_begin;
                    end = line_end;
                  });
  if (found == 1) text.erase(begin, end - begin);
  return found;
}

size_t PatchSentinelLines(std::string& text, bool yara,
                          const std::unordered_map<std::string, std::string>& dates,
                          std::vector<LineEdit>* edits) {
  size_t changed = 0;
  const size_t edits_before = edits != nullptr ? edits->size() : 0;
  std::string prefix = LinePrefix(yara, "modified");
  std::string_view suffix = LineSuffix(yara);
  ForEachDateLine(text, yara, "modified",
                  [&](size_t line_begin, size_t line_end, const std::string& date) {
                    auto it = dates.find(date);
                    if (it == dates.end()) return;
                    ++changed;
                    size_t length = 0;
                    if (it->second.empty()) {
                      text.erase(line_begin, line_end - line_begin);
                    } else {
                      std::string line = prefix.substr(1);
                      line += it->second;
                      line += suffix;
                      length = line.size();
                      text.replace(line_begin, line_end - line_begin, line);
                    }
                    if (edits != nullptr) edits->push_back({line_begin, line_end, length});
                  });
  // Visited from the last line to the first.
  if (edits != nullptr) {
    std::reverse(edits->begin() + static_cast<std::ptrdiff_t>(edits_before), edits->end());
  }
  return changed;
}

}  // namespace ward::driver
