// Scratch files and external programs for tests: a temporary directory that
// removes itself, running a shell command, and finding ../shared/reference.
// Header-only: every test area can use it without another library.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ward::test_support {

// A fresh directory under the system temporary directory (mkdtemp: unique
// even across parallel test processes), removed with its contents at
// destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ward-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes BYTES to RELATIVE (creating its folders); returns the full path.
  std::string Write(const std::string& relative, std::string_view bytes) const {
    const std::filesystem::path full = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << bytes;
    return full.string();
  }
  std::string Read(const std::string& relative) const {
    std::ifstream in(std::filesystem::path(path_) / relative, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  bool Exists(const std::string& relative) const {
    return std::filesystem::exists(std::filesystem::path(path_) / relative);
  }

 private:
  std::string path_;
};

// Runs COMMAND through the shell; returns its exit status (-1 if it did not
// exit normally) and, when OUTPUT is given, what it wrote to stdout and stderr.
inline int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer;
  std::string text;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) text.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  if (output != nullptr) *output = std::move(text);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline bool HaveProgram(const std::string& name) {
  return RunCommand("command -v " + name + " >/dev/null", nullptr) == 0;
}

// ../shared/reference/RELATIVE next to the source tree (or under
// $WARD_SHARED_DIR/reference), or nullopt when it is absent, as it is in a
// user's clone: tests that need it skip then.
inline std::optional<std::string> SharedReference(const std::string& relative) {
  std::filesystem::path base = std::filesystem::path(WARD_SOURCE_DIR) / ".." / "shared";
  if (const char* env = std::getenv("WARD_SHARED_DIR"); env != nullptr && *env != '\0') base = env;
  const std::filesystem::path path = base / "reference" / relative;
  if (!std::filesystem::exists(path)) return std::nullopt;
  return std::filesystem::weakly_canonical(path).string();
}

}  // namespace ward::test_support
