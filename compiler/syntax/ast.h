#ifndef WARD_COMPILER_SYNTAX_AST_H_
#define WARD_COMPILER_SYNTAX_AST_H_

// Ward's abstract syntax tree: what the user wrote, with spans, before any
// name is resolved. Built by parser.cc from the ANTLR parse tree; nothing
// here depends on ANTLR. Strings are already unescaped (as raw bytes).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/support/source_manager.h"

namespace ward::ast {

struct Name {
  std::string text;
  Span span;
};

struct QualifiedName {
  std::vector<Name> parts;
  Span span;
  std::string str() const;  // parts joined with '.'
};

// A field path such as `gen_ai.prompt` or a back-quoted `cs-uri-query`.
struct FieldPath {
  std::string text;  // dotted path, or the back-quoted text without quotes
  Span span;
  bool quoted = false;
};

struct Number {
  bool is_integer = true;
  int64_t integer = 0;
  double real = 0;
  std::string text;  // as written, e.g. "0x80", "-3", "7.5"
};

// ---- generic property values ---------------------------------------------
struct Value;
struct ObjectEntry;
struct ValueDetail;

// Most values are strings or names, so a value holds only what those need;
// what numbers, catalog references, lists and objects need lives in one
// ValueDetail allocated only for them (the AST of a large ruleset has
// millions of values: keeping every alternative's fields inline made each
// one 256 bytes).
struct Value {
  enum class Kind : uint8_t {
    kString, kNumber, kDate, kDuration, kBool, kNull, kRef, kList, kObject
  };
  Kind kind = Kind::kNull;
  bool boolean = false;  // kBool
  Span span;
  std::string text;  // kString: decoded bytes; kDate/kDuration: as written
  // kRef: `a.b.c` or a catalog reference `atlas."AML.T0051@5.0.1"`.
  QualifiedName ref;

  Value() = default;
  Value(const Value& other);
  Value(Value&&) noexcept = default;
  Value& operator=(const Value& other);
  Value& operator=(Value&&) noexcept = default;
  ~Value();

  const Number& number() const;                             // kNumber
  const std::optional<std::string>& catalog_key() const;    // kRef: the quoted part, decoded
  Span catalog_key_span() const;
  const std::vector<Value>& items() const;                  // kList
  const std::vector<ObjectEntry>& entries() const;          // kObject
  // For the parser: each creates the detail on first use.
  Number& mutable_number();
  void set_catalog_key(std::string key, Span key_span);
  std::vector<Value>& mutable_items();
  std::vector<ObjectEntry>& mutable_entries();

 private:
  ValueDetail& Detail();
  std::unique_ptr<ValueDetail> detail_;
};

struct ObjectEntry {
  std::string key;  // dotted field path or decoded string key
  Span key_span;
  Value value;
};

struct ValueDetail {
  Number number;
  std::optional<std::string> catalog_key;
  Span catalog_key_span;
  std::vector<Value> items;
  std::vector<ObjectEntry> entries;
};

// `key: v1, v2` (values has two items) or `key: [v1, v2]` (one kList item).
struct Property {
  Name key;
  std::vector<Value> values;
  Span span;
};

// ---- Sigma detection logic ------------------------------------------------
enum class SigmaOp {
  kEq, kNeq, kContains, kStartsWith, kEndsWith, kLike, kMatches,
  kLt, kLte, kGt, kGte, kCidr
};

enum class SigmaModifier {
  kCased, kWindash, kExpand, kBase64, kBase64Offset, kUtf16le, kUtf16be, kUtf16, kWide
};

enum class Quantifier { kNone, kAny, kAll };

struct SigmaValue {
  enum class Kind { kString, kNumber, kNull, kBool, kRegex, kFieldRef };
  Kind kind = Kind::kString;
  Span span;
  std::string text;         // kString: decoded bytes; kRegex: pattern body
  std::string regex_flags;  // kRegex: letters after the closing slash
  Number number;            // kNumber
  bool boolean = false;     // kBool
  FieldPath field;          // kFieldRef: field(OtherField)
};

struct SigmaExpr {
  enum class Kind {
    kAnd,        // children, n-ary
    kOr,         // children, n-ary
    kNot,        // children[0]
    kPredicate,  // field op [quantifier] modifiers values
    kExists,     // field exists
    kKeywords,   // keywords [any|all] modifiers values
    kSelection,  // a `let` name
    kOfPattern,  // any of name* / all of (a, b)
  };
  Kind kind = Kind::kPredicate;
  Span span;
  std::vector<std::unique_ptr<SigmaExpr>> children;

