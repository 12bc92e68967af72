#ifndef WARD_COMPILER_DRIVER_CLI_H_
#define WARD_COMPILER_DRIVER_CLI_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace ward::driver {

// Exit codes of the `ward` tool.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInputErrors = 1;  // errors in the input (or, for check-like modes, findings)
inline constexpr int kExitUsage = 2;        // bad command line, I/O failure

struct CliStreams {
  std::ostream& out;
  std::ostream& err;
  bool err_is_terminal = false;
};

// Runs the command line `args` (args[0] is the program name). Never throws.
int RunCli(const std::vector<std::string>& args, const CliStreams& streams);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_CLI_H_
