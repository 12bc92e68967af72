// Assertions on the diagnostics a test produced, written the way a reader
// checks them: the code, a piece of the message, and "line:col".
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::test_support {

class DiagnosticChecks {
 public:
  DiagnosticChecks(const SourceManager& sources, const std::vector<Diagnostic>& diags)
      : sources_(sources), diags_(diags) {}

  // "line:col" of a span's start, "?:?" when it is in no file.
  std::string Where(Span span) const {
    const SourceFile* file = sources_.Get(span.file);
    if (file == nullptr) return "?:?";
    Location loc = file->Locate(span.begin);
    return fmt::format("{}:{}", loc.line, loc.column);
  }
  // Every diagnostic, one per line: "  E0500 3:28 message".
  std::string List() const {
    std::string out;
    for (const Diagnostic& d : diags_) {
      out += fmt::format("  {} {} {}\n", Info(d.code).id, Where(d.primary.span), d.message);
    }
    return out.empty() ? "  (no diagnostics)\n" : out;
  }
  // A diagnostic with this code whose message contains MESSAGE, starting at
  // WHERE ("line:col"; empty: anywhere).
  ::testing::AssertionResult Has(std::string_view code, std::string_view message,
                                 std::string_view where) const {
    for (const Diagnostic& d : diags_) {
      if (Info(d.code).id != code || d.message.find(message) == std::string::npos) continue;
      if (!where.empty() && Where(d.primary.span) != where) continue;
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "no " << code << " \"" << message << "\"" << (where.empty() ? "" : " at ") << where
           << "; got:\n"
           << List();
  }
  // No diagnostic with this code at all.
  ::testing::AssertionResult Lacks(std::string_view code) const {
    if (Find(code) == nullptr) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "unexpected " << code << "; got:\n" << List();
  }
  // No errors and no warnings.
  ::testing::AssertionResult Clean() const {
    if (diags_.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected no diagnostics; got:\n" << List();
  }
  // The first diagnostic with this code, or nullptr.
  const Diagnostic* Find(std::string_view code) const {
    for (const Diagnostic& d : diags_) {
      if (Info(d.code).id == code) return &d;
    }
    return nullptr;
  }

 private:
  const SourceManager& sources_;
  const std::vector<Diagnostic>& diags_;
};

}  // namespace ward::test_support
