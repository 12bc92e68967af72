// Feeds arbitrary bytes to the parser: it must never crash, hang or leak,
// whatever the input (binary, invalid UTF-8, deep nesting...). The outline
// scan reads the same bytes: it must not crash either, and a file that parses
// without a single diagnostic must have the parser's outline (otherwise
// builds of it would silently lose the outline path; outline.h).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/outline.h"
#include "compiler/syntax/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ward::SourceManager sources;
  ward::FileId id = sources.Add("fuzz.ward", std::string(reinterpret_cast<const char*>(data), size));
  ward::DiagnosticEngine diags;
  std::optional<ward::ast::File> parsed = ward::syntax::ParseFile(*sources.Get(id), diags);
  std::optional<ward::ast::File> outline = ward::syntax::ScanOutline(*sources.Get(id));
  if (parsed && diags.diagnostics().empty()) {
    if (!outline || !ward::syntax::SameOutline(*outline, *parsed)) std::abort();
  }
  return 0;
}
