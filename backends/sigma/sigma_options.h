#ifndef WARD_BACKENDS_SIGMA_SIGMA_OPTIONS_H_
#define WARD_BACKENDS_SIGMA_SIGMA_OPTIONS_H_

// Options of the Sigma backend, read from BackendContext::options.

#include <map>
#include <optional>
#include <string>

#include "compiler/support/diagnostic.h"

namespace ward::backends::sigma {

enum class Profile {
  kDefault,  // spec-valid Sigma v2.1, Ward metadata as given
  kSigmaHq,  // also SigmaHQ's conventions: Title Case, required fields, standard tags only
};

struct SigmaOptions {
  Profile profile = Profile::kDefault;
  std::string build_date;  // YYYY-MM-DD fallback for `date` under the sigmahq profile
};

inline constexpr const char* kProfileOption = "sigma-profile";

// nullopt after reporting E0802 for an unknown profile.
std::optional<SigmaOptions> ParseSigmaOptions(const std::map<std::string, std::string>& options,
                                              const std::string& build_date,
                                              DiagnosticEngine& diags);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_OPTIONS_H_
