#ifndef WARD_COMPILER_FORMAT_FORMATTER_H_
#define WARD_COMPILER_FORMAT_FORMATTER_H_

// `ward fmt` for one file: parse (syntax errors are reported and nothing is
// formatted), lay out, then read the result back and check that it holds the
// same tokens and comments as the original (E1100 otherwise).

#include <optional>
#include <string>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/parser.h"

namespace ward::format {

// The canonical text of `file`, or nullopt when the file has syntax errors
// or the self-check fails; the reasons are in `diags`.
std::optional<std::string> FormatFile(const SourceFile& file, DiagnosticEngine& diags,
                                      const syntax::ParseOptions& options = {});

// The same for text that is known to parse (tests); nullopt if it does not.
std::optional<std::string> FormatText(std::string_view text);

}  // namespace ward::format

#endif  // WARD_COMPILER_FORMAT_FORMATTER_H_
