#ifndef WARD_BACKENDS_MAPPING_PRINTERS_H_
#define WARD_BACKENDS_MAPPING_PRINTERS_H_

// One printer per output format, each in its own file (<format>_printer.cc).
// Printers read only the TraceModel, produce deterministic text (the same
// model always prints the same bytes) and never fail: lowering has already
// resolved everything they need. docs/mappings.md describes each format.

#include <map>
#include <optional>
#include <string>

#include "backends/mapping/framework_refs.h"
#include "backends/mapping/rule_text.h"
#include "backends/mapping/trace_model.h"

namespace ward::backends::mapping {

// mappings/traceability.md: GitHub-flavoured Markdown tables.
std::string PrintMarkdown(const TraceModel& model);

// mappings/traceability.csv: RFC 4180, one row per edge, CRLF line ends.
std::string PrintCsv(const TraceModel& model);

// mappings/traceability.json: Ward's own format, docs/schemas/ward-mapping.schema.json.
std::string PrintJson(const TraceModel& model);

// mappings/stix-bundle.json: a STIX 2.1 bundle. `rules` (IndexEmittedRules)
// supplies the indicator patterns.
std::string PrintStixBundle(const TraceModel& model,
                            const std::map<std::string, EmittedRule>& rules);

// mappings/oscal-mapping.json: an OSCAL 1.2 mapping-collection from Ward's
// mitigations to the framework controls they implement; nullopt when no
// mitigation implements a control (the format needs at least one mapping).
std::optional<std::string> PrintOscalMapping(const TraceModel& model);

// An ATT&CK Navigator 4.5 layer for ATLAS or ATT&CK; nullopt when no threat
// maps to a technique of that framework.
std::optional<std::string> PrintNavigatorLayer(const TraceModel& model, KnownFramework framework);

// mappings/report.html: one self-contained page.
std::string PrintHtmlReport(const TraceModel& model);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_PRINTERS_H_
