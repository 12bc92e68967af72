#ifndef WARD_BACKENDS_MAPPING_TRACE_MODEL_H_
#define WARD_BACKENDS_MAPPING_TRACE_MODEL_H_

// The mapping backend's own model: the threat model seen as traceability,
// threat -> mitigations -> framework controls and threat -> detections ->
// tests, plus the reverse views (control -> threats, framework ID -> Ward
// entities), a coverage summary, residual risk and the gaps.
//
// Lowering (trace_lowering.h) builds it from the IR with every list already
// sorted and every cross-reference an index into this model, so each printer
// (one file per output format) only lays text out and never sees the IR.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace ward::backends::mapping {

// ---- catalogs ---------------------------------------------------------------
struct CatalogEntryInfo {
  std::string id;     // "AML.T0051"
  std::string title;  // "LLM Prompt Injection" (may be empty)
  std::string kind;   // tactic, technique, subtechnique, mitigation, control...
  std::vector<std::string> parents;
  bool deprecated = false;
};

struct CatalogInfo {
  std::string name;       // qualified Ward name: "catalogs.atlas"
  std::string title;      // "MITRE ATLAS"
  std::string framework;  // "mitre_atlas"
  std::string version;    // "5.6.1"
  std::string url;
  std::vector<CatalogEntryInfo> entries;  // declaration order

  // The index of `id` in entries, or entries.size().
  size_t Find(const std::string& id) const;
};

// One checked mapping to a catalog entry.
struct FrameworkRef {
  size_t catalog = 0;          // index into TraceModel::catalogs
  size_t entry = 0;            // index into CatalogInfo::entries
  std::string pinned_version;  // atlas."AML.T0051@5.0.1" -> "5.0.1"; else empty

  friend bool operator==(const FrameworkRef& a, const FrameworkRef& b) {
    return a.catalog == b.catalog && a.entry == b.entry;
  }
};

// A threat's mappings to one catalog (= one framework at one version).
struct FrameworkGroup {
  size_t catalog = 0;
  std::vector<FrameworkRef> refs;  // catalog declaration order
};

// ---- the traced entities ------------------------------------------------------
// What every traced entity carries, copied from the IR metadata.
struct EntityInfo {
  std::string name;  // qualified: "cosai.supply_chain.unsafe_deserialization"
  std::string title;
  std::string description;
  std::string status;
  std::string date;      // YYYY-MM-DD or empty
  std::string modified;  // YYYY-MM-DD or empty
  std::vector<std::string> references;

  // The title, or the name when there is none: what a reader is shown.
  const std::string& label() const { return title.empty() ? name : title; }
};

struct AssetTrace {
  EntityInfo info;
  std::string kind;  // model_artifact, agent, ...
  std::vector<FrameworkRef> maps;
  std::vector<size_t> threats;  // indices into TraceModel::threats
};

struct PersonaTrace {
  EntityInfo info;
  std::vector<FrameworkRef> maps;
};

// Residual risk on the severity scale (see residual_risk.h for the rule).
enum class Rating { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };
inline constexpr size_t kRatingCount = 5;
const char* RatingName(Rating rating);

struct ResidualRisk {
  std::string severity;  // the threat's own severity
  bool mitigated = false;
  bool detected = false;
  bool detection_tested = false;   // at least one linked detection has a test
  std::string best_effectiveness;  // strongest linked mitigation: high, medium, low, unknown, ""
  int mitigation_credit = 0;       // steps taken off for mitigations (0-2)
  int detection_credit = 0;        // steps taken off for a tested detection (0-1)
  Rating rating = Rating::kInfo;
};

// How a threat, or a framework technique, is covered.
enum class CoverageState { kNone, kMitigated, kDetected, kBoth };
const char* CoverageStateName(CoverageState state);  // none, mitigated, detected, both

struct ThreatTrace {
  EntityInfo info;
  std::string severity, likelihood, impact, category;
  std::vector<std::string> stages;
  std::vector<size_t> assets;          // indices into TraceModel::assets
  std::vector<FrameworkGroup> mappings;  // sorted by catalog index
  std::vector<size_t> mitigations;     // indices into TraceModel::mitigations
  std::vector<size_t> detections;      // indices into TraceModel::detections
  std::vector<size_t> refines;         // broader threats this one refines (indices)
  std::vector<size_t> refined_by;      // narrower threats that refine this one directly
  // Narrower threats, direct or through others, that have a detection: a
  // threat without a detection of its own is detected through them.
  std::vector<size_t> detected_through;
  std::string detection_gap;           // the declared reason no detection can exist, or ""
  ResidualRisk residual;

  // Detected by its own detections or through a refining threat's.
  bool detected() const { return !detections.empty() || !detected_through.empty(); }
  // Undetected, and declared undetectable: shown as a declared gap.
  bool declared_gap() const { return !detected() && !detection_gap.empty(); }
  CoverageState coverage() const;
};

