#ifndef WARD_BACKENDS_SIGMA_SIGMA_BACKEND_H_
#define WARD_BACKENDS_SIGMA_SIGMA_BACKEND_H_

// The Sigma backend (`--emit sigma`): Sigma v2.1 rules, correlations and
// meta filters under `sigma/`. Option `sigma-profile` is `default` or
// `sigmahq` (SigmaHQ's conventions on top of the specification). The output
// mapping is documented in docs/sigma.md.

#include <memory>

#include "backends/common/backend.h"

namespace ward::backends::sigma {

std::unique_ptr<ward::backends::Backend> MakeSigmaBackend();

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_BACKEND_H_
