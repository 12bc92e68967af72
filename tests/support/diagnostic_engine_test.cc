#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "compiler/support/diagnostic.h"

namespace ward {
namespace {

Diagnostic At(DiagCode code, FileId file, uint32_t begin, std::string message = "m") {
  return Diag(code, Span{file, begin, begin + 1}, std::move(message));
}

TEST(DiagnosticEngineTest, SortsByFileOffsetThenCodeWithSpanlessLast) {
  DiagnosticEngine engine;
  engine.Report(Diag(DiagCode::kNoSources, Span{}, "no span"));
  engine.Report(At(DiagCode::kUnresolvedName, 2, 5));
  engine.Report(At(DiagCode::kUnresolvedName, 1, 40));
  engine.Report(At(DiagCode::kWrongKind, 1, 7));
  engine.Report(At(DiagCode::kUnresolvedName, 1, 7));
  std::vector<Diagnostic> sorted = engine.Sorted();
  ASSERT_EQ(sorted.size(), 5u);
  EXPECT_EQ(sorted[0].primary.span.begin, 7u);
  EXPECT_EQ(sorted[0].code, DiagCode::kUnresolvedName);  // E0200 before E0202
  EXPECT_EQ(sorted[1].code, DiagCode::kWrongKind);
  EXPECT_EQ(sorted[2].primary.span.begin, 40u);
  EXPECT_EQ(sorted[3].primary.span.file, 2u);
  EXPECT_EQ(sorted[4].code, DiagCode::kNoSources);
  // Reporting order is kept in diagnostics().
  EXPECT_EQ(engine.diagnostics()[0].code, DiagCode::kNoSources);
}

TEST(DiagnosticEngineTest, ExactDuplicatesAreRemovedButDifferentMessagesKept) {
  DiagnosticEngine engine;
  engine.Report(At(DiagCode::kUnresolvedName, 1, 3, "unresolved `a`"));
  engine.Report(At(DiagCode::kUnresolvedName, 1, 3, "unresolved `a`"));
  engine.Report(At(DiagCode::kUnresolvedName, 1, 3, "unresolved `b`"));
  std::vector<Diagnostic> sorted = engine.Sorted();
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_NE(sorted[0].message, sorted[1].message);
}

TEST(DiagnosticEngineTest, DuplicatesReportedApartAreRemovedToo) {
  DiagnosticEngine engine;
  engine.Report(At(DiagCode::kUnresolvedName, 1, 3, "unresolved `b`"));
  engine.Report(At(DiagCode::kUnresolvedName, 1, 3, "unresolved `a`"));
  engine.Report(At(DiagCode::kUnresolvedName, 1, 3, "unresolved `b`"));
  std::vector<Diagnostic> sorted = engine.Sorted();
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_EQ(sorted[0].message, "unresolved `a`");
  EXPECT_EQ(sorted[1].message, "unresolved `b`");
}

TEST(DiagnosticEngineTest, CountsErrorsAndWarnings) {
  DiagnosticEngine engine;
  engine.Report(At(DiagCode::kUnusedImport, 1, 0));
  EXPECT_FALSE(engine.has_errors());
  EXPECT_EQ(engine.warning_count(), 1u);
  engine.Report(At(DiagCode::kSyntaxError, 1, 0));
  EXPECT_TRUE(engine.has_errors());
  EXPECT_EQ(engine.error_count(), 1u);
}

TEST(DiagnosticEngineTest, DenyWarningsPromotesWarningsToErrors) {
  DiagnosticEngine engine(DiagnosticEngine::Options{true, 1000});
  engine.Report(At(DiagCode::kUnusedImport, 1, 0));
  EXPECT_EQ(engine.error_count(), 1u);
  EXPECT_EQ(engine.warning_count(), 0u);
  ASSERT_EQ(engine.diagnostics().size(), 1u);
  EXPECT_EQ(engine.diagnostics()[0].severity, Severity::kError);
  EXPECT_EQ(engine.diagnostics()[0].code, DiagCode::kUnusedImport);  // code is kept
}

TEST(DiagnosticEngineTest, MaxErrorsTruncatesAndAddsTooManyErrorsOnce) {
  DiagnosticEngine engine(DiagnosticEngine::Options{false, 2});
  for (uint32_t i = 0; i < 5; ++i) engine.Report(At(DiagCode::kSyntaxError, 1, i));
  engine.Report(At(DiagCode::kUnusedImport, 1, 9));  // warnings still get through
  EXPECT_TRUE(engine.limit_reached());
  EXPECT_EQ(engine.error_count(), 2u);
  EXPECT_EQ(engine.warning_count(), 1u);
  int syntax = 0;
  int too_many = 0;
  for (const Diagnostic& d : engine.Sorted()) {
    syntax += d.code == DiagCode::kSyntaxError;
    too_many += d.code == DiagCode::kTooManyErrors;
  }
  EXPECT_EQ(syntax, 2);
  EXPECT_EQ(too_many, 1);
  EXPECT_EQ(engine.Sorted().back().code, DiagCode::kTooManyErrors);
  EXPECT_NE(engine.Sorted().back().message.find("2"), std::string::npos);
}

TEST(DiagnosticEngineTest, MaxErrorsZeroMeansUnlimited) {
  DiagnosticEngine engine(DiagnosticEngine::Options{false, 0});
  for (uint32_t i = 0; i < 3000; ++i) engine.Report(At(DiagCode::kSyntaxError, 1, i));
  EXPECT_EQ(engine.error_count(), 3000u);
  EXPECT_FALSE(engine.limit_reached());
}

TEST(DiagBuilderTest, BuildsEveryPart) {
  Span a{1, 2, 5};
  Span b{1, 8, 9};
  Diagnostic d = Diag(DiagCode::kDuplicateName, a, "duplicate")
                     .Label("again")
                     .Secondary(b, "first")
                     .Note("n")
                     .Help("h")
                     .Fix(a, "x");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.primary.span, a);
  EXPECT_EQ(d.primary.message, "again");
  ASSERT_EQ(d.secondary.size(), 1u);
  EXPECT_EQ(d.secondary[0].span, b);
  EXPECT_EQ(d.notes, std::vector<std::string>{"n"});
  EXPECT_EQ(d.help, "h");
  ASSERT_EQ(d.fixits.size(), 1u);
  EXPECT_EQ(d.fixits[0].replacement, "x");
  EXPECT_EQ(Diagnostic(Diag(DiagCode::kUnusedImport, a, "u")).severity, Severity::kWarning);
}

TEST(CatalogueTest, IdsAreUniqueWellFormedAndMatchSeverity) {
  std::set<std::string_view> ids;
  for (const DiagInfo& info : AllDiags()) {
    EXPECT_TRUE(ids.insert(info.id).second) << info.id;
    ASSERT_EQ(info.id.size(), 5u) << info.id;
    char prefix = info.default_severity == Severity::kError ? 'E' : 'W';
    EXPECT_EQ(info.id[0], prefix) << info.id;
    EXPECT_EQ(&Info(info.code), &info);
    EXPECT_FALSE(info.summary.empty());
    EXPECT_FALSE(info.group.empty());
  }
  EXPECT_GE(AllDiags().size(), 60u);
}

TEST(CatalogueTest, FindDiagIsCaseInsensitive) {
  ASSERT_NE(FindDiag("e0200"), nullptr);
  EXPECT_EQ(FindDiag("E0200")->code, DiagCode::kUnresolvedName);
  EXPECT_EQ(FindDiag("w0209")->code, DiagCode::kUnusedImport);
  EXPECT_EQ(FindDiag("E9999"), nullptr);
  EXPECT_EQ(FindDiag("E020"), nullptr);
  EXPECT_EQ(FindDiag(""), nullptr);
}

// Every explanation has the documented shape: a description paragraph, an
// "Example:" with an indented snippet and a "Fix:" with an indented snippet.
TEST(ExplanationTest, EveryCodeHasAnExplanationWithExampleAndFix) {
  for (const DiagInfo& info : AllDiags()) {
    SCOPED_TRACE(std::string(info.id));
    std::string text(Explanation(info.code));
    ASSERT_FALSE(text.empty());
    size_t example = text.find("\nExample:\n\n    ");
    size_t fix = text.find("\nFix: ");
    ASSERT_NE(example, std::string::npos) << text;
    ASSERT_NE(fix, std::string::npos) << text;
    EXPECT_LT(example, fix);
    EXPECT_NE(text.find("\n    ", fix), std::string::npos) << "no corrected example";
    // The first paragraph (SARIF fullDescription) says what the code means.
    size_t first_break = text.find("\n\n");
    EXPECT_GT(first_break, 40u);
    EXPECT_LT(first_break, example);
    // No line wider than the style's 100 columns (counted in bytes here, so
    // ASCII lines are checked exactly), and a bounded length.
    std::istringstream lines(text);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
      ++count;
      EXPECT_LE(line.size(), 100u) << line;
    }
    EXPECT_LE(count, 30);
  }
}

TEST(ExplanationTest, ExplanationsAreDistinct) {
  std::set<std::string_view> seen;
  for (const DiagInfo& info : AllDiags()) {
    EXPECT_TRUE(seen.insert(Explanation(info.code)).second) << info.id;
  }
}

}  // namespace
}  // namespace ward
