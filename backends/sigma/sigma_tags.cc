#include "backends/sigma/sigma_tags.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "compiler/ir/broader_threats.h"

namespace ward::backends::sigma {
namespace {

bool IsTagChar(char c, bool allow_dot) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         (allow_dot && c == '.');
}

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Lowercases and maps characters outside the alphabet to `_`, collapsing runs.
std::string ToAlphabet(std::string_view text, bool allow_dot) {
  std::string out;
  for (char c : text) {
    char l = Lower(c);
    if (IsTagChar(l, allow_dot)) {
      out += l;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string Kebab(std::string_view title) {
  std::string out;
  for (char c : title) {
    char l = Lower(c);
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
      out += l;
    } else if ((l == ' ' || l == '-' || l == '_') && !out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

bool IsAttackTactic(const ir::CatalogEntry& entry) {
  if (entry.kind == "tactic") return true;
  // TAnnnn IDs are tactics even when the catalog leaves `kind` out.
  const std::string& id = entry.id;
  return id.size() == 6 && (id[0] == 'T' || id[0] == 't') && (id[1] == 'A' || id[1] == 'a') &&
         std::all_of(id.begin() + 2, id.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string AttackTacticTag(const ir::CatalogEntry& entry) {
  std::string name = Kebab(entry.title);
  return "attack." + (name.empty() ? ToAlphabet(entry.id, true) : name);
}

// Tactics reachable through `parents` (a sub-technique's parent technique
// names the tactics). Bounded: catalogs are small, but a parent cycle must
// not loop.
void CollectTactics(const ir::CatalogEntry& entry, std::vector<std::string>& out, int depth) {
  if (depth > 8 || entry.catalog == nullptr) return;
  for (const std::string& parent_id : entry.parents) {
    const ir::CatalogEntry* parent = entry.catalog->Find(parent_id);
    if (parent == nullptr) continue;
    if (IsAttackTactic(*parent)) {
      out.push_back(AttackTacticTag(*parent));
    } else {
      CollectTactics(*parent, out, depth + 1);
    }
  }
}

}  // namespace

bool IsValidSigmaTag(std::string_view tag) {
  size_t dot = tag.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == tag.size()) return false;
  for (size_t i = 0; i < tag.size(); ++i) {
    if (i == dot) continue;
    if (!IsTagChar(tag[i], i > dot)) return false;
  }
  return true;
}

bool HasStandardNamespace(std::string_view tag) {
  std::string_view ns = tag.substr(0, tag.find('.'));
  for (std::string_view standard : {"attack", "car", "cve", "d3fend", "detection", "stp", "tlp"}) {
    if (ns == standard) return true;
  }
  return false;
}

std::string TagNamespace(const ir::Catalog& catalog) {
  const std::string& framework = catalog.framework;
  if (framework == "mitre_attack") return "attack";
  if (framework == "mitre_atlas") return "atlas";
  if (framework == "mitre_d3fend") return "d3fend";
  if (framework == "cosai_risk_map") return "cosai";
  std::string ns = ToAlphabet(framework, false);
  if (ns.empty()) ns = ToAlphabet(catalog.name, false);
  return ns.empty() ? "catalog" : ns;
}

std::vector<std::string> TagsForEntry(const ir::CatalogEntry& entry) {
  std::vector<std::string> tags;
  if (entry.catalog == nullptr) return tags;
  std::string ns = TagNamespace(*entry.catalog);
  if (ns == "attack") {
    if (IsAttackTactic(entry)) {
      tags.push_back(AttackTacticTag(entry));
      return tags;
    }
    CollectTactics(entry, tags, 0);
  }
  std::string value = ToAlphabet(entry.id, true);
  if (!value.empty()) tags.push_back(ns + "." + value);
  return tags;
}

std::optional<std::string> SanitizeUserTag(std::string_view tag) {
  std::string out;
  for (char c : tag) out += c == ' ' ? '_' : Lower(c);
  if (!IsValidSigmaTag(out)) return std::nullopt;
  return out;
}

std::vector<std::string> TagsFor(const ir::Entity& entity,
                                 const std::vector<const ir::Threat*>& threats, Profile profile,
                                 DiagnosticEngine& diags) {
  std::vector<std::string> tags;
  std::set<std::string> seen;
  auto add = [&](const std::string& tag) {
    if (!IsValidSigmaTag(tag)) return;  // e.g. an entry ID with no usable character
    if (profile == Profile::kSigmaHq && !HasStandardNamespace(tag)) return;
    if (seen.insert(tag).second) tags.push_back(tag);
  };
  // The broader threats a linked threat refines lend their framework IDs too.
  for (const ir::Threat* threat : ir::WithBroaderThreats(threats)) {
    for (const ir::CatalogRef& ref : threat->maps) {
      if (ref.entry == nullptr) continue;
      for (const std::string& tag : TagsForEntry(*ref.entry)) add(tag);
    }
  }
  for (const std::string& tag : entity.meta.tags) {
    std::optional<std::string> clean = SanitizeUserTag(tag);
    if (!clean) {
      diags.Report(Diag(DiagCode::kSigmaTagDropped, entity.name_span,
                        fmt::format("tag `{}` is not a valid Sigma tag and was left out", tag))
                       .Help("write tags as `namespace.value` with lowercase letters, digits, "
                             "`_`, `-` (and `.` after the namespace), e.g. "
                             "`detection.threat-hunting`"));
      continue;
    }
    add(*clean);
  }
  return tags;
}

}  // namespace ward::backends::sigma
