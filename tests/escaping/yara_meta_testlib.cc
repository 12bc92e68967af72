// Kept apart from the tests: yara.h defines macros (get_string...) that
// clash with nlohmann/json.
#include <yara.h>

#include "tests/escaping/yara_meta.h"

namespace ward::escaping_test {

std::optional<std::string> YaraMetaString(const backends::yara::CompiledRules& rules,
                                          const std::string& identifier) {
  YR_RULE* rule = nullptr;
  yr_rules_foreach(rules.get(), rule) {
    YR_META* meta = nullptr;
    yr_rule_metas_foreach(rule, meta) {
      if (meta->type == META_TYPE_STRING && identifier == meta->identifier) {
        return std::string(meta->string);
      }
    }
  }
  return std::nullopt;
}

}  // namespace ward::escaping_test
