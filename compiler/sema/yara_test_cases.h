#ifndef WARD_COMPILER_SEMA_YARA_TEST_CASES_H_
#define WARD_COMPILER_SEMA_YARA_TEST_CASES_H_

// `test "name" { file: "samples/x.bin" | data: "bytes"  expect: match|no_match }`
// blocks of a YARA detection. Sample paths are relative to the .ward file,
// must stay inside the ruleset root (E0007) and name a regular file (E0700).

#include <optional>

#include "compiler/ir/ir.h"
#include "compiler/sema/detection_kind.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// nullopt when the test is unusable (no input or no expectation), after
// reporting why.
std::optional<ir::TestCase> LowerYaraTest(const ast::Block& block, LoweringContext& ctx);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_YARA_TEST_CASES_H_
