// Text written into generated catalogs must read back as exactly the source's
// text, and names must be names Ward accepts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/catalog_import/ward_text.h"
#include "compiler/support/diagnostic.h"
#include "compiler/syntax/string_literal.h"

namespace ward::import {
namespace {

TEST(QuoteWardString, EscapesWhatWardStringsCannotHoldRaw) {
  EXPECT_EQ(QuoteWardString("plain"), "\"plain\"");
  EXPECT_EQ(QuoteWardString("say \"hi\" \\ bye"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(QuoteWardString("a\nb\tc\rd"), R"("a\nb\tc\rd")");
  EXPECT_EQ(QuoteWardString(std::string("x\0y", 3)), R"("x\0y")");
  EXPECT_EQ(QuoteWardString("bell\x07"), R"("bell\u{7}")");
  EXPECT_EQ(QuoteWardString("del\x7f"), R"("del\u{7f}")");
}

TEST(QuoteWardString, KeepsVisibleUnicodeAndEscapesInvisibleCharacters) {
  EXPECT_EQ(QuoteWardString("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80\"");
  EXPECT_EQ(QuoteWardString("a\xe2\x80\x8b" "b"), R"("a\u{200b}b")");          // zero-width space
  EXPECT_EQ(QuoteWardString("\xe2\x80\xae" "evil"), R"("\u{202e}evil")");      // bidi override
  EXPECT_EQ(QuoteWardString("tag\xf3\xa0\x81\x81"), R"("tag\u{e0041}")");      // Unicode tag A
  EXPECT_EQ(QuoteWardString("bad\xff"), R"("bad\u{fffd}")");                  // not UTF-8
}

// Whatever the source holds, Ward's own string decoder gives it back.
TEST(QuoteWardString, RoundTripsThroughTheWardStringDecoder) {
  const std::vector<std::string> samples = {
      "", "AML.T0051", "quote \" backslash \\ done", std::string("nul\0byte", 8),
      "line\nbreak\r\ttab", "ctrl \x01\x1f\x7f", "caf\xc3\xa9",
      "zw\xe2\x80\x8b\xe2\x80\x8d bidi\xe2\x80\xae\xe2\x81\xa6 bom\xef\xbb\xbf",
      "tags \xf3\xa0\x80\x81\xf3\xa0\x81\xbf", "\xc2\x85 next line, \xe2\x80\xa8 sep"};
  for (const std::string& sample : samples) {
    DiagnosticEngine diags;
    const std::string literal = QuoteWardString(sample);
    EXPECT_EQ(literal.find('\n'), std::string::npos) << literal;
    EXPECT_EQ(syntax::DecodeStringLiteral(literal, Span{}, diags), sample) << literal;
    EXPECT_FALSE(diags.has_errors()) << literal;
  }
}

TEST(WardIdentifier, AcceptsNamesAndRejectsReservedWords) {
  EXPECT_TRUE(IsWardIdentifier("atlas"));
  EXPECT_TRUE(IsWardIdentifier("_x9"));
  EXPECT_FALSE(IsWardIdentifier("9x"));
  EXPECT_FALSE(IsWardIdentifier("owasp-llm"));
  EXPECT_FALSE(IsWardIdentifier(""));
  EXPECT_FALSE(IsWardIdentifier("when"));
  EXPECT_FALSE(IsWardIdentifier("null"));
}

TEST(WardIdentifier, MakesNamesFromFrameworkIds) {
  EXPECT_EQ(ToWardIdentifier("owasp-top10-llm"), "owasp_top10_llm");
  EXPECT_EQ(ToWardIdentifier("iso-22989"), "iso_22989");
  EXPECT_EQ(ToWardIdentifier("22989"), "_22989");
  EXPECT_EQ(ToWardIdentifier("--"), "_");
  EXPECT_EQ(ToWardIdentifier("not"), "not_");
  EXPECT_TRUE(IsWardIdentifier(ToWardIdentifier("ATT&CK reference")));
}

TEST(FoldWhitespace, MakesOneLineTitles) {
  EXPECT_EQ(FoldWhitespace("  Model\n  Source\tTampering\n"), "Model Source Tampering");
  EXPECT_EQ(FoldWhitespace(""), "");
}

TEST(CommentText, HasNoLineBreaks) {
  EXPECT_EQ(CommentText("a\nb \"c\" \\d"), "a b \"c\" \\d");
  EXPECT_EQ(CommentText("x\xe2\x80\xae"), "x\\u{202e}");
}

}  // namespace
}  // namespace ward::import
