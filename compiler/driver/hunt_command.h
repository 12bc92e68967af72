#ifndef WARD_COMPILER_DRIVER_HUNT_COMMAND_H_
#define WARD_COMPILER_DRIVER_HUNT_COMMAND_H_

// `ward hunt RULESET --events FILE.jsonl|-`: compiles the ruleset's Sigma
// detections, filters and correlations in memory and streams JSON Lines
// events (plain or gzip) through them. Matches go to stdout (or -o FILE) as
// JSON Lines, in input order. Exit 1 when something matched, 0 when nothing
// did, 2 for errors (a ruleset that does not compile, an unreadable input).

#include <string>

#include "compiler/driver/cli.h"

namespace CLI {
class App;
}

namespace ward::driver {

struct HuntCommandOptions {
  std::string ruleset;
  std::string events;         // a file, or "-" for stdin
  std::string output;         // empty: stdout
  unsigned threads = 0;       // 0: every core
  bool verbose = false;       // always print the summary line
  bool no_prefilter = false;  // evaluate every rule on every event (for measurements)
};

CLI::App* AddHuntCommand(CLI::App& app, HuntCommandOptions& options);
int RunHuntCommand(const HuntCommandOptions& options, const CliStreams& streams);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_HUNT_COMMAND_H_
