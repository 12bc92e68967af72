#ifndef WARD_TESTS_SEMA_SIGMA_TESTLIB_H_
#define WARD_TESTS_SEMA_SIGMA_TESTLIB_H_

// Test harness for the Sigma lowering: parses a Ward snippet, lowers every
// `detection sigma` with MakeSigmaKind() and every `filter` with
// LowerSigmaFilter() against a stub NameResolver (names are looked up among
// the snippet's detections), then runs Finish(). Helpers print IR
// expressions compactly and find diagnostics by code, message and location.
//
// Snippets start with a newline: the harness puts `package t` in front, so
// the line holding `R"(` is line 1 and the snippet's lines keep their
// visual numbers.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/sema/detection_kind.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"
#include "tests/testing/diagnostic_checks.h"

namespace ward::sema::testing {

class SigmaHarness : public NameResolver {
 public:
  explicit SigmaHarness(std::string_view snippet);

  // Lowering results.
  const ir::Detection* detection(std::string_view name) const;
  const ir::SigmaLogic* logic(std::string_view name) const;
  const ir::Filter* filter(std::string_view name) const;
  const std::vector<Diagnostic>& diags() const { return diags_.diagnostics(); }

  // "line:col" of a span's start.
  std::string Where(Span span) const;
  // All diagnostics, one per line: "E0500 3:28 message".
  std::string DiagList() const;
  // True if a diagnostic with this code whose message contains `message`
  // starts at `where` ("line:col"; empty: anywhere).
  ::testing::AssertionResult Has(std::string_view code, std::string_view message,
                                 std::string_view where = "") const;
  // No diagnostic with this code at all.
  ::testing::AssertionResult Lacks(std::string_view code) const;
  // No errors and no warnings.
  ::testing::AssertionResult Clean() const;

  // NameResolver
  const ir::Detection* ResolveDetection(const ast::QualifiedName& name,
                                        std::string_view kind) override;
  const ir::Detection* FindDetection(std::string_view name, std::string_view kind) override;

 private:
  test_support::DiagnosticChecks Checks() const { return {sources_, diags_.diagnostics()}; }

  SourceManager sources_;
  DiagnosticEngine diags_;
  FileId file_ = kNoFile;
  std::optional<ast::File> ast_;
  ir::Program program_;
};

// `and(@sel, not(f|contains=["a"]))`: selections by name, matches as
// field|modifiers=values (field `*` for keyword searches), like-patterns as
// w"...".
std::string Dump(const ir::SigmaExpr& expr, const std::vector<ir::SigmaSelection>& selections);
// The condition of a detection, or "<none>".
std::string DumpCondition(const ir::SigmaLogic& logic);
// The expression of a named selection, or "<none>".
std::string DumpSelection(const ir::SigmaLogic& logic, std::string_view name);
// A snippet's first (only) `when:` lowered as one rule: logsource is added.
std::string WhenOf(std::string_view expression, std::string* diags = nullptr);

}  // namespace ward::sema::testing

#endif  // WARD_TESTS_SEMA_SIGMA_TESTLIB_H_
