#ifndef WARD_COMPILER_DRIVER_IMPORT_COMMAND_H_
#define WARD_COMPILER_DRIVER_IMPORT_COMMAND_H_

// `ward import sigma PATH... -o DIR` and `ward import yara PATH... -o DIR`:
// sub-subcommands of the `import` group that cli.cc creates (other import
// kinds, such as catalogs, live in their own files beside this one).

#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"

namespace CLI {
class App;
}

namespace ward::driver {

struct ImportCommands {
  CLI::App* sigma = nullptr;
  CLI::App* yara = nullptr;
  std::vector<std::string> paths;
  std::string out_dir;
  std::string format = "text";
  bool quiet = false;
};

// Adds `sigma` and `yara` to the `import` group.
void RegisterImportCommands(CLI::App& import_group, ImportCommands& commands);

// Runs whichever of them was parsed; nullopt when neither was.
std::optional<int> RunImportCommands(const ImportCommands& commands, const CliStreams& streams);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_IMPORT_COMMAND_H_
