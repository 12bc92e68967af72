#include "backends/sigma/detection_lowering.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "backends/sigma/sigma_condition.h"
#include "backends/sigma/sigma_values.h"
#include "compiler/support/text_util.h"

namespace ward::backends::sigma {
namespace {

using ir::SigmaModifier;
using ir::SigmaValue;

// The IR nests as deep as the frontend allows (it bounds nesting, E0105);
// this guard only keeps a malformed IR from overflowing the stack.
constexpr int kMaxDepth = 2000;

// ---- a boolean tree over detection items ------------------------------------

// One `field|mods: values` test (an empty field is a keyword search).
struct Atom {
  std::string field;
  std::vector<SigmaModifier> mods;  // canonical order
  std::vector<SigmaValue> values;
  Span span;

  bool keyword() const { return field.empty(); }
  bool has(SigmaModifier m) const { return HasModifier(mods, m); }
  bool has_null() const {
    return std::any_of(values.begin(), values.end(),
                       [](const SigmaValue& v) { return v.kind == SigmaValue::Kind::kNull; });
  }
  // A keyword without modifiers is written as a keyword list; everything else
  // is a map entry (`'|all': [...]` for keywords with modifiers).
  bool map_item() const { return !keyword() || !mods.empty(); }
};

struct Node {
  enum class Kind { kAtom, kAnd, kOr, kNot, kRef };
  Kind kind = Kind::kAtom;
  Atom atom;
  std::vector<Node> children;
  size_t ref = 0;  // kRef: index into the selections
};

bool SameValue(const SigmaValue& a, const SigmaValue& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case SigmaValue::Kind::kString:
      return a.text == b.text && a.wildcards == b.wildcards;
    case SigmaValue::Kind::kInteger:
      return a.integer == b.integer;
    case SigmaValue::Kind::kFloat:
      return a.real == b.real;
    case SigmaValue::Kind::kBool:
      return a.boolean == b.boolean;
    case SigmaValue::Kind::kNull:
      return true;
  }
  return false;
}

// Appends `more` to `values`, skipping repeats: a repeated value in an OR list
// or an AND (`all`) list changes nothing, and SigmaHQ flags duplicates.
void AppendUnique(std::vector<SigmaValue>& values, const std::vector<SigmaValue>& more) {
  for (const SigmaValue& v : more) {
    bool seen = std::any_of(values.begin(), values.end(),
                            [&](const SigmaValue& w) { return SameValue(v, w); });
    if (!seen) values.push_back(v);
  }
}

std::string ModifierKey(const Atom& atom, bool ignore_all) {
  std::string key = atom.field;
  for (SigmaModifier m : atom.mods) {
    if (ignore_all && m == SigmaModifier::kAll) continue;
    key += '|';
    key += ir::SigmaModifierName(m);
  }
  return key;
}

std::string ItemKey(const Atom& atom) { return ModifierKey(atom, false); }

// `all` needs two values or more: with one it means the same as without, and
// Sigma forbids it there.
void DropLoneAll(Atom& atom) {
  if (atom.values.size() > 1) return;
  atom.mods.erase(std::remove(atom.mods.begin(), atom.mods.end(), SigmaModifier::kAll),
                  atom.mods.end());
}

// Makes the atom's values ANDed (after merging two ANDed atoms).
void SetAll(Atom& atom) {
  std::vector<SigmaModifier> mods;
  for (SigmaModifier m : atom.mods) {
    if (m != SigmaModifier::kAll) mods.push_back(m);
  }
  if (atom.values.size() > 1) mods.push_back(SigmaModifier::kAll);
  atom.mods = CanonicalModifierOrder(std::move(mods));
}

// Values of one atom ORed in a list: merging two such atoms with the same
// key ORs their lists. Not for `all` (ANDed), null (never in a list) or
// exists (a yes/no test, not a value list).
bool OrMergeable(const Atom& atom) {
  return !atom.has(SigmaModifier::kAll) && !atom.has_null() && !atom.has(SigmaModifier::kExists);
}

// `x contains a and x contains b` is `x|contains|all: [a, b]`. Only for
// `contains` (and keywords): SigmaHQ flags `all` on other comparisons, where
// two different values can rarely both hold.
bool AndMergeable(const Atom& atom) {
  bool comparison_ok = atom.keyword() || atom.has(SigmaModifier::kContains);
  bool single_or_all = atom.values.size() == 1 || atom.has(SigmaModifier::kAll);
  return comparison_ok && single_or_all && !atom.has_null() && !atom.has(SigmaModifier::kExists);
}

bool SameNode(const Node& a, const Node& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Node::Kind::kRef:
      return a.ref == b.ref;
    case Node::Kind::kAtom: {
      if (ItemKey(a.atom) != ItemKey(b.atom) || a.atom.values.size() != b.atom.values.size()) {
        return false;
      }
      for (size_t i = 0; i < a.atom.values.size(); ++i) {
        if (!SameValue(a.atom.values[i], b.atom.values[i])) return false;
      }
      return true;
    }
    default:
      if (a.children.size() != b.children.size()) return false;
      for (size_t i = 0; i < a.children.size(); ++i) {
        if (!SameNode(a.children[i], b.children[i])) return false;
      }
      return true;
  }
}

