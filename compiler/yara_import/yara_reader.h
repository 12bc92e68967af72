#ifndef WARD_COMPILER_YARA_IMPORT_YARA_READER_H_
#define WARD_COMPILER_YARA_IMPORT_YARA_READER_H_

// Reads YARA 4.2 rule files into Ward's IR (ir::Detection with
// ir::YaraLogic), for `ward import yara`. The grammar is our own
// (grammar/YaraLexer.g4, YaraParser.g4); libyara stays the referee of
// validity, so the driver compiles each file with libyara first and only
// reads files libyara accepts.
//
// A rule that uses something Ward cannot express is refused with E1042 at
// the offending text and the other rules go on; a file our grammar cannot
// read is refused with E1041. Meta fields without a Ward property are kept
// as comments above the detection (W1043 says which).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::yara_import {

struct YaraRule {
  std::unique_ptr<ir::Detection> detection;  // null when refused
  std::string yara_name;
  Span span;                       // the rule's name
  std::vector<std::string> notes;  // comment lines for the writer
  bool refused = false;
  std::string reason;  // the first error, when refused
  size_t warnings = 0;
};

struct YaraFile {
  FileId file = kNoFile;
  std::string package;
  std::vector<std::string> modules;  // `import` lines, in order
  std::vector<YaraRule> rules;       // in file order
};

// YARA rule names visible to a file (its own earlier rules and the rules of
// the files it includes), mapped to their detections.
using RuleScope = std::map<std::string, const ir::Detection*, std::less<>>;

// Reads `file` into `out`. Rules are named in the Ward alphabet (a YARA name
// that is a Ward reserved word gets a `_` suffix) and belong to `package`;
// each rule read is added to `scope`. Returns false, after reporting E1041,
// when the grammar cannot read the file at all.
bool ReadYaraFile(const SourceFile& file, const std::string& package, RuleScope& scope,
                  DiagnosticEngine& diags, YaraFile& out);

// The `include "..."` paths of a YARA file, in order, as written.
std::vector<std::pair<std::string, Span>> ListIncludes(const SourceFile& file);

}  // namespace ward::yara_import

#endif  // WARD_COMPILER_YARA_IMPORT_YARA_READER_H_
