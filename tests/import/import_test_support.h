#ifndef WARD_TESTS_IMPORT_IMPORT_TEST_SUPPORT_H_
#define WARD_TESTS_IMPORT_IMPORT_TEST_SUPPORT_H_

// Helpers for the Sigma reader tests: reading YAML text, looking at the
// diagnostics, and printing IR expressions in a compact form that tests
// compare against:  and(...) or(...) not(...) @selection
// field|mod=[value, ...]  where 'text' is exact text, ~'p*' a wildcard
// pattern, and numbers, true/false and null are themselves.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/import/sigma_reader.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::import_test {

struct ReadResult {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  DiagnosticEngine diags;
  import::SigmaImport import;

  bool Has(DiagCode code) const;
  size_t Count(DiagCode code) const;
  // "3:14 E1003 message" for each diagnostic, for failure messages.
  std::string Render() const;
  // "line:col" of the first diagnostic with this code ("" if none).
  std::string Where(DiagCode code) const;

  const ir::Detection& Rule(size_t i = 0) const;  // fails the test if absent
  const ir::SigmaLogic& Logic(size_t i = 0) const;
};

// Reads one file (any number of documents) and finishes the import.
std::unique_ptr<ReadResult> ReadSigma(const std::string& text,
                                      const std::string& path = "rule.yml");
// Several files in one import.
std::unique_ptr<ReadResult> ReadSigmaFiles(
    const std::vector<std::pair<std::string, std::string>>& files);

std::string Describe(const ir::SigmaExpr& expr, const std::vector<ir::SigmaSelection>& selections);
// Every selection as `name: <expr>` and the condition, one per line.
std::string DescribeLogic(const ir::SigmaLogic& logic);
std::string DescribeValue(const ir::SigmaValue& value);

// The SigmaHQ sample rules in ../shared/reference/sigma/rules-sample (or
// under $WARD_SHARED/reference/... when set, for worktrees that have no
// ../shared): relative paths, sorted. nullopt when the folder is absent.
struct SampleRules {
  std::string root;
  std::vector<std::string> paths;
};
std::optional<SampleRules> FindSampleRules();
std::string ReadWholeFile(const std::string& path);

}  // namespace ward::import_test

#endif  // WARD_TESTS_IMPORT_IMPORT_TEST_SUPPORT_H_
