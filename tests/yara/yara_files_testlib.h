#ifndef WARD_TESTS_YARA_YARA_FILES_TESTLIB_H_
#define WARD_TESTS_YARA_YARA_FILES_TESTLIB_H_

// Helpers for tests that work on YARA files on disk, the way a user loads
// them: an `out/yara/` directory written by `ward build`, its `all.yar`
// index, and the `ward` command line itself.

#include <filesystem>
#include <string>
#include <vector>

namespace ward::yara_test {

std::string ReadWholeFile(const std::filesystem::path& path);

// One file of a YARA output directory.
struct YaraFile {
  std::string name;  // relative to the yara/ directory: "cosai.supply_chain.yar"
  std::string text;
};

// The files `all.yar` includes, in its include order. `error` is set (and
// the result is incomplete) when the index is malformed or names a file
// that does not exist.
std::vector<YaraFile> LoadIndex(const std::filesystem::path& yara_dir, std::string* error);

// The files named by a package file's "// Uses rules from a.yar, b.yar:"
// header line (empty when it has none).
std::vector<std::string> DeclaredDependencies(const std::string& text);

// `ward ARGS...`, run in process.
struct WardResult {
  int code = 0;
  std::string out, err;
};
WardResult RunWard(std::vector<std::string> args);

// The directory of the source tree (tests run from it).
std::filesystem::path SourceDir();

}  // namespace ward::yara_test

#endif  // WARD_TESTS_YARA_YARA_FILES_TESTLIB_H_
