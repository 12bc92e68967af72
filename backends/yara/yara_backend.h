#ifndef WARD_BACKENDS_YARA_YARA_BACKEND_H_
#define WARD_BACKENDS_YARA_YARA_BACKEND_H_

// The YARA backend: `detection yara` rules -> yara/<package>.yar per Ward
// package plus yara/all.yar, which includes them in dependency order. Every
// file is compiled with libyara 4.2.3 before Emit reports success; see
// docs/yara.md for the output conventions.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/common/backend.h"

namespace ward::backends::yara {

std::unique_ptr<Backend> MakeYaraBackend();

// The generated rule texts without checking or writing them, for `ward test`
// and `ward scan`: compile `texts` in order with CompileRules
// (libyara_check.h), scan with ScanBytes, and map the matched names back to
// detections with `rule_names`.
struct GeneratedRules {
  std::vector<std::string> paths;  // "cosai.supply_chain.yar", include order
  std::vector<std::string> texts;  // parallel to paths
  std::map<const ir::Detection*, std::string> rule_names;
};

struct GenerateOptions {
  std::string build_date;
  // Print private rules as ordinary ones, so a scan reports their matches
  // too (libyara never reports private rules); for testing them.
  bool reveal_private = false;
};

// nullopt (after reporting) when the rules cannot be generated.
std::optional<GeneratedRules> GenerateRules(const ir::Program& program,
                                            const GenerateOptions& options,
                                            DiagnosticEngine& diags);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_BACKEND_H_
