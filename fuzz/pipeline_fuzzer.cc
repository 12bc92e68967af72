// The whole pipeline on one fuzzed file: parse, check, every backend in
// memory. Written to a temporary directory because the driver reads files.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "backends/common/backend.h"
#include "compiler/driver/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("ward-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  {
    std::ofstream out(dir / "input.ward", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  ward::DiagnosticEngine diags;
  ward::driver::CompileOptions options;
  options.paths = {dir.string()};
  options.jobs = 1;
  auto compilation = ward::driver::Compile(options, diags);
  if (compilation && compilation->program && !diags.has_errors()) {
    ward::backends::OutputSet out;
    std::vector<std::string> names;
    for (const auto& backend : ward::driver::AllBackends()) names.emplace_back(backend->name());
    ward::driver::RunBackends(*compilation, names, {}, diags, out);
  }
  return 0;
}
