// mappings/oscal-mapping.json: an OSCAL 1.2 mapping-collection (validated
// against the 1.2.1 schema in tests). Ward's mitigations are the source
// "controls"; the framework entries they implement are the targets; there is
// one `mapping` per target catalog and one `map` per (mitigation, control).
//
// Choices (docs/mappings.md explains them):
//  - relationship `subset-of` with matching-rationale `functional`: a Ward
//    mitigation is one concrete measure that realises part of what the
//    framework control asks for, so its effective requirements are a subset
//    of the control's. Ward never claims equivalence.
//  - provenance method `human`: every link was written by an author.
//  - the source resource is Ward's own trace (type `ward-mitigations` in the
//    `urn:ward:oscal` namespace, href traceability.json); the target is
//    typed `catalog` and points at the catalog's `url`.
//  - SP 800-53 targets use the OSCAL control id (`si-7`), so id-refs resolve
//    against NIST's OSCAL catalog; other IDs are kept as written.
//  - coverage: the share of the target catalog's entries, of the kinds that
//    are implemented at all, that some mitigation implements; the rest are
//    listed in target-gap-summary (those whose ID is an OSCAL token).

#include <cctype>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "backends/mapping/framework_refs.h"
#include "backends/mapping/printers.h"
#include "backends/mapping/trace_text.h"
#include "compiler/support/uuid.h"

namespace ward::backends::mapping {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kWardNs[] = "urn:ward:oscal";
constexpr char kOscalVersion[] = "1.2.1";

// OSCAL's token type: ^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$. Bytes of multi-byte
// UTF-8 sequences are taken as letters (the IDs in practice are ASCII).
bool IsToken(const std::string& text) {
  if (text.empty()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    const bool letter = c >= 0x80 || std::isalpha(c) || c == '_';
    if (i == 0 ? !letter : !(letter || std::isdigit(c) || c == '.' || c == '-')) return false;
  }
  return true;
}

// An id-ref must be a token. A catalog ID that is not one (free text an
// author wrote: spaces, `|`, quotes, markup) gets a deterministic token made
// from it, and its own text stays in the target's `label` prop.
std::string TokenFor(const std::string& id) {
  if (IsToken(id)) return id;
  std::string out = "ward-id-";
  uint32_t hash = 2166136261u;  // FNV-1a: tells apart IDs that map to one spelling
  for (char c : id) {
    unsigned char u = static_cast<unsigned char>(c);
    hash = (hash ^ u) * 16777619u;
    out += (std::isalnum(u) || c == '.' || c == '-' || c == '_') ? c : '_';
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '-';
  for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 0xF];
  return out;
}

// OSCAL's string type forbids leading and trailing whitespace, markup-line
// forbids line breaks.
std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  size_t end = out.find_last_not_of(' ');
  return out.substr(begin, end - begin + 1);
}

double Fraction(size_t part, size_t total) {
  if (total == 0) return 0;
  return std::round(static_cast<double>(part) * 10000.0 / static_cast<double>(total)) / 10000.0;
}

class OscalWriter {
 public:
  explicit OscalWriter(const TraceModel& model) : model_(model) {}

  std::optional<std::string> Print() {
    Json mappings = Json::array();
    size_t implemented = 0, implementable = 0;
    for (const FrameworkCoverage& fc : model_.coverage.frameworks) {
      if (fc.implemented == 0) continue;
      implemented += fc.implemented;
      implementable += fc.implementable;
      mappings.push_back(Mapping(fc));
    }
    if (mappings.empty()) return std::nullopt;

    Json collection;
    collection["uuid"] = Uuid("mapping-collection:" + model_.project.name);
    collection["metadata"] = Metadata();
    Json provenance;
    provenance["method"] = "human";
    provenance["matching-rationale"] = "functional";
    provenance["status"] = "complete";
    provenance["mapping-description"] =
        "Mitigations of the Ward threat model " + OneLine(model_.project.name) +
        " mapped to the framework controls they implement, as declared with `implements`. "
        "Each map states that the mitigation realises part of the control (subset-of).";
    Json coverage;
    coverage["target-coverage"] = Fraction(implemented, implementable);
    provenance["coverage"] = std::move(coverage);
    if (!party_.empty()) {
      provenance["responsible-parties"] =
          Json::array({Json{{"role-id", "creator"}, {"party-uuids", Json::array({party_})}}});
    }
    collection["provenance"] = std::move(provenance);
    collection["mappings"] = std::move(mappings);
    Json root;
    root["mapping-collection"] = std::move(collection);
    return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  }

 private:
  std::string Uuid(const std::string& key) const {
    return UuidV5(model_.project.namespace_uuid, "oscal:" + key).value_or(std::string());
  }

