#include "compiler/driver/version_lock.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <utility>

#include "compiler/support/content_hash.h"
#include "compiler/support/uuid.h"

namespace ward::driver {
namespace {

using nlohmann::json;

const std::set<std::string>& Kinds() {
  static const std::set<std::string> kinds = {"sigma", "sigma_correlation", "sigma_filter", "yara"};
  return kinds;
}

bool IsDateText(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

bool IsSha256(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

// Validates one entry; returns the problem, or an empty string.
std::string ReadEntry(const json& value, LockEntry& entry) {
  if (!value.is_object()) return "is not an object";
  for (const auto& [key, _] : value.items()) {
    if (key != "kind" && key != "name" && key != "paths" && key != "sha256" && key != "version" &&
        key != "modified") {
      return fmt::format("has an unknown key `{}`", key);
    }
  }
  auto string_field = [&](const char* key, std::string& out) {
    auto it = value.find(key);
    if (it == value.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  if (!string_field("kind", entry.kind) || !Kinds().count(entry.kind)) {
    return "has no valid `kind` (sigma, sigma_correlation, sigma_filter or yara)";
  }
  if (!string_field("name", entry.name) || entry.name.empty()) return "has no `name`";
  auto paths = value.find("paths");
  if (paths == value.end() || !paths->is_array() || paths->empty()) return "has no `paths`";
  for (const json& path : *paths) {
    if (!path.is_string()) return "has a path that is not a string";
    entry.paths.push_back(path.get<std::string>());
  }
  if (!string_field("sha256", entry.sha256) || !IsSha256(entry.sha256)) {
    return "has no valid `sha256` (64 lowercase hexadecimal digits)";
  }
  auto version = value.find("version");
  if (version == value.end() || !version->is_number_integer() || version->get<int64_t>() < 1) {
    return "has no valid `version` (an integer from 1)";
  }
  entry.version = version->get<int64_t>();
  if (!string_field("modified", entry.modified) || !IsDateText(entry.modified)) {
    return "has no valid `modified` date (YYYY-MM-DD)";
  }
  return {};
}

}  // namespace

std::optional<VersionLock> ParseLock(const std::string& text, const std::string& path,
                                     DiagnosticEngine& diags) {
  auto bad = [&](const std::string& message) {
    diags.Report(Diag(DiagCode::kInvalidLock, Span{}, fmt::format("{}: {}", path, message))
                     .Help("restore ward.lock from version control; deleting it starts a new "
                           "lock in which every rule is at version 1"));
    return std::nullopt;
  };
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return bad("not valid JSON");
  if (!root.is_object()) return bad("expected a JSON object");
  auto format = root.find("lock_version");
  if (format == root.end() || !format->is_number_integer()) {
    return bad("`lock_version` is missing");
  }
  if (format->get<int64_t>() != kLockFormatVersion) {
    return bad(fmt::format("`lock_version` is {}; this ward reads version {}",
                           format->get<int64_t>(), kLockFormatVersion));
  }
  auto rules = root.find("rules");
  if (rules == root.end() || !rules->is_object()) return bad("`rules` is missing");
  VersionLock lock;
  for (const auto& [id, value] : rules->items()) {
    if (!IsUuid(id)) return bad(fmt::format("rule ID `{}` is not a UUID", id));
    LockEntry entry;
    std::string problem = ReadEntry(value, entry);
    if (!problem.empty()) return bad(fmt::format("the entry of rule `{}` {}", id, problem));
    lock.rules.emplace(id, std::move(entry));
  }
  return lock;
}

std::string SerializeLock(const VersionLock& lock) {
  // Entry by entry, each dumped alone and indented to its depth: the same
  // bytes as dumping one JSON tree of the whole lock, without building that
  // tree (about 1 KB per rule, at the build's peak; docs/performance.md).
  // Reserved from the entries' lengths (a little more than the text needs
  // unless a string needs escaping), so the text holds no doubling slack.
  size_t estimate = 256;
  for (const auto& [id, entry] : lock.rules) {
    estimate += 160 + id.size() + entry.kind.size() + entry.name.size() + entry.sha256.size() +
                entry.modified.size();
    for (const std::string& path : entry.paths) estimate += 12 + path.size();
  }
  std::string out;
  out.reserve(estimate);
  out += "{\n  \"comment\": ";
  out += json("Written by `ward build`: the version of every emitted rule. Commit it next to "
              "ward.yaml; do not edit it by hand.")
             .dump();
  out += ",\n  \"lock_version\": " + std::to_string(kLockFormatVersion) + ",\n  \"rules\": ";
  if (lock.rules.empty()) return out + "{}\n}\n";
  out += "{";
  const char* separator = "\n";
  for (const auto& [id, entry] : lock.rules) {
    json value = {{"kind", entry.kind},       {"name", entry.name},
                  {"paths", entry.paths},     {"sha256", entry.sha256},
                  {"version", entry.version}, {"modified", entry.modified}};
    out += separator;
    separator = ",\n";
    out += "    " + json(id).dump() + ": ";
    for (char c : value.dump(2)) {
      out += c;
      if (c == '\n') out += "    ";
    }
  }
  return out + "\n  }\n}\n";
}

std::string BackendOfKind(const std::string& kind) {
  return kind.rfind("sigma", 0) == 0 ? "sigma" : kind;
}

LockUpdate UpdateLock(const VersionLock& old, const backends::OutputSet& out,
                      const std::map<std::string, RuleSource>& sources,
                      const std::set<std::string>& backends_run, const std::string& date,
                      const HashedText& hashed_text) {
  // A rule may be emitted into more than one file (a rule used by two
  // correlations): its hash covers every copy, in path order.
  std::map<std::string, std::vector<const backends::EmittedRule*>> by_id;
  for (const backends::EmittedRule& rule : out.rules()) by_id[rule.id].push_back(&rule);

  LockUpdate update;
  // A first build adds every rule: one change each, without doubling slack.
  if (old.rules.empty()) update.changes.reserve(by_id.size());
  for (auto& [id, copies] : by_id) {
    std::stable_sort(copies.begin(), copies.end(),
                     [](const auto* a, const auto* b) { return a->path < b->path; });
    LockEntry entry;
    entry.kind = copies.front()->kind;
    auto source = sources.find(id);
    entry.name = source != sources.end() ? source->second.name : id;
    std::string hashed;
    for (const backends::EmittedRule* copy : copies) {
      if (entry.paths.empty() || entry.paths.back() != copy->path)
        entry.paths.push_back(copy->path);
      if (copies.size() > 1) hashed += copy->path + '\0';
      if (hashed_text) {
        hashed_text(*copy, hashed);
      } else {
        hashed += out.TextOf(*copy);
      }
    }
    entry.sha256 = Sha256Hex(hashed);
    auto before = old.rules.find(id);
    LockChange change;
    change.id = id;
    if (before == old.rules.end()) {
      entry.version = 1;
      entry.modified = date;
      change.kind = LockChange::Kind::kAdded;
    } else {
      change.before = before->second;
      if (before->second.sha256 == entry.sha256) {
        entry.version = before->second.version;
        entry.modified = before->second.modified;
        change.kind = LockChange::Kind::kRenamed;
      } else {
        entry.version = before->second.version + 1;
        entry.modified = date;
        change.kind = LockChange::Kind::kChanged;
      }
    }
    if (source != sources.end() && !source->second.declared_modified.empty()) {
      entry.modified = source->second.declared_modified;
    }
    change.after = entry;
    bool unchanged = change.before && *change.before == entry;
    if (!unchanged) update.changes.push_back(std::move(change));
    update.lock.rules.emplace(id, std::move(entry));
  }
  for (const auto& [id, entry] : old.rules) {
    if (update.lock.rules.count(id)) continue;
    if (!backends_run.count(BackendOfKind(entry.kind))) {
      update.lock.rules.emplace(id, entry);  // its backend did not run: not removed
      continue;
    }
    LockChange change;
    change.kind = LockChange::Kind::kRemoved;
    change.id = id;
    change.before = entry;
    update.changes.push_back(std::move(change));
  }
  std::sort(update.changes.begin(), update.changes.end(),
            [](const LockChange& a, const LockChange& b) { return a.id < b.id; });
  return update;
}

std::string DescribeEntry(const LockEntry& entry) {
  return fmt::format("{} ({}, version {})", entry.name, entry.kind, entry.version);
}

}  // namespace ward::driver
