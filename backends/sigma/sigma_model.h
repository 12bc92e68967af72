#ifndef WARD_BACKENDS_SIGMA_SIGMA_MODEL_H_
#define WARD_BACKENDS_SIGMA_SIGMA_MODEL_H_

// The Sigma document model: what the lowering produces and the printer
// writes. It mirrors the YAML that comes out (ordered fields, search
// identifiers with their shapes, a condition tree) and knows nothing about
// Ward, so the printer has no decisions left to make except quoting.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ward::backends::sigma {

// One scalar of a detection value list. Strings hold Sigma text: wildcards
// already escaped where the value is exact (see sigma_values.h).
struct Scalar {
  enum class Kind { kString, kInteger, kFloat, kBool, kNull };
  Kind kind = Kind::kString;
  std::string text;
  int64_t integer = 0;
  double real = 0;
  bool boolean = false;

  static Scalar String(std::string s) {
    Scalar v;
    v.text = std::move(s);
    return v;
  }
  static Scalar Integer(int64_t i) {
    Scalar v;
    v.kind = Kind::kInteger;
    v.integer = i;
    return v;
  }
  static Scalar Float(double d) {
    Scalar v;
    v.kind = Kind::kFloat;
    v.real = d;
    return v;
  }
  static Scalar Bool(bool b) {
    Scalar v;
    v.kind = Kind::kBool;
    v.boolean = b;
    return v;
  }
  static Scalar Null() {
    Scalar v;
    v.kind = Kind::kNull;
    return v;
  }
  friend bool operator==(const Scalar&, const Scalar&) = default;
};

// `field|mod|mod: value` or `field|mod: [v1, v2]`. An empty field with
// modifiers is a keyword map entry (`'|all': [...]`).
struct DetectionItem {
  std::string field;
  std::vector<std::string> modifiers;  // Sigma names, in application order
  std::vector<Scalar> values;          // printed as a scalar when there is one

  std::string Key() const;  // "field|mod|mod"
};

// The items of one map are ANDed.
struct SearchMap {
  std::vector<DetectionItem> items;
};

// A named search identifier under `detection:`.
struct SearchIdentifier {
  enum class Shape {
    kMap,         // one map
    kListOfMaps,  // maps ORed (two or more)
    kKeywords,    // plain keywords ORed
  };
  std::string name;
  Shape shape = Shape::kMap;
  std::vector<SearchMap> maps;   // kMap: exactly one; kListOfMaps: two or more
  std::vector<Scalar> keywords;  // kKeywords
};

// The condition as a tree; printed with parentheses only where Sigma's
// precedence (or < and < not < x of) needs them.
struct Condition {
  enum class Kind { kRef, kAnd, kOr, kNot, kOneOf, kAllOf };
  Kind kind = Kind::kRef;
  std::string name;  // kRef: identifier; kOneOf/kAllOf: pattern such as `filter_main_*`
  std::vector<Condition> children;

  static Condition Ref(std::string n) {
    Condition c;
    c.name = std::move(n);
    return c;
  }
  static Condition Not(Condition child) {
    Condition c;
    c.kind = Kind::kNot;
    c.children.push_back(std::move(child));
    return c;
  }
  friend bool operator==(const Condition&, const Condition&) = default;
};

struct Detection {
  std::vector<SearchIdentifier> identifiers;  // printed in this order
  Condition condition;
};

struct Logsource {
  std::string category, product, service, definition;
  std::vector<std::pair<std::string, std::string>> extra;  // custom keys, sorted
};

struct RelatedRef {
  std::string id;
  std::string type;
};

// Metadata shared by the three document kinds; empty means "omit".
struct Metadata {
  std::string title;
  std::string id;
  std::vector<RelatedRef> related;  // rules only
  std::string name;                 // set when a correlation refers to it
  std::string taxonomy;
  std::string status;
  std::string description;
  std::vector<std::string> references;
  std::string author;
  std::string date;
  std::string modified;
  std::vector<std::string> tags;
  std::vector<std::string> falsepositives;
  std::string level;
};

struct RuleDocument {
  Metadata meta;
  Logsource logsource;
  Detection detection;
};

// A threshold such as `gte: 100` in a correlation condition.
struct CorrelationThreshold {
  std::string op;  // gt, gte, lt, lte, eq, neq
  Scalar value;
};

struct CorrelationDocument {
  Metadata meta;
  std::string type;
  std::vector<std::string> rules;  // rule names
  // alias -> (rule name -> field), in declaration order.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> aliases;
  std::vector<std::string> group_by;
  std::string timespan;
  std::vector<CorrelationThreshold> condition;
  std::string condition_field;  // value_* types
  std::optional<int64_t> percentile;
  bool generate = false;
  bool generate_top_level = false;  // also write `generate` next to `level` (spec placement)
};

struct FilterDocument {
  Metadata meta;  // title, id, description, author, date, modified, taxonomy, references
  Logsource logsource;
  // (id, comment naming the rule); never empty. Ward's `rules: any` is
  // listed rule by rule: Sigma v2.1 has no `any`.
  std::vector<std::pair<std::string, std::string>> rules;
  Detection detection;
};

using Document = std::variant<RuleDocument, CorrelationDocument, FilterDocument>;

// One .yml file: several documents are separated by `---`.
struct OutputFile {
  std::string path;  // relative to the output directory
  std::vector<Document> documents;
};

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_SIGMA_MODEL_H_
