#ifndef WARD_BACKENDS_YARA_YARA_MODEL_H_
#define WARD_BACKENDS_YARA_YARA_MODEL_H_

// The YARA backend's own model of a rule file. Lowering (yara_lowering.h)
// builds it from the IR with every name already resolved to the text that
// will be printed (rule references carry the emitted rule name), so the
// printer (yara_printer.h) only decides layout and parentheses.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/support/source_manager.h"

namespace ward::ir {
struct Detection;
}

namespace ward::backends::yara {

// A typed meta value: YARA 4.2 has strings, integers and booleans only.
struct MetaEntry {
  enum class Kind { kString, kInteger, kBool };
  std::string key;
  Kind kind = Kind::kString;
  std::string text;  // kString: raw bytes, escaped by the printer
  int64_t integer = 0;
  bool boolean = false;

  static MetaEntry String(std::string key, std::string value) {
    MetaEntry m;
    m.key = std::move(key);
    m.text = std::move(value);
    return m;
  }
  static MetaEntry Integer(std::string key, int64_t value) {
    MetaEntry m;
    m.key = std::move(key);
    m.kind = Kind::kInteger;
    m.integer = value;
    return m;
  }
  static MetaEntry Bool(std::string key, bool value) {
    MetaEntry m;
    m.key = std::move(key);
    m.kind = Kind::kBool;
    m.boolean = value;
    return m;
  }
};

// One token of a hex string: a byte under a mask (0xFF exact, 0xF0 `4?`,
// 0x0F `?4`, 0x00 `??`), a jump, or an alternation of token sequences.
struct HexToken {
  enum class Kind { kByte, kJump, kAlternation };
  Kind kind = Kind::kByte;
  uint8_t value = 0;
  uint8_t mask = 0xFF;
  std::optional<uint32_t> jump_low, jump_high;  // both empty: [-]
  std::vector<std::vector<HexToken>> alternatives;
};

struct StringModifiers {
  bool nocase = false, wide = false, ascii = false, fullword = false, is_private = false;
  bool xor_ = false;
  std::optional<std::pair<int, int>> xor_range;  // xor(k) is {k, k}
  bool base64 = false, base64wide = false;
  std::optional<std::string> base64_alphabet;  // applies to base64 and base64wide
};

struct StringDef {
  enum class Kind { kText, kHex, kRegex };
  Kind kind = Kind::kText;
  std::string id;    // without the sigil: "a" for `$a`
  Span span;         // the Ward string definition
  std::string text;  // kText: raw bytes; kRegex: regex body as written in Ward
  bool regex_nocase = false, regex_dotall = false;
  std::vector<HexToken> hex;
  StringModifiers modifiers;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum class Kind {
    kOr, kAnd,            // children, n-ary
    kNot, kDefined,       // children[0]
    kBinary,              // op, children[0..1]
    kUnary,               // op ("-" or "~"), children[0]
    kInteger, kFloat, kText, kRegex, kBool,
    kKeyword,             // text: filesize, entrypoint
    kStringMatch,         // $id, optional `at children[0]` or `in (range)`
    kStringCount,         // #id, optional `in (range)`
    kStringOffset,        // @id, optional `[children[0]]`
    kStringLength,        // !id, optional `[children[0]]`
    kIdentifier,          // text: an emitted rule name, a module, a loop variable
    kMember,              // children[0] . text
    kIndex,               // children[0] [ children[1] ]
    kCall,                // children[0] ( children[1..] )
    kOf,                  // quantifier of set [in range]
    kForOf,               // for quantifier of set : ( body )
    kForIn,               // for quantifier vars in iterable : ( body )
  };
  enum class Quant { kAll, kAny, kNone, kCount, kPercent };
  enum class Iter { kRange, kList, kExpr };

  Kind kind = Kind::kBool;
  Span span;
  std::string op;
  std::vector<ExprPtr> children;
  int64_t integer = 0;
  double real = 0;
  std::string text;
  bool regex_nocase = false, regex_dotall = false;
  bool boolean = false;
  std::string string_id;  // string forms, without sigil; empty = anonymous
  ExprPtr range_low, range_high;
  Quant quant = Quant::kAny;
  int64_t quant_value = 0;
  bool them = false;
  std::vector<std::string> set;  // "$a", "$b*", or emitted rule names
  std::vector<std::string> vars;
  Iter iter = Iter::kRange;
  std::vector<ExprPtr> iter_items;
  ExprPtr body;
};

// A use of another rule in a condition (by name or inside a rule set).
struct RuleReference {
  std::string name;  // the emitted name of the target
  const ir::Detection* target = nullptr;
  Span span;  // the Ward expression that refers to it
};

struct Rule {
  std::string name;  // the emitted identifier
  bool is_private = false;
  bool is_global = false;
  std::vector<std::string> tags;
  std::vector<MetaEntry> meta;
  std::vector<StringDef> strings;
  ExprPtr condition;
  std::vector<std::string> modules;  // sorted, deduplicated
  // The rules this one's condition refers to, first use first, no repeats.
  std::vector<RuleReference> references;

  const ir::Detection* source = nullptr;  // for diagnostics and `ward test`
  Span span;                               // the Ward detection
  Span condition_span;
};

// One output file: the rules of one Ward package, in dependency order.
struct RuleFile {
  std::string package;  // "cosai.supply_chain"
  std::string path;     // "cosai.supply_chain.yar", relative to yara/
  std::vector<std::string> imports;   // union of the rules' modules, sorted
  std::vector<std::string> depends_on;  // other RuleFile paths this one refers to
  std::vector<Rule> rules;
};

}  // namespace ward::backends::yara

#endif  // WARD_BACKENDS_YARA_YARA_MODEL_H_
