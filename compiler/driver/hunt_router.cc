#include "compiler/driver/hunt_router.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "compiler/eval/event_fields.h"
#include "compiler/eval/text_match.h"

namespace ward::driver {
namespace {

using Req = RuleRequirement;

Req MatchRequirement(const ir::SigmaExpr& e) {
  Req r;
  if (e.field.empty() || e.values.empty()) return r;  // keyword search: anywhere in the event
  for (ir::SigmaModifier m : e.modifiers) {
    // exists/neq/fieldref may hold for a missing field or compare two fields;
    // anything but `cased` changes equality into something else.
    if (m != ir::SigmaModifier::kCased) {
      bool keeps_presence = m == ir::SigmaModifier::kContains ||
                            m == ir::SigmaModifier::kStartsWith ||
                            m == ir::SigmaModifier::kEndsWith || m == ir::SigmaModifier::kAll ||
                            m == ir::SigmaModifier::kRe || m == ir::SigmaModifier::kReI ||
                            m == ir::SigmaModifier::kReM || m == ir::SigmaModifier::kReS ||
                            m == ir::SigmaModifier::kCidr || m == ir::SigmaModifier::kLt ||
                            m == ir::SigmaModifier::kLte || m == ir::SigmaModifier::kGt ||
                            m == ir::SigmaModifier::kGte;
      for (const ir::SigmaValue& v : e.values) {
        if (v.kind == ir::SigmaValue::Kind::kNull) keeps_presence = false;
      }
      if (keeps_presence) {
        r.kind = Req::Kind::kPresent;
        r.field = e.field;
      }
      return r;
    }
  }
  r.field = e.field;
  r.kind = Req::Kind::kEquals;
  for (const ir::SigmaValue& v : e.values) {
    if (v.kind == ir::SigmaValue::Kind::kNull) return Req{};  // null matches a missing field
    if (v.kind != ir::SigmaValue::Kind::kString || v.wildcards) r.kind = Req::Kind::kPresent;
    if (r.kind == Req::Kind::kEquals) r.folded_values.push_back(eval::Folded(v.text));
  }
  if (r.kind == Req::Kind::kPresent) r.folded_values.clear();
  return r;
}

using Reqs = std::vector<Req>;

// The requirement an alternative of an `or` shares with the others: the same
// field, equal to one of the union of their values, or at least present.
Reqs Merge(const Reqs& a, const Reqs& b) {
  Reqs out;
  for (const Req& x : a) {
    for (const Req& y : b) {
      if (x.field != y.field) continue;
      Req m;
      m.field = x.field;
      if (x.kind == Req::Kind::kEquals && y.kind == Req::Kind::kEquals) {
        m.kind = Req::Kind::kEquals;
        m.folded_values = x.folded_values;
        m.folded_values.insert(m.folded_values.end(), y.folded_values.begin(),
                               y.folded_values.end());
      } else {
        m.kind = Req::Kind::kPresent;
      }
      out.push_back(std::move(m));
    }
  }
  return out;
}

Reqs ExprRequirements(const ir::SigmaLogic& logic, const ir::SigmaExpr& e, int depth) {
  if (depth > 64) return {};
  switch (e.kind) {
    case ir::SigmaExpr::Kind::kMatch: {
      Req r = MatchRequirement(e);
      if (r.kind == Req::Kind::kNone) return {};
      return {r};
    }
    case ir::SigmaExpr::Kind::kSelection:
      if (e.selection >= logic.selections.size() || !logic.selections[e.selection].expr) return {};
      return ExprRequirements(logic, *logic.selections[e.selection].expr, depth + 1);
    case ir::SigmaExpr::Kind::kNot:
      return {};
    case ir::SigmaExpr::Kind::kAnd: {
      Reqs all;
      for (const auto& child : e.children) {
        Reqs r = ExprRequirements(logic, *child, depth + 1);
        all.insert(all.end(), r.begin(), r.end());
      }
      return all;
    }
    case ir::SigmaExpr::Kind::kOr: {
      if (e.children.empty()) return {};
      Reqs merged = ExprRequirements(logic, *e.children[0], depth + 1);
      for (size_t i = 1; i < e.children.size() && !merged.empty(); ++i) {
        merged = Merge(merged, ExprRequirements(logic, *e.children[i], depth + 1));
      }
      return merged;
    }
  }
  return {};
}

}  // namespace

std::vector<RuleRequirement> RequirementsOf(const ir::SigmaLogic& logic) {
  if (!logic.condition) return {};
  return ExprRequirements(logic, *logic.condition, 0);
}

HuntRouter::HuntRouter(const std::vector<std::vector<RuleRequirement>>& requirements) {
  // How many rules could be keyed on each (field, value).
  std::map<std::pair<std::string, std::string>, size_t> sharing;
  for (const auto& options : requirements) {
    for (const Req& r : options) {
      for (const std::string& v : r.folded_values) ++sharing[{r.field, v}];
    }
  }
  std::map<std::string, size_t> field_slot;
  for (uint32_t i = 0; i < requirements.size(); ++i) {
    Req r;
    size_t best_cost = SIZE_MAX;
    for (const Req& option : requirements[i]) {
      if (option.kind == Req::Kind::kEquals) {
        size_t cost = 0;
        for (const std::string& v : option.folded_values) cost += sharing[{option.field, v}];
        if (r.kind != Req::Kind::kEquals || cost < best_cost) {
          r = option;
          best_cost = cost;
        }
      } else if (r.kind == Req::Kind::kNone) {
        r = option;
      }
    }
    if (r.kind == Req::Kind::kNone) {
      always_.push_back(i);
      continue;
    }
    auto [it, inserted] = field_slot.emplace(r.field, fields_.size());
    if (inserted) fields_.push_back(FieldIndex{r.field, {}, {}, {}});
    FieldIndex& index = fields_[it->second];
    if (r.kind == Req::Kind::kPresent) {
      index.present.push_back(i);
      continue;
    }
    index.all_equals.push_back(i);
    std::vector<std::string> values = r.folded_values;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const std::string& v : values) index.equals[v].push_back(i);
  }
}

void HuntRouter::Candidates(const nlohmann::json& event, std::vector<uint32_t>& out) const {
  size_t start = out.size();
  out.insert(out.end(), always_.begin(), always_.end());
  thread_local std::vector<const nlohmann::json*> found;
  thread_local std::string text, folded;
  for (const FieldIndex& index : fields_) {
    found.clear();
    eval::ResolveField(event, index.field, found);
    if (found.empty()) continue;
    out.insert(out.end(), index.present.begin(), index.present.end());
    if (index.equals.empty()) continue;
    if (found.size() != 1) {
      out.insert(out.end(), index.all_equals.begin(), index.all_equals.end());
      continue;
    }
    const nlohmann::json& value = *found[0];
    const std::string* subject = nullptr;
    if (value.is_string()) {
      subject = &value.get_ref<const std::string&>();
    } else if (eval::ValueText(value, text)) {
      subject = &text;
    } else {
      continue;  // null, objects and arrays are never equal to a string
    }
    folded.clear();
    eval::AppendFolded(*subject, folded);
    auto hit = index.equals.find(folded);
    if (hit != index.equals.end()) out.insert(out.end(), hit->second.begin(), hit->second.end());
  }
  std::sort(out.begin() + static_cast<long>(start), out.end());
  out.erase(std::unique(out.begin() + static_cast<long>(start), out.end()), out.end());
}

}  // namespace ward::driver
