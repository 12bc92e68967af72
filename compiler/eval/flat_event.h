#ifndef WARD_COMPILER_EVAL_FLAT_EVENT_H_
#define WARD_COMPILER_EVAL_FLAT_EVENT_H_

// One JSON event parsed into a compact tree: every node in one vector, the
// members of each object sorted by name, strings as views into the line
// (or into one buffer when they had escapes). `ward hunt` reads each line
// into a FlatEvent instead of an nlohmann::json DOM (a std::map and a
// std::string per member), which made parsing most of the cost per event.
//
// The evaluator reads a FlatEvent through the same templated code as a DOM
// (event_view.h), so the semantics are the same by construction. Parse()
// accepts only what nlohmann::json::parse accepts and yields what its DOM
// holds; anything it is not sure about (a byte order mark, a duplicate
// member name, nesting deeper than 64, a top level that is not an object, a
// syntax error) makes it return false, and the caller falls back to the DOM,
// which also words the error.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ward::eval {

struct FlatNode {
  enum class Type : uint8_t { kNull, kBool, kInteger, kUnsigned, kFloat, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string_view key;   // the member name, for a member of an object
  std::string_view text;  // kString: the decoded text; numbers: the token as written
  uint32_t first = 0;     // kArray/kObject: children are kids[first, first + count)
  uint32_t count = 0;
  union {
    int64_t integer;
    uint64_t unsigned_integer;
    double real;
  };
  FlatNode() : integer(0) {}
  bool is_number() const {
    return type == Type::kInteger || type == Type::kUnsigned || type == Type::kFloat;
  }
  // The value as nlohmann's get<double>() gives it.
  double number() const {
    switch (type) {
      case Type::kInteger:
        return static_cast<double>(integer);
      case Type::kUnsigned:
        return static_cast<double>(unsigned_integer);
      default:
        return real;
    }
  }
};

// The case-folded text of each value a predicate compares, filled on first use.
struct FoldedTexts {
  bool ready = false;
  std::vector<std::string> texts;  // "" for values without text
};

// What the predicates of every rule read of one field of one event, kept
// with the event so that a field is looked up and case-folded once per
// event rather than once per rule.
struct FieldMemo {
  uint64_t generation = 0;              // the event's Parse it belongs to
  size_t resolved = 0;                  // values at the path, before arrays are flattened
  std::vector<const FlatNode*> values;  // the values compared: arrays flattened
  FoldedTexts folded;
};

// A small number for each field path a compiled rule reads (FieldMemo's index).
uint32_t InternField(std::string_view path);
// A small number for each distinct predicate (its canonical form: field,
// modifiers and typed values), the index of its cached verdict.
uint32_t InternPredicate(std::string_view canonical);

class FlatEvent {
 public:
  FlatEvent() = default;
  FlatEvent(const FlatEvent&) = delete;  // nodes hold views into line_
  FlatEvent& operator=(const FlatEvent&) = delete;

  // Takes `line` (swapped in; `line` gets the previous text). True when the
  // line is a JSON object this parser reads exactly as nlohmann would.
  bool Parse(std::string& line);
  const std::string& line() const { return line_; }

  const FlatNode* root() const { return nodes_.empty() ? nullptr : &nodes_[0]; }
  const FlatNode* child(const FlatNode& node, uint32_t i) const {
    return &nodes_[kids_[node.first + i]];
  }
  // The member `key` of an object, or null.
  const FlatNode* Find(const FlatNode& object, std::string_view key) const;

  // Appends the node as nlohmann's dump(-1, ' ', false, replace) writes it.
  void Dump(const FlatNode& node, std::string& out) const;
  // The node as a DOM (for correlations, which keep values).
  nlohmann::json ToJson(const FlatNode& node) const;

  // The memo of field `id` (InternField); generation() tells whether it was
  // filled for this event. The memos live with the thread, not the event:
  // a batch holds thousands of events but a thread evaluates one at a time,
  // so the memos stay in cache. Every Parse takes a generation no other
  // event has, so a memo filled for another event is never taken for this one.
  FieldMemo& Memo(uint32_t id) const {
    std::vector<FieldMemo>& memo = ThreadMemo();
    if (id >= memo.size()) memo.resize(id + 1);
    return memo[id];
  }
  // The verdict of predicate `id` (InternPredicate) on this event, when a
  // rule already evaluated that predicate on it; per thread like the memos.
  // Rules share many predicates (`eventSource == 's3.amazonaws.com'`).
  const bool* CachedVerdict(uint32_t id) const {
    const std::vector<uint64_t>& verdicts = ThreadVerdicts();
    if (id >= verdicts.size() || (verdicts[id] >> 1) != generation_) return nullptr;
    return (verdicts[id] & 1) ? &kTrue : &kFalse;
  }
  void CacheVerdict(uint32_t id, bool verdict) const {
    std::vector<uint64_t>& verdicts = ThreadVerdicts();
    if (id >= verdicts.size()) verdicts.resize(id + 1);
    verdicts[id] = (generation_ << 1) | (verdict ? 1 : 0);
  }
  uint64_t generation() const { return generation_; }

 private:
  bool ParseValue(const char*& p, const char* end, uint32_t index, int depth);
  bool ParseString(const char*& p, const char* end, std::string_view& out);
  bool ParseNumber(const char*& p, const char* end, FlatNode& node);

  std::string line_;
  std::string decoded_;  // strings with escapes; reserved to the line's size
  std::vector<FlatNode> nodes_;
  std::vector<uint32_t> kids_;
  std::vector<uint32_t> pending_;  // children of the containers being parsed
  static std::vector<FieldMemo>& ThreadMemo();
  static std::vector<uint64_t>& ThreadVerdicts();
  static constexpr bool kTrue = true, kFalse = false;

  uint64_t generation_ = 0;  // unique per Parse, process-wide (0: never parsed)
};

// Appends `text` as nlohmann's serializer escapes a valid UTF-8 string.
void AppendJsonEscaped(std::string_view text, std::string& out);

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_FLAT_EVENT_H_
