#include "compiler/syntax/ast.h"

namespace ward::ast {

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
