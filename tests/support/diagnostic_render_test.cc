#include "compiler/support/diagnostic_render.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward {
namespace {

// The span of the `nth` occurrence of `needle` in file `id`.
Span Find(const SourceManager& sm, FileId id, std::string_view needle, int nth = 0) {
  std::string_view text = sm.Get(id)->text();
  size_t pos = text.find(needle);
  for (int i = 0; i < nth; ++i) pos = text.find(needle, pos + 1);
  EXPECT_NE(pos, std::string_view::npos) << needle;
  return Span{id, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + needle.size())};
}

std::string Text(const Diagnostic& diag, const SourceManager& sm, bool color = false) {
  return RenderText({diag}, sm, TextOptions{color, true});
}

std::string TwelveLines() {
  std::string text;
  for (int i = 1; i <= 11; ++i) text += "// line " + std::to_string(i) + "\n";
  text += "  mitigated_by: safe_formatz, model_signing\n}\n";
  return text;
}

TEST(RenderTextTest, PrimaryLabelNotesAndHelp) {
  SourceManager sm;
  FileId f = sm.Add("rulesets/cosai/threats.ward", TwelveLines());
  Diagnostic d = Diag(DiagCode::kUnresolvedName, Find(sm, f, "safe_formatz"),
                      "unresolved reference `safe_formatz`")
                     .Label("no mitigation with this name")
                     .Note("mitigations are declared with `mitigation NAME`")
                     .Help("did you mean `safe_formats`?");
  EXPECT_EQ(Text(d, sm),
            "error[E0200]: unresolved reference `safe_formatz`\n"
            "  --> rulesets/cosai/threats.ward:12:17\n"
            "   |\n"
            "12 |   mitigated_by: safe_formatz, model_signing\n"
            "   |                 ^^^^^^^^^^^^ no mitigation with this name\n"
            "   |\n"
            "   = note: mitigations are declared with `mitigation NAME`\n"
            "   = help: did you mean `safe_formats`?\n"
            "\n");
}

TEST(RenderTextTest, GutterFitsWidestLineNumberAndGapsAreMarked) {
  SourceManager sm;
  std::string text;
  for (int i = 1; i <= 12; ++i) {
    text += i == 3 ? "threat dup \"A\" {}\n" : i == 10 ? "threat dup \"B\" {}\n" : "\n";
  }
  FileId f = sm.Add("a.ward", text);
  Diagnostic d = Diag(DiagCode::kDuplicateName, Find(sm, f, "dup", 1), "duplicate threat `dup`")
                     .Label("declared again here")
                     .Secondary(Find(sm, f, "dup", 0), "first declared here");
  EXPECT_EQ(Text(d, sm),
            "error[E0201]: duplicate threat `dup`\n"
            "  --> a.ward:10:8\n"
            "   |\n"
            " 3 | threat dup \"A\" {}\n"
            "   |        --- first declared here\n"
            "...\n"
            "10 | threat dup \"B\" {}\n"
            "   |        ^^^ declared again here\n"
            "\n");
}

TEST(RenderTextTest, AdjacentLinesHaveNoGapMarker) {
  SourceManager sm;
  FileId f = sm.Add("a.ward", "let a = x == 1\nwhen: b\n");
  Diagnostic d = Diag(DiagCode::kUndefinedSelection, Find(sm, f, "b"), "undefined selection `b`")
                     .Secondary(Find(sm, f, "a"), "did you mean this selection?");
  EXPECT_EQ(Text(d, sm),
            "error[E0502]: undefined selection `b`\n"
            " --> a.ward:2:7\n"
            "  |\n"
            "1 | let a = x == 1\n"
            "  |     - did you mean this selection?\n"
            "2 | when: b\n"
            "  |       ^\n"
            "\n");
}

TEST(RenderTextTest, SecondaryLabelInAnotherFileGetsItsOwnSnippet) {
  SourceManager sm;
  FileId a = sm.Add("a.ward", "threat dup \"A\" {}\n");
  FileId b = sm.Add("b.ward", "\nthreat dup \"B\" {}\n");
  Diagnostic d = Diag(DiagCode::kDuplicateName, Find(sm, b, "dup"), "duplicate threat `dup`")
                     .Label("declared again here")
                     .Secondary(Find(sm, a, "dup"), "first declared here");
  EXPECT_EQ(Text(d, sm),
            "error[E0201]: duplicate threat `dup`\n"
            " --> b.ward:2:8\n"
            "  |\n"
            "2 | threat dup \"B\" {}\n"
            "  |        ^^^ declared again here\n"
            "  |\n"
            " ::: a.ward:1:8\n"
            "  |\n"
            "1 | threat dup \"A\" {}\n"
            "  |        --- first declared here\n"
            "\n");
}

