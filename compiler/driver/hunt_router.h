#ifndef WARD_COMPILER_DRIVER_HUNT_ROUTER_H_
#define WARD_COMPILER_DRIVER_HUNT_ROUTER_H_

// Which rules an event can possibly match, found without evaluating them.
// JSON events carry no logsource, so routing by (product, category, service)
// would need a user-supplied mapping; instead each rule's condition is read
// for what it *requires*: a field equal to one of some strings (indexed by
// the folded string), or a field merely present. An event is then only
// evaluated against the rules whose requirement its fields satisfy, plus the
// rules with no requirement. The pre-filter is conservative: it never drops
// a rule that could match (the evaluator still decides). A field that must
// contain one of some literals (`contains`, `startswith`, `endswith`) is
// indexed too: one pass over the event's folded value finds every rule
// literal that occurs in it (a substring index keyed on three bytes).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/eval/flat_event.h"
#include "compiler/ir/ir.h"

namespace ward::driver {

struct RuleRequirement {
  enum class Kind { kNone, kPresent, kEquals, kContains };
  Kind kind = Kind::kNone;
  std::string field;
  // kEquals: the field equals one of these; kContains: contains one of these
  std::vector<std::string> folded_values;
};

// What `logic`'s condition requires of every event it matches: each entry
// holds on its own (the conjuncts of an `and`); empty when nothing is known.
std::vector<RuleRequirement> RequirementsOf(const ir::SigmaLogic& logic);

class HuntRouter {
 public:
  // `requirements[i]` holds for rule i. Of several, the router keys the rule
  // on the equality whose values the fewest other rules share (the most
  // selective guess without statistics of the events), else on a field.
  explicit HuntRouter(const std::vector<std::vector<RuleRequirement>>& requirements);
  // Appends, in increasing order, the rules `event` may match.
  void Candidates(const nlohmann::json& event, std::vector<uint32_t>& out) const;
  void Candidates(const eval::FlatEvent& event, std::vector<uint32_t>& out) const;
  size_t unrouted() const { return always_.size(); }

 private:
  // The literals some rules need in a field, found in one pass per value.
  struct LiteralIndex {
    std::vector<std::string> literals;         // folded, at least 3 bytes
    std::vector<std::vector<uint32_t>> rules;  // per literal
    std::vector<uint8_t> first_two;            // 65536 flags: a literal starts so
    std::unordered_map<uint32_t, std::vector<uint32_t>> by_prefix;  // 3 bytes -> literals
    void Add(const std::string& literal, uint32_t rule);
    void Find(std::string_view folded_text, std::vector<uint32_t>& out) const;
  };
  struct FieldIndex {
    std::string field;
    uint32_t field_id;              // eval::InternField(field)
    std::vector<uint32_t> present;  // rules that need only the field
    std::unordered_map<std::string, std::vector<uint32_t>> equals;
    LiteralIndex contains;
  };
  template <class View>
  void CandidatesIn(const View& view, typename View::Node root, std::vector<uint32_t>& out) const;
  std::vector<uint32_t> always_;
  std::vector<FieldIndex> fields_;
};

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_HUNT_ROUTER_H_
