#ifndef WARD_TESTS_IMPORTER_YARA_FIDELITY_H_
#define WARD_TESTS_IMPORTER_YARA_FIDELITY_H_

// The YARA round trip measured: import -> Ward -> rebuilt YARA, and the
// original and rebuilt rules scanned over a tree of sample files made from
// the rules' own strings.

#include <string>
#include <vector>

namespace ward::importer_test {

struct YaraFidelity {
  size_t files = 0, rules = 0, imported = 0, refused = 0, warned = 0;
  size_t compared = 0;      // imported non-private rules compared on the samples
  size_t same_verdict = 0;  // of those, rules that match exactly the same samples
  size_t samples = 0;
  size_t matches = 0;                    // (rule, sample) matches of the originals, for scale
  std::vector<std::string> differences;  // "rule: sample" lines
  std::string errors;                    // problems with the rebuilt Ward itself
  std::vector<std::string> refusals;     // "file: rule: reason"
};

YaraFidelity MeasureYaraFidelity(const std::vector<std::string>& paths);

}  // namespace ward::importer_test

#endif  // WARD_TESTS_IMPORTER_YARA_FIDELITY_H_
