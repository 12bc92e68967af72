#ifndef WARD_COMPILER_SUPPORT_DIAGNOSTIC_H_
#define WARD_COMPILER_SUPPORT_DIAGNOSTIC_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/source_manager.h"

namespace ward {

enum class Severity { kError, kWarning, kNote };

enum class DiagCode : uint16_t {
#define WARD_DIAG(name, code, severity, group, summary) k##name,
#include "compiler/support/diagnostic_codes.def"
#undef WARD_DIAG
};

// Static facts about a code, from the catalogue.
struct DiagInfo {
  DiagCode code;
  std::string_view id;       // "E0200"
  Severity default_severity;
  std::string_view group;    // "resolve"
  std::string_view summary;  // one line
};

const DiagInfo& Info(DiagCode code);
// Looks a code up by its ID ("E0200", case-insensitive); nullptr if unknown.
const DiagInfo* FindDiag(std::string_view id);
const std::vector<DiagInfo>& AllDiags();
// The long explanation printed by `ward explain`.
std::string_view Explanation(DiagCode code);

std::string_view SeverityName(Severity severity);

struct Label {
  Span span;
  std::string message;  // may be empty
};

// Replace the text of `span` with `replacement` (insert when span is empty).
struct FixIt {
  Span span;
  std::string replacement;
};

// One finding. Messages are lowercase, without a final period; the primary
// label's span says where, the message says what, help says how to fix it.
struct Diagnostic {
  DiagCode code{};
  Severity severity = Severity::kError;
  std::string message;
  Label primary;
  std::vector<Label> secondary;
  std::vector<std::string> notes;
  std::optional<std::string> help;
  std::vector<FixIt> fixits;
};

// Fluent construction: Diag(DiagCode::kUnresolvedName, span, "...").Help("...").
class DiagBuilder {
 public:
  DiagBuilder(DiagCode code, Span span, std::string message);

  // Each setter works on a named builder (`diag.Help(...)`) and on a
  // temporary chain (`Diag(...).Label(...).Help(...)`), which stays an rvalue
  // so it can be passed straight to DiagnosticEngine::Report.
  DiagBuilder& Label(std::string text) &;
  DiagBuilder& Secondary(Span span, std::string text) &;
  DiagBuilder& Note(std::string text) &;
  DiagBuilder& Help(std::string text) &;
  DiagBuilder& Fix(Span span, std::string replacement) &;
  DiagBuilder&& Label(std::string text) && { return std::move(Label(std::move(text))); }
  DiagBuilder&& Secondary(Span span, std::string text) && {
    return std::move(Secondary(span, std::move(text)));
  }
  DiagBuilder&& Note(std::string text) && { return std::move(Note(std::move(text))); }
  DiagBuilder&& Help(std::string text) && { return std::move(Help(std::move(text))); }
  DiagBuilder&& Fix(Span span, std::string replacement) && {
    return std::move(Fix(span, std::move(replacement)));
  }

  Diagnostic Build() && { return std::move(diag_); }
  const Diagnostic& diagnostic() const { return diag_; }
  operator Diagnostic() && { return std::move(diag_); }  // NOLINT: fluent use

 private:
  Diagnostic diag_;
};

inline DiagBuilder Diag(DiagCode code, Span span, std::string message) {
  return DiagBuilder(code, span, std::move(message));
}

// Collects diagnostics from every phase. Producers only report; renderers
// (diagnostic_render.h) turn the sorted list into text, JSON or SARIF.
class DiagnosticEngine {
 public:
  struct Options {
    bool deny_warnings = false;  // warnings become errors
    size_t max_errors = 1000;    // 0 = unlimited
  };

  DiagnosticEngine() = default;
  explicit DiagnosticEngine(Options options) : options_(options) {}

  void Report(Diagnostic diag);
  void Report(DiagBuilder&& builder) { Report(std::move(builder).Build()); }
  void Report(const DiagBuilder& builder) { Report(builder.diagnostic()); }

  size_t error_count() const { return errors_; }
  size_t warning_count() const { return warnings_; }
  bool has_errors() const { return errors_ > 0; }
  bool limit_reached() const;

  // Sorted by file, offset, then code; exact duplicates removed.
  std::vector<Diagnostic> Sorted() const;
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }

 private:
  Options options_;
  std::vector<Diagnostic> diags_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
  bool truncated_ = false;
};

}  // namespace ward

#endif  // WARD_COMPILER_SUPPORT_DIAGNOSTIC_H_