TEST(RenderTextTest, PrimaryAndSecondaryOnTheSameLine) {
  SourceManager sm;
  FileId f = sm.Add("a.ward", "stage: training, training\n");
  Diagnostic d = Diag(DiagCode::kDuplicateProperty, Find(sm, f, "training", 1), "duplicate value")
                     .Label("repeated")
                     .Secondary(Find(sm, f, "training", 0), "first here");
  EXPECT_EQ(Text(d, sm),
            "error[E0305]: duplicate value\n"
            " --> a.ward:1:18\n"
            "  |\n"
            "1 | stage: training, training\n"
            "  |                  ^^^^^^^^ repeated\n"
            "  |        -------- first here\n"
            "\n");
}

TEST(RenderTextTest, ColumnsCountCodePointsAndUnderlineMatchesDisplay) {
  SourceManager sm;
  FileId f = sm.Add("u.ward", "title: \"日本語\" bad_ref\n");
  Diagnostic d = Diag(DiagCode::kUnresolvedName, Find(sm, f, "bad_ref"), "unresolved `bad_ref`");
  EXPECT_EQ(Text(d, sm),
            "error[E0200]: unresolved `bad_ref`\n"
            " --> u.ward:1:14\n"
            "  |\n"
            "1 | title: \"日本語\" bad_ref\n"
            "  |              ^^^^^^^\n"
            "\n");
}

TEST(RenderTextTest, TabsExpandToFourColumnsInLineAndUnderline) {
  SourceManager sm;
  FileId f = sm.Add("t.ward", "\tseverity:\tsevere\n");
  Diagnostic d = Diag(DiagCode::kInvalidEnumValue, Find(sm, f, "severe"), "invalid severity")
                     .Label("not a severity");
  EXPECT_EQ(Text(d, sm),
            "error[E0301]: invalid severity\n"
            " --> t.ward:1:12\n"
            "  |\n"
            "1 |     severity:    severe\n"
            "  |                  ^^^^^^ not a severity\n"
            "\n");
}

TEST(RenderTextTest, MultiLineSpanIsUnderlinedToEndOfFirstLine) {
  SourceManager sm;
  FileId f = sm.Add("m.ward", "x: \"abc\n  def\"\n");
  Span span = Find(sm, f, "\"abc\n  def\"");
  Diagnostic d = Diag(DiagCode::kUnterminatedString, span, "unterminated string");
  EXPECT_EQ(Text(d, sm),
            "error[E0101]: unterminated string\n"
            " --> m.ward:1:4\n"
            "  |\n"
            "1 | x: \"abc\n"
            "  |    ^^^^\n"
            "\n");
}

TEST(RenderTextTest, EmptySpanAtEndOfLineGetsOneCaretAfterTheText) {
  SourceManager sm;
  FileId f = sm.Add("e.ward", "severity high\r\nnext\n");
  uint32_t end = static_cast<uint32_t>(std::string_view("severity high").size());
  Diagnostic d = Diag(DiagCode::kSyntaxError, Span{f, end, end}, "expected `}`");
  EXPECT_EQ(Text(d, sm),
            "error[E0100]: expected `}`\n"
            " --> e.ward:1:14\n"
            "  |\n"
            "1 | severity high\n"
            "  |              ^\n"
            "\n");
}

TEST(RenderTextTest, DiagnosticWithoutSpanPrintsHeaderAndNotesOnly) {
  SourceManager sm;
  Diagnostic d = Diag(DiagCode::kNoSources, Span{}, "no .ward files in `rulesets`")
                     .Note("only files ending in .ward are compiled")
                     .Help("pass the ruleset root directory");
  EXPECT_EQ(Text(d, sm),
            "error[E0003]: no .ward files in `rulesets`\n"
            "  = note: only files ending in .ward are compiled\n"
            "  = help: pass the ruleset root directory\n"
            "\n");
}

TEST(RenderTextTest, FixItWithoutHelpIsShownAsReplacement) {
  SourceManager sm;
  FileId f = sm.Add("f.ward", "affects: model_fil\n");
  Span span = Find(sm, f, "model_fil");
  Diagnostic d = Diag(DiagCode::kUnresolvedName, span, "unresolved reference `model_fil`")
                     .Fix(span, "model_file");
  EXPECT_EQ(Text(d, sm),
            "error[E0200]: unresolved reference `model_fil`\n"
            " --> f.ward:1:10\n"
            "  |\n"
            "1 | affects: model_fil\n"
            "  |          ^^^^^^^^^\n"
            "  |\n"
            "  = help: replace with `model_file`\n"
            "\n");
  // With a help text, the help wins and the fix-it is not repeated.
  Diagnostic with_help = Diag(DiagCode::kUnresolvedName, span, "unresolved reference `model_fil`")
                             .Help("did you mean `model_file`?")
                             .Fix(span, "model_file");
  std::string out = Text(with_help, sm);
  EXPECT_NE(out.find("= help: did you mean `model_file`?"), std::string::npos);
  EXPECT_EQ(out.find("replace with"), std::string::npos);
}

