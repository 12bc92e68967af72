#ifndef WARD_TESTS_SYNTAX_PARSE_HELPERS_H_
#define WARD_TESTS_SYNTAX_PARSE_HELPERS_H_

// Shared by the syntax tests: parse a text and look at what came out, with
// diagnostics rendered as "E0100 3:7 message" so expectations read like what
// a user sees.

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/parser.h"

namespace ward::syntax::testing {

struct Parsed {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  FileId id = kNoFile;
  DiagnosticEngine diags;
  std::optional<ast::File> file;

  const SourceFile& source() const { return *sources->Get(id); }

  // "E0100 3:7 message" for each diagnostic, in the order reported.
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.diagnostics()) out.push_back(Render(d));
    return out;
  }
  std::string Render(const Diagnostic& d) const {
    std::string code(Info(d.code).id);
    if (!d.primary.span.valid()) return code + " " + d.message;
    Location at = source().Locate(d.primary.span.begin);
    return code + " " + std::to_string(at.line) + ":" + std::to_string(at.column) + " " + d.message;
  }
  std::string Text(Span span) const { return std::string(sources->Text(span)); }
  std::string Where(Span span) const {
    Location at = source().Locate(span.begin);
    return std::to_string(at.line) + ":" + std::to_string(at.column);
  }
};

inline std::unique_ptr<Parsed> Parse(std::string text, const ParseOptions& options = {}) {
  auto out = std::make_unique<Parsed>();
  out->id = out->sources->Add("test.ward", std::move(text));
  out->file = ParseFile(out->source(), out->diags, options);
  return out;
}

inline std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(WARD_SOURCE_DIR) + "/tests/syntax/testdata/" + name,
                   std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace ward::syntax::testing

#endif  // WARD_TESTS_SYNTAX_PARSE_HELPERS_H_
