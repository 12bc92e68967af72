// The whole pipeline on one fuzzed file: parse, check, then every backend
// (Sigma, YARA, mapping documents) and the IR's JSON form, all in memory.
// Whatever the input, the compiler must report diagnostics, never crash,
// hang, leak or hit undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string>

#include "backends/common/backend.h"
#include "compiler/ir/ir_json.h"
#include "fuzz/fuzz_compile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ward::DiagnosticEngine diags;
  auto compilation =
      ward::fuzz::CompileText(std::string(reinterpret_cast<const char*>(data), size), diags);
  if (!compilation || !compilation->program || diags.has_errors()) return 0;
  ward::backends::OutputSet out;
  std::vector<std::string> names;
  for (const auto& backend : ward::driver::AllBackends()) names.emplace_back(backend->name());
  ward::driver::RunBackendsAt(*compilation, names, {}, "2026-01-01", diags, out);
  (void)ward::ir::ToJson(*compilation->program, compilation->sources)
      .dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
