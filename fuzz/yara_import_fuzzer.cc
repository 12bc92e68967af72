// The YARA import reader (`ward import yara`) on fuzzed rule files. The
// driver only hands it files libyara accepts, but the reader is fed raw bytes
// here: whatever it is given, it must refuse with a diagnostic, never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/yara_import/yara_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ward::SourceManager sources;
  ward::FileId id =
      sources.Add("fuzz.yar", std::string(reinterpret_cast<const char*>(data), size));
  const ward::SourceFile& file = *sources.Get(id);
  ward::DiagnosticEngine diags;
  (void)ward::yara_import::ListIncludes(file);
  ward::yara_import::RuleScope scope;
  ward::yara_import::YaraFile out;
  (void)ward::yara_import::ReadYaraFile(file, "imported.fuzz", scope, diags, out);
  return 0;
}
