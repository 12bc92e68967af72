#ifndef WARD_COMPILER_WRITER_WARD_WRITER_H_
#define WARD_COMPILER_WRITER_WARD_WRITER_H_

// Prints IR detections and filters as Ward source (docs/language.md): the
// inverse of parsing and analysis, used by `ward import`. What it prints is
// what a person would write: metadata first, `let` selections and `when:`
// for Sigma, `strings { }` and `condition:` for YARA, one blank line between
// declarations. Reading the text back with the frontend gives the same IR
// up to spans (tests/importer/ward_writer_test.cc checks this).
//
// A construct Ward cannot write (a field name with a back quote, a regular
// expression with a line break...) makes that one declaration fail with a
// reason; the other declarations of the file are still written.

#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace ward::writer {

struct WardFileInput {
  std::string package;
  std::vector<std::string> header;               // comment lines at the top, without `//`
  std::vector<const ir::Detection*> detections;  // in this order
  std::vector<const ir::Filter*> filters;        // after the detections
  // Comment lines printed above a declaration (without `//`), e.g. YARA meta
  // fields Ward has no property for.
  std::map<const ir::Entity*, std::vector<std::string>> notes;
};

struct WriteFailure {
  const ir::Entity* entity = nullptr;
  std::string reason;
};

struct WardFileOutput {
  std::string text;
  std::vector<WriteFailure> failures;  // declarations left out of `text`
  // Where each written declaration starts and ends (1-based lines of `text`).
  struct Range {
    const ir::Entity* entity;
    size_t first_line, last_line;
  };
  std::vector<Range> ranges;
};

WardFileOutput WriteWardFile(const WardFileInput& input);

// One declaration on its own (no package line), for tests and messages.
// Returns false with `reason` set when it cannot be written.
bool WriteDetection(const ir::Detection& detection, const std::string& package, std::string& out,
                    std::string& reason);

}  // namespace ward::writer

#endif  // WARD_COMPILER_WRITER_WARD_WRITER_H_
