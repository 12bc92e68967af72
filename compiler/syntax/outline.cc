#include "compiler/syntax/outline.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "compiler/support/diagnostic.h"
#include "compiler/support/text_util.h"
#include "compiler/syntax/position_map.h"
#include "compiler/syntax/string_literal.h"
#include "compiler/syntax/ward_lexer.h"
// Only for the token types, as in ward_lexer.cc.
#include "WardLexer.h"

namespace ward::syntax {
namespace {

using L = ward_generated::WardLexer;

// The grammar's `name` rule: an identifier or any soft keyword.
bool IsNameToken(size_t type) {
  switch (type) {
    case L::ID:
    case L::AS:
    case L::ENTRY:
    case L::KEYWORDS:
    case L::OF:
    case L::THEM:
    case L::ANY:
    case L::ALL:
    case L::NONE:
    case L::FOR:
    case L::IN:
    case L::AT:
    case L::CIDR:
    case L::EXISTS:
    case L::DEFINED:
    case L::LIKE:
    case L::MATCHES:
    case L::CONTAINS:
    case L::ICONTAINS:
    case L::STARTSWITH:
    case L::ISTARTSWITH:
    case L::ENDSWITH:
    case L::IENDSWITH:
    case L::IEQUALS:
    case L::FILESIZE:
    case L::ENTRYPOINT:
    case L::FIELD:
    case L::CASED:
    case L::WINDASH:
    case L::EXPAND:
    case L::BASE64:
    case L::BASE64OFFSET:
    case L::BASE64WIDE:
    case L::UTF16LE:
    case L::UTF16BE:
    case L::UTF16:
    case L::WIDE:
    case L::ASCII:
    case L::NOCASE:
    case L::FULLWORD:
    case L::PRIVATE:
    case L::XOR:
    case L::FILTER:
    case L::IMPORT:
    case L::PACKAGE:
    case L::CATALOG:
    case L::ASSET:
    case L::PERSONA:
    case L::THREAT:
    case L::MITIGATION:
    case L::DETECTION:
      return true;
    default:
      return false;
  }
}

// Reads the default-channel tokens of one file, front to back.
class Scanner {
 public:
  Scanner(const SourceFile& file, std::string_view lexed, const PositionMap& positions)
      : file_(file), positions_(positions), lexer_(lexed) {
    Advance();
  }

  std::optional<ast::File> Run() {
    ast::File out;
    out.file = file_.id();
    if (type() != L::PACKAGE) return std::nullopt;
    Advance();
    if (!QName(out.package)) return std::nullopt;
    while (type() == L::IMPORT) {
      ast::Import& import = out.imports.emplace_back();
      Span begin = SpanNow();
      Advance();
      if (!QName(import.path)) return std::nullopt;
      Span end = import.path.span;
      if (type() == L::DOT) {
        Advance();
        if (type() != L::STAR) return std::nullopt;
        import.wildcard = true;
        end = SpanNow();
        Advance();
      }
      if (type() == L::AS) {
        Advance();
        if (!IsNameToken(type())) return std::nullopt;
        import.alias = NameNow();
        end = import.alias->span;
        Advance();
      }
      import.span = Join(begin, end);
    }
    while (type() != kEof) {
      if (!Decl(out.decls.emplace_back())) return std::nullopt;
    }
    return out;
  }

 private:
  static constexpr size_t kEof = static_cast<size_t>(-1);

  size_t type() const { return token_.type; }
  Span SpanNow() const { return positions_.ToSpan(file_.id(), token_.start, token_.stop); }
  std::string_view TextOf(Span span) const {
    return file_.text().substr(span.begin, span.end - span.begin);
  }
  ast::Name NameNow() const {
    Span span = SpanNow();
    return ast::Name{std::string(TextOf(span)), span};
  }
  static Span Join(Span a, Span b) { return Span{a.file, a.begin, std::max(a.end, b.end)}; }

  void Advance() {
    do {
      token_ = lexer_.Next();
    } while (token_.type != kEof && token_.channel != 0);
  }

  // name (DOT name)*; a DOT not followed by a name is left for the caller
  // (`import a.b.*`).
  bool QName(ast::QualifiedName& out) {
    if (!IsNameToken(type())) return false;
    out.parts.push_back(NameNow());
    Advance();
    while (type() == L::DOT) {
      LexedToken dot = token_;
      WardLexerCore saved = lexer_;
      Advance();
      if (!IsNameToken(type())) {
        // Back to the dot: only `.*` may follow, and the caller checks it.
        token_ = dot;
        lexer_ = saved;
        break;
      }
      out.parts.push_back(NameNow());
      Advance();
    }
    out.span = Join(out.parts.front().span, out.parts.back().span);
    return true;
  }