TEST(RenderTextTest, WarningHeaderAndMultiLineNote) {
  SourceManager sm;
  FileId f = sm.Add("w.ward", "import catalogs.owasp_llm as owasp\n");
  Diagnostic d = Diag(DiagCode::kUnusedImport, Find(sm, f, "catalogs.owasp_llm"), "unused import")
                     .Note("first line\nsecond line");
  EXPECT_EQ(Text(d, sm),
            "warning[W0209]: unused import\n"
            " --> w.ward:1:8\n"
            "  |\n"
            "1 | import catalogs.owasp_llm as owasp\n"
            "  |        ^^^^^^^^^^^^^^^^^^\n"
            "  |\n"
            "  = note: first line\n"
            "          second line\n"
            "\n");
}

TEST(RenderTextTest, ShowSourceOffKeepsHeaderLocationAndNotes) {
  SourceManager sm;
  FileId f = sm.Add("rulesets/cosai/threats.ward", TwelveLines());
  Diagnostic d = Diag(DiagCode::kUnresolvedName, Find(sm, f, "safe_formatz"), "unresolved")
                     .Help("did you mean `safe_formats`?");
  EXPECT_EQ(RenderText({d}, sm, TextOptions{false, false}),
            "error[E0200]: unresolved\n"
            "  --> rulesets/cosai/threats.ward:12:17\n"
            "   = help: did you mean `safe_formats`?\n"
            "\n");
}

TEST(RenderTextTest, SeveralDiagnosticsAreSeparatedByBlankLines) {
  SourceManager sm;
  FileId f = sm.Add("a.ward", "a b\n");
  std::vector<Diagnostic> diags = {Diag(DiagCode::kSyntaxError, Find(sm, f, "a"), "first"),
                                   Diag(DiagCode::kSyntaxError, Find(sm, f, "b"), "second")};
  EXPECT_EQ(RenderText(diags, sm, TextOptions{}),
            "error[E0100]: first\n"
            " --> a.ward:1:1\n"
            "  |\n"
            "1 | a b\n"
            "  | ^\n"
            "\n"
            "error[E0100]: second\n"
            " --> a.ward:1:3\n"
            "  |\n"
            "1 | a b\n"
            "  |   ^\n"
            "\n");
}

TEST(RenderTextTest, ColourOnlyWhenAsked) {
  SourceManager sm;
  FileId f = sm.Add("a.ward", "severity: severe\n");
  Diagnostic d = Diag(DiagCode::kInvalidEnumValue, Find(sm, f, "severe"), "invalid severity")
                     .Label("here")
                     .Help("use `critical`");
  std::string plain = Text(d, sm, false);
  std::string colored = Text(d, sm, true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(colored.find("\x1b[1;31merror[E0301]"), std::string::npos) << colored;
  EXPECT_NE(colored.find("\x1b[1;34m"), std::string::npos);  // blue gutter
  EXPECT_NE(colored.find("\x1b[0m"), std::string::npos);
  Diagnostic w = Diag(DiagCode::kUnusedImport, Find(sm, f, "severity"), "unused");
  EXPECT_NE(Text(w, sm, true).find("\x1b[1;33mwarning[W0209]"), std::string::npos);
}

TEST(RenderTextTest, ControlCharactersFromTheSourceAreNeverPrinted) {
  SourceManager sm;
  // An ESC sequence, a bell, a C1 CSI (U+009B), a bidi override and an
  // invalid byte, all on the line that the snippet shows.
  FileId f = sm.Add("evil\x1b]0;x\x07.ward",
                    "x: \"a\x1b[2Jb\x07\xC2\x9B"
                    "c\xE2\x80\xAE"
                    "d\xFF\" bad\n");
  Diagnostic d = Diag(DiagCode::kUnresolvedName, Find(sm, f, "bad"), "unresolved `\x1b[31mx`")
                     .Label("label \x1b[0m")
                     .Note("note \x1b[1m");
  std::string out = Text(d, sm);
  for (char c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 || c == '\n') << "control byte " << static_cast<int>(u) << " in\n" << out;
  }
  EXPECT_EQ(out.find("\xC2\x9B"), std::string::npos);
  EXPECT_EQ(out.find("\xE2\x80\xAE"), std::string::npos);
  // Each unsafe character takes one column, so the caret still lines up:
  // x : space " a ESC [ 2 J b BEL CSI c RLO d 0xFF " space -> `bad` at col 19.
  EXPECT_NE(out.find(":1:19\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\n  | " + std::string(18, ' ') + "^^^ label "), std::string::npos) << out;
}

TEST(RenderSummaryTest, CountsAndPlurals) {
  EXPECT_EQ(RenderSummary(0, 0, false), "");
  EXPECT_EQ(RenderSummary(3, 2, false),
            "error: could not compile due to 3 errors; 2 warnings emitted");
  EXPECT_EQ(RenderSummary(1, 0, false), "error: could not compile due to 1 error");
  EXPECT_EQ(RenderSummary(1, 1, false),
            "error: could not compile due to 1 error; 1 warning emitted");
  EXPECT_EQ(RenderSummary(0, 2, false), "2 warnings emitted");
  EXPECT_EQ(RenderSummary(0, 1, false), "1 warning emitted");
  EXPECT_NE(RenderSummary(2, 0, true).find("\x1b[1;31merror"), std::string::npos);
  EXPECT_EQ(RenderSummary(0, 0, true), "");
}

}  // namespace
}  // namespace ward
