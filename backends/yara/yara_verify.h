#ifndef WARD_BACKENDS_YARA_YARA_VERIFY_H_
#define WARD_BACKENDS_YARA_YARA_VERIFY_H_

// Checks generated rule files with the real engine before anything is
// written. Each package file is compiled by libyara after the files it uses
// rules from, exactly as all.yar includes them; every libyara error becomes
// E0612 and every warning W0613, reported at the Ward span of the generated
// line libyara names, with libyara's own words as a note.

#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_model.h"
#include "backends/yara/yara_printer.h"
#include "compiler/support/diagnostic.h"

namespace ward::backends::yara {

struct VerifyOptions {
  // Threads compiling files at once, each with its own libyara compiler
  // (0: every core). The messages are reported in file order regardless.
  unsigned jobs = 0;
  // Exact compiles libyara accepted without an error or a warning in an
  // earlier build are skipped (they have nothing to report); this build's
  // clean compiles are added to cache->accepted. Null: compile everything.
  CheckCache* cache = nullptr;
};

// What the check (and the version lock's record of rules) needs of a
// printed package file's model, kept once the model itself is freed.
struct RuleOutline {
  std::string name;               // the emitted identifier
  std::vector<std::string> uses;  // emitted names of the rules its condition refers to
  const ir::Detection* source = nullptr;
  Span span;  // the Ward detection
};
struct FileOutline {
  std::string path;  // relative to yara/
  std::vector<std::string> depends_on;
  std::vector<RuleOutline> rules;
};
FileOutline OutlineOf(const RuleFile& file);

// `files` and `printed` are parallel, in include order. Returns false if
// libyara reported any error.
bool VerifyWithLibyara(const std::vector<FileOutline>& files,
                       const std::vector<PrintedFile>& printed, DiagnosticEngine& diags,
                       const VerifyOptions& options = {});

// Where a libyara message about `printed` points in Ward source: the
// narrowest recorded construct on the message's line, or the string a
// message like `unreferenced string "$b"` names. Invalid span if unknown.
Span MapMessageToSpan(const CompileMessage& message, const PrintedFile& printed);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_VERIFY_H_
