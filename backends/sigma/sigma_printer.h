#ifndef WARD_BACKENDS_SIGMA_SIGMA_PRINTER_H_
#define WARD_BACKENDS_SIGMA_SIGMA_PRINTER_H_

// Writes the Sigma document model as YAML (yaml_block_writer.h), in
// SigmaHQ's layout: 4-space indentation with `- ` list items, LF line ends,
// UTF-8, detection strings single-quoted, metadata plain where YAML reads it
// back as the same string (quoted otherwise), fields in SigmaHQ's order.
// Documents of one file are separated by `---`.

#include <optional>
#include <string>
#include <string_view>

#include "backends/sigma/sigma_model.h"

namespace ward::backends::sigma {

std::string PrintDocument(const Document& document);
// The same text through yaml-cpp's emitter: the way documents were printed
// before the direct writer (yaml_block_writer.h), kept as the reference the
// printer's tests compare against and as the fallback for shapes the direct
// writer does not handle.
std::string PrintDocumentWithYamlCpp(const Document& document);
// The direct writer's text, or nullopt for a shape it leaves to yaml-cpp.
std::optional<std::string> PrintDocumentDirect(const Document& document);
std::string PrintFile(const OutputFile& file);

// True if `text` may be written as a plain YAML scalar and read back (by
// YAML 1.1 and 1.2 readers) as the same string.
bool IsPlainSafe(std::string_view text);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_PRINTER_H_