  bool Decl(ast::Decl& out) {
    Span keyword = SpanNow();
    switch (type()) {
      case L::CATALOG:
        out.kind = ast::Decl::Kind::kCatalog;
        break;
      case L::ASSET:
        out.kind = ast::Decl::Kind::kAsset;
        break;
      case L::PERSONA:
        out.kind = ast::Decl::Kind::kPersona;
        break;
      case L::THREAT:
        out.kind = ast::Decl::Kind::kThreat;
        break;
      case L::MITIGATION:
        out.kind = ast::Decl::Kind::kMitigation;
        break;
      case L::FILTER:
        out.kind = ast::Decl::Kind::kFilter;
        break;
      case L::DETECTION:
        out.kind = ast::Decl::Kind::kDetection;
        break;
      default:
        return false;
    }
    out.keyword_span = keyword;
    Advance();
    if (out.kind == ast::Decl::Kind::kDetection) {
      if (!IsNameToken(type())) return false;
      out.detection_kind = NameNow();
      Advance();
    }
    if (!IsNameToken(type())) return false;
    out.name = NameNow();
    Advance();
    if (type() == L::STRING) {
      Span span = SpanNow();
      // A title with a bad escape is reported by the parser; the scan
      // declines rather than guess what the parser keeps.
      DiagnosticEngine scratch;
      out.title = DecodeStringLiteral(TextOf(span), span, scratch);
      if (!scratch.diagnostics().empty()) return false;
      out.title_span = span;
      Advance();
    }
    if (type() != L::LBRACE) return false;
    // The body is skipped by brace depth; whether it really is one body is
    // for the parser to say, and SameOutline compares the spans it found.
    size_t depth = 0;
    while (true) {
      if (type() == kEof) return false;
      if (type() == L::LBRACE) ++depth;
      if (type() == L::RBRACE && --depth == 0) break;
      Advance();
    }
    out.span = Join(keyword, SpanNow());
    Advance();
    return true;
  }

  const SourceFile& file_;
  const PositionMap& positions_;
  WardLexerCore lexer_;
  LexedToken token_;
};

bool SameName(const ast::Name& a, const ast::Name& b) {
  return a.text == b.text && a.span == b.span;
}

bool SameQName(const ast::QualifiedName& a, const ast::QualifiedName& b) {
  if (a.span != b.span || a.parts.size() != b.parts.size()) return false;
  for (size_t i = 0; i < a.parts.size(); ++i) {
    if (!SameName(a.parts[i], b.parts[i])) return false;
  }
  return true;
}

bool SameOptionalName(const std::optional<ast::Name>& a, const std::optional<ast::Name>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || SameName(*a, *b);
}

}  // namespace

std::optional<ast::File> ScanOutline(const SourceFile& file, const ParseOptions& options) {
  // What ParseFile refuses before lexing is left for it to report; the
  // lexer itself needs valid UTF-8.
  std::string_view text = file.text();
  if (text.size() > std::min<size_t>(options.max_file_bytes, UINT32_MAX)) return std::nullopt;
  if (std::memchr(text.data(), '\0', text.size()) != nullptr) return std::nullopt;
  if (FindInvalidUtf8(text)) return std::nullopt;
  uint32_t base = 0;
  while (text.substr(base, 3) == "\xEF\xBB\xBF") base += 3;
  std::string_view lexed = text.substr(base);
  PositionMap positions(lexed, base);
  return Scanner(file, lexed, positions).Run();
}

bool SameOutline(const ast::File& outline, const ast::File& full) {
  if (full.had_syntax_errors || !full.skipped_decls.empty()) return false;
  if (outline.file != full.file || !SameQName(outline.package, full.package)) return false;
  if (outline.imports.size() != full.imports.size()) return false;
  for (size_t i = 0; i < outline.imports.size(); ++i) {
    const ast::Import& a = outline.imports[i];
    const ast::Import& b = full.imports[i];
    if (!SameQName(a.path, b.path) || a.wildcard != b.wildcard || a.span != b.span ||
        !SameOptionalName(a.alias, b.alias)) {
      return false;
    }
  }
  if (outline.decls.size() != full.decls.size()) return false;
  for (size_t i = 0; i < outline.decls.size(); ++i) {
    const ast::Decl& a = outline.decls[i];
    const ast::Decl& b = full.decls[i];
    if (a.kind != b.kind || a.span != b.span || a.keyword_span != b.keyword_span ||
        !SameName(a.name, b.name) || !SameOptionalName(a.detection_kind, b.detection_kind) ||
        a.title != b.title || a.title_span != b.title_span) {
      return false;
    }
  }
  return true;
}

bool DeclaresCatalog(const ast::File& outline) {
  return std::any_of(outline.decls.begin(), outline.decls.end(),
                     [](const ast::Decl& d) { return d.kind == ast::Decl::Kind::kCatalog; });
}

}  // namespace ward::syntax
