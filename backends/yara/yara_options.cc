#include "backends/yara/yara_options.h"

namespace ward::backends::yara {

YaraOptions ParseYaraOptions(const std::map<std::string, std::string>& options,
                             DiagnosticEngine& diags) {
  YaraOptions out;
  auto check = options.find("yara-check");
  if (check != options.end()) {
    const std::string& value = check->second;
    if (value == "true" || value == "on" || value == "yes" || value == "1") {
      out.check = true;
    } else if (value == "false" || value == "off" || value == "no" || value == "0") {
      out.check = false;
    } else {
      diags.Report(Diag(DiagCode::kInvalidEnumValue, Span{},
                        "invalid value `" + value + "` for option `yara-check`")
                       .Help("use `yara-check=true` or `yara-check=false`"));
    }
  }
  return out;
}

}  // namespace ward::backends::yara
