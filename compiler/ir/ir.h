#ifndef WARD_COMPILER_IR_IR_H_
#define WARD_COMPILER_IR_IR_H_

// Ward's typed IR: the fully resolved threat model. Semantic analysis builds
// it from the AST; backends read it and nothing else. Every reference is a
// pointer to its target (owned by the Program), every entity has its source
// span, and links are bidirectional (threat.mitigations <-> mitigation.threats).
//
// Detection kinds are an open set: a Detection owns a DetectionLogic whose
// concrete type (SigmaLogic, YaraLogic, ...) a backend down-casts to with
// As<T>(). A new kind adds a subclass and its backend; nothing else changes.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/support/source_manager.h"

namespace ward::ir {

struct Catalog;
struct CatalogEntry;
struct Asset;
struct Persona;
struct Threat;
struct Mitigation;
struct Detection;

struct Date {
  int year = 0, month = 0, day = 0;
  std::string str() const;  // YYYY-MM-DD
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Metadata every entity may carry.
struct Meta {
  std::string title;
  std::string description;
  std::string status;  // Sigma's set: stable, test, experimental, deprecated, unsupported
  std::string author;  // defaults to the manifest's author
  std::optional<Date> date;
  std::optional<Date> modified;
  std::vector<std::string> references;
  std::vector<std::string> tags;
};

enum class EntityKind { kCatalog, kAsset, kPersona, kThreat, kMitigation, kDetection, kFilter };
const char* EntityKindName(EntityKind kind);

struct Entity {
  EntityKind kind;
  std::string package;  // "cosai.supply_chain"
  std::string name;     // "unsafe_deserialization"
  Span span;            // the whole declaration
  Span name_span;
  Meta meta;

  explicit Entity(EntityKind k) : kind(k) {}
  virtual ~Entity() = default;
  std::string qualified_name() const { return package.empty() ? name : package + "." + name; }
};

// ---- catalogs ---------------------------------------------------------------
struct CatalogEntry {
  const Catalog* catalog = nullptr;
  std::string id;     // "AML.T0051"
  std::string title;  // "LLM Prompt Injection"
  Span span;
  std::string kind;   // free-form: technique, tactic, mitigation, risk, control...
  std::vector<std::string> parents;  // tactic IDs, parent technique IDs...
  bool deprecated = false;
  std::optional<std::string> renamed_to;
  std::map<std::string, std::string> extra;  // other scalar properties
};

struct Catalog : Entity {
  Catalog() : Entity(EntityKind::kCatalog) {}
  std::string framework;  // "mitre_atlas", "owasp_llm", "nist_ai_rmf", ...
  std::string version;    // "5.6.1"
  std::string url;
  std::vector<std::unique_ptr<CatalogEntry>> entries;  // declaration order
  const CatalogEntry* Find(std::string_view id) const;

  std::map<std::string, const CatalogEntry*, std::less<>> by_id;
};

// A checked mapping to a catalog entry, e.g. atlas."AML.T0051@5.0.1".
struct CatalogRef {
  const CatalogEntry* entry = nullptr;
  std::string pinned_version;  // "5.0.1" or empty
  Span span;
};

// ---- the threat model -------------------------------------------------------
enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
enum class Likelihood { kUnknown, kRare, kUnlikely, kPossible, kLikely, kAlmostCertain };
enum class Impact { kUnknown, kNegligible, kMinor, kModerate, kMajor, kSevere };
enum class MitigationType { kPreventive, kDetective, kCorrective, kDeterrent, kCompensating, kRecovery };
enum class Effectiveness { kUnknown, kLow, kMedium, kHigh };

const char* SeverityName(Severity v);
const char* LikelihoodName(Likelihood v);
const char* ImpactName(Impact v);
const char* MitigationTypeName(MitigationType v);
const char* EffectivenessName(Effectiveness v);

struct Asset : Entity {
  Asset() : Entity(EntityKind::kAsset) {}
  std::string asset_kind;  // model, dataset, agent, tool, vector_store, ...
  std::vector<CatalogRef> maps;
  std::vector<const Threat*> threats;  // reverse of Threat::affects
};

struct Persona : Entity {
  Persona() : Entity(EntityKind::kPersona) {}
  std::vector<CatalogRef> maps;
};

struct Threat : Entity {
  Threat() : Entity(EntityKind::kThreat) {}
  Severity severity = Severity::kMedium;
  Likelihood likelihood = Likelihood::kUnknown;
  Impact impact = Impact::kUnknown;
  std::string category;
  std::vector<std::string> stages;  // lifecycle stages
  std::vector<const Asset*> affects;
  std::vector<const Persona*> personas;
  std::vector<CatalogRef> maps;
  std::vector<const Mitigation*> mitigations;  // merged from both directions
  std::vector<const Detection*> detections;    // merged from both directions
  // `refines: broader_threat`: this threat is a narrower case of another, so
  // a detection of this one also detects that one. The graph is acyclic.
  std::vector<const Threat*> refines;
  std::vector<Span> refine_spans;            // parallel to refines: where each is named
  std::vector<const Threat*> refined_by;     // reverse of refines, sorted
  // `detection_gap: "why"`: the author states that no log event or file
  // content can reveal this threat; empty when not declared.
  std::string detection_gap;
  Span detection_gap_span;
};

struct Mitigation : Entity {
  Mitigation() : Entity(EntityKind::kMitigation) {}
  MitigationType type = MitigationType::kPreventive;
  Effectiveness effectiveness = Effectiveness::kUnknown;
  std::string category;
  std::vector<CatalogRef> implements;  // framework controls
  std::vector<const Asset*> applies_to;
  std::vector<const Persona*> personas;
  std::vector<const Threat*> threats;  // merged from both directions
};

// ---- detections ---------------------------------------------------------------
enum class Level { kInformational, kLow, kMedium, kHigh, kCritical };
const char* LevelName(Level v);

struct Related {
  std::string type;  // derived, obsolete, merged, renamed, similar
  std::string id;    // UUID
};

// A test case written next to its detection.
struct TestCase {
  std::string name;
  Span span;
  bool expect_match = true;
  std::vector<nlohmann::json> events;  // Sigma: one or more events, time-ordered
  std::optional<std::string> file;     // YARA: absolute path of a sample file
  std::optional<std::string> data;     // YARA: inline bytes
};

struct DetectionLogic {
  virtual ~DetectionLogic() = default;
  virtual std::string_view kind() const = 0;
};

struct Detection : Entity {
  Detection() : Entity(EntityKind::kDetection) {}
  std::string detection_kind;      // "sigma", "yara"
  std::optional<std::string> id;   // pinned UUID; otherwise derived (UUIDv5)
  Level level = Level::kMedium;
  std::vector<std::string> falsepositives;
  std::vector<Related> related;
  std::vector<const Threat*> threats;  // merged from both directions
  std::vector<TestCase> tests;
  std::unique_ptr<DetectionLogic> logic;

