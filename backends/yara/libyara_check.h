#ifndef WARD_BACKENDS_YARA_LIBYARA_CHECK_H_
#define WARD_BACKENDS_YARA_LIBYARA_CHECK_H_

// A small RAII wrapper around the real YARA engine (Debian's libyara 4.2.3):
// compile rule text, keep the compiled rules, scan bytes. The backend uses
// it to check every generated file; `ward test` / `ward scan` use it to run
// rules. libyara's headers stay inside libyara_check.cc.
//
// Threads: libyara is initialised once per process (yr_initialize is not
// safe to race); CompileRules may run on several threads at once (one
// YR_COMPILER each), and compiled rules may be scanned from several threads
// at once.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct YR_RULES;  // libyara's compiled rule set

namespace ward::backends::yara {

// The libyara this ward was built with ("4.2.3"): a build cache of its
// verdicts is only trusted by the same version.
std::string LibyaraVersion();

// One error or warning from libyara's compiler.
struct CompileMessage {
  bool is_error = true;
  size_t chunk = 0;   // which of the compiled texts (0-based)
  int line = 0;       // 1-based line within that text; 0 when unknown
  std::string rule;   // the rule being compiled, when libyara says
  std::string text;   // libyara's own message
};

// Compiled rules; destroys them with yr_rules_destroy.
class CompiledRules {
 public:
  explicit CompiledRules(YR_RULES* rules) : rules_(rules) {}
  ~CompiledRules();
  CompiledRules(const CompiledRules&) = delete;
  CompiledRules& operator=(const CompiledRules&) = delete;

  YR_RULES* get() const { return rules_; }

 private:
  YR_RULES* rules_;
};

struct CompileResult {
  std::unique_ptr<CompiledRules> rules;  // null when there was any error
  std::vector<CompileMessage> messages;  // errors and warnings, in order
  bool ok() const { return rules != nullptr; }
  size_t error_count() const;
  size_t warning_count() const;
};

// Compiles the texts in order into one rule set (one namespace), as if they
// were concatenated files: a later text may use rules of an earlier one.
// `include` directives are refused; compile the included texts as chunks.
CompileResult CompileRules(const std::vector<std::string_view>& chunks);
inline CompileResult CompileRules(std::string_view text) {
  return CompileRules(std::vector<std::string_view>{text});
}

struct ScanResult {
  bool ok = true;               // false if libyara failed (timeout, memory)
  std::string error;            // set when !ok
  std::vector<std::string> matched;  // matching non-private rules, in rule order
};

// Scans `bytes` with `rules`.
ScanResult Scan(const CompiledRules& rules, std::string_view bytes, int timeout_seconds = 60);

// The names of the non-private rules that match `bytes` (empty on failure).
std::vector<std::string> ScanBytes(const CompiledRules& rules, std::string_view bytes);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_LIBYARA_CHECK_H_
