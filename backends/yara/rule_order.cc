#include "backends/yara/rule_order.h"

#include <algorithm>
#include <set>

namespace ward::backends::yara {

TopologicalResult TopologicalOrder(const std::vector<std::vector<size_t>>& deps) {
  const size_t count = deps.size();
  std::vector<size_t> missing(count, 0);              // unplaced dependencies
  std::vector<std::vector<size_t>> dependents(count);  // reverse edges
  for (size_t i = 0; i < count; ++i) {
    std::vector<size_t> unique = deps[i];
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (size_t dep : unique) {
      if (dep == i || dep >= count) continue;
      ++missing[i];
      dependents[dep].push_back(i);
    }
  }
  std::set<size_t> ready;
  for (size_t i = 0; i < count; ++i) {
    if (missing[i] == 0) ready.insert(i);
  }
  TopologicalResult result;
  while (!ready.empty()) {
    const size_t next = *ready.begin();
    ready.erase(ready.begin());
    result.order.push_back(next);
    for (size_t dependent : dependents[next]) {
      if (--missing[dependent] == 0) ready.insert(dependent);
    }
  }
  for (size_t i = 0; i < count; ++i) {
    if (missing[i] != 0) result.cyclic.push_back(i);
  }
  return result;
}

}  // namespace ward::backends::yara