struct MitigationTrace {
  EntityInfo info;
  std::string type;           // preventive, detective, ...
  std::string effectiveness;  // high, medium, low, unknown
  std::string category;
  std::vector<FrameworkRef> controls;  // `implements`, sorted
  std::vector<size_t> assets;          // `applies_to`
  std::vector<size_t> threats;
};

struct TestInfo {
  std::string name;
  bool expect_match = true;
};

struct DetectionTrace {
  EntityInfo info;
  std::string kind;       // sigma, yara, ...
  std::string stable_id;  // ir::StableId: the rule ID in the emitted rule
  std::string level;
  std::vector<TestInfo> tests;  // declaration order
  std::vector<size_t> threats;
};

// ---- reverse views --------------------------------------------------------------
// A framework control implemented by at least one mitigation.
struct ControlView {
  FrameworkRef control;
  std::vector<size_t> mitigations;
  std::vector<size_t> threats;  // addressed by those mitigations
};

// Every catalog entry that some Ward entity refers to, with those entities.
struct EntityLink {
  std::string kind;      // threat, mitigation, asset, persona
  std::string name;      // qualified
  std::string relation;  // maps (threat, asset, persona), implements (mitigation)
};

struct FrameworkIdView {
  FrameworkRef ref;
  std::vector<EntityLink> entities;  // by kind, then name
};

// ---- coverage and gaps ------------------------------------------------------------
struct FrameworkCoverage {
  size_t catalog = 0;
  size_t entries = 0;             // entries declared in the catalog
  size_t referenced = 0;          // entries any Ward entity refers to
  size_t mapped_by_threats = 0;   // entries some threat maps to
  size_t covered = 0;             // of those, entries whose threats are mitigated or detected
  size_t implementable = 0;       // entries of a kind that some mitigation implements
  size_t implemented = 0;         // entries some mitigation implements
};

struct Coverage {
  size_t threats = 0;
  size_t mitigated = 0;  // threats with at least one mitigation
  size_t detected = 0;   // threats with at least one detection, own or through refinement
  size_t detected_through_refinement = 0;  // of those, threats with no detection of their own
  size_t detection_gaps = 0;  // undetected threats that declare a detection gap
  size_t both = 0;
  size_t uncovered = 0;  // neither
  size_t mitigations = 0;
  size_t mitigations_unused = 0;    // address no threat
  size_t mitigations_unmapped = 0;  // implement no framework control
  size_t detections = 0;
  size_t detections_tested = 0;
  size_t detections_orphan = 0;  // detect no threat
  size_t tests = 0;
  std::array<size_t, kRatingCount> residual{};  // threats per residual rating
  std::vector<FrameworkCoverage> frameworks;     // one per catalog
};

enum class GapKind {
  kThreatUncovered,     // no mitigation and no detection
  kThreatUnmitigated,   // detections only
  kThreatUndetected,    // mitigations only
  kDetectionGapDeclared,  // mitigations only, and declared undetectable
  kDetectionUntested,
  kDetectionOrphan,
  kMitigationUnused,
  kMitigationUnmapped,
};
const char* GapKindName(GapKind kind);  // threat_uncovered, ...

struct Gap {
  GapKind kind;
  std::string subject_kind;  // threat, detection, mitigation
  size_t subject = 0;        // index into the matching TraceModel vector
  std::string message;       // one line for a reader
};

// ---- the whole model ----------------------------------------------------------------
struct ProjectInfo {
  std::string name;
  std::string version;
  std::string author;
  std::string namespace_uuid;  // the UUIDv5 namespace used for every derived ID
};

struct TraceModel {
  ProjectInfo project;
  // The date stamped on documents: the build date when set, otherwise the
  // newest date in the sources, otherwise 1970-01-01 (YYYY-MM-DD).
  std::string document_date;
  std::vector<CatalogInfo> catalogs;  // by framework, then name
  std::vector<AssetTrace> assets;     // by qualified name
  std::vector<PersonaTrace> personas;
  std::vector<ThreatTrace> threats;
  std::vector<MitigationTrace> mitigations;
  std::vector<DetectionTrace> detections;
  std::vector<ControlView> controls;       // by framework ref
  std::vector<FrameworkIdView> framework_ids;
  Coverage coverage;
  std::vector<Gap> gaps;  // threats first (by severity, highest first), then the rest

  const CatalogInfo& CatalogOf(const FrameworkRef& ref) const { return catalogs[ref.catalog]; }
  const CatalogEntryInfo& EntryOf(const FrameworkRef& ref) const {
    return catalogs[ref.catalog].entries[ref.entry];
  }
};

// Orders references by catalog, then declaration order in the catalog.
bool RefLess(const FrameworkRef& a, const FrameworkRef& b);

}  // namespace ward::backends::mapping

#endif  // WARD_BACKENDS_MAPPING_TRACE_MODEL_H_
