#ifndef WARD_BENCH_RULESET_GENERATOR_H_
#define WARD_BENCH_RULESET_GENERATOR_H_

// Synthetic rulesets for the build-speed benchmark: N threats and N
// detections (half Sigma, half YARA, each with two test cases), ten threat
// and detection pairs per file and ten files per package, written with the
// metadata and the shapes of the rules in rulesets/ so that sizes are
// realistic (about 1.3 KB of source per detection).

#include <cstddef>
#include <string>

namespace ward::bench {

struct GeneratorOptions {
  size_t detections = 1000;
  size_t per_file = 10;      // threat + detection pairs per .ward file
  size_t files_per_package = 10;
};

// Writes ward.yaml and the .ward files under `dir` (created; an existing
// directory is replaced). Returns the number of files written.
size_t GenerateRuleset(const std::string& dir, const GeneratorOptions& options);

// The relative path of the file that holds detection `index`.
std::string FileOfDetection(size_t index, const GeneratorOptions& options);

// The text of one generated file: detections [first, first + count).
std::string GenerateFile(size_t file_index, size_t first, size_t count,
                         const GeneratorOptions& options);

}  // namespace ward::bench

#endif  // WARD_BENCH_RULESET_GENERATOR_H_