  // kPredicate, kExists
  FieldPath field;
  std::optional<Name> time_part;  // hour(field) == 3
  SigmaOp op = SigmaOp::kEq;
  Span op_span;
  Quantifier quantifier = Quantifier::kNone;  // also kKeywords, kOfPattern
  Span quantifier_span;
  std::vector<std::pair<SigmaModifier, Span>> modifiers;
  std::vector<SigmaValue> values;
  bool bracketed = false;  // values were written as [..]

  // kSelection: the name; kOfPattern: names, or one prefix with wildcard.
  std::vector<Name> names;
  bool wildcard = false;  // `selection_*` or `*`
};

// `where: count >= 10 and count < 100` inside a correlation block.
struct Threshold {
  Name aggregate;                   // count, sum, avg, percentile...
  std::optional<FieldPath> field;   // sum(gen_ai.usage.input_tokens)
  SigmaOp op = SigmaOp::kGte;
  Span op_span;
  Number value;
  Span span;
};

// ---- YARA strings and conditions ------------------------------------------
struct YaraStringModifier {
  enum class Kind { kNocase, kWide, kAscii, kFullword, kPrivate, kXor, kBase64, kBase64Wide };
  Kind kind = Kind::kNocase;
  Span span;
  std::optional<int64_t> xor_low;   // xor(k) or xor(lo-hi)
  std::optional<int64_t> xor_high;
  std::optional<std::string> alphabet;  // base64("...")
  Span alphabet_span;
};

// One element of a hex pattern. Bytes carry a mask so that nibble wildcards
// (`4?`, `?A`) and full wildcards (`??`, mask 0) share one representation.
struct HexItem {
  enum class Kind { kByte, kJump, kAlternation, kNot };
  Kind kind = Kind::kByte;
  Span span;
  uint8_t value = 0;
  uint8_t mask = 0xFF;
  std::optional<uint32_t> jump_low;   // kJump; both empty for [-]
  std::optional<uint32_t> jump_high;  // empty: unbounded
  bool jump_range = false;            // kJump written with a `-`: `[0-0]`, `[2-]`, `[-]`
  std::vector<std::vector<HexItem>> alternatives;  // kAlternation
};

struct YaraString {
  enum class Kind { kText, kHex, kRegex };
  Kind kind = Kind::kText;
  Name id;          // "$a" (with the sigil)
  Span value_span;  // the literal / the braces of a hex pattern
  std::string text;         // kText: decoded bytes; kRegex: the pattern body
  std::string regex_flags;  // kRegex: `i`, `s`
  std::vector<HexItem> hex;  // kHex
  std::vector<YaraStringModifier> modifiers;
  Span span;
  // The literal was malformed (already reported, e.g. E0603): later phases
  // should skip checks that would only repeat that error.
  bool invalid = false;
};

struct YaraExpr;
using YaraExprPtr = std::unique_ptr<YaraExpr>;

struct YaraExpr {
  enum class Kind {
    kOr, kAnd,              // children, n-ary
    kNot, kDefined,         // children[0]
    kBinary,                // op, children[0..1]: relations, arithmetic, bitwise
    kUnary,                 // op ("-" or "~"), children[0]
    kInteger, kFloat,       // number (SIZE literals are folded: 10KB = 10240)
    kText, kRegex, kBool,   // text / regex_flags / boolean
    kFilesize, kEntrypoint,
    kStringMatch,           // id; optional at (children[0]) or in (range)
    kStringCount,           // id; optional in (range)
    kStringOffset,          // id; optional index (children[0])
    kStringLength,          // id; optional index (children[0])
    kIdentifier,            // name: rule, module, loop variable
    kMember,                // children[0] . name
    kIndex,                 // children[0] [ children[1] ]
    kCall,                  // children[0] ( children[1..] )
    kOf,                    // quantifier of (strings|them|rules) [in range]
    kForOf,                 // for quantifier of set : ( body )
    kForIn,                 // for quantifier vars in iterable : ( body )
  };
  Kind kind = Kind::kBool;
  Span span;
  std::string op;    // kBinary/kUnary: "==", "+", "matches", ...
  Span op_span;
  std::vector<YaraExprPtr> children;

  Number number;            // kInteger, kFloat
  std::string text;         // kText: decoded; kRegex: pattern body; kIdentifier/kMember: name
  std::string regex_flags;  // kRegex
  bool boolean = false;     // kBool
  Name id;                  // string sigil forms: "$a", "#a", "@a", "!a", "$" alone...

  // kStringMatch/kStringCount/kOf with `in (lo..hi)`
  YaraExprPtr range_low, range_high;

