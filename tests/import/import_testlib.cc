#include "tests/import/import_testlib.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/cli.h"

namespace ward::import_test {

namespace fs = std::filesystem;

CliRun CheckRuleset(const TempDir& dir, const std::string& folder,
                    const std::vector<std::pair<std::string, std::string>>& files,
                    const std::vector<std::string>& extra_flags) {
  dir.Write(folder + "/ward.yaml", "name: import-test\n");
  for (const auto& [relative, text] : files) dir.Write(folder + "/" + relative, text);
  std::vector<std::string> args = {"check", dir.path() + "/" + folder, "--color", "never",
                                   "--no-coverage-warnings"};
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  return Ward(args);
}

std::vector<std::string> HeaderNotes(const std::string& catalog_text) {
  std::vector<std::string> notes;
  std::istringstream lines(catalog_text);
  std::string line;
  bool in_notes = false;
  while (std::getline(lines, line) && line.rfind("//", 0) == 0) {
    if (line == "//") break;
    if (in_notes) notes.push_back(line.substr(3));
    if (line.rfind("// Do not edit by hand", 0) == 0) in_notes = true;
  }
  return notes;
}

size_t CountOccurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace ward::import_test