  template <typename T>
  const T* As() const { return dynamic_cast<const T*>(logic.get()); }
};

// ---- Sigma logic --------------------------------------------------------------
// Modifiers use Sigma's own vocabulary and order: transformations first, then
// the comparison, e.g. {wide, base64offset, contains}.
enum class SigmaModifier {
  kContains, kStartsWith, kEndsWith, kAll, kExists, kCased, kNeq, kWindash,
  kRe, kReI, kReM, kReS, kBase64, kBase64Offset, kUtf16le, kUtf16be, kUtf16, kWide,
  kLt, kLte, kGt, kGte, kMinute, kHour, kDay, kWeek, kMonth, kYear,
  kCidr, kExpand, kFieldref
};
const char* SigmaModifierName(SigmaModifier m);  // "base64offset", "re", "i"...

struct SigmaValue {
  enum class Kind { kString, kInteger, kFloat, kBool, kNull };
  Kind kind = Kind::kString;
  std::string text;  // kString: the exact string to match (UTF-8); for `like`
                     // values it holds Sigma wildcard syntax, see `wildcards`
  bool wildcards = false;  // text uses Sigma's * ? \ pattern syntax (Ward `like`)
  int64_t integer = 0;
  double real = 0;
  bool boolean = false;
  Span span;
};

struct SigmaExpr;
using SigmaExprPtr = std::unique_ptr<SigmaExpr>;

struct SigmaExpr {
  enum class Kind {
    kAnd, kOr, kNot,  // children
    kMatch,           // field (empty for keyword search) + modifiers + values
    kSelection,       // reference to SigmaLogic::selections[selection]
  };
  Kind kind = Kind::kMatch;
  Span span;
  std::vector<SigmaExprPtr> children;
  std::string field;  // empty: keyword search over the whole event
  std::vector<SigmaModifier> modifiers;
  std::vector<SigmaValue> values;  // ORed unless modifiers contain kAll
  size_t selection = 0;
};

struct SigmaSelection {  // a named sub-expression: `let name = ...`
  std::string name;
  Span span;
  SigmaExprPtr expr;
};

struct Logsource {
  std::string category, product, service, definition;
  std::map<std::string, std::string> extra;
};

struct CorrelationThreshold {
  std::string op;  // gt, gte, lt, lte, eq, neq
  double value = 0;
  bool is_integer = true;
};

struct Correlation {
  std::string type;  // event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile
  std::vector<const Detection*> rules;
  std::vector<std::string> group_by;
  uint64_t timespan_seconds = 0;
  std::string timespan;  // as written: "10m"
  std::vector<CorrelationThreshold> condition;
  std::string condition_field;  // value_* types
  std::optional<int64_t> percentile;
  bool generate = false;
  // alias name -> (rule -> field)
  std::map<std::string, std::vector<std::pair<const Detection*, std::string>>> aliases;
};

struct SigmaLogic : DetectionLogic {
  std::string_view kind() const override { return "sigma"; }
  Logsource logsource;
  std::vector<SigmaSelection> selections;  // declaration order
  SigmaExprPtr condition;                  // null for a correlation
  std::optional<Correlation> correlation;
  std::string taxonomy;  // default empty (= sigma)
};

// ---- YARA logic ---------------------------------------------------------------
struct HexItem {
  enum class Kind { kByte, kJump, kAlternation };
  Kind kind = Kind::kByte;
  uint8_t value = 0;
  uint8_t mask = 0xFF;  // 0xFF exact, 0xF0 `4?`, 0x0F `?4`, 0 `??`
  std::optional<uint32_t> jump_low, jump_high;
  std::vector<std::vector<HexItem>> alternatives;
};

struct YaraStringModifiers {
  bool nocase = false, wide = false, ascii = false, fullword = false, is_private = false;
  bool xor_ = false;
  std::optional<std::pair<int, int>> xor_range;  // xor(k) is {k, k}
  bool base64 = false, base64wide = false;
  std::optional<std::string> base64_alphabet;  // 64 bytes
};

struct YaraString {
  enum class Kind { kText, kHex, kRegex };
  Kind kind = Kind::kText;
  std::string id;     // "$a"
  Span span;
  std::string text;   // kText: raw bytes to match; kRegex: YARA regex body
  bool regex_nocase = false;  // /.../i
  bool regex_dotall = false;  // /.../s
  std::vector<HexItem> hex;
  YaraStringModifiers modifiers;
  bool used = false;
};

struct YaraExpr;
using YaraExprPtr = std::unique_ptr<YaraExpr>;

struct YaraExpr {
  enum class Kind {
    kOr, kAnd, kNot, kDefined, kBinary, kUnary,
    kInteger, kFloat, kText, kRegex, kBool, kFilesize, kEntrypoint,
    kStringMatch, kStringCount, kStringOffset, kStringLength,
    kRuleRef,      // another YARA detection (rule)
    kModule,       // a module name: pe, math, hash, ...
    kLoopVar,      // a variable bound by for ... in
    kMember, kIndex, kCall, kOf, kForOf, kForIn
  };
  Kind kind = Kind::kBool;
  Span span;
  std::string op;  // kBinary/kUnary
  std::vector<YaraExprPtr> children;
  int64_t integer = 0;
  double real = 0;
  std::string text;  // kText raw bytes; kRegex body; kModule/kLoopVar/kMember name
  bool regex_nocase = false, regex_dotall = false;
  bool boolean = false;
  // String forms: the string id ("$a"); empty inside for..of means the
  // anonymous `$`/`#`/`@`/`!`.
  std::string string_id;
  const Detection* rule = nullptr;  // kRuleRef
  YaraExprPtr range_low, range_high;
  enum class Quant { kAll, kAny, kNone, kCount, kPercent };
  Quant quant = Quant::kAny;
  int64_t quant_value = 0;
  bool them = false;
  bool of_rules = false;
  std::vector<std::string> set;  // "$a", "$b*"; or rule patterns
  std::vector<const Detection*> rule_set;  // resolved rules for of_rules
  std::vector<std::string> vars;
  std::vector<YaraExprPtr> iter_items;
  bool iter_is_range = false, iter_is_expr = false;
  YaraExprPtr body;
};

struct YaraLogic : DetectionLogic {
  std::string_view kind() const override { return "yara"; }
  std::vector<YaraString> strings;
  YaraExprPtr condition;
  bool is_private = false;
  bool is_global = false;
  std::vector<std::string> modules;  // sorted, deduplicated
};

// A Sigma meta filter: one shared exclusion applied to several rules.
struct Filter : Entity {
  Filter() : Entity(EntityKind::kFilter) {}
  std::optional<std::string> id;
  Logsource logsource;
  std::vector<const Detection*> rules;  // empty with applies_to_any
  std::vector<Span> rule_spans;         // parallel to rules: where `rules:` names each
  bool applies_to_any = false;
  std::vector<SigmaSelection> selections;
  SigmaExprPtr condition;
};

// ---- the whole program ------------------------------------------------------
struct Manifest {
  std::string name = "ward-project";
  std::string version = "0.0.0";
  std::string author;
  std::string namespace_uuid;  // UUIDv5 namespace for stable rule IDs
  std::string root;            // directory of ward.yaml (or of the inputs)
};

struct Program {
  Manifest manifest;
  // Sorted by qualified name, so iteration order is deterministic.
  std::vector<std::unique_ptr<Catalog>> catalogs;
  std::vector<std::unique_ptr<Asset>> assets;
  std::vector<std::unique_ptr<Persona>> personas;
  std::vector<std::unique_ptr<Threat>> threats;
  std::vector<std::unique_ptr<Mitigation>> mitigations;
  std::vector<std::unique_ptr<Detection>> detections;
  std::vector<std::unique_ptr<Filter>> filters;

  const Entity* Find(std::string_view qualified_name) const;
  std::map<std::string, const Entity*, std::less<>> by_name;
};

// The stable ID of a detection or filter: its pinned `id`, or a UUIDv5 of the
// manifest namespace and the qualified name.
std::string StableId(const Program& program, const Entity& entity);

}  // namespace ward::ir

#endif  // WARD_COMPILER_IR_IR_H_
