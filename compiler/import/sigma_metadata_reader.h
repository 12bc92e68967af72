#ifndef WARD_COMPILER_IMPORT_SIGMA_METADATA_READER_H_
#define WARD_COMPILER_IMPORT_SIGMA_METADATA_READER_H_

// The metadata of a Sigma document (title, id, status, description,
// references, author, dates, tags, level, falsepositives, related) and its
// logsource, checked against the v2.1 specification's value sets.

#include <set>
#include <string>

#include <yaml-cpp/yaml.h>

#include "compiler/import/sigma_yaml.h"
#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"

namespace ward::import {

class MetadataReader {
 public:
  MetadataReader(const YamlFile& file, const YAML::Node& doc, DiagnosticEngine& diags)
      : file_(file), doc_(doc), diags_(diags) {}

  // A text field; empty when absent. Reports E1001 for a non-text value.
  std::string Text(const char* key, bool required = false);
  // A list of texts (a single text counts as a list of one).
  std::vector<std::string> TextList(const char* key);

  // title, id, status, description, references, author, date, modified, tags.
  void Meta(ir::Meta& meta, std::optional<std::string>& id);
  // level, falsepositives, related.
  void RuleFields(ir::Detection& detection);
  // `logsource:`; `required` for rules and filters.
  void Logsource(ir::Logsource& out, bool required);

  // W1009 for every top-level key that is not in `known`.
  void WarnUnkeptFields(const std::set<std::string, std::less<>>& known,
                        const std::set<std::string, std::less<>>& not_kept);

  Span DocumentSpan() const;

 private:
  YAML::Node Key(const char* key) const;  // the key node, undefined if absent
  std::optional<ir::Date> Date(const char* key);
  void Error(DiagCode code, Span span, std::string message, std::string help);

  const YamlFile& file_;
  const YAML::Node& doc_;
  DiagnosticEngine& diags_;
};

}  // namespace ward::import

#endif  // WARD_COMPILER_IMPORT_SIGMA_METADATA_READER_H_