  static Json Prop(const std::string& name, const std::string& value) {
    return Json{{"name", name}, {"ns", kWardNs}, {"value", OneLine(value)}};
  }

  Json Metadata() {
    Json metadata;
    std::string title = OneLine(model_.project.name) + ": mitigations mapped to framework controls";
    metadata["title"] = title;
    metadata["last-modified"] = model_.document_date + "T00:00:00Z";
    metadata["version"] = OneLine(model_.project.version).empty() ? "0.0.0"
                                                                  : OneLine(model_.project.version);
    metadata["oscal-version"] = kOscalVersion;
    metadata["props"] = Json::array({Prop("generator", "ward")});
    const std::string author = OneLine(model_.project.author);
    if (!author.empty()) {
      party_ = Uuid("party:" + author);
      metadata["roles"] = Json::array({Json{{"id", "creator"}, {"title", "Creator"}}});
      metadata["parties"] =
          Json::array({Json{{"uuid", party_}, {"type", "organization"}, {"name", author}}});
    }
    return metadata;
  }

  Json Mapping(const FrameworkCoverage& fc) const {
    const CatalogInfo& catalog = model_.catalogs[fc.catalog];
    Json mapping;
    mapping["uuid"] = Uuid("mapping:" + catalog.name);
    Json source;
    source["ns"] = kWardNs;
    source["type"] = "ward-mitigations";
    source["href"] = "traceability.json";
    mapping["source-resource"] = std::move(source);
    Json target;
    target["type"] = "catalog";
    target["href"] = catalog.url.empty() ? "urn:ward:catalog:" + catalog.name : catalog.url;
    Json props = Json::array();
    if (!OneLine(catalog.framework).empty()) props.push_back(Prop("framework", catalog.framework));
    if (!OneLine(catalog.version).empty()) props.push_back(Prop("framework-version", catalog.version));
    props.push_back(Prop("ward-catalog", catalog.name));
    target["props"] = std::move(props);
    mapping["target-resource"] = std::move(target);

    Json maps = Json::array();
    std::set<size_t> implemented_entries;
    std::set<std::string> implemented_kinds;
    for (const ControlView& view : model_.controls) {
      if (view.control.catalog != fc.catalog) continue;
      implemented_entries.insert(view.control.entry);
      const CatalogEntryInfo& entry = model_.EntryOf(view.control);
      implemented_kinds.insert(entry.kind);
      for (size_t m : view.mitigations) maps.push_back(Map(model_.mitigations[m], view.control));
    }
    Json coverage;
    coverage["target-coverage"] = Fraction(fc.implemented, fc.implementable);
    mapping["coverage"] = std::move(coverage);

    Json unmapped = Json::array();
    for (size_t e = 0; e < catalog.entries.size(); ++e) {
      const CatalogEntryInfo& entry = catalog.entries[e];
      if (implemented_entries.count(e) || !implemented_kinds.count(entry.kind)) continue;
      std::string id = OscalControlId(catalog.framework, entry.id);
      if (IsToken(id)) unmapped.push_back(id);
    }
    if (!unmapped.empty()) {
      Json gap;
      gap["uuid"] = Uuid("target-gap:" + catalog.name);
      gap["unmapped-controls"] = Json::array({Json{{"with-ids", std::move(unmapped)}}});
      mapping["target-gap-summary"] = std::move(gap);
    }
    mapping["maps"] = std::move(maps);
    return mapping;
  }

  Json Map(const MitigationTrace& mitigation, const FrameworkRef& control) const {
    const CatalogInfo& catalog = model_.CatalogOf(control);
    const CatalogEntryInfo& entry = model_.EntryOf(control);
    const std::string target_id = TokenFor(OscalControlId(catalog.framework, entry.id));
    Json map;
    map["uuid"] = Uuid("map:" + mitigation.info.name + ":" + catalog.name + ":" + entry.id);
    map["relationship"] = "subset-of";
    Json source_props = Json::array({Prop("effectiveness", mitigation.effectiveness),
                                     Prop("mitigation-type", mitigation.type)});
    map["sources"] = Json::array(
        {Json{{"type", "control"}, {"id-ref", mitigation.info.name}, {"props", source_props}}});
    Json target{{"type", "control"}, {"id-ref", target_id}};
    if (target_id != entry.id) target["props"] = Json::array({Prop("label", entry.id)});
    map["targets"] = Json::array({std::move(target)});
    map["remarks"] = mitigation.info.label() + " implements " + EntryLabel(entry) + " (" +
                     CatalogLabel(catalog) + " " + catalog.version + ").";
    return map;
  }

  const TraceModel& model_;
  std::string party_;
};

}  // namespace

std::optional<std::string> PrintOscalMapping(const TraceModel& model) {
  return OscalWriter(model).Print();
}

}  // namespace ward::backends::mapping
