#ifndef WARD_TESTS_IMPORTER_IMPORTER_TESTLIB_H_
#define WARD_TESTS_IMPORTER_IMPORTER_TESTLIB_H_

// Helpers for the writer and importer tests: the real frontend over Ward
// texts, and the Sigma/YARA backends' output of a program.

#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"
#include "compiler/syntax/ast.h"

namespace ward::importer_test {

// Parses and analyses (path, text) pairs the way the driver does.
struct Frontend {
  SourceManager sources;
  DiagnosticEngine diags;
  std::vector<ast::File> asts;
  std::unique_ptr<ir::Program> program;

  explicit Frontend(const std::vector<std::pair<std::string, std::string>>& files);
  // A brace list of (path, text) pairs, without the vector ambiguity.
  Frontend(std::initializer_list<std::pair<std::string, std::string>> files)
      : Frontend(std::vector<std::pair<std::string, std::string>>(files)) {}
  std::string Errors() const;  // "E0200 message" lines of every error
};

// What the Sigma and YARA backends write for `program` (path -> text).
std::map<std::string, std::string> EmitAll(const ir::Program& program);

std::string ReadFile(const std::string& path);
// ../shared beside the source tree, or empty when absent.
std::string SharedDir();

}  // namespace ward::importer_test

#endif  // WARD_TESTS_IMPORTER_IMPORTER_TESTLIB_H_
