// What the command-line tests share: running `ward` in-process exactly as
// main() does, and a scratch directory per test that is removed afterwards.
// Header-only, so each test area links nothing more than ward_driver.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/cli.h"

namespace ward::test_support {

// What one `ward ...` invocation returned and printed.
struct CliRun {
  int code;
  std::string out, err;
};

// Runs `ward ARGS...` with stdout and stderr captured (no terminal: no colour,
// no progress bar).
inline CliRun Ward(std::vector<std::string> args) {
  args.insert(args.begin(), "ward");
  std::ostringstream out, err;
  driver::CliStreams streams{out, err, false};
  int code = driver::RunCli(args, streams);
  return {code, out.str(), err.str()};
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fixture that gives each test an empty directory of its own, named after
// the test so that parallel ctest runs never share one.
class ScratchDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("ward-" + std::string(info->test_suite_name()) + "-" + std::to_string(::getpid()) +
            "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes BYTES to DIR/REL (creating its folders) and returns the full path.
  std::string Write(const std::string& rel, std::string_view bytes) {
    std::filesystem::path path = dir_ / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  std::string Read(const std::string& rel) const { return ReadFile(dir_ / rel); }

  std::filesystem::path dir_;
};

}  // namespace ward::test_support