// Equivalence-preserving clean-up: flatten, remove double negation, merge
// atoms (see OrMergeable/AndMergeable), drop repeated operands.
void Normalize(Node& node) {
  if (node.kind == Node::Kind::kNot) {
    Normalize(node.children[0]);
    if (node.children[0].kind == Node::Kind::kNot) {
      Node inner = std::move(node.children[0].children[0]);
      node = std::move(inner);
    }
    return;
  }
  if (node.kind != Node::Kind::kAnd && node.kind != Node::Kind::kOr) return;
  bool is_or = node.kind == Node::Kind::kOr;
  std::vector<Node> flat;
  for (Node& child : node.children) {
    Normalize(child);
    if (child.kind == node.kind) {
      for (Node& grandchild : child.children) flat.push_back(std::move(grandchild));
    } else {
      flat.push_back(std::move(child));
    }
  }
  std::vector<Node> merged;
  for (Node& child : flat) {
    if (child.kind == Node::Kind::kAtom) {
      Atom& atom = child.atom;
      bool mergeable = is_or ? OrMergeable(atom) : AndMergeable(atom);
      if (mergeable) {
        std::string key = ModifierKey(atom, !is_or);
        auto target = std::find_if(merged.begin(), merged.end(), [&](const Node& m) {
          return m.kind == Node::Kind::kAtom &&
                 (is_or ? OrMergeable(m.atom) : AndMergeable(m.atom)) &&
                 ModifierKey(m.atom, !is_or) == key;
        });
        if (target != merged.end()) {
          AppendUnique(target->atom.values, atom.values);
          if (!is_or) SetAll(target->atom);
          continue;
        }
      }
    }
    bool repeated = std::any_of(merged.begin(), merged.end(),
                                [&](const Node& m) { return SameNode(m, child); });
    if (!repeated) merged.push_back(std::move(child));
  }
  if (merged.size() == 1) {
    Node only = std::move(merged[0]);
    node = std::move(only);
    // A merge can make a single atom's `all` list from two atoms; nothing
    // else to do: the atom is already in canonical form.
    return;
  }
  node.children = std::move(merged);
}

// ---- identifiers under construction -------------------------------------------

enum class Role { kSelection, kFilterMain, kFilterOptional };

const char* RolePrefix(Role role) {
  switch (role) {
    case Role::kSelection:
      return "selection";
    case Role::kFilterMain:
      return "filter_main";
    case Role::kFilterOptional:
      return "filter_optional";
  }
  return "selection";
}

struct PendingIdentifier {
  Role role = Role::kSelection;
  std::string hint;         // let name or derived from the first field
  bool user_named = false;  // hint is a `let` name
  SearchIdentifier body;    // name filled in at the end
  std::string name;
};

// How the current subtree got its name: from the `let` it lives in.
struct NameContext {
  std::string let_name;
  bool optional = false;  // `let optional_...`: negated parts are optional filters
};

