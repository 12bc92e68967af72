#ifndef WARD_COMPILER_IMPORT_SIGMA_YAML_H_
#define WARD_COMPILER_IMPORT_SIGMA_YAML_H_

// The YAML layer of the Sigma reader: loading a file with yaml-cpp without
// letting its exceptions out, positions of nodes as Spans, and scalar types
// resolved the way pySigma sees them (PyYAML, YAML 1.1: `yes` is a boolean,
// `1e5` a string, `0x1F` an integer).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::import {

// Where nodes of one file are.
class YamlFile {
 public:
  YamlFile(FileId file, std::string_view text) : file_(file), text_(text) {}

  FileId id() const { return file_; }
  std::string_view text() const { return text_; }
  Span At(const YAML::Mark& mark, size_t length = 1) const;
  // The node's start; for a scalar, its whole text (quotes included).
  Span Of(const YAML::Node& node) const;
  // The node, or `fallback` when the node has no position (an empty value).
  Span Of(const YAML::Node& node, Span fallback) const;
  // Offset of the first character of a scalar's content, when the content
  // is written on one line without escapes (so condition columns are exact).
  std::optional<uint32_t> ContentStart(const YAML::Node& scalar) const;

 private:
  FileId file_;
  std::string_view text_;
};

// All documents of the file, or nullopt after reporting E1000 (invalid YAML
// or a key repeated in one mapping, which YAML forbids).
std::optional<std::vector<YAML::Node>> LoadYamlDocuments(const YamlFile& file,
                                                         DiagnosticEngine& diags);

struct Scalar {
  enum class Type { kString, kNull, kBool, kInteger, kFloat };
  Type type = Type::kString;
  std::string text;  // as written (the string value for kString)
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  bool out_of_range = false;  // an integer that does not fit in 64 bits
};

// The scalar's type under YAML 1.1's core schema (what PyYAML resolves);
// quoted scalars and `!!str` are strings.
Scalar ResolveScalar(const YAML::Node& node);

// "mapping", "list", "text"... for messages.
const char* NodeKindName(const YAML::Node& node);

}  // namespace ward::import

#endif  // WARD_COMPILER_IMPORT_SIGMA_YAML_H_
