#include "backends/sigma/sigma_condition.h"

#include <algorithm>
#include <map>

namespace ward::backends::sigma {

using Kind = Condition::Kind;

void SimplifyCondition(Condition& cond) {
  for (Condition& child : cond.children) SimplifyCondition(child);
  if (cond.kind == Kind::kNot) {
    if (cond.children[0].kind == Kind::kNot) {
      Condition inner = std::move(cond.children[0].children[0]);
      cond = std::move(inner);
    }
    return;
  }
  if (cond.kind != Kind::kAnd && cond.kind != Kind::kOr) return;
  std::vector<Condition> flat;
  for (Condition& child : cond.children) {
    std::vector<Condition> parts;
    if (child.kind == cond.kind) {
      parts = std::move(child.children);
    } else {
      parts.push_back(std::move(child));
    }
    for (Condition& part : parts) {
      // `a and a` is `a`: drop repeats (a shared `let` used twice).
      if (std::find(flat.begin(), flat.end(), part) == flat.end()) flat.push_back(std::move(part));
    }
  }
  if (flat.size() == 1) {
    Condition only = std::move(flat[0]);
    cond = std::move(only);
    return;
  }
  cond.children = std::move(flat);
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  // Iterative matcher with single-star backtracking.
  size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

// The naming family of an identifier: the part before its own suffix.
std::string Family(const std::string& name) {
  for (std::string_view prefix : {"filter_optional_", "filter_main_", "selection_", "filter_"}) {
    if (name.rfind(prefix, 0) == 0) return std::string(prefix);
  }
  size_t underscore = name.rfind('_');
  return underscore == std::string::npos ? std::string() : name.substr(0, underscore + 1);
}

std::string CommonPrefix(const std::vector<std::string>& names) {
  std::string prefix = names[0];
  for (const std::string& name : names) {
    size_t i = 0;
    while (i < prefix.size() && i < name.size() && prefix[i] == name[i]) ++i;
    prefix.resize(i);
  }
  return prefix;
}

// A pattern with `*` that matches exactly `group` among `identifiers`.
std::string FindPattern(const std::vector<std::string>& group,
                        const std::vector<std::string>& identifiers) {
  std::vector<std::string> candidates;
  std::string family = Family(group[0]);
  if (!family.empty()) candidates.push_back(family + "*");
  std::string common = CommonPrefix(group);
  size_t underscore = common.rfind('_');
  if (underscore != std::string::npos) candidates.push_back(common.substr(0, underscore + 1) + "*");
  if (!common.empty()) candidates.push_back(common + "*");
  std::set<std::string> wanted(group.begin(), group.end());
  for (const std::string& pattern : candidates) {
    std::set<std::string> matched;
    for (const std::string& id : identifiers) {
      if (GlobMatch(pattern, id)) matched.insert(id);
    }
    if (matched == wanted) return pattern;
  }
  return {};
}

void FoldNode(Condition& cond, const std::vector<std::string>& identifiers) {
  for (Condition& child : cond.children) FoldNode(child, identifiers);
  if (cond.kind != Kind::kAnd && cond.kind != Kind::kOr) return;
  // Group plain and negated references by family, in order of appearance.
  for (bool negated : {false, true}) {
    std::map<std::string, std::vector<size_t>> groups;
    std::vector<std::string> order;
    for (size_t i = 0; i < cond.children.size(); ++i) {
      const Condition& child = cond.children[i];
      const Condition* ref =
          negated ? (child.kind == Kind::kNot ? &child.children[0] : nullptr) : &child;
      if (ref == nullptr || ref->kind != Kind::kRef) continue;
      std::string family = Family(ref->name);
      if (!groups.count(family)) order.push_back(family);
      groups[family].push_back(i);
    }
    std::vector<size_t> remove;
    for (const std::string& family : order) {
      const std::vector<size_t>& members = groups[family];
      if (members.size() < 2) continue;
      std::vector<std::string> names;
      for (size_t i : members) {
        const Condition& child = cond.children[i];
        names.push_back(negated ? child.children[0].name : child.name);
      }
      std::string pattern = FindPattern(names, identifiers);
      if (pattern.empty()) continue;
      // and + plain -> all of; or + plain -> 1 of; De Morgan for negated.
      bool all = (cond.kind == Kind::kAnd) != negated;
      Condition quant;
      quant.kind = all ? Kind::kAllOf : Kind::kOneOf;
      quant.name = pattern;
      cond.children[members[0]] = negated ? Condition::Not(std::move(quant)) : std::move(quant);
      remove.insert(remove.end(), members.begin() + 1, members.end());
    }
    std::sort(remove.rbegin(), remove.rend());
    for (size_t i : remove) cond.children.erase(cond.children.begin() + static_cast<long>(i));
  }
  if (cond.children.size() == 1) {
    Condition only = std::move(cond.children[0]);
    cond = std::move(only);
  }
}

int Precedence(const Condition& cond) {
  switch (cond.kind) {
    case Kind::kOr:
      return 1;
    case Kind::kAnd:
      return 2;
    case Kind::kNot:
      return 3;
    default:
      return 4;
  }
}

void Print(const Condition& cond, int min_precedence, std::string& out) {
  bool parens = Precedence(cond) < min_precedence;
  if (parens) out += '(';
  switch (cond.kind) {
    case Kind::kRef:
      out += cond.name;
      break;
    case Kind::kOneOf:
      out += "1 of " + cond.name;
      break;
    case Kind::kAllOf:
      out += "all of " + cond.name;
      break;
    case Kind::kNot:
      out += "not ";
      Print(cond.children[0], 3, out);
      break;
    case Kind::kAnd:
    case Kind::kOr: {
      const char* op = cond.kind == Kind::kAnd ? " and " : " or ";
      // Operands bind tighter than their operator; a nested operator of the
      // same kind cannot occur after SimplifyCondition, but parenthesise it
      // rather than rely on associativity if it does.
      int inner = Precedence(cond) + 1;
      for (size_t i = 0; i < cond.children.size(); ++i) {
        if (i > 0) out += op;
        Print(cond.children[i], inner, out);
      }
      break;
    }
  }
  if (parens) out += ')';
}

void Collect(const Condition& cond, const std::vector<std::string>& identifiers,
             std::set<std::string>& out) {
  switch (cond.kind) {
    case Kind::kRef:
      out.insert(cond.name);
      break;
    case Kind::kOneOf:
    case Kind::kAllOf:
      for (const std::string& id : identifiers) {
        if (GlobMatch(cond.name, id)) out.insert(id);
      }
      break;
    default:
      for (const Condition& child : cond.children) Collect(child, identifiers, out);
  }
}

}  // namespace

void FoldQuantifiers(Condition& cond, const std::vector<std::string>& identifiers) {
  FoldNode(cond, identifiers);
}

std::string PrintCondition(const Condition& cond) {
  std::string out;
  Print(cond, 0, out);
  return out;
}

std::set<std::string> ReferencedIdentifiers(const Condition& cond,
                                            const std::vector<std::string>& identifiers) {
  std::set<std::string> out;
  Collect(cond, identifiers, out);
  return out;
}

}  // namespace ward::backends::sigma
