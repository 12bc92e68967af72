#ifndef WARD_TESTS_ESCAPING_YARA_META_H_
#define WARD_TESTS_ESCAPING_YARA_META_H_

#include <optional>
#include <string>

#include "backends/yara/libyara_check.h"

namespace ward::escaping_test {

// The first string meta `identifier` of any rule, as libyara holds it (a C
// string: it ends at the first NUL).
std::optional<std::string> YaraMetaString(const backends::yara::CompiledRules& rules,
                                          const std::string& identifier);

}  // namespace ward::escaping_test

#endif  // WARD_TESTS_ESCAPING_YARA_META_H_
