#include "compiler/ir/ir.h"

#include <fmt/format.h>

#include "compiler/support/uuid.h"

namespace ward::ir {

std::string Date::str() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

const char* EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCatalog: return "catalog";
    case EntityKind::kAsset: return "asset";
    case EntityKind::kPersona: return "persona";
    case EntityKind::kThreat: return "threat";
    case EntityKind::kMitigation: return "mitigation";
    case EntityKind::kDetection: return "detection";
    case EntityKind::kFilter: return "filter";
  }
  return "entity";
}

const char* SeverityName(Severity v) {
  static const char* const kNames[] = {"info", "low", "medium", "high", "critical"};
  return kNames[static_cast<int>(v)];
}
const char* LikelihoodName(Likelihood v) {
  static const char* const kNames[] = {"unknown", "rare", "unlikely", "possible", "likely",
                                       "almost_certain"};
  return kNames[static_cast<int>(v)];
}
const char* ImpactName(Impact v) {
  static const char* const kNames[] = {"unknown", "negligible", "minor", "moderate", "major",
                                       "severe"};
  return kNames[static_cast<int>(v)];
}
const char* MitigationTypeName(MitigationType v) {
  static const char* const kNames[] = {"preventive", "detective", "corrective", "deterrent",
                                       "compensating", "recovery"};
  return kNames[static_cast<int>(v)];
}
const char* EffectivenessName(Effectiveness v) {
  static const char* const kNames[] = {"unknown", "low", "medium", "high"};
  return kNames[static_cast<int>(v)];
}
const char* LevelName(Level v) {
  static const char* const kNames[] = {"informational", "low", "medium", "high", "critical"};
  return kNames[static_cast<int>(v)];
}

const char* SigmaModifierName(SigmaModifier m) {
  switch (m) {
    case SigmaModifier::kContains: return "contains";
    case SigmaModifier::kStartsWith: return "startswith";
    case SigmaModifier::kEndsWith: return "endswith";
    case SigmaModifier::kAll: return "all";
    case SigmaModifier::kExists: return "exists";
    case SigmaModifier::kCased: return "cased";
    case SigmaModifier::kNeq: return "neq";
    case SigmaModifier::kWindash: return "windash";
    case SigmaModifier::kRe: return "re";
    case SigmaModifier::kReI: return "i";
    case SigmaModifier::kReM: return "m";
    case SigmaModifier::kReS: return "s";
    case SigmaModifier::kBase64: return "base64";
    case SigmaModifier::kBase64Offset: return "base64offset";
    case SigmaModifier::kUtf16le: return "utf16le";
    case SigmaModifier::kUtf16be: return "utf16be";
    case SigmaModifier::kUtf16: return "utf16";
    case SigmaModifier::kWide: return "wide";
    case SigmaModifier::kLt: return "lt";
    case SigmaModifier::kLte: return "lte";
    case SigmaModifier::kGt: return "gt";
    case SigmaModifier::kGte: return "gte";
    case SigmaModifier::kMinute: return "minute";
    case SigmaModifier::kHour: return "hour";
    case SigmaModifier::kDay: return "day";
    case SigmaModifier::kWeek: return "week";
    case SigmaModifier::kMonth: return "month";
    case SigmaModifier::kYear: return "year";
    case SigmaModifier::kCidr: return "cidr";
    case SigmaModifier::kExpand: return "expand";
    case SigmaModifier::kFieldref: return "fieldref";
  }
  return "?";
}

const CatalogEntry* Catalog::Find(std::string_view id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : it->second;
}

const Entity* Program::Find(std::string_view qualified_name) const {
  auto it = by_name.find(qualified_name);
  return it == by_name.end() ? nullptr : it->second;
}

std::string StableId(const Program& program, const Entity& entity) {
  if (const auto* detection = dynamic_cast<const Detection*>(&entity); detection && detection->id) {
    return *detection->id;
  }
  if (const auto* filter = dynamic_cast<const Filter*>(&entity); filter && filter->id) {
    return *filter->id;
  }
  std::string_view ns = program.manifest.namespace_uuid.empty()
                            ? kDefaultNamespace
                            : std::string_view(program.manifest.namespace_uuid);
  // Qualified names are unique across every kind of declaration (sema
  // reports E0201 otherwise), so the name alone identifies the entity.
  return UuidV5(ns, entity.qualified_name()).value_or(std::string());
}

}  // namespace ward::ir
