#ifndef WARD_COMPILER_DRIVER_SCAN_COMMAND_H_
#define WARD_COMPILER_DRIVER_SCAN_COMMAND_H_

// `ward scan RULESET PATH...`: compiles the ruleset's YARA detections in
// memory and scans files and directory trees with libyara. Matches go to
// stdout as text (`path: package.rule`) or JSON Lines. Exit 1 when something
// matched (as antivirus scanners do), 0 when nothing did, 2 for errors (a
// ruleset that does not compile, an unreadable path, bad usage).

#include <string>
#include <vector>

#include "compiler/driver/cli.h"

namespace CLI {
class App;
}

namespace ward::driver {

struct ScanCommandOptions {
  std::string ruleset;
  std::vector<std::string> paths;
  std::string format = "text";  // text or jsonl
  unsigned threads = 0;         // 0: every core
  int timeout_seconds = 60;     // per file
  bool quiet = false;           // no summary line, no progress
};

CLI::App* AddScanCommand(CLI::App& app, ScanCommandOptions& options);
int RunScanCommand(const ScanCommandOptions& options, const CliStreams& streams);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_SCAN_COMMAND_H_
