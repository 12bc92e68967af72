// mappings/report.html: self-contained, escaped, and rendered by a real
// browser (headless chromium, skipped when it is not installed).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/mapping/mapping_testlib.h"

namespace ward::mapping_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Report() {
  auto fixture = StandardFixture();
  EmitResult result = Emit(*fixture);
  EXPECT_TRUE(result.ok);
  return result.File("mappings/report.html");
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, UserTextIsEscaped) {
  const std::string html = Report();
  EXPECT_THAT(html, HasSubstr("Prompt injection &lt;script&gt;alert(1)&lt;/script&gt; | `pipe`"));
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_EQ(Count(html, "<script"), 1u);  // the report's own filter script
  EXPECT_THAT(html, HasSubstr("Chat application, &quot;assistant&quot;\nv2"));
}

TEST(HtmlReport, LoadsNothingFromOutside) {
  const std::string html = Report();
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  const std::regex external_href("href=\"(?!#)");
  EXPECT_FALSE(std::regex_search(html, external_href)) << "every link stays inside the page";
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy\" content=\"default-src 'none'"));
}

TEST(HtmlReport, MatrixColoursTechniquesByCoverage) {
  const std::string html = Report();
  EXPECT_THAT(html, HasSubstr("<div class=\"tactic-head\">Initial Access<small>AML.TA0004</small>"));
  EXPECT_THAT(html, HasSubstr("class=\"tech sub cov-both\" href=\"#t-3\""));  // T0010.003
  EXPECT_THAT(html, HasSubstr("class=\"tech cov-none\" href=\"#t-1\""));      // T0029
  EXPECT_THAT(html, HasSubstr("<span class=\"tech cov-unmapped\" title=\"no threat maps here\">"
                              "AML.T0051 LLM Prompt Injection</span>"));
  EXPECT_THAT(html, HasSubstr("MITRE ATT&amp;CK Enterprise 16.1</h3>"));
}

TEST(HtmlReport, GraphHasANodePerEntityAndAnEdgePerLink) {
  const std::string html = Report();
  const size_t svg = html.find("<svg");
  const size_t end = html.find("</svg>");
  ASSERT_NE(svg, std::string::npos);
  const std::string graph = html.substr(svg, end - svg);
  EXPECT_EQ(Count(graph, "<rect"), 12u);   // 4 mitigations, 4 threats, 4 detections
  EXPECT_EQ(Count(graph, "<path"), 6u);    // 3 mitigates + 3 detects
  EXPECT_EQ(Count(graph, "class=\"edge-m\""), 3u);
}

TEST(HtmlReport, ThreatCardsShowTheWholeTrace) {
  const std::string html = Report();
  const size_t card = html.find("id=\"t-3\"");
  ASSERT_NE(card, std::string::npos);
  const std::string text = html.substr(card, html.find("</article>", card) - card);
  EXPECT_THAT(text, HasSubstr("data-state=\"both\""));
  EXPECT_THAT(text, HasSubstr("Load weights only from safe formats"));
  EXPECT_THAT(text, HasSubstr("<code>AML.M0011</code>"));
  EXPECT_THAT(text, HasSubstr("Pickle stream imports a shell"));
  EXPECT_THAT(text, HasSubstr("2 tests: case 1 (match), case 2 (no match)"));
  EXPECT_THAT(text, HasSubstr("Residual risk:</b> low from critical"));
  EXPECT_THAT(html, HasSubstr("<p class=\"gap\">No mitigation: gap.</p>"));
}

// Renders the report in headless chromium: a screenshot must be produced,
// the filter script must run (it fills the counter) and log no error.
TEST(HtmlReport, RendersInHeadlessChromium) {
  if (!std::filesystem::exists("/usr/bin/chromium")) {
    GTEST_SKIP() << "/usr/bin/chromium is not installed (`make test` installs it)";
  }
  TempDir dir;
  const std::string page = dir.Write("report.html", Report());
  const std::string profile = dir.path() + "/profile";
  const std::string flags =
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --user-data-dir=" + profile + " --window-size=1400,1000";
  const std::string shot = dir.path() + "/shot.png";
  std::string log;
  RunCommand("timeout 120 /usr/bin/chromium" + flags + " --enable-logging=stderr --v=0"
             " --screenshot=" + shot + " file://" + page, &log);
  ASSERT_TRUE(std::filesystem::exists(shot)) << log;
  EXPECT_GT(std::filesystem::file_size(shot), 10000u);
  std::ifstream png(shot, std::ios::binary);
  char magic[8] = {};
  png.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  EXPECT_THAT(log, Not(HasSubstr("Uncaught")));
  // The report logs nothing itself, so any console line is a script error, a
  // Content-Security-Policy violation or a failed load.
  EXPECT_THAT(log, Not(HasSubstr(":CONSOLE"))) << log;
  // Kept beside the build for a human look (CI can publish it).
  std::error_code ec;
  std::filesystem::copy_file(shot, WARD_BINARY_DIR "/mapping-report-screenshot.png",
                             std::filesystem::copy_options::overwrite_existing, ec);

  std::string dom;
  RunCommand("timeout 120 /usr/bin/chromium" + flags + " --dump-dom file://" + page +
                 " 2>/dev/null",
             &dom);
  EXPECT_THAT(dom, HasSubstr("4 of 4 threats shown"));  // the script ran
  EXPECT_THAT(dom, HasSubstr("Prompt injection &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(dom, Not(HasSubstr("<script>alert")));
}

}  // namespace
}  // namespace ward::mapping_test
