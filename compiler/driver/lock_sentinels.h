#ifndef WARD_COMPILER_DRIVER_LOCK_SENTINELS_H_
#define WARD_COMPILER_DRIVER_LOCK_SENTINELS_H_

// The text side of a one-pass ward.lock build (lock_build.h). The lock
// hashes each rule as printed without the `modified` date the lock itself
// gives, and the outputs carry that date, which depends on the hash. Instead
// of running the backends twice, every rule whose source declares no
// `modified` is printed once with a sentinel date unique to it; its `modified`
// line is cut out of a copy to hash, and replaced by the lock's date (or
// removed) in the outputs. Sentinels are recognised only as a whole
// `modified` line in the places the backends print it: `modified: D` at the
// start of a line in Sigma YAML (nested lines are indented, block scalars
// too), `    modified = "D"` in a YARA rule's meta section.

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ir/ir.h"

namespace ward::driver {

// Dates no source could mean (years 1000 to 1999), unique, skipping `taken`.
class SentinelDates {
 public:
  explicit SentinelDates(std::set<std::string> taken) : taken_(std::move(taken)) {}
  ir::Date Next();

 private:
  std::set<std::string> taken_;
  int next_ = 0;
};

// Cuts the `key: date_text` line (`yara`: the `key = "date_text"` meta
// line) out of one rule's text if it occurs exactly once. Returns how many
// times it occurs.
size_t CutDateLine(std::string& text, bool yara, std::string_view key,
                   const std::string& date_text);

// One change PatchSentinelLines made: bytes [begin, end) of the text as it
// was (one whole line) became `length` bytes.
struct LineEdit {
  size_t begin = 0, end = 0, length = 0;
};

// Replaces every `modified` line of `text` whose date is a key of `dates` by
// the same line with the mapped date, or removes the line when that is empty.
// Returns how many lines were changed; `edits`, when given, receives them in
// text order, so that positions in the old text can be moved to the new.
size_t PatchSentinelLines(std::string& text, bool yara,
                          const std::unordered_map<std::string, std::string>& dates,
                          std::vector<LineEdit>* edits = nullptr);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_LOCK_SENTINELS_H_
