// Feeds arbitrary bytes to the parser: it must never crash, hang or leak,
// whatever the input (binary, invalid UTF-8, deep nesting...).
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ward::SourceManager sources;
  ward::FileId id = sources.Add("fuzz.ward", std::string(reinterpret_cast<const char*>(data), size));
  ward::DiagnosticEngine diags;
  (void)ward::syntax::ParseFile(*sources.Get(id), diags);
  return 0;
}
