#include "backends/mapping/mapping_options.h"

#include <string_view>

namespace ward::backends::mapping {

MappingOptions ParseMappingOptions(const std::map<std::string, std::string>& options,
                                   DiagnosticEngine& diags) {
  MappingOptions out;
  auto it = options.find("mapping-formats");
  if (it == options.end() || it->second == "all") return out;

  MappingOptions none;
  none.markdown = none.csv = none.json = none.stix = none.oscal = none.navigator = none.html =
      false;
  const std::map<std::string_view, bool MappingOptions::*> kFormats = {
      {"markdown", &MappingOptions::markdown}, {"md", &MappingOptions::markdown},
      {"csv", &MappingOptions::csv},           {"json", &MappingOptions::json},
      {"stix", &MappingOptions::stix},         {"oscal", &MappingOptions::oscal},
      {"navigator", &MappingOptions::navigator}, {"html", &MappingOptions::html},
  };
  std::string_view list = it->second;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) continue;
    auto format = kFormats.find(name);
    if (format == kFormats.end()) {
      diags.Report(Diag(DiagCode::kInvalidBackendOption, Span{},
                        "unknown mapping format `" + std::string(name) +
                            "` in option `mapping-formats`")
                       .Help("use a comma-separated list of markdown, csv, json, stix, oscal, "
                             "navigator and html, or `all`"));
      continue;
    }
    none.*(format->second) = true;
  }
  return none;
}

}  // namespace ward::backends::mapping