std::string Sanitize(std::string_view text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    char lower = static_cast<char>(std::tolower(u));
    bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (ok) {
      out += lower;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// `gen_ai.prompt` -> `prompt`; keywords -> `keywords`.
std::string DerivedHint(const Atom& atom) {
  if (atom.keyword()) return "keywords";
  std::string_view field = atom.field;
  size_t dot = field.rfind('.');
  std::string hint = Sanitize(dot == std::string_view::npos ? field : field.substr(dot + 1));
  if (hint.empty()) hint = Sanitize(field);
  return hint.empty() ? "field" : hint;
}

class Lowerer {
 public:
  Lowerer(const std::vector<ir::SigmaSelection>& selections, DetectionLayout layout, Span span,
          DiagnosticEngine& diags)
      : selections_(selections), layout_(layout), span_(span), diags_(diags) {}

  std::optional<Detection> Run(const ir::SigmaExpr& condition) {
    std::optional<Node> root = Convert(condition, 0);
    if (failed_ || !root) return std::nullopt;
    Normalize(*root);
    Polarity(*root, false, 0);
    if (failed_) return std::nullopt;
    Condition cond = Lower(*root, false, NameContext{}, 0);
    if (failed_) return std::nullopt;
    AssignNames();
    Rename(cond);
    SimplifyCondition(cond);
    std::vector<std::string> names;
    for (const PendingIdentifier& id : idents_) names.push_back(id.name);
    FoldQuantifiers(cond, names);

    Detection detection;
    // SigmaHQ order: selections first, then mandatory and optional filters;
    // within a role, the order in which the condition uses them.
    std::vector<size_t> order(idents_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return RoleRank(a) < RoleRank(b); });
    for (size_t i : order) {
      idents_[i].body.name = idents_[i].name;
      detection.identifiers.push_back(std::move(idents_[i].body));
    }
    detection.condition = std::move(cond);
    return detection;
  }

 private:
  void Error(Span span, std::string message, std::string help) {
    diags_.Report(
        Diag(DiagCode::kSigmaCannotExpress, span.valid() ? span : span_, std::move(message))
            .Help(std::move(help)));
    failed_ = true;
  }

  // ---- IR -> Node ----
  std::optional<Node> Convert(const ir::SigmaExpr& expr, int depth) {
    if (depth > kMaxDepth) {
      Error(expr.span, "the expression is nested too deeply for the Sigma backend",
            "split it into named `let` selections");
      return std::nullopt;
    }
    Node node;
    switch (expr.kind) {
      case ir::SigmaExpr::Kind::kAnd:
      case ir::SigmaExpr::Kind::kOr:
      case ir::SigmaExpr::Kind::kNot: {
        node.kind = expr.kind == ir::SigmaExpr::Kind::kAnd  ? Node::Kind::kAnd
                    : expr.kind == ir::SigmaExpr::Kind::kOr ? Node::Kind::kOr
                                                            : Node::Kind::kNot;
        size_t expected = node.kind == Node::Kind::kNot ? 1 : 0;
        if (expr.children.empty() || (expected == 1 && expr.children.size() != 1)) {
          Error(expr.span, "malformed boolean expression in the IR",
                "this is a compiler bug; please report it");
          return std::nullopt;
        }
        for (const ir::SigmaExprPtr& child : expr.children) {
          std::optional<Node> converted = child ? Convert(*child, depth + 1) : std::nullopt;
          if (!converted) return std::nullopt;
          node.children.push_back(std::move(*converted));
        }
        if (node.children.size() == 1 && node.kind != Node::Kind::kNot) {
          Node only = std::move(node.children[0]);
          return only;
        }
        return node;
      }
      case ir::SigmaExpr::Kind::kSelection:
        if (expr.selection >= selections_.size() || !selections_[expr.selection].expr) {
          Error(expr.span, "reference to an undefined selection in the IR",
                "this is a compiler bug; please report it");
          return std::nullopt;
        }
        node.kind = Node::Kind::kRef;
        node.ref = expr.selection;
        return node;
      case ir::SigmaExpr::Kind::kMatch:
        return ConvertMatch(expr);
    }
    return std::nullopt;
  }

  std::optional<Node> ConvertMatch(const ir::SigmaExpr& expr) {
    Atom atom;
    atom.field = expr.field;
    atom.mods = CanonicalModifierOrder(expr.modifiers);
    atom.span = expr.span;
    AppendUnique(atom.values, expr.values);
    UseAffixModifier(atom);
    if (atom.values.empty() && atom.has(SigmaModifier::kExists)) {
      SigmaValue yes;
      yes.kind = SigmaValue::Kind::kBool;
      yes.boolean = true;
      atom.values.push_back(yes);
    }
    if (atom.values.empty()) {
      Error(expr.span, "a match without any value", "give at least one value to compare with");
      return std::nullopt;
    }
    for (const SigmaValue& v : atom.values) {
      if (!CheckValue(v, expr.span)) return std::nullopt;
    }
    if (!atom.has_null()) {
      DropLoneAll(atom);
      Node node;
      node.atom = std::move(atom);
      return node;
    }
    return SplitNull(std::move(atom));
  }

  // `like "*x*"` says `contains "x"` (and `"x*"`, `"*x"` startswith and
  // endswith); SigmaHQ writes the modifier and pySigma's
  // wildcards_instead_of_modifiers check flags the pattern. Only when every
  // value of the list has the same shape, and no modifier but the ones that
  // combine with a comparison is present.
  static void UseAffixModifier(Atom& atom) {
    if (atom.keyword() || atom.values.empty()) return;
    for (SigmaModifier m : atom.mods) {
      if (m != SigmaModifier::kWindash && m != SigmaModifier::kExpand &&
          m != SigmaModifier::kCased && m != SigmaModifier::kAll) {
        return;
      }
    }
    std::optional<SigmaModifier> common;
    std::vector<std::string> literals;
    for (const SigmaValue& v : atom.values) {
      if (v.kind != SigmaValue::Kind::kString || !v.wildcards) return;
      std::optional<AffixPattern> affix = AsAffixPattern(v.text);
      if (!affix || (common && *common != affix->modifier)) return;
      std::optional<std::string> literal = UnescapeSigmaString(affix->middle);
      if (!literal) return;
      common = affix->modifier;
      literals.push_back(std::move(*literal));
    }
    for (size_t i = 0; i < atom.values.size(); ++i) {
      atom.values[i].text = std::move(literals[i]);
      atom.values[i].wildcards = false;
    }
    atom.mods.push_back(*common);
    atom.mods = CanonicalModifierOrder(std::move(atom.mods));
    // Two patterns may now be the same literal (`*a*` and `*a**`...).
    std::vector<SigmaValue> values = std::move(atom.values);
    atom.values.clear();
    AppendUnique(atom.values, values);
  }

  bool CheckValue(const SigmaValue& v, Span fallback) {
    Span span = v.span.valid() ? v.span : fallback;
    if (v.kind == SigmaValue::Kind::kString && !IsValidUtf8(v.text)) {
      Error(span, "this value is not valid UTF-8, which a Sigma rule cannot hold",
            "Sigma rules are UTF-8 text: match the text form of the bytes instead of raw "
            "`\\xNN` bytes above 0x7F");
      return false;
    }
    if (v.kind == SigmaValue::Kind::kFloat && !std::isfinite(v.real)) {
      Error(span, "Sigma has no infinite or NaN numbers", "use a finite number");
      return false;
    }
    return true;
  }

  // `null` never sits in a value list: `f == [null, "a"]` becomes
  // `f: null` or `f: 'a'` (two maps), and `f != null` becomes `not f: null`,
  // the spec's way to say "is set".
  std::optional<Node> SplitNull(Atom atom) {
    if (atom.keyword()) {
      Error(atom.span, "`null` cannot be a keyword", "search keywords for text instead");
      return std::nullopt;
    }
    for (SigmaModifier m : atom.mods) {
      if (m != SigmaModifier::kNeq && m != SigmaModifier::kAll && m != SigmaModifier::kCased) {
        Error(atom.span,
              fmt::format("`null` cannot be combined with the `{}` modifier",
                          ir::SigmaModifierName(m)),
              "compare with `null` using `==` or `!=` only");
        return std::nullopt;
      }
    }
    bool negated = atom.has(SigmaModifier::kNeq);
    bool all = atom.has(SigmaModifier::kAll);
    Node combined;
    combined.kind = all ? Node::Kind::kAnd : Node::Kind::kOr;
    Atom rest = atom;
    rest.values.clear();
    for (const SigmaValue& v : atom.values) {
      if (v.kind != SigmaValue::Kind::kNull) rest.values.push_back(v);
    }
    if (!rest.values.empty()) {
      DropLoneAll(rest);
      Node node;
      node.atom = std::move(rest);
      combined.children.push_back(std::move(node));
    }
    Node null_node;
    null_node.atom.field = atom.field;
    null_node.atom.span = atom.span;
    SigmaValue null_value;
    null_value.kind = SigmaValue::Kind::kNull;
    null_node.atom.values.push_back(null_value);
    if (negated) {
      Node not_node;
      not_node.kind = Node::Kind::kNot;
      not_node.children.push_back(std::move(null_node));
      combined.children.push_back(std::move(not_node));
    } else {
      combined.children.push_back(std::move(null_node));
    }
    if (combined.children.size() == 1) {
      Node only = std::move(combined.children[0]);
      return only;
    }
    return combined;
  }

  // ---- which way each `let` is used ----
  const Node& SelectionNode(size_t index) {
    if (selection_nodes_.size() < selections_.size()) selection_nodes_.resize(selections_.size());
    if (!selection_nodes_[index]) {
      std::optional<Node> node = Convert(*selections_[index].expr, 0);
      if (!node) {
        failed_ = true;
        node = Node{};
        node->kind = Node::Kind::kAnd;  // placeholder; never lowered after a failure
      } else {
        Normalize(*node);
      }
      selection_nodes_[index] = std::move(node);
    }
    return *selection_nodes_[index];
  }

  void Polarity(const Node& node, bool negated, int depth) {
    if (failed_) return;
    if (depth > kMaxDepth) {
      Error(span_, "the expression is nested too deeply for the Sigma backend",
            "split it into named `let` selections");
      return;
    }
    switch (node.kind) {
      case Node::Kind::kRef: {
        uint8_t bit = negated ? 2 : 1;
        uint8_t& seen = polarity_[node.ref];
        if (seen & bit) return;
        seen |= bit;
        Polarity(SelectionNode(node.ref), negated, depth + 1);
        return;
      }
      case Node::Kind::kNot:
        Polarity(node.children[0], !negated, depth + 1);
        return;
      case Node::Kind::kAtom:
        return;
      default:
        for (const Node& child : node.children) Polarity(child, negated, depth + 1);
    }
  }

  // ---- Node -> identifiers + condition ----
  static std::optional<std::vector<const Atom*>> AsMap(const Node& node) {
    if (node.kind == Node::Kind::kAtom) {
      if (!node.atom.map_item()) return std::nullopt;
      return std::vector<const Atom*>{&node.atom};
    }
    if (node.kind != Node::Kind::kAnd) return std::nullopt;
    std::vector<const Atom*> atoms;
    std::set<std::string> keys;
    for (const Node& child : node.children) {
      if (child.kind != Node::Kind::kAtom || !child.atom.map_item()) return std::nullopt;
      if (!keys.insert(ItemKey(child.atom)).second) return std::nullopt;  // YAML keys are unique
      atoms.push_back(&child.atom);
    }
    return atoms;
  }

  static bool IsKeywordList(const Node& node) {
    return node.kind == Node::Kind::kAtom && !node.atom.map_item();
  }

  Condition Lower(const Node& node, bool negated, const NameContext& ctx, int depth) {
    if (depth > kMaxDepth) {
      Error(span_, "the expression is nested too deeply for the Sigma backend",
            "split it into named `let` selections");
      return Condition::Ref("#");
    }
    if (auto map = AsMap(node)) return NewMap({*map}, negated, ctx);
    if (IsKeywordList(node)) return NewKeywords(node.atom, negated, ctx);
    switch (node.kind) {
      case Node::Kind::kRef:
        return LowerRef(node.ref, depth);
      case Node::Kind::kNot:
        return Condition::Not(Lower(node.children[0], !negated, ctx, depth + 1));
      case Node::Kind::kAnd: {
        // One map for the ANDed items (first occurrence of each key) and the
        // `let` references, in the order written (the map where its first
        // item is), then the other operands.
        std::vector<const Atom*> group;
        std::set<std::string> keys;
        std::vector<const Node*> leading;  // nullptr: the map of the ANDed items
        std::vector<const Node*> rest;
        for (const Node& child : node.children) {
          if (child.kind == Node::Kind::kAtom && child.atom.map_item() &&
              keys.insert(ItemKey(child.atom)).second) {
            if (group.empty()) leading.push_back(nullptr);
            group.push_back(&child.atom);
          } else if (child.kind == Node::Kind::kRef) {
            leading.push_back(&child);
          } else {
            rest.push_back(&child);
          }
        }
        Condition cond;
        cond.kind = Condition::Kind::kAnd;
        for (const Node* child : leading) {
          cond.children.push_back(child ? Lower(*child, negated, ctx, depth + 1)
                                        : NewMap({group}, negated, ctx));
        }
        for (const Node* child : rest) {
          cond.children.push_back(Lower(*child, negated, ctx, depth + 1));
        }
        return cond;
      }
      case Node::Kind::kOr: {
        // Operands that are maps become one list of maps.
        std::vector<std::vector<const Atom*>> maps;
        std::vector<const Node*> rest;
        for (const Node& child : node.children) {
          if (auto map = AsMap(child)) {
            maps.push_back(*map);
          } else {
            rest.push_back(&child);
          }
        }
        Condition cond;
        cond.kind = Condition::Kind::kOr;
        if (!maps.empty()) cond.children.push_back(NewMap(maps, negated, ctx));
        for (const Node* child : rest)
          cond.children.push_back(Lower(*child, negated, ctx, depth + 1));
        return cond;
      }
      case Node::Kind::kAtom:
        break;  // every atom is a map or a keyword list
    }
    Error(span_, "internal error while lowering a Sigma expression",
          "this is a compiler bug; please report it");
    return Condition::Ref("#");
  }

  Condition LowerRef(size_t index, int depth) {
    auto memo = memo_.find(index);
    if (memo != memo_.end()) return memo->second;
    if (!in_progress_.insert(index).second) {
      Error(selections_[index].span, "named selections refer to each other in a cycle",
            "this is a compiler bug; sema should have reported E0510");
      return Condition::Ref("#");
    }
    const ir::SigmaSelection& selection = selections_[index];
    NameContext ctx;
    ctx.let_name = selection.name;
    std::string lower = Sanitize(selection.name);
    ctx.optional = lower.rfind("optional", 0) == 0;
    // A `let` used only under `not` is a filter; used positively anywhere,
    // it is a selection.
    bool negated = polarity_[index] == 2;
    Condition cond = Lower(SelectionNode(index), negated, ctx, depth + 1);
    in_progress_.erase(index);
    memo_.emplace(index, cond);
    return cond;
  }

  Role RoleFor(bool negated, const NameContext& ctx) const {
    if (!negated) return Role::kSelection;
    return ctx.optional ? Role::kFilterOptional : Role::kFilterMain;
  }

  Condition Add(PendingIdentifier id) {
    std::string temp = fmt::format("#{}", idents_.size());
    idents_.push_back(std::move(id));
    return Condition::Ref(temp);
  }

  void SetHint(PendingIdentifier& id, const Atom& first, const NameContext& ctx) {
    if (!ctx.let_name.empty()) {
      id.hint = ctx.let_name;
      id.user_named = true;
    } else {
      id.hint = DerivedHint(first);
    }
  }

  Condition NewMap(const std::vector<std::vector<const Atom*>>& maps, bool negated,
                   const NameContext& ctx) {
    PendingIdentifier id;
    id.role = RoleFor(negated, ctx);
    SetHint(id, *maps[0][0], ctx);
    id.body.shape =
        maps.size() == 1 ? SearchIdentifier::Shape::kMap : SearchIdentifier::Shape::kListOfMaps;
    for (const std::vector<const Atom*>& atoms : maps) {
      SearchMap map;
      for (const Atom* atom : atoms) map.items.push_back(ToItem(*atom));
      id.body.maps.push_back(std::move(map));
    }
    return Add(std::move(id));
  }

  Condition NewKeywords(const Atom& atom, bool negated, const NameContext& ctx) {
    PendingIdentifier id;
    id.role = RoleFor(negated, ctx);
    SetHint(id, atom, ctx);
    id.body.shape = SearchIdentifier::Shape::kKeywords;
    for (const SigmaValue& v : atom.values) id.body.keywords.push_back(ToScalar(v, atom));
    return Add(std::move(id));
  }

  static DetectionItem ToItem(const Atom& atom) {
    DetectionItem item;
    item.field = atom.field;
    for (SigmaModifier m : atom.mods) item.modifiers.push_back(ir::SigmaModifierName(m));
    for (const SigmaValue& v : atom.values) item.values.push_back(ToScalar(v, atom));
    return item;
  }

  static Scalar ToScalar(const SigmaValue& v, const Atom& atom) {
    switch (v.kind) {
      case SigmaValue::Kind::kString:
        // Regexes, CIDR networks and field names are not wildcard patterns;
        // `like` values are already in Sigma's pattern syntax.
        if (TakesRawString(atom.mods) || v.wildcards) return Scalar::String(v.text);
        return Scalar::String(EscapeSigmaString(v.text));
      case SigmaValue::Kind::kInteger:
        return Scalar::Integer(v.integer);
      case SigmaValue::Kind::kFloat:
        return Scalar::Float(v.real);
      case SigmaValue::Kind::kBool:
        return Scalar::Bool(v.boolean);
      case SigmaValue::Kind::kNull:
        return Scalar::Null();
    }
    return Scalar::Null();
  }

  // ---- names ----
  int RoleRank(size_t i) const { return static_cast<int>(idents_[i].role); }

  std::string BaseName(const PendingIdentifier& id) const {
    std::string prefix = RolePrefix(id.role);
    std::string hint = Sanitize(id.hint);
    if (id.user_named) {
      // `let selection_img` / `let filter_admin` already read as Sigma names.
      std::string family = id.role == Role::kSelection ? "selection" : "filter";
      if (hint.rfind(family, 0) == 0) return hint;
      if (id.role == Role::kFilterOptional && hint.rfind("optional", 0) == 0) {
        hint = hint.substr(std::string_view("optional").size());
        while (!hint.empty() && hint.front() == '_') hint.erase(hint.begin());
      }
    }
    return hint.empty() ? prefix : prefix + "_" + hint;
  }

  void AssignNames() {
    std::vector<std::string> bases;
    for (const PendingIdentifier& id : idents_) bases.push_back(BaseName(id));
    // A rule with a single, unnamed positive part calls it `selection`.
    size_t selections = 0, derived = 0, derived_index = 0;
    for (size_t i = 0; i < idents_.size(); ++i) {
      if (idents_[i].role != Role::kSelection) continue;
      ++selections;
      if (!idents_[i].user_named) {
        ++derived;
        derived_index = i;
      }
    }
    if (selections == 1 && derived == 1) bases[derived_index] = "selection";

    std::map<std::string, size_t> count;
    for (const std::string& base : bases) ++count[base];
    std::set<std::string> used;
    std::map<std::string, size_t> next;
    for (size_t i = 0; i < idents_.size(); ++i) {
      std::string name = bases[i];
      if (count[name] > 1 || used.count(name)) {
        do {
          name = fmt::format("{}_{}", bases[i], ++next[bases[i]]);
        } while (used.count(name) || (count.count(name) && name != bases[i]));
      }
      used.insert(name);
      idents_[i].name = name;
    }
    if (layout_ == DetectionLayout::kFilter && !used.count("selection") && !idents_.empty()) {
      // The filter schema requires an identifier named `selection`: give the
      // name to the first identifier in print order.
      size_t first = 0;
      for (size_t i = 1; i < idents_.size(); ++i) {
        if (RoleRank(i) < RoleRank(first)) first = i;
      }
      idents_[first].name = "selection";
    }
  }

  void Rename(Condition& cond) const {
    if (cond.kind == Condition::Kind::kRef && !cond.name.empty() && cond.name[0] == '#') {
      cond.name = idents_[std::stoul(cond.name.substr(1))].name;
    }
    for (Condition& child : cond.children) Rename(child);
  }

  const std::vector<ir::SigmaSelection>& selections_;
  DetectionLayout layout_;
  Span span_;
  DiagnosticEngine& diags_;
  bool failed_ = false;
  std::vector<std::optional<Node>> selection_nodes_;
  std::map<size_t, uint8_t> polarity_;  // bit 1: used positively, bit 2: under `not`
  std::vector<PendingIdentifier> idents_;
  std::map<size_t, Condition> memo_;
  std::set<size_t> in_progress_;
};

}  // namespace

std::optional<Detection> LowerDetection(const std::vector<ir::SigmaSelection>& selections,
                                        const ir::SigmaExpr& condition, DetectionLayout layout,
                                        Span span, DiagnosticEngine& diags) {
  return Lowerer(selections, layout, span, diags).Run(condition);
}

}  // namespace ward::backends::sigma
