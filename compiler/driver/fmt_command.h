#ifndef WARD_COMPILER_DRIVER_FMT_COMMAND_H_
#define WARD_COMPILER_DRIVER_FMT_COMMAND_H_

// `ward fmt [--check] [--diff] PATH...`: rewrites Ward files in the canonical
// layout (compiler/format). PATH is a file, a directory (every *.ward below
// it, in sorted order) or `-` (stdin to stdout). Files are replaced
// atomically and only when their text changes; a file with syntax errors is
// never touched. Exit 0 when all is well, 1 when a file has errors or, with
// --check, would change; 2 for usage and I/O errors.

#include <iosfwd>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"

namespace CLI {
class App;
}

namespace ward::driver {

struct FmtCommandOptions {
  std::vector<std::string> paths;
  bool check = false;  // write nothing; list the files that would change
  bool diff = false;   // with --check (or `-`): print a unified diff
  bool quiet = false;
  std::string color = "auto";
};

CLI::App* AddFmtCommand(CLI::App& app, FmtCommandOptions& options);

// `in` is read when a path is `-`.
int RunFmtCommand(const FmtCommandOptions& options, const CliStreams& streams, std::istream& in);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_FMT_COMMAND_H_
