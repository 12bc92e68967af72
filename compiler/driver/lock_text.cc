#include "compiler/driver/lock_text.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace ward::driver {
namespace {

constexpr std::string_view kRulesOpen = "  \"rules\": {\n";
constexpr std::string_view kTail = "\n  }\n}\n";
constexpr std::string_view kEntryIndent = "    \"";
constexpr std::string_view kEntryClose = "\n    }";

struct Split {
  std::string_view head;  // up to and including kRulesOpen
  std::vector<std::pair<std::string_view, std::string_view>> entries;  // ID, block
};

// Nullopt unless `text` is a lock of at least one entry in SerializeLock's
// layout (an empty lock prints `"rules": {}` on one line).
std::optional<Split> SplitLock(std::string_view text) {
  size_t open = text.find(kRulesOpen);
  if (open == std::string_view::npos) return std::nullopt;
  Split split;
  split.head = text.substr(0, open + kRulesOpen.size());
  size_t at = split.head.size();
  while (true) {
    if (text.compare(at, kEntryIndent.size(), kEntryIndent) != 0) return std::nullopt;
    size_t id_begin = at + kEntryIndent.size();
    size_t id_end = text.find('"', id_begin);
    size_t close = text.find(kEntryClose, id_begin);
    if (id_end == std::string_view::npos || close == std::string_view::npos) return std::nullopt;
    size_t end = close + kEntryClose.size();
    split.entries.emplace_back(text.substr(id_begin, id_end - id_begin), text.substr(at, end - at));
    if (text.compare(end, 2, ",\n") == 0) {
      at = end + 2;
      continue;
    }
    if (text.substr(end) != kTail) return std::nullopt;
    break;
  }
  for (size_t i = 1; i < split.entries.size(); ++i) {
    if (!(split.entries[i - 1].first < split.entries[i].first)) return std::nullopt;
  }
  return split;
}

std::string Join(std::string_view head,
                 const std::vector<std::pair<std::string_view, std::string_view>>& entries) {
  size_t size = head.size() + kTail.size();
  for (const auto& [id, block] : entries) size += block.size() + 2;
  std::string out;
  out.reserve(size);
  out += head;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ",\n";
    out += entries[i].second;
  }
  out += kTail;
  return out;
}

}  // namespace

std::optional<VersionLock> ExtractLockEntries(std::string_view text,
                                              const std::set<std::string>& ids) {
  std::optional<Split> split = SplitLock(text);
  if (!split) return std::nullopt;
  std::vector<std::pair<std::string_view, std::string_view>> chosen;
  for (const auto& entry : split->entries) {
    if (ids.count(std::string(entry.first))) chosen.push_back(entry);
  }
  if (chosen.empty()) return VersionLock{};
  DiagnosticEngine ignored;
  return ParseLock(Join(split->head, chosen), kLockFileName, ignored);
}

std::optional<std::string> SpliceLockText(std::string_view text, const std::set<std::string>& drop,
                                          const VersionLock& add) {
  std::optional<Split> split = SplitLock(text);
  if (!split) return std::nullopt;
  std::string added_text;
  std::optional<Split> added;
  if (!add.rules.empty()) {
    added_text = SerializeLock(add);
    added = SplitLock(added_text);
    if (!added || added->head != split->head) return std::nullopt;
  }
  std::vector<std::pair<std::string_view, std::string_view>> kept;
  kept.reserve(split->entries.size());
  for (const auto& entry : split->entries) {
    std::string id(entry.first);
    if (!drop.count(id) && !add.rules.count(id)) kept.push_back(entry);
  }
  std::vector<std::pair<std::string_view, std::string_view>> merged;
  merged.reserve(kept.size() + add.rules.size());
  if (added) {
    std::merge(kept.begin(), kept.end(), added->entries.begin(), added->entries.end(),
               std::back_inserter(merged),
               [](const auto& a, const auto& b) { return a.first < b.first; });
  } else {
    merged = std::move(kept);
  }
  if (merged.empty()) return std::nullopt;  // `"rules": {}`: printed whole by the caller
  return Join(split->head, merged);
}

}  // namespace ward::driver
