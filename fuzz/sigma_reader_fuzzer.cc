// The Sigma YAML reader (`ward import sigma`) on fuzzed documents: rules,
// correlations and filters, read, cross-resolved and turned into a program.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/import/sigma_reader.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ward::SourceManager sources;
  ward::DiagnosticEngine diags;
  ward::import::SigmaReader reader(sources, diags);
  reader.ReadText("fuzz.yml", std::string(reinterpret_cast<const char*>(data), size));
  (void)ward::import::ToProgram(reader.Finish());
  return 0;
}
