#ifndef WARD_COMPILER_DRIVER_IMPORT_RUN_H_
#define WARD_COMPILER_DRIVER_IMPORT_RUN_H_

// `ward import sigma` and `ward import yara` without the command line: read
// rule files, write Ward files in memory, check them with Ward's own
// frontend (and, for YARA, rebuild them with libyara), and count what was
// imported. import_command.cc adds the CLI and writes the files.
//
// Layout: one Ward file per package. Sigma: one package per input folder,
// named after the folder path (`rules/windows/process_creation` ->
// `rules.windows.process_creation`). YARA: one package per input file
// (folder path plus file name), because a YARA `global` rule governs only
// the rules of its own file.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::driver {

struct ImportStats {
  size_t files = 0;          // rule files read
  size_t refused_files = 0;  // files refused as a whole (invalid YAML, libyara errors)
  size_t rules = 0;          // rules (documents) found
  size_t imported = 0;       // rules written as Ward
  size_t warned = 0;         // of those, rules with at least one warning
  size_t refused = 0;        // rules not written
};

// What an imported rule became, for tests and reports.
struct ImportedRule {
  std::string source_path;     // the rule file
  std::string original_name;   // YARA rule name / Sigma title
  std::string qualified_name;  // the Ward detection, empty when refused
  bool refused = false;
  std::string reason;
};

struct ImportResult {
  backends::OutputSet out;  // relative path -> Ward text
  ImportStats stats;
  std::vector<ImportedRule> rules;
};

ImportResult ImportSigma(const std::vector<std::string>& paths, SourceManager& sources,
                         DiagnosticEngine& diags);
ImportResult ImportYara(const std::vector<std::string>& paths, SourceManager& sources,
                        DiagnosticEngine& diags);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_IMPORT_RUN_H_
