// The whole pipeline on one fuzzed file: parse, check, then every backend
// (Sigma, YARA, mapping documents) and the IR's JSON form, all in memory.
// Whatever the input, the compiler must report diagnostics, never crash,
// hang, leak or hit undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/ir/ir_json.h"
#include "fuzz/fuzz_compile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ward::DiagnosticEngine diags;
  auto compilation =
      ward::fuzz::CompileText(std::string(reinterpret_cast<const char*>(data), size), diags);
  if (!compilation || !compilation->program || diags.has_errors()) return 0;
  ward::backends::OutputSet out;
  ward::fuzz::RunAllBackends(*compilation, diags, out);
  (void)ward::ir::ToJson(*compilation->program, compilation->sources)
      .dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
