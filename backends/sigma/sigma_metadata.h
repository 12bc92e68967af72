#ifndef WARD_BACKENDS_SIGMA_SIGMA_METADATA_H_
#define WARD_BACKENDS_SIGMA_SIGMA_METADATA_H_

// The metadata fields of a Sigma document (title to tags, falsepositives,
// level) from a Ward detection or filter, per profile:
//   default  - what the Ward source says; nothing invented.
//   sigmahq  - SigmaHQ's conventions: Title Case title without a final dot,
//              and the fields SigmaHQ requires (author, date, description,
//              falsepositives, level, status, tags, references). Missing ones
//              get the conventional default where one exists (status
//              `experimental`, falsepositives `Unknown`, the build date, a
//              "Detects ..." description from the title) and one W0804
//              warning per declaration lists what was missing.

#include <string>
#include <string_view>

#include "backends/sigma/sigma_model.h"
#include "backends/sigma/sigma_options.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::backends::sigma {

// For a detection (rule or correlation). Returns false after reporting an
// error (e.g. a title over 256 characters, an ID that is not a UUID).
bool LowerDetectionMetadata(const ir::Program& program, const ir::Detection& detection,
                            const SigmaOptions& options, DiagnosticEngine& diags, Metadata& out);

// For a meta filter: title, id, description, references, author, date,
// modified (a filter has no level, status or tags).
bool LowerFilterMetadata(const ir::Program& program, const ir::Filter& filter,
                         const SigmaOptions& options, DiagnosticEngine& diags, Metadata& out);

// SigmaHQ's Title Case: capitalises all-lowercase words except the small
// words SigmaHQ keeps lowercase (a, an, and, as, at, by, for, from, in, new,
// of, on, or, over, the, through, to, via, with, without) when not first,
// and words with `.`, `/`, `_` or a leading digit.
std::string TitleCase(std::string_view title);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_METADATA_H_
