#ifndef WARD_COMPILER_DRIVER_TEST_COMMAND_H_
#define WARD_COMPILER_DRIVER_TEST_COMMAND_H_

// `ward test [PATH...]`: compiles the ruleset in memory and runs every test
// case written next to its detections. Sigma tests go through the Sigma
// evaluator (compiler/eval), YARA tests through libyara with the rules the
// YARA backend generates. Exit 0 when every test passes, 1 when one fails
// (or the ruleset has errors), 2 for usage and I/O errors.

#include <string>
#include <vector>

#include "compiler/driver/cli.h"

namespace CLI {
class App;
}

namespace ward::driver {

struct TestCommandOptions {
  std::vector<std::string> paths;
  std::string filter;           // glob over `package.rule` and `package.rule:test name`
  std::string junit;            // write JUnit XML here
  std::string format = "text";  // text or json (stdout)
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;  // also list the tests that pass
  unsigned jobs = 0;
  std::vector<std::string> placeholders;  // NAME=VALUE[,VALUE...] for `expand`
};

// Registers the `test` subcommand; `options` receives the parsed values.
CLI::App* AddTestCommand(CLI::App& app, TestCommandOptions& options);

int RunTestCommand(const TestCommandOptions& options, const CliStreams& streams);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_TEST_COMMAND_H_
