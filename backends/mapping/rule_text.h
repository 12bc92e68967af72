#ifndef WARD_BACKENDS_MAPPING_RULE_TEXT_H_
#define WARD_BACKENDS_MAPPING_RULE_TEXT_H_

// Finds the text of a detection's emitted Sigma or YARA rule in the files
// the other backends have already added to the OutputSet (the driver runs
// the mapping backend after them). Rules are found by their stable ID, not
// by file name, so the lookup does not depend on another backend's naming:
//   - sigma: a `sigma/**.yml` file with a top-level `id:` equal to the ID;
//     the pattern is the whole file.
//   - yara: the `rule ... { ... }` block in a `yara/*.yar` file whose meta
//     has `id = "<ID>"`, preceded by the file's `import` lines so that the
//     pattern names the modules it uses.
// A detection whose rule is not in the OutputSet (say `--emit mapping`
// alone) has no entry; the STIX printer then writes a short reference.

#include <map>
#include <string>

#include "backends/common/backend.h"

namespace ward::backends::mapping {

struct EmittedRule {
  std::string path;  // file in the OutputSet
  std::string text;
};

// stable ID -> emitted rule, for every Sigma and YARA rule in `out`.
// `kind` ("sigma" or "yara") is part of the key: kind + "/" + id.
std::map<std::string, EmittedRule> IndexEmittedRules(const OutputSet& out);

std::string EmittedRuleKey(const std::string& kind, const std::string& stable_id);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_RULE_TEXT_H_
