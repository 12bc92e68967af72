#ifndef WARD_FUZZ_FUZZ_COMPILE_H_
#define WARD_FUZZ_FUZZ_COMPILE_H_

// Parse and check one Ward file held in memory, the way the driver does for
// a file on disk, but without touching the file system: a fuzzer runs this
// tens of thousands of times a second.

#include <string>

#include "compiler/driver/pipeline.h"
#include "compiler/support/diagnostic.h"

namespace ward::fuzz {

// Null only when nothing could be parsed; check diags.has_errors() before
// handing the program to a backend or the evaluator.
std::unique_ptr<driver::Compilation> CompileText(std::string text, DiagnosticEngine& diags);

}  // namespace ward::fuzz

#endif  // WARD_FUZZ_FUZZ_COMPILE_H_
