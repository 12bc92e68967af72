#ifndef WARD_COMPILER_EVAL_PREDICATE_H_
#define WARD_COMPILER_EVAL_PREDICATE_H_

// One compiled Sigma predicate (an ir::SigmaExpr of kind kMatch): a field,
// its modifiers and values, ready to test events. Values are transformed
// once here (expand, windash, encodings), regexes compiled once.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compiler/eval/cidr.h"
#include "compiler/eval/flat_event.h"
#include "compiler/eval/regex.h"
#include "compiler/eval/sigma_eval.h"
#include "compiler/eval/text_match.h"
#include "compiler/ir/ir.h"

namespace ward::eval {

class Predicate {
 public:
  // Null with `error` filled when the predicate cannot be evaluated.
  static std::unique_ptr<Predicate> Compile(const ir::SigmaExpr& leaf, const EvalOptions& options,
                                            EvalError& error);
  bool Eval(const nlohmann::json& event) const;
  bool Eval(const FlatEvent& event) const;  // the same verdict, on the flat form
  // `field|modifiers: values`, as the predicate reads in Sigma.
  const std::string& sigma_text() const { return sigma_text_; }
  // The event's value(s) for the field, as JSON text.
  std::string Actual(const nlohmann::json& event) const;
  const std::string& field() const { return field_; }
  Span span() const { return span_; }

 private:
  enum class Mode { kCompare, kRegex, kCidr, kExists, kTimePart, kFieldref };
  enum class Op { kEq, kLt, kLte, kGt, kGte };
  enum class TextOp { kEquals, kContains, kStartsWith, kEndsWith };
  enum class Part { kMinute, kHour, kDay, kWeek, kMonth, kYear };

  struct Value {
    enum class Kind { kText, kNumber, kBool, kNull };
    Kind kind = Kind::kText;
    std::vector<Glob> globs;  // kText: the alternatives the transformations produced
    double number = 0;
    bool boolean = false;
    std::unique_ptr<Regex> regex;
    std::optional<Network> network;
    std::string field;  // kFieldref: the other field
  };

  Predicate() = default;
  bool EvalFlat(const FlatEvent& event) const;  // Eval without the shared verdict
  // The fast path of the commonest predicates: each value one literal.
  void CompileLiterals();
  bool MatchLiterals(const FlatEvent& event, FieldMemo& memo) const;
  bool CompileValue(const ir::SigmaValue& value, const EvalOptions& options, EvalError& error);
  bool CompileText(const std::string& text, bool wildcards, const EvalOptions& options,
                   EvalError& error);
  // Templates over an event view (event_view.h), defined in predicate.cc.
  template <class View>
  bool EvalIn(const View& view, typename View::Node root) const;
  template <class View>
  bool MatchValueIn(const View& view, const Value& value,
                    const std::vector<typename View::Node>& found, typename View::Node root,
                    FoldedTexts& folded) const;
  template <class View>
  bool MatchFieldrefIn(const View& view, const Value& value,
                       const std::vector<typename View::Node>& found,
                       typename View::Node root) const;
  template <class View>
  void CollectIn(const View& view, typename View::Node root,
                 std::vector<typename View::Node>& out) const;

  std::string field_;
  uint32_t field_id_ = 0;  // InternField(field_): its FieldMemo in a FlatEvent
  static constexpr uint32_t kNoVerdictId = UINT32_MAX;
  uint32_t verdict_id_ = kNoVerdictId;  // InternPredicate: its verdict shared by rules

 public:
  uint32_t verdict_id() const { return verdict_id_; }

 private:
  // When every value is one literal glob (Glob::OneLiteral), the same tests
  // laid out in one array over one byte buffer: a flat event's predicate
  // then reads two blocks of memory rather than a chain of five vectors.
  struct Literal {
    uint32_t offset = 0, size = 0;  // in literal_bytes_
    bool anchored_start = true, anchored_end = true, fold = true;
  };
  std::vector<Literal> literals_;  // in values_ order; empty: no fast path
  std::string literal_bytes_;
  Span span_;
  Mode mode_ = Mode::kCompare;
  Op op_ = Op::kEq;
  TextOp text_op_ = TextOp::kEquals;
  Part part_ = Part::kYear;
  bool neq_ = false;
  bool all_ = false;
  bool cased_ = false;
  bool keyword_ = false;
  bool exists_wanted_ = true;
  Regex::Flags regex_flags_;
  std::vector<ir::SigmaModifier> transformations_;  // expand, windash, encodings, in order
  bool encoded_ = false;
  std::vector<Value> values_;
  std::string sigma_text_;
};

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_PREDICATE_H_