  // Quantifier of kOf/kForOf/kForIn.
  enum class Quant { kAll, kAny, kNone, kCount, kPercent };
  Quant quant = Quant::kAny;
  int64_t quant_value = 0;
  Span quant_span;

  // kOf/kForOf: `them` or a list of string ids (possibly `$a*`), or a list of
  // rule names (possibly with `*`) when of_rules is set. A wildcard is part of
  // the name's text (`$a*`, `rule_prefix*`).
  bool them = false;
  bool of_rules = false;
  std::vector<Name> set;

  // kForIn: loop variables; iterable is a range (range_low/high), a list
  // (iter_items) or an expression (iter_items[0] with iter_is_expr).
  std::vector<Name> vars;
  std::vector<YaraExprPtr> iter_items;
  bool iter_is_range = false;
  bool iter_is_expr = false;
  YaraExprPtr body;  // kForOf, kForIn
};

// ---- members, blocks, declarations ----------------------------------------
struct Body;
struct Block;

// Most members are properties, so a member holds a property inline and the
// parts of the other alternatives in one MemberDetail allocated only for
// them (keeping every alternative inline made each member 240 bytes).
struct MemberDetail;

struct Member {
  enum class Kind : uint8_t { kProperty, kWhen, kCondition, kWhere, kLet, kStrings, kBlock };
  Kind kind = Kind::kProperty;
  Span span;
  Span keyword_span;  // `when`, `condition`, ..., or the block name
  Property property;  // kProperty

  Member() = default;
  Member(Member&&) noexcept = default;
  Member& operator=(Member&&) noexcept = default;
  ~Member();

  const std::unique_ptr<SigmaExpr>& sigma() const;   // kWhen, kLet
  const Name& let_name() const;                      // kLet
  const std::unique_ptr<YaraExpr>& yara() const;     // kCondition
  const std::vector<Threshold>& thresholds() const;  // kWhere (ANDed)
  const std::vector<YaraString>& strings() const;    // kStrings
  const std::unique_ptr<Block>& block() const;       // kBlock
  // For the parser: the detail of a non-property member, created on first use.
  MemberDetail& detail();

 private:
  std::unique_ptr<MemberDetail> detail_;
};

struct Body {
  std::vector<Member> members;
  Span span;
};

// A nested block: `logsource { ... }`, `test "name" { ... }`,
// `correlation event_count { ... }`, `alias ip { ... }`.
struct Block {
  Name kind;                   // logsource, test, correlation, alias, related...
  std::optional<Name> label;   // the optional second word (event_count, ip)
  std::vector<std::pair<std::string, Span>> args;  // decoded strings after it
  Body body;
  Span span;
};

struct MemberDetail {
  std::unique_ptr<SigmaExpr> sigma;
  Name let_name;
  std::unique_ptr<YaraExpr> yara;
  std::vector<Threshold> thresholds;
  std::vector<YaraString> strings;
  std::unique_ptr<Block> block;
};

struct CatalogEntry {
  std::string id;
  Span id_span;
  std::optional<std::string> title;
  Span title_span;
  std::optional<Body> body;
  Span span;
};

struct Decl {
  enum class Kind { kCatalog, kAsset, kPersona, kThreat, kMitigation, kFilter, kDetection };
  Kind kind = Kind::kAsset;
  Span span;
  Span keyword_span;
  Name name;
  std::optional<Name> detection_kind;  // kDetection: sigma, yara, ...
  std::optional<std::string> title;
  Span title_span;
  Body body;
  std::vector<CatalogEntry> entries;  // kCatalog
};

struct Import {
  QualifiedName path;
  bool wildcard = false;  // import a.b.*
  std::optional<Name> alias;
  Span span;
};

struct File {
  FileId file = kNoFile;
  QualifiedName package;
  std::vector<Import> imports;
  std::vector<Decl> decls;
  // Set when the file had syntax errors (E0100, E0101, E0103, E0104): `decls`
  // then holds only the declarations that parsed cleanly, and `skipped_decls`
  // names the ones that were dropped, so later phases can avoid cascading
  // "unresolved name" errors about them. Errors inside a literal (E0102,
  // E0106, E0603) drop nothing and do not set it.
  bool had_syntax_errors = false;
  std::vector<Name> skipped_decls;
};

const char* DeclKindName(Decl::Kind kind);  // "threat", "catalog", ...
const char* SigmaOpSpelling(SigmaOp op);    // "==", "contains", "in cidr"...
const char* SigmaModifierName(SigmaModifier m);  // "windash", ...

}  // namespace ward::ast

#endif  // WARD_COMPILER_SYNTAX_AST_H_
