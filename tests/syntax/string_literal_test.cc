#include "compiler/syntax/string_literal.h"

#include <gtest/gtest.h>

#include <string>

namespace ward::syntax {
namespace {

constexpr FileId kFile = 1;

// Decodes `literal` as if it started at byte 100 of a file.
std::string Decode(std::string_view literal, DiagnosticEngine& diags) {
  return DecodeStringLiteral(literal, Span{kFile, 100, 100 + static_cast<uint32_t>(literal.size())},
                             diags);
}

TEST(StringLiteral, PlainTextIsKept) {
  DiagnosticEngine diags;
  EXPECT_EQ(Decode(R"("hello, wörld")", diags), "hello, wörld");
  EXPECT_EQ(Decode(R"("")", diags), "");
  EXPECT_FALSE(diags.has_errors());
}

TEST(StringLiteral, SimpleEscapes) {
  DiagnosticEngine diags;
  EXPECT_EQ(Decode(R"("a\"b\\c\nd\re\tf")", diags), "a\"b\\c\nd\re\tf");
  EXPECT_EQ(Decode(R"("\0")", diags), std::string(1, '\0'));
  EXPECT_FALSE(diags.has_errors());
}

TEST(StringLiteral, HexEscapeIsARawByte) {
  DiagnosticEngine diags;
  EXPECT_EQ(Decode(R"("\x80\x04\x95cos")", diags), "\x80\x04\x95" "cos");
  EXPECT_EQ(Decode(R"("\xfF")", diags), "\xff");
  EXPECT_FALSE(diags.has_errors());
}

TEST(StringLiteral, UnicodeEscapeIsUtf8) {
  DiagnosticEngine diags;
  EXPECT_EQ(Decode(R"("\u{1F600}")", diags), "\xF0\x9F\x98\x80");
  EXPECT_EQ(Decode(R"("caf\u{e9}")", diags), "caf\xC3\xA9");
  EXPECT_EQ(Decode(R"("\u{0}")", diags), std::string(1, '\0'));
  EXPECT_FALSE(diags.has_errors());
}

TEST(StringLiteral, UnknownEscapeIsReportedAtItsExactSpanAndDecodingGoesOn) {
  DiagnosticEngine diags;
  // `\q` is bytes 2..4 of the literal; `\d` is bytes 6..8.
  EXPECT_EQ(Decode(R"("a\qb\dc")", diags), "abc");
  ASSERT_EQ(diags.diagnostics().size(), 2u);
  const Diagnostic& first = diags.diagnostics()[0];
  EXPECT_EQ(first.code, DiagCode::kInvalidEscape);
  EXPECT_EQ(first.message, "unknown escape sequence `\\q`");
  EXPECT_EQ(first.primary.span, (Span{kFile, 102, 104}));
  EXPECT_EQ(diags.diagnostics()[1].primary.span, (Span{kFile, 105, 107}));
  ASSERT_TRUE(first.help.has_value());
  EXPECT_NE(first.help->find("\\\\"), std::string::npos);
}

TEST(StringLiteral, UnknownEscapeOfAMultiByteCharacterCoversTheWholeCharacter) {
  DiagnosticEngine diags;
  Decode("\"\\é\"", diags);
  ASSERT_EQ(diags.diagnostics().size(), 1u);
  EXPECT_EQ(diags.diagnostics()[0].primary.span, (Span{kFile, 101, 104}));
  EXPECT_EQ(diags.diagnostics()[0].message, "unknown escape sequence `\\é`");
}

TEST(StringLiteral, MalformedHexEscapes) {
  DiagnosticEngine diags;
  Decode(R"("\x4")", diags);   // one digit
  Decode(R"("\xg0")", diags);  // not a digit
  ASSERT_EQ(diags.diagnostics().size(), 2u);
  EXPECT_EQ(diags.diagnostics()[0].message, "`\\x` must be followed by exactly two hex digits");
  EXPECT_EQ(diags.diagnostics()[0].primary.span, (Span{kFile, 101, 104}));
  EXPECT_EQ(diags.diagnostics()[1].primary.span, (Span{kFile, 101, 103}));
}

TEST(StringLiteral, MalformedUnicodeEscapes) {
  struct Case {
    const char* literal;
    const char* message;
  };
  const Case cases[] = {
      {R"("\u0041")", "`\\u` must be followed by a code point in braces"},
      {R"("\u{41")", "unterminated `\\u{...}` escape"},
      {R"("\u{}")", "`\\u{...}` needs 1 to 6 hex digits"},
      {R"("\u{1234567}")", "`\\u{...}` needs 1 to 6 hex digits"},
      {R"("\u{110000}")", "`\\u{110000}` is not a Unicode scalar value"},
      {R"("\u{D800}")", "`\\u{D800}` is not a Unicode scalar value"},
  };
  for (const Case& c : cases) {
    DiagnosticEngine diags;
    Decode(c.literal, diags);
    ASSERT_EQ(diags.diagnostics().size(), 1u) << c.literal;
    EXPECT_EQ(diags.diagnostics()[0].code, DiagCode::kInvalidEscape) << c.literal;
    EXPECT_EQ(diags.diagnostics()[0].message, c.message) << c.literal;
    EXPECT_EQ(diags.diagnostics()[0].primary.span.begin, 101u) << c.literal;
  }
}

TEST(StringLiteral, UnterminatedLiteralDecodesToItsEnd) {
  DiagnosticEngine diags;
  EXPECT_EQ(Decode(R"("abc)", diags), "abc");
  EXPECT_EQ(Decode(R"("abc\")", diags), "abc\"");
  EXPECT_FALSE(diags.has_errors());
}

TEST(TripleQuoted, IsRaw) {
  EXPECT_EQ(DecodeTripleQuoted(R"("""a\nb "c" """)"), R"(a\nb "c" )");
}

TEST(TripleQuoted, TrimsLeadingNewlineIndentAndFinalBlankLine) {
  std::string literal =
      "\"\"\"\n"
      "    Pickle streams can import and call any Python callable.\n"
      "      Indented more.\n"
      "\n"
      "    Loading one runs that code.\n"
      "    \"\"\"";
  EXPECT_EQ(DecodeTripleQuoted(literal),
            "Pickle streams can import and call any Python callable.\n"
            "  Indented more.\n"
            "\n"
            "Loading one runs that code.");
}

TEST(TripleQuoted, KeepsTextWithoutNewlines) {
  EXPECT_EQ(DecodeTripleQuoted(R"("""one line""")"), "one line");
  EXPECT_EQ(DecodeTripleQuoted(R"("""""")"), "");
}

TEST(TripleQuoted, CrlfBecomesLf) {
  EXPECT_EQ(DecodeTripleQuoted("\"\"\"\r\n  a\r\n  b\r\n  \"\"\""), "a\nb");
}

TEST(TripleQuoted, TabsCountAsIndentation) {
  EXPECT_EQ(DecodeTripleQuoted("\"\"\"\n\tx\n\t\ty\n\"\"\""), "x\n\ty");
}

}  // namespace
}  // namespace ward::syntax
