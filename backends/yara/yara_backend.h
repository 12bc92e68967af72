#ifndef WARD_BACKENDS_YARA_YARA_BACKEND_H_
#define WARD_BACKENDS_YARA_YARA_BACKEND_H_

// The YARA backend: `detection yara` rules -> yara/<package>.yar per Ward
// package plus yara/all.yar, which includes them in dependency order. Every
// file is compiled with libyara 4.2.3 before Emit reports success; see
// docs/yara.md for the output conventions.

#include <memory>

#include "backends/common/backend.h"

namespace ward::backends::yara {

std::unique_ptr<Backend> MakeYaraBackend();

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_BACKEND_H_
