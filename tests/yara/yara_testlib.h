#ifndef WARD_TESTS_YARA_YARA_TESTLIB_H_
#define WARD_TESTS_YARA_YARA_TESTLIB_H_

// Hand-built IR for the YARA backend tests: the frontend is not involved, so
// tests can also build IR that semantic analysis would refuse.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backends/common/backend.h"
#include "backends/yara/yara_model.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "tests/testing/temp_dir.h"

namespace ward::yara_test {

using ir::YaraExpr;
using ir::YaraExprPtr;

// ---- condition builders ------------------------------------------------------
YaraExprPtr Int(int64_t value);
YaraExprPtr Float(double value);
YaraExprPtr Bool(bool value);
YaraExprPtr Text(std::string bytes);
YaraExprPtr Regex(std::string body, bool nocase = false, bool dotall = false);
YaraExprPtr Filesize();
YaraExprPtr Entrypoint();
YaraExprPtr Str(std::string id);  // "$a"; "$" alone is the anonymous string
YaraExprPtr StrAt(std::string id, YaraExprPtr offset);
YaraExprPtr StrIn(std::string id, YaraExprPtr low, YaraExprPtr high);
YaraExprPtr Count(std::string id);
YaraExprPtr CountIn(std::string id, YaraExprPtr low, YaraExprPtr high);
YaraExprPtr Offset(std::string id, YaraExprPtr index = nullptr);
YaraExprPtr Length(std::string id, YaraExprPtr index = nullptr);
YaraExprPtr Module(std::string name);
YaraExprPtr LoopVar(std::string name);
YaraExprPtr Member(YaraExprPtr object, std::string name);
YaraExprPtr Index(YaraExprPtr array, YaraExprPtr index);
YaraExprPtr Not(YaraExprPtr operand);
YaraExprPtr Defined(YaraExprPtr operand);
YaraExprPtr Bin(std::string op, YaraExprPtr left, YaraExprPtr right);
YaraExprPtr Un(std::string op, YaraExprPtr operand);
YaraExprPtr RuleRef(const ir::Detection& rule);
YaraExprPtr WithSpan(YaraExprPtr expr, Span span);

YaraExprPtr Nary(YaraExpr::Kind kind, std::vector<YaraExprPtr> children);
template <typename... T>
YaraExprPtr And(T&&... operands) {
  std::vector<YaraExprPtr> children;
  (children.push_back(std::forward<T>(operands)), ...);
  return Nary(YaraExpr::Kind::kAnd, std::move(children));
}
template <typename... T>
YaraExprPtr Or(T&&... operands) {
  std::vector<YaraExprPtr> children;
  (children.push_back(std::forward<T>(operands)), ...);
  return Nary(YaraExpr::Kind::kOr, std::move(children));
}
YaraExprPtr CallV(YaraExprPtr callee, std::vector<YaraExprPtr> args);
template <typename... T>
YaraExprPtr Call(YaraExprPtr callee, T&&... args) {
  std::vector<YaraExprPtr> list;
  (list.push_back(std::forward<T>(args)), ...);
  return CallV(std::move(callee), std::move(list));
}

// `quant of set`: set entries "$a", "$b*"; an empty set means `them`.
YaraExprPtr Of(YaraExpr::Quant quant, int64_t value, std::vector<std::string> set);
YaraExprPtr OfIn(YaraExpr::Quant quant, int64_t value, std::vector<std::string> set,
                 YaraExprPtr low, YaraExprPtr high);
YaraExprPtr OfRules(YaraExpr::Quant quant, std::vector<const ir::Detection*> rules);
YaraExprPtr ForOf(YaraExpr::Quant quant, int64_t value, std::vector<std::string> set,
                  YaraExprPtr body);
YaraExprPtr ForInRange(YaraExpr::Quant quant, int64_t value, std::vector<std::string> vars,
                       YaraExprPtr low, YaraExprPtr high, YaraExprPtr body);
YaraExprPtr ForInList(YaraExpr::Quant quant, int64_t value, std::vector<std::string> vars,
                      std::vector<YaraExprPtr> items, YaraExprPtr body);
YaraExprPtr ForInExpr(YaraExpr::Quant quant, int64_t value, std::vector<std::string> vars,
                      YaraExprPtr iterable, YaraExprPtr body);

// ---- strings -------------------------------------------------------------------
ir::YaraString TextString(std::string id, std::string bytes,
                          ir::YaraStringModifiers modifiers = {});
ir::YaraString RegexString(std::string id, std::string body, bool nocase = false,
                           bool dotall = false, ir::YaraStringModifiers modifiers = {});
ir::YaraString HexString(std::string id, std::vector<ir::HexItem> items,
                         ir::YaraStringModifiers modifiers = {});

ir::HexItem Byte(uint8_t value, uint8_t mask = 0xFF);
ir::HexItem Wild();
ir::HexItem Jump(std::optional<uint32_t> low, std::optional<uint32_t> high);
ir::HexItem Alt(std::vector<std::vector<ir::HexItem>> alternatives);
// "4D 5A ?? 4?" -> bytes and masks (no jumps or alternatives).
std::vector<ir::HexItem> HexBytes(std::string_view text);

// ---- programs --------------------------------------------------------------------
// A program plus the source file its spans point into. Every entity added
// gets its own distinct span, so tests can check where diagnostics land.
class TestProgram {
 public:
  TestProgram();

  ir::Detection& AddYara(std::string package, std::string name, std::vector<ir::YaraString> strings,
                         YaraExprPtr condition, std::vector<std::string> modules = {});
  ir::Threat& AddThreat(std::string package, std::string name);
  ir::Catalog& AddCatalog(std::string package, std::string name, std::string framework);
  const ir::CatalogEntry& AddEntry(ir::Catalog& catalog, std::string id);
  void Link(ir::Detection& detection, ir::Threat& threat);

  // A fresh span in the fake source file (each call returns a new one).
  Span NewSpan();
  // Re-sorts the program's vectors by qualified name, as sema does.
  void Finish();

  ir::Program& program() { return program_; }
  const SourceManager& sources() const { return sources_; }

 private:
  ir::Program program_;
  SourceManager sources_;
  FileId file_ = kNoFile;
  uint32_t next_offset_ = 0;
};

struct EmitResult {
  bool ok = false;
  backends::OutputSet out;
  std::vector<Diagnostic> diags;
  size_t errors = 0;
  std::string File(const std::string& path) const;  // "" when missing
};

EmitResult EmitYara(TestProgram& test, std::map<std::string, std::string> options = {});

// The printed text of the rule for `detection` (lowered like Emit does).
std::string RuleText(TestProgram& test, const ir::Detection& detection);
// The printed condition of `detection`.
std::string ConditionText(TestProgram& test, const ir::Detection& detection);
// The printed condition for a one-off expression (in a rule with no strings).
std::string PrintCondition(YaraExprPtr condition);

using test_support::HaveProgram;
using test_support::RunCommand;
using test_support::TempDir;

}  // namespace ward::yara_test

#endif  // WARD_TESTS_YARA_YARA_TESTLIB_H_
