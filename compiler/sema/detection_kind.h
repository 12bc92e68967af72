#ifndef WARD_COMPILER_SEMA_DETECTION_KIND_H_
#define WARD_COMPILER_SEMA_DETECTION_KIND_H_

// Detection kinds are an open set. Each kind (sigma, yara, ...) registers a
// DetectionKind that checks the kind-specific members of a `detection KIND`
// declaration and lowers them to an ir::DetectionLogic subclass. The
// analyzer handles the members common to every detection (kCommonMembers);
// everything else is handed to the kind, which reports what it does not know.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

// Members every detection may have; handled by the analyzer itself.
inline const std::vector<std::string>& CommonDetectionMembers() {
  static const std::vector<std::string> members = {
      "description", "status", "author", "date", "modified", "references", "tags",
      "id", "level", "falsepositives", "detects", "related"};
  return members;
}

// Resolves names used inside detections, in the scope of the file being
// checked. Reports unresolved/wrong-kind diagnostics itself.
class NameResolver {
 public:
  virtual ~NameResolver() = default;
  // A detection named in a correlation (`rules:`), a filter or a YARA rule
  // reference. `kind` is the required detection kind ("sigma", "yara") or
  // empty for any. nullptr after reporting.
  virtual const ir::Detection* ResolveDetection(const ast::QualifiedName& name,
                                                std::string_view kind) = 0;
  // Looks a name up without reporting (YARA identifiers may also be modules
  // or loop variables, so a miss is not always an error).
  virtual const ir::Detection* FindDetection(std::string_view name, std::string_view kind) = 0;
};

struct LoweringContext {
  const SourceManager& sources;
  DiagnosticEngine& diags;
  NameResolver& resolver;
  const ast::File& file;
  std::string base_dir;  // directory of the .ward file: test sample paths are relative to it
  std::string root_dir;  // ruleset root: sample paths must not leave it
};

class DetectionKind {
 public:
  virtual ~DetectionKind() = default;
  virtual std::string_view name() const = 0;  // "sigma"
  // Member names this kind accepts (for did-you-mean suggestions).
  virtual std::vector<std::string> MemberNames() const = 0;
  // Checks and lowers the kind-specific members (all members of `decl` not
  // in CommonDetectionMembers()), including `test` blocks, which it turns
  // into ir::TestCase entries of `detection.tests`. Returns the logic even
  // when errors were reported, if it can (so later checks still run).
  virtual std::unique_ptr<ir::DetectionLogic> Lower(const ast::Decl& decl,
                                                    ir::Detection& detection,
                                                    LoweringContext& ctx) = 0;
  // Runs after every detection was lowered (cross-detection checks such as
  // correlations naming other rules, YARA rule-reference cycles).
  virtual void Finish(ir::Program& program, DiagnosticEngine& diags) {
    (void)program;
    (void)diags;
  }
};

std::unique_ptr<DetectionKind> MakeSigmaKind();
std::unique_ptr<DetectionKind> MakeYaraKind();

// Members the analyzer handles for a `filter` declaration (metadata + id).
inline const std::vector<std::string>& CommonFilterMembers() {
  static const std::vector<std::string> members = {
      "description", "status", "author", "date", "modified", "references", "tags", "id"};
  return members;
}

// Sigma meta filters (`filter NAME { ... }`) are lowered by the Sigma kind's
// code too, since they share its expression checks. Fills logsource, rules,
// selections and condition of `filter` from every member not in
// CommonFilterMembers(). Runs after all detections exist.
void LowerSigmaFilter(const ast::Decl& decl, ir::Filter& filter, LoweringContext& ctx);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_DETECTION_KIND_H_
