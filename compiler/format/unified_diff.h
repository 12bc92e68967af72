#ifndef WARD_COMPILER_FORMAT_UNIFIED_DIFF_H_
#define WARD_COMPILER_FORMAT_UNIFIED_DIFF_H_

// A unified diff of two texts (what `ward fmt --check --diff` prints), with
// three lines of context, in the format `patch` and `git apply` read.

#include <string>
#include <string_view>

namespace ward::format {

// Empty when the texts are equal.
std::string UnifiedDiff(std::string_view before, std::string_view after,
                        const std::string& before_name, const std::string& after_name);

}  // namespace ward::format

#endif  // WARD_COMPILER_FORMAT_UNIFIED_DIFF_H_
