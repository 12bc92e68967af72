#ifndef WARD_TESTS_SEMA_YARA_TESTLIB_H_
#define WARD_TESTS_SEMA_YARA_TESTLIB_H_

// Test harness for the YARA lowering: parses a Ward snippet, lowers every
// `detection yara` with MakeYaraKind() against a stub NameResolver (names
// are looked up among the snippet's detections, of any kind), then runs
// Finish(). Helpers print IR conditions compactly and find diagnostics by
// code, message and location.
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

struct YaraHarnessOptions {
  std::string base_dir;  // directory of the snippet's .ward file
  std::string root_dir;  // ruleset root
};

class YaraHarness : public NameResolver {
 public:
  explicit YaraHarness(std::string_view snippet, YaraHarnessOptions options = {});

  bool parsed() const { return ast_.has_value(); }
  const ir::Detection* detection(std::string_view name) const;
  const ir::YaraLogic* logic(std::string_view name) const;
  // The condition of a YARA detection, printed by Dump(), or "<none>".
  std::string Condition(std::string_view name) const;
  const std::vector<Diagnostic>& diags() const { return diags_.diagnostics(); }

  std::string Where(Span span) const;
  // All diagnostics, one per line: "E0600 3:28 message".
  std::string DiagList() const;
  // True if a diagnostic with this code whose message contains `message`
  // starts at `where` ("line:col"; empty: anywhere).
  ::testing::AssertionResult Has(std::string_view code, std::string_view message,
                                 std::string_view where = "") const;
  ::testing::AssertionResult Lacks(std::string_view code) const;
  // No errors and no warnings.
  ::testing::AssertionResult Clean() const;
  // The first diagnostic with this code, or nullptr.
  const Diagnostic* Find(std::string_view code) const;

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

// A compact, unambiguous rendering of a lowered condition, e.g.
// `and(==(uint8(0), 128), any of ($a, $b*), rule:other, pe.is_pe)`.
std::string Dump(const ir::YaraExpr& expr);

// Lowers a hand-built detection (no parser involved) with MakeYaraKind().
struct HandBuilt {
  SourceManager sources;
  DiagnosticEngine diags;
  ast::File file;
  ir::Detection detection;
  std::unique_ptr<ir::DetectionLogic> logic;
  const ir::YaraLogic* yara() const { return dynamic_cast<const ir::YaraLogic*>(logic.get()); }
  bool HasCode(std::string_view code) const;
};
void LowerHandBuilt(HandBuilt& out, ast::Decl decl);

}  // namespace ward::sema::testing

#endif  // WARD_TESTS_SEMA_YARA_TESTLIB_H_
