#ifndef WARD_COMPILER_DRIVER_VERSION_LOCK_H_
#define WARD_COMPILER_DRIVER_VERSION_LOCK_H_

// ward.lock: the version of every emitted rule. For each rule (keyed by its
// stable ID) the lock records the qualified name, the output files, a
// SHA-256 of the rule's emitted text (printed without the fields the lock
// itself drives: `modified`), an integer version and the `modified` date.
// A build bumps the version and date of exactly the rules whose hash
// changed. The format is documented in docs/versioning.md.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "compiler/support/diagnostic.h"

namespace ward::driver {

inline constexpr const char* kLockFileName = "ward.lock";
inline constexpr int kLockFormatVersion = 1;

struct LockEntry {
  std::string kind;                // "sigma", "sigma_correlation", "sigma_filter", "yara"
  std::string name;                // qualified name
  std::vector<std::string> paths;  // output files holding the rule, sorted
  std::string sha256;
  int64_t version = 1;
  std::string modified;  // YYYY-MM-DD
  friend bool operator==(const LockEntry&, const LockEntry&) = default;
};

struct VersionLock {
  std::map<std::string, LockEntry> rules;  // by stable ID
};

// Parses the text of a ward.lock. Reports E0900 (naming `path`) and returns
// nullopt when it is malformed.
std::optional<VersionLock> ParseLock(const std::string& text, const std::string& path,
                                     DiagnosticEngine& diags);

// The canonical text: JSON, two-space indent, keys sorted, final newline.
std::string SerializeLock(const VersionLock& lock);

struct LockChange {
  enum class Kind { kAdded, kChanged, kRenamed, kRemoved };
  Kind kind = Kind::kAdded;
  std::string id;
  std::optional<LockEntry> before, after;
};

struct LockUpdate {
  VersionLock lock;
  std::vector<LockChange> changes;  // by ID
};

// What the IR says about an emitted rule.
struct RuleSource {
  std::string name;               // qualified name
  std::string declared_modified;  // a `modified:` written in the source wins over the lock's
};

// The backend ("sigma", "yara") that emits rules of a lock entry's kind.
std::string BackendOfKind(const std::string& kind);

// Appends the text the lock hashes for `rule` to `hashed`.
using HashedText = std::function<void(const backends::EmittedRule& rule, std::string& hashed)>;

// The lock after a build that emitted `out.rules()`: a rule whose hash is new
// or changed gets version + 1 (1 when new) and `date`; the others keep
// theirs. Entries whose backend is not in `backends_run` are kept as they
// are; the other entries no rule was emitted for are removed. `sources` maps
// IDs to what the IR says about them. A rule's hashed text is its text in
// `out`, or what `hashed_text` gives when set (rule by rule, so that no copy
// of every rule's text is held at once).
LockUpdate UpdateLock(const VersionLock& old, const backends::OutputSet& out,
                      const std::map<std::string, RuleSource>& sources,
                      const std::set<std::string>& backends_run, const std::string& date,
                      const HashedText& hashed_text = {});

// "demo.rule (sigma, version 2)" for messages.
std::string DescribeEntry(const LockEntry& entry);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_VERSION_LOCK_H_
