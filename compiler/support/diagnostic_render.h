#ifndef WARD_COMPILER_SUPPORT_DIAGNOSTIC_RENDER_H_
#define WARD_COMPILER_SUPPORT_DIAGNOSTIC_RENDER_H_

// Renderers for diagnostics: human text (rustc style), JSON and SARIF 2.1.0.
// Producers only report into a DiagnosticEngine; the driver passes the sorted
// list to one of these. Rendering is the only place where byte offsets are
// turned into lines and columns.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward {

struct TextOptions {
  bool color = false;       // ANSI colours (only when writing to a terminal)
  bool show_source = true;  // print the source snippet under the header
};

// rustc-style text; every diagnostic is followed by one blank line.
//   error[E0200]: unresolved reference `safe_formatz`
//     --> rulesets/cosai/threats.ward:12:17
//      |
//   12 |   mitigated_by: safe_formatz, model_signing
//      |                 ^^^^^^^^^^^^ no mitigation with this name
//      |
//      = help: did you mean `safe_formats`?
// Control characters from source lines, paths and messages are never written
// raw, so a hostile file cannot send escape sequences to the terminal.
std::string RenderText(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                       const TextOptions& options);

// "error: could not compile due to 3 errors; 2 warnings emitted",
// "2 warnings emitted", or "" when both counts are zero. Ends without newline.
std::string RenderSummary(size_t errors, size_t warnings, bool color);

// One object per diagnostic, keys in a fixed order (see the .cc file for the
// field list). Lines and columns are 1-based; columns count code points and
// end positions are exclusive. Location fields are null for diagnostics that
// have no span.
nlohmann::ordered_json RenderJson(const std::vector<Diagnostic>& diags,
                                  const SourceManager& sources);


// A SARIF 2.1.0 log with one run. Artifact URIs are relative to `root_dir`
// (uriBaseId SRCROOT); files outside it get absolute file:// URIs.
nlohmann::ordered_json RenderSarif(const std::vector<Diagnostic>& diags,
                                   const SourceManager& sources, std::string_view tool_version,
                                   std::string_view root_dir);

}  // namespace ward

#endif  // WARD_COMPILER_SUPPORT_DIAGNOSTIC_RENDER_H_
