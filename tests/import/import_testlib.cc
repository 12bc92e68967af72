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

CliRun Ward(std::vector<std::string> args) {
  args.insert(args.begin(), "ward");
  std::ostringstream out, err;
  driver::CliStreams streams{out, err, false};
  CliRun run;
  run.code = driver::RunCli(args, streams);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path p = fs::temp_directory_path() /
               ("ward-import-" + std::to_string(::getpid()) + "-" +
                (info ? std::string(info->name()) : "x") + "-" + std::to_string(counter++));
  fs::remove_all(p);
  fs::create_directories(p);
  path_ = p.string();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& relative, const std::string& text) const {
  fs::path p = fs::path(path_) / relative;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

std::string TempDir::Read(const std::string& relative) const {
  std::ifstream in(fs::path(path_) / relative, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool TempDir::Exists(const std::string& relative) const {
  return fs::exists(fs::path(path_) / relative);
}

std::optional<std::string> SharedReference(const std::string& relative) {
  fs::path base = fs::path(WARD_SOURCE_DIR) / ".." / "shared";
  if (const char* env = std::getenv("WARD_SHARED_DIR"); env && *env) base = env;
  const fs::path path = base / "reference" / relative;
  if (!fs::exists(path)) return std::nullopt;
  return fs::weakly_canonical(path).string();
}

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
