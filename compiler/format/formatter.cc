#include "compiler/format/formatter.h"

#include <string_view>
#include <vector>

#include "compiler/format/layout.h"
#include "compiler/format/layout_marks.h"
#include "compiler/syntax/source_tokens.h"

namespace ward::format {
namespace {

using syntax::SourceToken;
using syntax::TokenClass;

// Tokens compare by class and bytes; a hex string from its `{` on (the
// blanks after its `=` are layout).
std::string_view Comparable(const SourceToken& t) {
  if (t.cls != TokenClass::kHexBlock) return t.text;
  return t.text.substr(t.text.find('{'));
}

std::string Quote(std::string_view text) {
  std::string_view first = text.substr(0, text.find('\n'));
  if (first.size() > 40) first = first.substr(0, 40);
  return "`" + std::string(first) + (first.size() < text.size() ? "...`" : "`");
}

// Reports the first difference between the tokens of the original and of
// the formatted text; true when there is none.
bool SameTokens(const SourceFile& file, const std::vector<SourceToken>& before,
                const std::string& formatted, DiagnosticEngine& diags) {
  std::vector<SourceToken> after = syntax::LexSourceTokens(formatted);
  size_t n = std::min(before.size(), after.size());
  size_t i = 0;
  while (i < n && before[i].cls == after[i].cls && Comparable(before[i]) == Comparable(after[i])) {
    ++i;
  }
  if (i == before.size() && i == after.size()) return true;
  std::string message;
  Span span{file.id(), static_cast<uint32_t>(file.text().size()),
            static_cast<uint32_t>(file.text().size())};
  if (i < before.size()) {
    span = Span{file.id(), before[i].begin, before[i].end};
    message = "formatting would change " + Quote(before[i].text) + " into " +
              (i < after.size() ? Quote(after[i].text) : "nothing");
  } else {
    message = "formatting would add " + Quote(after[i].text) + " at the end";
  }
  diags.Report(Diag(DiagCode::kInternalError, span, message + "; the file was left as it was")
                   .Help("this is a bug in `ward fmt`; please report it together with the file"));
  return false;
}

}  // namespace

std::optional<std::string> FormatFile(const SourceFile& file, DiagnosticEngine& diags,
                                      const syntax::ParseOptions& options) {
  DiagnosticEngine local;
  std::optional<ast::File> ast = syntax::ParseFile(file, local, options);
  bool errors = local.has_errors() || !ast || ast->had_syntax_errors;
  for (const Diagnostic& d : local.diagnostics()) diags.Report(d);
  if (errors) return std::nullopt;
  std::vector<SourceToken> tokens = syntax::LexSourceTokens(file.text());
  std::string formatted = LayOut(file.text(), tokens, MarksOf(*ast));
  if (!SameTokens(file, tokens, formatted, diags)) return std::nullopt;
  return formatted;
}

std::optional<std::string> FormatText(std::string_view text) {
  SourceFile file(1, "input.ward", std::string(text));
  DiagnosticEngine diags;
  return FormatFile(file, diags);
}

}  // namespace ward::format
