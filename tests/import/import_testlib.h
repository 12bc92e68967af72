#ifndef WARD_TESTS_IMPORT_IMPORT_TESTLIB_H_
#define WARD_TESTS_IMPORT_IMPORT_TESTLIB_H_

#include <optional>
#include <string>
#include <vector>

namespace ward::import_test {

// What `ward ARGS...` printed and returned.
struct CliRun {
  int code = 0;
  std::string out, err;
};
CliRun Ward(std::vector<std::string> args);

// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `text` to `relative` (creating folders) and returns the full path.
  std::string Write(const std::string& relative, const std::string& text) const;
  std::string Read(const std::string& relative) const;
  bool Exists(const std::string& relative) const;

 private:
  std::string path_;
};

// A file of the official distributions copied under ../shared/reference (or
// under $WARD_SHARED_DIR/reference), or nullopt when they are not there: a
// user's clone has no ../shared, and the tests that need it skip.
std::optional<std::string> SharedReference(const std::string& relative);

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
