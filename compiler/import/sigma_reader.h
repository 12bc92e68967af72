#ifndef WARD_COMPILER_IMPORT_SIGMA_READER_H_
#define WARD_COMPILER_IMPORT_SIGMA_READER_H_

// Reads Sigma v2.1 rule, correlation and meta-filter documents (YAML, one or
// several documents per file) into Ward's typed IR:
//   - a rule becomes an ir::Detection with ir::SigmaLogic: one
//     ir::SigmaSelection per search identifier and the condition parsed into
//     ir::SigmaExpr (`x of pattern` expanded over the matching identifiers);
//   - a correlation becomes an ir::Detection whose SigmaLogic holds an
//     ir::Correlation, its `rules:` resolved by `name` or `id`;
//   - a meta filter becomes an ir::Filter.
// Every problem is a Diagnostic at the YAML position at fault (codes E1000 to
// W1010); a document with an error is refused as a whole and the others go on.
// yaml-cpp's exceptions never leave the reader.
//
// References between documents (a correlation's rules, a filter's rules) are
// resolved in Finish(), over every file read, so a correlation may sit in
// another file than its rules.

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::import {

enum class SigmaDocumentKind { kRule, kCorrelation, kFilter, kUnknown };
const char* SigmaDocumentKindName(SigmaDocumentKind kind);

// What happened to one YAML document.
struct SigmaDocumentReport {
  FileId file = kNoFile;
  size_t index = 0;  // 0-based position in its file
  Span span;         // the document's first key
  SigmaDocumentKind kind = SigmaDocumentKind::kUnknown;
  std::string title;
  bool refused = false;
  std::string reason;  // the first error's message when refused
  size_t warnings = 0;
  const ir::Entity* entity = nullptr;  // the imported detection or filter
};

struct SigmaImport {
  // Rules and correlations, in reading order (correlations refer to rules here).
  std::vector<std::unique_ptr<ir::Detection>> detections;
  std::vector<std::unique_ptr<ir::Filter>> filters;
  std::vector<SigmaDocumentReport> documents;  // every document, in reading order

  size_t imported_count() const;
  size_t refused_count() const;
};

struct SigmaReaderOptions {
  // Package of the imported entities; names come from the Sigma `name` or the
  // file name (made unique, in Ward's identifier alphabet).
  std::string package = "imported";
};

class SigmaReader {
 public:
  SigmaReader(SourceManager& sources, DiagnosticEngine& diags, SigmaReaderOptions options = {});
  ~SigmaReader();
  SigmaReader(const SigmaReader&) = delete;
  SigmaReader& operator=(const SigmaReader&) = delete;

  // Reads every document of a file already held by the source manager.
  void Read(FileId file);
  // Adds `text` under `path` to the source manager and reads it.
  FileId ReadText(std::string path, std::string text);
  // Reads a file from disk (E0001 when it cannot be read).
  FileId ReadFile(const std::string& path);

  // Resolves the references between documents, refuses correlations and
  // filters whose rules are missing or refused, and hands everything over.
  SigmaImport Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The import as a program that backends and evaluators take: entities sorted
// by qualified name and registered in by_name. `namespace_uuid` derives the IDs
// of documents that had none.
std::unique_ptr<ir::Program> ToProgram(SigmaImport import,
                                       const std::string& namespace_uuid =
                                           "46542ce6-c2a8-437d-8198-63834802d069");

}  // namespace ward::import

#endif  // WARD_COMPILER_IMPORT_SIGMA_READER_H_
