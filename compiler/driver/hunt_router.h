#ifndef WARD_COMPILER_DRIVER_HUNT_ROUTER_H_
#define WARD_COMPILER_DRIVER_HUNT_ROUTER_H_

// Which rules an event can possibly match, found without evaluating them.
// JSON events carry no logsource, so routing by (product, category, service)
// would need a user-supplied mapping; instead each rule's condition is read
// for what it *requires*: a field equal to one of some strings (indexed by
// the folded string), or a field merely present. An event is then only
// evaluated against the rules whose requirement its fields satisfy, plus the
// rules with no requirement. The pre-filter is conservative: it never drops
// a rule that could match (the evaluator still decides).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ir/ir.h"

namespace ward::driver {

struct RuleRequirement {
  enum class Kind { kNone, kPresent, kEquals };
  Kind kind = Kind::kNone;
  std::string field;
  std::vector<std::string> folded_values;  // kEquals: the field equals one of these
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
  size_t unrouted() const { return always_.size(); }

 private:
  struct FieldIndex {
    std::string field;
    std::vector<uint32_t> present;  // rules that need only the field
    std::unordered_map<std::string, std::vector<uint32_t>> equals;
    std::vector<uint32_t> all_equals;  // when the event's value has no plain text
  };
  std::vector<uint32_t> always_;
  std::vector<FieldIndex> fields_;
};

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_HUNT_ROUTER_H_
