#ifndef WARD_BACKENDS_YARA_RULE_ORDER_H_
#define WARD_BACKENDS_YARA_RULE_ORDER_H_

// YARA needs a rule defined before any condition uses it, and all.yar's
// includes inherit the same constraint between package files. Both orders
// are the topological order below: dependencies first, ties broken by the
// smallest index (callers number items in name order), so the result is
// deterministic and equals name order when nothing refers to anything.

#include <cstddef>
#include <vector>

namespace ward::backends::yara {

struct TopologicalResult {
  std::vector<size_t> order;   // every item not on or behind a cycle
  std::vector<size_t> cyclic;  // items that could not be placed, ascending
};

// deps[i] lists the items that item i depends on (self-edges are ignored,
// repeats are fine).
TopologicalResult TopologicalOrder(const std::vector<std::vector<size_t>>& deps);

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_RULE_ORDER_H_
