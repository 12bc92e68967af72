#include "backends/mapping/framework_refs.h"

#include <cctype>

namespace ward::backends::mapping {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "T1059" or "T1059.006" after the given prefix ("T", "AML.T").
bool IsTechniqueId(std::string_view id, std::string_view prefix) {
  if (!StartsWith(id, prefix)) return false;
  std::string_view rest = id.substr(prefix.size());
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return AllDigits(rest);
  return AllDigits(rest.substr(0, dot)) && AllDigits(rest.substr(dot + 1));
}

bool IsNumbered(std::string_view id, std::string_view prefix) {
  return StartsWith(id, prefix) && AllDigits(id.substr(prefix.size()));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

KnownFramework Classify(std::string_view framework) {
  const std::string name = Lower(framework);
  if (name == "mitre_atlas" || name == "atlas" || name == "mitre-atlas") {
    return KnownFramework::kAtlas;
  }
  if (name == "mitre_attack" || name == "attack" || name == "mitre-attack" ||
      name == "mitre_attack_enterprise" || name == "enterprise_attack") {
    return KnownFramework::kAttack;
  }
  if (name == "nist_sp800_53" || name == "nist80053" || name == "nist_800_53" ||
      name == "sp800_53") {
    return KnownFramework::kNist80053;
  }
  return KnownFramework::kOther;
}

std::string StixSourceName(std::string_view framework) {
  switch (Classify(framework)) {
    case KnownFramework::kAtlas: return "mitre-atlas";
    case KnownFramework::kAttack: return "mitre-attack";
    default: break;
  }
  std::string out = Lower(framework);
  for (char& c : out) {
    if (c == '_' || c == ' ') c = '-';
  }
  return out.empty() ? "framework" : out;
}

std::optional<std::string> NavigatorDomain(std::string_view framework) {
  switch (Classify(framework)) {
    case KnownFramework::kAtlas: return "atlas-atlas";
    case KnownFramework::kAttack: return "enterprise-attack";
    default: return std::nullopt;
  }
}

std::optional<std::string> EntryUrl(std::string_view framework, std::string_view id) {
  const std::string key(id);
  switch (Classify(framework)) {
    case KnownFramework::kAtlas:
      if (IsNumbered(id, "AML.TA")) return "https://atlas.mitre.org/tactics/" + key;
      if (IsTechniqueId(id, "AML.T")) return "https://atlas.mitre.org/techniques/" + key;
      if (IsNumbered(id, "AML.M")) return "https://atlas.mitre.org/mitigations/" + key;
      if (IsNumbered(id, "AML.CS")) return "https://atlas.mitre.org/studies/" + key;
      return std::nullopt;
    case KnownFramework::kAttack: {
      if (IsNumbered(id, "TA")) return "https://attack.mitre.org/tactics/" + key + "/";
      if (IsNumbered(id, "M")) return "https://attack.mitre.org/mitigations/" + key + "/";
      if (IsTechniqueId(id, "T")) {
        std::string path = key;
        for (char& c : path) {
          if (c == '.') c = '/';
        }
        return "https://attack.mitre.org/techniques/" + path + "/";
      }
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

bool IsTechnique(const CatalogEntryInfo& entry) {
  return entry.kind == "technique" || entry.kind == "subtechnique" ||
         entry.kind == "sub-technique" || entry.kind == "sub_technique";
}

bool IsTactic(const CatalogEntryInfo& entry) { return entry.kind == "tactic"; }

std::string TacticShortName(std::string_view title) {
  std::string out;
  bool dash = false;
  for (char c : title) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(u));
    } else {
      dash = true;
    }
  }
  return out;
}

std::string OscalControlId(std::string_view framework, std::string_view id) {
  if (Classify(framework) != KnownFramework::kNist80053) return std::string(id);
  // "AC-2(1)" -> "ac-2.1"; "SI-7" -> "si-7". Zero-padded forms ("AC-02")
  // lose their padding, as OSCAL ids have none.
  std::string out;
  size_t i = 0;
  while (i < id.size()) {
    char c = id[i];
    if (c == '(') {
      out += '.';
    } else if (c != ')' && c != ' ') {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    ++i;
  }
  // Strip leading zeros of the number after the family ("ac-02" -> "ac-2").
  size_t dash = out.find('-');
  if (dash != std::string::npos) {
    size_t digits = dash + 1;
    while (digits + 1 < out.size() && out[digits] == '0' &&
           std::isdigit(static_cast<unsigned char>(out[digits + 1]))) {
      out.erase(digits, 1);
    }
  }
  return out;
}

}  // namespace ward::backends::mapping
