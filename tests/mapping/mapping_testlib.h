#ifndef WARD_TESTS_MAPPING_MAPPING_TESTLIB_H_
#define WARD_TESTS_MAPPING_MAPPING_TESTLIB_H_

// Hand-built IR for the mapping backend tests (the frontend is not
// involved), a standard fixture, and helpers to run external validators
// (python3 jsonschema, chromium) that a test skips when they are missing.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "backends/mapping/trace_model.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "tests/testing/temp_dir.h"

namespace ward::mapping_test {

class Fixture {
 public:
  Fixture();

  ir::Catalog& AddCatalog(const std::string& name, const std::string& title,
                          const std::string& framework, const std::string& version,
                          const std::string& url = "");
  const ir::CatalogEntry& AddEntry(ir::Catalog& catalog, const std::string& id,
                                   const std::string& title, const std::string& kind,
                                   std::vector<std::string> parents = {});
  ir::Asset& AddAsset(const std::string& name, const std::string& title, const std::string& kind);
  ir::Persona& AddPersona(const std::string& name, const std::string& title);
  ir::Threat& AddThreat(const std::string& name, const std::string& title, ir::Severity severity);
  ir::Mitigation& AddMitigation(const std::string& name, const std::string& title,
                                ir::Effectiveness effectiveness);
  // A detection of `kind` ("sigma", "yara") with `tests` test cases (the
  // first expects a match, the others no match).
  ir::Detection& AddDetection(const std::string& name, const std::string& title,
                              const std::string& kind, size_t tests);

  static ir::CatalogRef Ref(const ir::CatalogEntry& entry, const std::string& pinned = "");
  // Links in both directions, as semantic analysis does.
  static void Mitigates(ir::Mitigation& mitigation, ir::Threat& threat);
  static void Detects(ir::Detection& detection, ir::Threat& threat);
  static void Affects(ir::Threat& threat, ir::Asset& asset);

  // Sorts the program's vectors by qualified name, as sema does.
  void Finish();

  ir::Program& program() { return program_; }
  const SourceManager& sources() const { return sources_; }

  // Every entity goes into this package.
  std::string package = "demo";

 private:
  Span NewSpan();
  template <typename T>
  T& Register(std::unique_ptr<T> entity, std::vector<std::unique_ptr<T>>& list,
              const std::string& package, const std::string& name);

  ir::Program program_;
  SourceManager sources_;
  FileId file_ = kNoFile;
  uint32_t next_offset_ = 0;
};

// Four threats (one with neither mitigation nor detection, one with a
// detection only, a title with `<script>`, `|` and a backtick, a title with
// quotes, a comma and a newline), four mitigations implementing controls
// from ATLAS, SP 800-53 and CoSAI (one implementing nothing and addressing
// nothing), sigma and yara detections (one untested, one linked to nothing),
// and catalogs for ATLAS, ATT&CK, OWASP, SP 800-53 and CoSAI.
std::unique_ptr<Fixture> StandardFixture();

// The entity of the standard fixture named `name` (in package "demo").
template <typename T>
const T& Get(Fixture& fixture, const std::string& name) {
  return *dynamic_cast<const T*>(fixture.program().Find("demo." + name));
}

struct EmitResult {
  bool ok = false;
  backends::OutputSet out;
  std::vector<Diagnostic> diags;
  size_t errors = 0;
  std::string File(const std::string& path) const;  // "" when missing
};

// Runs the mapping backend. `out` may already hold other backends' files.
EmitResult Emit(Fixture& fixture, std::map<std::string, std::string> options = {},
                backends::OutputSet out = {}, const std::string& build_date = "2026-01-15");

// The traceability model of the fixture.
backends::mapping::TraceModel Lower(Fixture& fixture, const std::string& build_date = "2026-01-15");

// ---- external tools ------------------------------------------------------------
using test_support::RunCommand;
using test_support::SharedReference;
using test_support::TempDir;

// Validates `json` against the JSON Schema file `schema` with python3
// jsonschema (tests/mapping/validate_schema.py). nullopt when python3 or
// jsonschema is missing; otherwise the validator's report ("" when valid).
std::optional<std::string> ValidateJson(const std::string& schema, const std::string& json,
                                        const std::string& extra_args = "");

}  // namespace ward::mapping_test

#endif  // WARD_TESTS_MAPPING_MAPPING_TESTLIB_H_
