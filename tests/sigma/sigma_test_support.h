#ifndef WARD_TESTS_SIGMA_SIGMA_TEST_SUPPORT_H_
#define WARD_TESTS_SIGMA_SIGMA_TEST_SUPPORT_H_

// Helpers for the Sigma backend tests: IR built by hand (the backend sees
// only the IR), running the backend, and checks of what it wrote.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backends/common/backend.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::sigma_test {

// ---- values and expressions ----
ir::SigmaValue Str(std::string text);
ir::SigmaValue Like(std::string sigma_pattern);  // wildcards == true
ir::SigmaValue Int(int64_t value);
ir::SigmaValue Float(double value);
ir::SigmaValue Bool(bool value);
ir::SigmaValue Null();

ir::SigmaExprPtr Match(std::string field, std::vector<ir::SigmaModifier> mods,
                       std::vector<ir::SigmaValue> values);
ir::SigmaExprPtr Eq(std::string field, std::string value);  // field == "value"
ir::SigmaExprPtr Keywords(std::vector<std::string> words, bool all = false);
ir::SigmaExprPtr Sel(size_t index);
ir::SigmaExprPtr Not(ir::SigmaExprPtr child);
ir::SigmaExprPtr And(std::vector<ir::SigmaExprPtr> children);
ir::SigmaExprPtr Or(std::vector<ir::SigmaExprPtr> children);
template <typename... T>
ir::SigmaExprPtr AndOf(T... children) {
  std::vector<ir::SigmaExprPtr> v;
  (v.push_back(std::move(children)), ...);
  return And(std::move(v));
}
template <typename... T>
ir::SigmaExprPtr OrOf(T... children) {
  std::vector<ir::SigmaExprPtr> v;
  (v.push_back(std::move(children)), ...);
  return Or(std::move(v));
}
ir::SigmaExprPtr Clone(const ir::SigmaExpr& expr);

// ---- a program ----
class ProgramBuilder {
 public:
  ProgramBuilder();

  ir::Program& program() { return *program_; }
  std::unique_ptr<ir::Program> Release() { return std::move(program_); }

  // A Sigma detection with `when:` = condition (logsource product: llm).
  ir::Detection& Rule(const std::string& name, const std::string& title, ir::SigmaExprPtr condition,
                      const std::string& package = "cosai.llm");
  // Adds a `let` to a detection; returns its index for Sel().
  size_t Let(ir::Detection& detection, const std::string& name, ir::SigmaExprPtr expr);
  ir::SigmaLogic& Logic(ir::Detection& detection);

  ir::Detection& CorrelationRule(const std::string& name, const std::string& title,
                                 ir::Correlation correlation,
                                 const std::string& package = "cosai.llm");
  ir::Filter& Filter(const std::string& name, const std::string& title,
                     std::vector<const ir::Detection*> rules, ir::SigmaExprPtr condition,
                     const std::string& package = "cosai.llm");

  ir::Catalog& Catalog(const std::string& name, const std::string& framework);
  ir::CatalogEntry& Entry(ir::Catalog& catalog, const std::string& id, const std::string& title,
                          const std::string& kind, std::vector<std::string> parents = {});
  ir::Threat& Threat(const std::string& name, std::vector<const ir::CatalogEntry*> maps);
  void Link(ir::Detection& detection, ir::Threat& threat);

  // A span in a synthetic source file, for diagnostics.
  Span NextSpan();

 private:
  std::unique_ptr<ir::Program> program_;
  uint32_t offset_ = 0;
};

// Fills every metadata field SigmaHQ wants (so profile tests see no W0804).
void FillMetadata(ir::Detection& detection);

// ---- running the backend ----
struct EmitResult {
  bool ok = false;
  backends::OutputSet files;
  std::vector<Diagnostic> diagnostics;

  bool Has(DiagCode code) const;
  const std::string& File(const std::string& path) const;  // fails the test if absent
  std::vector<std::string> Paths() const;
};

EmitResult EmitSigma(const ir::Program& program, const std::string& profile = "",
                     const std::string& build_date = "2025-07-01");

// All YAML documents of a file (parsed with yaml-cpp).
std::vector<YAML::Node> LoadDocuments(const std::string& text);

// Violations of the v2.1 schemas' constraints and of the pySigma/SigmaHQ
// checks that apply, for one document (rule, correlation or filter), as
// readable strings; empty when the document is fine.
std::vector<std::string> CheckDocument(const YAML::Node& doc);
// The same for every document of every file, with the path in each message.
std::vector<std::string> CheckOutput(const backends::OutputSet& files);

// ---- meaning ----
// An abstract model of events: the truth of each elementary test
// (field, modifiers without `all`, one value) is a pseudo-random bit of the
// event number. Structural rewrites (merging lists, maps, `all`, splitting
// null, folding `1 of`) must give the same truth for every event; the test
// then compares the IR and the emitted YAML over many events.
bool EvalIr(const ir::SigmaExpr& expr, const std::vector<ir::SigmaSelection>& selections,
            uint64_t event);
// Evaluates the `detection:` map of an emitted rule (`filter:` of a filter).
bool EvalSigma(const YAML::Node& detection, uint64_t event);

}  // namespace ward::sigma_test

#endif  // WARD_TESTS_SIGMA_SIGMA_TEST_SUPPORT_H_
