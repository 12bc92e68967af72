#ifndef WARD_BACKENDS_YARA_YARA_PRINTER_H_
#define WARD_BACKENDS_YARA_YARA_PRINTER_H_

// Model -> canonical YARA text. The layout is fixed (two-space indent, one
// string per line, modifiers in one order, minimal parentheses), so equal
// models print byte-identical text. While printing, the printer records
// which output lines came from which Ward construct, so that libyara's
// line-numbered messages can be reported at Ward spans.

#include <cstddef>
#include <string>
#include <vector>

#include "backends/yara/yara_model.h"
#include "compiler/support/source_manager.h"

namespace ward::backends::yara {

// Output lines [first_line, last_line] (1-based, inclusive) printed from the
// Ward construct at `span`.
struct LineRange {
  enum class Role { kRule, kString, kCondition };
  Role role = Role::kRule;
  size_t first_line = 0, last_line = 0;
  Span span;
  std::string rule;       // emitted rule name
  std::string string_id;  // kString: without the sigil
};

struct PrintedFile {
  std::string text;
  std::vector<LineRange> lines;
};

// One condition expression on one line, parenthesised only where YARA's
// precedence needs it.
std::string PrintExpr(const Expr& expr);

// A single rule (no imports); `first_line` numbers the rule's first line so
// that the ranges are right inside a larger file.
PrintedFile PrintRule(const Rule& rule, size_t first_line = 1);

// A package file: header comment, imports, rules separated by blank lines.
PrintedFile PrintRuleFile(const RuleFile& file);

// all.yar: one include per file (paths relative to yara/), in the given
// (dependency) order.
std::string PrintIndexFile(const std::vector<std::string>& paths);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_PRINTER_H_
