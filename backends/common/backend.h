#ifndef WARD_BACKENDS_COMMON_BACKEND_H_
#define WARD_BACKENDS_COMMON_BACKEND_H_

// The one shape every backend has: a name, options, and Emit(), which lowers
// the IR to the target's own model, prints it, and adds files to an
// OutputSet. Backends never write to disk: the driver writes the whole
// OutputSet atomically, and only when no error was reported.

#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::backends {

// One rule as a backend emitted it, for the version lock (ward.lock): the
// driver hashes its text (OutputSet::TextOf) to find the rules whose content
// changed. The text is where the rule is in its file's content, not a copy:
// a build holds every emitted file once (peak memory, docs/performance.md).
struct EmittedRule {
  std::string id;     // the stable ID (ir::StableId)
  std::string kind;   // "sigma", "sigma_correlation", "sigma_filter", "yara"
  std::string path;   // the output file that holds it, relative to the output directory
  size_t offset = 0;  // the rule's own text: bytes [offset, offset + length) of that file
  size_t length = 0;
};

// Files produced by a build, keyed by path relative to the output directory
// ("sigma/cosai/prompt_injection_phrase.yml"). Ordered, so writing and
// hashing are deterministic.
class OutputSet {
 public:
  // Adds a file; reports false (and keeps the first) if the path is taken.
  bool Add(std::string relative_path, std::string content);
  const std::map<std::string, std::string>& files() const { return files_; }
  bool Contains(std::string_view path) const;

  // Records a rule emitted into one of the files (in emission order).
  void AddRule(EmittedRule rule) { rules_.push_back(std::move(rule)); }
  const std::vector<EmittedRule>& rules() const { return rules_; }
  // The rule's own text in its file; empty if the file is not in the set.
  std::string_view TextOf(const EmittedRule& rule) const;

  // For the driver's one-pass ward.lock build, which fills in the lock's
  // dates after the backends ran (compiler/driver/lock_sentinels.h): an
  // edit of a file's content must move its rules' offsets with it.
  std::map<std::string, std::string>& mutable_files() { return files_; }
  std::vector<EmittedRule>& mutable_rules() { return rules_; }

 private:
  std::map<std::string, std::string> files_;
  std::vector<EmittedRule> rules_;
};

// What the checks of earlier builds accepted, so that a rebuild can skip
// them (the driver keeps it under <output>/.ward-cache/, build_cache.h).
// Keys are SHA-256s of exactly what was checked. Only the YARA backend's
// check (its libyara compiles) uses it today, from one thread.
struct CheckCache {
  std::set<std::string> known;     // accepted by earlier builds; read-only while the backends run
  std::set<std::string> accepted;  // accepted by this build: the next build's `known`
};

struct BackendContext {
  const ir::Program& program;
  const SourceManager& sources;
  DiagnosticEngine& diags;
  // Backend-specific options from the command line (--sigma-profile=...).
  std::map<std::string, std::string> options;
  // The date used for `date`/`modified` fallbacks, fixed per build so that
  // output stays reproducible (from SOURCE_DATE_EPOCH when set).
  std::string build_date;
  // Threads a backend may use for its own work (--jobs; 0: every core).
  unsigned jobs = 0;
  // Null: check everything (ward check, build --check, tests).
  CheckCache* check_cache = nullptr;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // The name used with --emit ("sigma", "yara", "mapping").
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  // Lowers and prints. Problems are reported to ctx.diags with the span of
  // the Ward construct at fault; returns false if any error was reported.
  virtual bool Emit(const BackendContext& ctx, OutputSet& out) = 0;
};

}  // namespace ward::backends

#endif  // WARD_BACKENDS_COMMON_BACKEND_H_
