#ifndef WARD_COMPILER_SEMA_SIGMA_TESTS_H_
#define WARD_COMPILER_SEMA_SIGMA_TESTS_H_

// `test "name" { event: {...} | events: [{...}, ...]  expect: match|no_match }`
// blocks of Sigma detections, and the check that warns (W0701) about test
// event fields that look like typos of fields the detection reads.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// A leaf field of a test event: `user.role` whether written flat or nested.
struct SigmaEventField {
  std::string path;
  Span span;        // the key as written
  bool flat = false;  // the key was written as the whole path (a fix-it can replace it)
};

// Reports E0300 (unknown member), E0305, E0304 (no `expect`), E0702 (bad
// expectation) and E0703 (missing input, or YARA's `file`/`data`). A
// correlation test takes `events`. The leaf fields of every event are
// appended to `fields`. Returns the test unless it is unusable.
std::optional<ir::TestCase> LowerSigmaTest(const ast::Block& block, bool correlation,
                                           DiagnosticEngine& diags,
                                           std::vector<SigmaEventField>& fields);

// Every field the detection reads: match fields and `field(...)` targets; for
// a correlation also group_by, the aggregated field, alias fields and,
// recursively, the fields of the correlated rules.
std::set<std::string> SigmaReferencedFields(const ir::Detection& detection);

// W0701 for each event field the detection never reads that is within typo
// distance of one it does read. Fields inside a referenced object
// (`user.role` when `user` is read) are fine.
void CheckSigmaTestFields(const std::vector<SigmaEventField>& fields,
                          const std::set<std::string>& referenced, DiagnosticEngine& diags);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SIGMA_TESTS_H_
