#ifndef WARD_COMPILER_DRIVER_OUTPUT_NAMES_H_
#define WARD_COMPILER_DRIVER_OUTPUT_NAMES_H_

// Checks the names of a build's output files before anything is written:
// every path must stay inside the output directory, and no two may differ
// only in letter case (they would overwrite each other on macOS and Windows
// file systems). Backends derive file names from package and rule names, so
// a ruleset that builds on Linux must not silently lose a rule elsewhere.

#include "backends/common/backend.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::driver {

// Reports E0801 for two paths that differ only in case, and E0009 (an
// internal error: backends only make names from Ward's identifier alphabet)
// for a path that would leave the output directory. `program`, when given,
// lets each diagnostic point at the rule whose output it is. Returns false
// if an error was reported.
bool CheckOutputNames(const backends::OutputSet& out, const ir::Program* program,
                      DiagnosticEngine& diags);

// Reports W0805 once for each output file or directory named after a device
// Windows reserves (`aux.yar`, `sigma/con/`): the build works, but such a
// file cannot be checked out on Windows. Returns false if --deny-warnings
// made that an error.
bool WarnAboutReservedNames(const backends::OutputSet& out, const ir::Program* program,
                            DiagnosticEngine& diags);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_OUTPUT_NAMES_H_
