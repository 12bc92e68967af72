// Escaping helpers shared by the Markdown, CSV and HTML printers.

#include "backends/mapping/text_escape.h"

#include <gtest/gtest.h>

namespace ward::backends::mapping {
namespace {

TEST(MarkdownCell, PipesBackticksAndHtmlCannotEscapeTheCell) {
  EXPECT_EQ(MarkdownCell("a | b"), "a \\| b");
  EXPECT_EQ(MarkdownCell("`code`"), "\\`code\\`");
  EXPECT_EQ(MarkdownCell("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
  EXPECT_EQ(MarkdownCell("a & b"), "a &amp; b");
  EXPECT_EQ(MarkdownCell("*bold* [link](x) ~~s~~ back\\slash"),
            "\\*bold\\* \\[link\\](x) \\~\\~s\\~\\~ back\\\\slash");
}

TEST(MarkdownCell, LineBreaksBecomeBr) {
  EXPECT_EQ(MarkdownCell("one\ntwo\r\nthree\rfour"), "one<br>two<br>three<br>four");
}

TEST(MarkdownCell, UnderscoresInsideWordsStayReadable) {
  EXPECT_EQ(MarkdownCell("cosai.unsafe_deserialization"), "cosai.unsafe_deserialization");
  EXPECT_EQ(MarkdownCell("_emphasis_"), "\\_emphasis\\_");
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\ronly"), "\"cr\ronly\"");
}

TEST(HtmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<script>alert('x' & \"y\")</script>"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
}

TEST(TruncateUtf8, CutsOnCodePointBoundaries) {
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  EXPECT_EQ(TruncateUtf8("abcdef", 4), "abc\xE2\x80\xA6");
  // "ééé" is three two-byte code points: a cut never splits one.
  EXPECT_EQ(TruncateUtf8("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xE2\x80\xA6");
  EXPECT_EQ(TruncateUtf8("\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xC3\xA9");
}

}  // namespace
}  // namespace ward::backends::mapping
