#ifndef WARD_COMPILER_CATALOG_IMPORT_YAML_SOURCE_H_
#define WARD_COMPILER_CATALOG_IMPORT_YAML_SOURCE_H_

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::import {

// One parsed source file. The text is registered with the SourceManager so
// that diagnostics point at file:line:col with a snippet.
struct YamlDocument {
  std::string path;
  FileId file = kNoFile;
  YAML::Node root;
};

// Reads YAML files and reads typed fields out of them, reporting every
// problem as an E102x diagnostic at the offending node. The accessors return
// nullopt after reporting; callers skip the entry and carry on, so one run
// lists every problem of the file.
class YamlSource {
 public:
  YamlSource(SourceManager& sources, DiagnosticEngine& diags) : sources_(sources), diags_(diags) {}

  // Reads and parses `path` (E1020 if unreadable, E1021 if not UTF-8 YAML).
  std::optional<YamlDocument> Load(const std::string& path);

  // The span of `node` in `doc` (the start of the node, to the end of its
  // first line at most); the start of the file if the node has no position.
  Span At(const YamlDocument& doc, const YAML::Node& node) const;

  // `node` itself must be a mapping / sequence; `what` names it in messages
  // ("the ATLAS file", "technique AML.T0051").
  bool ExpectMap(const YamlDocument& doc, const YAML::Node& node, std::string_view what);
  bool ExpectSequence(const YamlDocument& doc, const YAML::Node& node, std::string_view what);

  // The value of `key` in the mapping `map`, or an undefined node.
  static YAML::Node Get(const YAML::Node& map, std::string_view key);

  // A scalar field. Required: reports a missing key at `map`. Optional:
  // nullopt without a report when the key is absent or null.
  std::optional<std::string> RequiredString(const YamlDocument& doc, const YAML::Node& map,
                                            std::string_view key, std::string_view what);
  std::optional<std::string> OptionalString(const YamlDocument& doc, const YAML::Node& map,
                                            std::string_view key, std::string_view what,
                                            bool* bad = nullptr);

  // A list of scalars with the position of each. A missing or null key is an
  // empty list; a single scalar is accepted only if it is one of `words`
  // (CoSAI writes `risks: all`).
  struct Item {
    std::string text;
    YAML::Node node;
  };
  std::optional<std::vector<Item>> StringList(const YamlDocument& doc, const YAML::Node& map,
                                              std::string_view key, std::string_view what,
                                              const std::vector<std::string>& words = {});

  // Prose written as a string or as (nested) lists of strings, joined with
  // spaces. Used only for short facts such as titles.
  std::optional<std::string> Text(const YamlDocument& doc, const YAML::Node& map,
                                  std::string_view key, std::string_view what);

  void Report(DiagBuilder&& diag) { diags_.Report(std::move(diag)); }
  DiagnosticEngine& diags() { return diags_; }

 private:
  SourceManager& sources_;
  DiagnosticEngine& diags_;
};

// "a mapping", "a list", "a string", "nothing": what a node holds.
std::string_view DescribeNode(const YAML::Node& node);

}  // namespace ward::import

#endif  // WARD_COMPILER_CATALOG_IMPORT_YAML_SOURCE_H_
