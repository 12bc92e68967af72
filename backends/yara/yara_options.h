#ifndef WARD_BACKENDS_YARA_YARA_OPTIONS_H_
#define WARD_BACKENDS_YARA_YARA_OPTIONS_H_

// Command-line options of the YARA backend (BackendContext::options).

#include <map>
#include <string>

#include "compiler/support/diagnostic.h"

namespace ward::backends::yara {

struct YaraOptions {
  // `yara-check=false` skips compiling the output with libyara. Only for
  // machines without the engine: unchecked output may not load anywhere.
  bool check = true;
};

// Reads the options this backend knows and ignores the others (the map is
// shared by all backends). A malformed value is reported (E0301) and the
// default kept.
YaraOptions ParseYaraOptions(const std::map<std::string, std::string>& options,
                             DiagnosticEngine& diags);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_OPTIONS_H_
