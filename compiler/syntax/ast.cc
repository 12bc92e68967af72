#include "compiler/syntax/ast.h"

namespace ward::ast {

Value::Value(const Value& other)
    : kind(other.kind),
      boolean(other.boolean),
      span(other.span),
      text(other.text),
      ref(other.ref),
      detail_(other.detail_ ? std::make_unique<ValueDetail>(*other.detail_) : nullptr) {}

Value& Value::operator=(const Value& other) {
  if (this != &other) *this = Value(other);
  return *this;
}

Value::~Value() = default;

namespace {
// A node's optional detail, or a shared empty one: readers of a value or
// member without the rare parts see empty lists and default numbers.
template <class Detail>
const Detail& OrEmpty(const std::unique_ptr<Detail>& detail) {
  static const Detail empty;
  return detail ? *detail : empty;
}
}  // namespace

const Number& Value::number() const { return OrEmpty(detail_).number; }
const std::optional<std::string>& Value::catalog_key() const {
  return OrEmpty(detail_).catalog_key;
}
Span Value::catalog_key_span() const {
  return OrEmpty(detail_).catalog_key_span;
}
const std::vector<Value>& Value::items() const {
  return OrEmpty(detail_).items;
}
const std::vector<ObjectEntry>& Value::entries() const {
  return OrEmpty(detail_).entries;
}

ValueDetail& Value::Detail() {
  if (!detail_) detail_ = std::make_unique<ValueDetail>();
  return *detail_;
}
Number& Value::mutable_number() { return Detail().number; }
void Value::set_catalog_key(std::string key, Span key_span) {
  Detail().catalog_key = std::move(key);
  detail_->catalog_key_span = key_span;
}
std::vector<Value>& Value::mutable_items() { return Detail().items; }
std::vector<ObjectEntry>& Value::mutable_entries() { return Detail().entries; }

Member::~Member() = default;

const std::unique_ptr<SigmaExpr>& Member::sigma() const {
  return OrEmpty(detail_).sigma;
}
const Name& Member::let_name() const {
  return OrEmpty(detail_).let_name;
}
const std::unique_ptr<YaraExpr>& Member::yara() const {
  return OrEmpty(detail_).yara;
}
const std::vector<Threshold>& Member::thresholds() const {
  return OrEmpty(detail_).thresholds;
}
const std::vector<YaraString>& Member::strings() const {
  return OrEmpty(detail_).strings;
}
const std::unique_ptr<Block>& Member::block() const {
  return OrEmpty(detail_).block;
}
MemberDetail& Member::detail() {
  if (!detail_) detail_ = std::make_unique<MemberDetail>();
  return *detail_;
}

std::string QualifiedName::str() const {
  std::string out;
  for (const Name& part : parts) {
    if (!out.empty()) out += '.';
    out += part.text;
  }
  return out;
}

const char* DeclKindName(Decl::Kind kind) {
  switch (kind) {
    case Decl::Kind::kCatalog: return "catalog";
    case Decl::Kind::kAsset: return "asset";
    case Decl::Kind::kPersona: return "persona";
    case Decl::Kind::kThreat: return "threat";
    case Decl::Kind::kMitigation: return "mitigation";
    case Decl::Kind::kFilter: return "filter";
    case Decl::Kind::kDetection: return "detection";
  }
  return "declaration";
}

const char* SigmaOpSpelling(SigmaOp op) {
  switch (op) {
    case SigmaOp::kEq: return "==";
    case SigmaOp::kNeq: return "!=";
    case SigmaOp::kContains: return "contains";
    case SigmaOp::kStartsWith: return "startswith";
    case SigmaOp::kEndsWith: return "endswith";
    case SigmaOp::kLike: return "like";
    case SigmaOp::kMatches: return "matches";
    case SigmaOp::kLt: return "<";
    case SigmaOp::kLte: return "<=";
    case SigmaOp::kGt: return ">";
    case SigmaOp::kGte: return ">=";
    case SigmaOp::kCidr: return "in cidr";
  }
  return "?";
}

const char* SigmaModifierName(SigmaModifier m) {
  switch (m) {
    case SigmaModifier::kCased: return "cased";
    case SigmaModifier::kWindash: return "windash";
    case SigmaModifier::kExpand: return "expand";
    case SigmaModifier::kBase64: return "base64";
    case SigmaModifier::kBase64Offset: return "base64offset";
    case SigmaModifier::kUtf16le: return "utf16le";
    case SigmaModifier::kUtf16be: return "utf16be";
    case SigmaModifier::kUtf16: return "utf16";
    case SigmaModifier::kWide: return "wide";
  }
  return "?";
}

}  // namespace ward::ast
