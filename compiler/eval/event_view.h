#ifndef WARD_COMPILER_EVAL_EVENT_VIEW_H_
#define WARD_COMPILER_EVAL_EVENT_VIEW_H_

// Two ways to read one event: JsonView over an nlohmann::json DOM and
// FlatView over a FlatEvent (flat_event.h). The evaluator's field lookup,
// predicates and correlations are templates over a view, so that both
// representations run exactly the same Sigma semantics.
//
// A view has a Node handle (a pointer; null for "absent") and answers:
// IsArray/IsObject/IsString/IsNull/IsBool/IsNumber, String, Bool, Double
// (as get<double>()), Find(object, key), ForEachChild(node, f) (object
// members in name order, array elements in order) and Text (ValueText).

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/eval/event_fields.h"
#include "compiler/eval/flat_event.h"

namespace ward::eval {

struct JsonView {
  using Node = const nlohmann::json*;
  bool IsArray(Node n) const { return n->is_array(); }
  bool IsObject(Node n) const { return n->is_object(); }
  bool IsString(Node n) const { return n->is_string(); }
  bool IsNull(Node n) const { return n->is_null(); }
  bool IsBool(Node n) const { return n->is_boolean(); }
  bool IsNumber(Node n) const { return n->is_number(); }
  std::string_view String(Node n) const { return n->get_ref<const std::string&>(); }
  bool Bool(Node n) const { return n->get<bool>(); }
  double Double(Node n) const { return n->get<double>(); }
  Node Find(Node object, std::string_view key) const {
    auto it = object->find(key);
    return it == object->end() ? nullptr : &*it;
  }
  template <class F>
  void ForEachChild(Node n, F&& f) const {
    for (const nlohmann::json& child : *n) f(&child);
  }
  bool Text(Node n, std::string& out) const { return ValueText(*n, out); }
  nlohmann::json ToJson(Node n) const { return *n; }
};

struct FlatView {
  using Node = const FlatNode*;
  const FlatEvent* event;
  using T = FlatNode::Type;
  bool IsArray(Node n) const { return n->type == T::kArray; }
  bool IsObject(Node n) const { return n->type == T::kObject; }
  bool IsString(Node n) const { return n->type == T::kString; }
  bool IsNull(Node n) const { return n->type == T::kNull; }
  bool IsBool(Node n) const { return n->type == T::kBool; }
  bool IsNumber(Node n) const { return n->is_number(); }
  std::string_view String(Node n) const { return n->text; }
  bool Bool(Node n) const { return n->boolean; }
  double Double(Node n) const { return n->number(); }
  Node Find(Node object, std::string_view key) const { return event->Find(*object, key); }
  template <class F>
  void ForEachChild(Node n, F&& f) const {
    for (uint32_t i = 0; i < n->count; ++i) f(event->child(*n, i));
  }
  bool Text(Node n, std::string& out) const {
    switch (n->type) {
      case T::kString:
        out.assign(n->text);
        return true;
      case T::kBool:
        out = n->boolean ? "true" : "false";
        return true;
      case T::kInteger:
      case T::kUnsigned:
      case T::kFloat:
        out.clear();
        event->Dump(*n, out);
        return true;
      default:
        return false;
    }
  }
  nlohmann::json ToJson(Node n) const { return event->ToJson(*n); }
};

// ---- field lookup, as event_fields.h describes it -------------------------------

template <class View>
void ResolveIn(const View& view, typename View::Node node, std::string_view path,
               std::vector<typename View::Node>& out, int depth) {
  if (depth > 64) return;
  if (view.IsArray(node)) {
    view.ForEachChild(
        node, [&](typename View::Node element) { ResolveIn(view, element, path, out, depth + 1); });
    return;
  }
  if (!view.IsObject(node)) return;
  // The whole remaining path as one key first, then each split point.
  if (auto found = view.Find(node, path)) {
    out.push_back(found);
    return;
  }
  for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    auto child = view.Find(node, path.substr(0, dot));
    if (!child) continue;
    if (view.IsObject(child) || view.IsArray(child)) {
      ResolveIn(view, child, path.substr(dot + 1), out, depth + 1);
    }
  }
}

template <class View>
typename View::Node FindIn(const View& view, typename View::Node root, std::string_view path) {
  std::vector<typename View::Node> found;
  ResolveIn(view, root, path, found, 0);
  return found.empty() ? nullptr : found.front();
}

template <class View>
std::optional<double> ValueNumberIn(const View& view, typename View::Node n) {
  if (view.IsNumber(n)) return view.Double(n);
  if (!view.IsString(n)) return std::nullopt;
  return NumberFromText(view.String(n));
}

template <class View>
std::optional<CivilTime> ValueCivilTimeIn(const View& view, typename View::Node n) {
  if (view.IsString(n)) return ParseCivilTime(view.String(n));
  if (!view.IsNumber(n)) return std::nullopt;
  return CivilTimeFromNumber(view.Double(n));
}

template <class View>
std::optional<int64_t> EventTimeMsIn(const View& view, typename View::Node root,
                                     const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    auto value = FindIn(view, root, field);
    if (!value) continue;
    if (view.IsNumber(value)) {
      double number = view.Double(value);
      if (!std::isfinite(number)) continue;
      return static_cast<int64_t>(std::llround(std::fabs(number) > 1e11 ? number : number * 1000));
    }
    if (auto civil = ValueCivilTimeIn(view, value)) return CivilToEpochMs(*civil);
  }
  return std::nullopt;
}

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_EVENT_VIEW_H_
