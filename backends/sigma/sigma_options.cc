#include "backends/sigma/sigma_options.h"

#include <fmt/format.h>

namespace ward::backends::sigma {

std::optional<SigmaOptions> ParseSigmaOptions(const std::map<std::string, std::string>& options,
                                              const std::string& build_date,
                                              DiagnosticEngine& diags) {
  SigmaOptions result;
  result.build_date = build_date;
  auto it = options.find(kProfileOption);
  if (it == options.end() || it->second.empty() || it->second == "default") return result;
  if (it->second == "sigmahq") {
    result.profile = Profile::kSigmaHq;
    return result;
  }
  diags.Report(Diag(DiagCode::kInvalidBackendOption, Span{},
                    fmt::format("unknown Sigma profile `{}`", it->second))
                   .Help("use `--sigma-profile default` or `--sigma-profile sigmahq`"));
  return std::nullopt;
}

}  // namespace ward::backends::sigma
