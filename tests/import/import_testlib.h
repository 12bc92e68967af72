#ifndef WARD_TESTS_IMPORT_IMPORT_TESTLIB_H_
#define WARD_TESTS_IMPORT_IMPORT_TESTLIB_H_

#include <optional>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"
#include "tests/testing/ward_cli.h"

namespace ward::import_test {

using test_support::CliRun;
using test_support::SharedReference;
using test_support::TempDir;
using test_support::Ward;

// Runs `ward check` on a ruleset directory holding `files` (relative path ->
// text) plus a ward.yaml; returns the run with diagnostics in text form.
CliRun CheckRuleset(const TempDir& dir, const std::string& folder,
                    const std::vector<std::pair<std::string, std::string>>& files,
                    const std::vector<std::string>& extra_flags = {});

// The provenance lines of a generated catalog's header (what was passed with
// --note): the comment lines after "Do not edit by hand..." up to the blank one.
std::vector<std::string> HeaderNotes(const std::string& catalog_text);

size_t CountOccurrences(const std::string& text, const std::string& needle);

}  // namespace ward::import_test

#endif  // WARD_TESTS_IMPORT_IMPORT_TESTLIB_H_
