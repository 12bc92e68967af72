#include "compiler/support/diagnostic.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace ward {
namespace {

const std::vector<DiagInfo>& Table() {
  static const std::vector<DiagInfo> table = {
#define WARD_DIAG(name, code, severity, group, summary) \
  {DiagCode::k##name, code, Severity::k##severity, group, summary},
#include "compiler/support/diagnostic_codes.def"
#undef WARD_DIAG
  };
  return table;
}

}  // namespace

const DiagInfo& Info(DiagCode code) { return Table()[static_cast<size_t>(code)]; }

const std::vector<DiagInfo>& AllDiags() { return Table(); }

const DiagInfo* FindDiag(std::string_view id) {
  for (const DiagInfo& info : Table()) {
    if (info.id.size() != id.size()) continue;
    bool same = true;
    for (size_t i = 0; i < id.size() && same; ++i) {
      same = std::toupper(static_cast<unsigned char>(id[i])) == info.id[i];
    }
    if (same) return &info;
  }
  return nullptr;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

DiagBuilder::DiagBuilder(DiagCode code, Span span, std::string message) {
  diag_.code = code;
  diag_.severity = Info(code).default_severity;
  diag_.message = std::move(message);
  diag_.primary.span = span;
}

DiagBuilder& DiagBuilder::Label(std::string text) & {
  diag_.primary.message = std::move(text);
  return *this;
}
DiagBuilder& DiagBuilder::Secondary(Span span, std::string text) & {
  diag_.secondary.push_back({span, std::move(text)});
  return *this;
}
DiagBuilder& DiagBuilder::Note(std::string text) & {
  diag_.notes.push_back(std::move(text));
  return *this;
}
DiagBuilder& DiagBuilder::Help(std::string text) & {
  diag_.help = std::move(text);
  return *this;
}
DiagBuilder& DiagBuilder::Fix(Span span, std::string replacement) & {
  diag_.fixits.push_back({span, std::move(replacement)});
  return *this;
}

bool DiagnosticEngine::limit_reached() const {
  return options_.max_errors != 0 && errors_ >= options_.max_errors;
}

void DiagnosticEngine::Report(Diagnostic diag) {
  if (diag.severity == Severity::kWarning && options_.deny_warnings) {
    diag.severity = Severity::kError;
  }
  if (diag.severity == Severity::kError) {
    if (limit_reached()) {
      if (!truncated_) {
        truncated_ = true;
        Diagnostic stop = Diag(DiagCode::kTooManyErrors, Span{},
                               "too many errors; stopped after " +
                                   std::to_string(options_.max_errors))
                              .Help("fix the errors above, or raise the limit with --max-errors");
        diags_.push_back(std::move(stop));
      }
      return;
    }
    ++errors_;
  } else if (diag.severity == Severity::kWarning) {
    ++warnings_;
  }
  diags_.push_back(std::move(diag));
}

std::vector<Diagnostic> DiagnosticEngine::Sorted() const {
  std::vector<Diagnostic> out = diags_;
  auto key = [](const Diagnostic& d) {
    // Diagnostics without a location (command line, limits) go last.
    bool no_file = !d.primary.span.valid();
    // The message is part of the key so that exact duplicates end up next to
    // each other for std::unique, even when other diagnostics share the span.
    return std::make_tuple(no_file, d.primary.span.file, d.primary.span.begin,
                           static_cast<uint16_t>(d.code), d.primary.span.end,
                           std::string_view(d.message));
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.code == b.code && a.primary.span == b.primary.span && a.message == b.message;
  };
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

}  // namespace ward
