// The `ward` command-line tool: see compiler/driver/cli.cc.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv, argv + argc);
  ward::driver::CliStreams streams{std::cout, std::cerr, ::isatty(STDERR_FILENO) == 1};
  int code = ward::driver::RunCli(args, streams);
  std::cout.flush();
  std::cerr.flush();
  return code;
}
