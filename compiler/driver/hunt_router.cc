#include "compiler/driver/hunt_router.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>

#include "compiler/eval/event_fields.h"
#include "compiler/eval/event_view.h"
#include "compiler/eval/text_match.h"

namespace ward::driver {
namespace {

using Req = RuleRequirement;

// `field contains/startswith/endswith` plain strings, case-folded: the
// field's folded text then contains one of them (each of them with `all`).
bool ContainsRequirement(const ir::SigmaExpr& e, Req& r) {
  int text_ops = 0;
  bool all = false;
  for (ir::SigmaModifier m : e.modifiers) {
    if (m == ir::SigmaModifier::kContains || m == ir::SigmaModifier::kStartsWith ||
        m == ir::SigmaModifier::kEndsWith) {
      ++text_ops;
    } else if (m == ir::SigmaModifier::kAll) {
      all = true;
    } else {
      return false;  // cased, encodings, regexes...: not a folded substring
    }
  }
  if (text_ops != 1) return false;
  for (const ir::SigmaValue& v : e.values) {
    if (v.kind != ir::SigmaValue::Kind::kString || v.wildcards) return false;
  }
  r.kind = Req::Kind::kContains;
  r.field = e.field;
  for (const ir::SigmaValue& v : e.values) r.folded_values.push_back(eval::Folded(v.text));
  if (all) {
    // Every value must occur: requiring the longest one is enough.
    auto longest = std::max_element(
        r.folded_values.begin(), r.folded_values.end(),
        [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    r.folded_values = {*longest};
  }
  return true;
}

Req MatchRequirement(const ir::SigmaExpr& e) {
  Req r;
  if (e.field.empty() || e.values.empty()) return r;  // keyword search: anywhere in the event
  if (ContainsRequirement(e, r)) return r;
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
      auto textual = [](const Req& q) {
        return q.kind == Req::Kind::kEquals || q.kind == Req::Kind::kContains;
      };
      if (textual(x) && textual(y)) {
        // Equal to a value implies containing it.
        m.kind = x.kind == Req::Kind::kEquals && y.kind == Req::Kind::kEquals
                     ? Req::Kind::kEquals
                     : Req::Kind::kContains;
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

constexpr size_t kMinLiteral = 3;  // bytes: the substring index is keyed on three

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
    for (Req option : requirements[i]) {
      if (option.kind == Req::Kind::kContains) {
        for (const std::string& v : option.folded_values) {
          if (v.size() < kMinLiteral) option.kind = Req::Kind::kPresent;
        }
        if (option.kind == Req::Kind::kPresent) option.folded_values.clear();
      }
      if (option.kind == Req::Kind::kEquals || option.kind == Req::Kind::kContains) {
        size_t cost = 0;
        for (const std::string& v : option.folded_values) cost += sharing[{option.field, v}];
        bool keyed = r.kind == Req::Kind::kEquals || r.kind == Req::Kind::kContains;
        if (!keyed || cost < best_cost) {
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
    if (inserted) fields_.push_back(FieldIndex{r.field, eval::InternField(r.field), {}, {}, {}});
    FieldIndex& index = fields_[it->second];
    if (r.kind == Req::Kind::kPresent) {
      index.present.push_back(i);
      continue;
    }
    std::vector<std::string> values = r.folded_values;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const std::string& v : values) {
      if (r.kind == Req::Kind::kEquals) {
        index.equals[v].push_back(i);
      } else {
        index.contains.Add(v, i);
      }
    }
  }
}

void HuntRouter::LiteralIndex::Add(const std::string& literal, uint32_t rule) {
  if (first_two.empty()) first_two.assign(1 << 16, 0);
  auto byte = [&](size_t k) {
    return static_cast<uint32_t>(static_cast<unsigned char>(literal[k]));
  };
  uint32_t prefix = byte(0) | byte(1) << 8 | byte(2) << 16;
  std::vector<uint32_t>& ids = by_prefix[prefix];
  for (uint32_t id : ids) {
    if (literals[id] == literal) {
      rules[id].push_back(rule);
      return;
    }
  }
  ids.push_back(static_cast<uint32_t>(literals.size()));
  literals.push_back(literal);
  rules.push_back({rule});
  first_two[byte(0) << 8 | byte(1)] = 1;
}

void HuntRouter::LiteralIndex::Find(std::string_view text, std::vector<uint32_t>& out) const {
  if (literals.empty() || text.size() < kMinLiteral) return;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t pos = 0; pos + kMinLiteral <= text.size(); ++pos) {
    if (!first_two[static_cast<uint32_t>(s[pos]) << 8 | s[pos + 1]]) continue;
    uint32_t prefix =
        s[pos] | static_cast<uint32_t>(s[pos + 1]) << 8 | static_cast<uint32_t>(s[pos + 2]) << 16;
    auto hit = by_prefix.find(prefix);
    if (hit == by_prefix.end()) continue;
    for (uint32_t id : hit->second) {
      const std::string& literal = literals[id];
      if (literal.size() <= text.size() - pos &&
          std::memcmp(text.data() + pos, literal.data(), literal.size()) == 0) {
        out.insert(out.end(), rules[id].begin(), rules[id].end());
      }
    }
  }
}

namespace {

// As the evaluator's predicates flatten arrays (predicate.cc).
template <class View>
void FlattenValues(const View& view, typename View::Node node,
                   std::vector<typename View::Node>& out, int depth) {
  if (view.IsArray(node) && depth < 32) {
    view.ForEachChild(
        node, [&](typename View::Node element) { FlattenValues(view, element, out, depth + 1); });
    return;
  }
  out.push_back(node);
}

}  // namespace

template <class View>
void HuntRouter::CandidatesIn(const View& view, typename View::Node root,
                              std::vector<uint32_t>& out) const {
  size_t start = out.size();
  out.insert(out.end(), always_.begin(), always_.end());
  thread_local std::vector<typename View::Node> found, values;
  thread_local std::string text, folded;
  for (const FieldIndex& index : fields_) {
    found.clear();
    eval::ResolveIn(view, root, index.field, found, 0);
    if (found.empty()) continue;
    out.insert(out.end(), index.present.begin(), index.present.end());
    if (index.equals.empty() && index.contains.literals.empty()) continue;
    // Every value the predicates compare: array elements one by one, each
    // as its text, folded as Sigma compares.
    values.clear();
    for (auto node : found) FlattenValues(view, node, values, 0);
    for (auto node : values) {
      std::string_view subject;
      if (view.IsString(node)) {
        subject = view.String(node);
      } else if (view.Text(node, text)) {
        subject = text;
      } else {
        continue;  // null, objects and nested arrays have no text
      }
      folded.clear();
      eval::AppendFolded(subject, folded);
      if (!index.equals.empty()) {
        auto hit = index.equals.find(folded);
        if (hit != index.equals.end()) {
          out.insert(out.end(), hit->second.begin(), hit->second.end());
        }
      }
      index.contains.Find(folded, out);
    }
  }
  std::sort(out.begin() + static_cast<long>(start), out.end());
  out.erase(std::unique(out.begin() + static_cast<long>(start), out.end()), out.end());
}

void HuntRouter::Candidates(const nlohmann::json& event, std::vector<uint32_t>& out) const {
  CandidatesIn(eval::JsonView{}, &event, out);
}

void HuntRouter::Candidates(const eval::FlatEvent& event, std::vector<uint32_t>& out) const {
  // As CandidatesIn, through the memo the rules' predicates then reuse:
  // the same values (arrays flattened), folded once per event.
  size_t start = out.size();
  out.insert(out.end(), always_.begin(), always_.end());
  const eval::FlatView view{&event};
  for (const FieldIndex& index : fields_) {
    eval::FieldMemo& memo = event.Memo(index.field_id);
    if (memo.generation != event.generation()) {
      memo.values.clear();
      eval::ResolveIn(view, event.root(), index.field, memo.values, 0);
      memo.resolved = memo.values.size();
      std::vector<const eval::FlatNode*> flat;
      for (const eval::FlatNode* node : memo.values) FlattenValues(view, node, flat, 0);
      memo.values = std::move(flat);
      memo.folded.ready = false;
      memo.generation = event.generation();
    }
    if (memo.resolved == 0) continue;
    out.insert(out.end(), index.present.begin(), index.present.end());
    if (index.equals.empty() && index.contains.literals.empty()) continue;
    eval::FoldedTexts& folded = memo.folded;
    if (!folded.ready) {
      std::string text;
      if (folded.texts.size() < memo.values.size()) folded.texts.resize(memo.values.size());
      for (size_t i = 0; i < memo.values.size(); ++i) {
        folded.texts[i].clear();
        const eval::FlatNode* node = memo.values[i];
        if (view.IsString(node)) {
          eval::AppendFolded(view.String(node), folded.texts[i]);
        } else if (view.Text(node, text)) {
          eval::AppendFolded(text, folded.texts[i]);
        }
      }
      folded.ready = true;
    }
    for (size_t i = 0; i < memo.values.size(); ++i) {
      // Values without text fold to "": looking them up can only add rules.
      const std::string& text = folded.texts[i];
      if (!index.equals.empty()) {
        auto hit = index.equals.find(text);
        if (hit != index.equals.end()) {
          out.insert(out.end(), hit->second.begin(), hit->second.end());
        }
      }
      index.contains.Find(text, out);
    }
  }
  std::sort(out.begin() + static_cast<long>(start), out.end());
  out.erase(std::unique(out.begin() + static_cast<long>(start), out.end()), out.end());
}

}  // namespace ward::driver
