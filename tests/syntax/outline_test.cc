// The outline scan (compiler/syntax/outline.h) reads a file's package,
// imports and declaration heads from the tokens alone. Analysis trusts an
// outline only once the file's real AST matched it, but a scan that declined
// clean files, or read them wrong, would send every build down the slow path
// that parses everything first: these tests pin what it reads.

#include "compiler/syntax/outline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "tests/syntax/parse_helpers.h"

namespace ward::syntax {
namespace {

namespace fs = std::filesystem;
using testing::Parse;

// The outline of `text`, parsed alongside; SameOutline checked by callers.
struct Scanned {
  std::unique_ptr<testing::Parsed> parsed;
  std::optional<ast::File> outline;
};

Scanned Scan(std::string text) {
  Scanned out;
  out.parsed = Parse(text);
  out.outline = ScanOutline(out.parsed->source());
  return out;
}

TEST(OutlineTest, ReadsPackageImportsAndEveryDeclarationHead) {
  Scanned s = Scan(R"(package acme.rules
import acme.assets
import acme.catalogs.* // every catalog
import cosai.riskmap as risk

catalog owasp "OWASP LLM Top 10" { version: "2025"  entry "LLM01" "Prompt injection" }
threat t "Prompt injection: \"ignore\" {braces} in a title" { severity: high }
detection sigma d "Phrase" {
  logsource { product: gen_ai }
  let p = gen_ai.prompt contains "{"   // a brace in a string
  when: p
}
/* threat hidden "in a comment" { } */
mitigation filter { type: preventive }
)");
  ASSERT_TRUE(s.outline.has_value());
  ASSERT_TRUE(s.parsed->diags.diagnostics().empty());
  EXPECT_TRUE(SameOutline(*s.outline, *s.parsed->file));
  const ast::File& o = *s.outline;
  EXPECT_EQ(o.package.str(), "acme.rules");
  ASSERT_EQ(o.imports.size(), 3u);
  EXPECT_FALSE(o.imports[0].wildcard);
  EXPECT_TRUE(o.imports[1].wildcard);
  EXPECT_EQ(o.imports[1].path.str(), "acme.catalogs");
  ASSERT_TRUE(o.imports[2].alias.has_value());
  EXPECT_EQ(o.imports[2].alias->text, "risk");
  ASSERT_EQ(o.decls.size(), 4u);
  EXPECT_EQ(o.decls[0].kind, ast::Decl::Kind::kCatalog);
  EXPECT_TRUE(DeclaresCatalog(o));
  EXPECT_EQ(o.decls[1].title.value_or(""), "Prompt injection: \"ignore\" {braces} in a title");
  ASSERT_TRUE(o.decls[2].detection_kind.has_value());
  EXPECT_EQ(o.decls[2].detection_kind->text, "sigma");
  EXPECT_EQ(o.decls[2].name.text, "d");
  // A soft keyword is a name like any other.
  EXPECT_EQ(o.decls[3].name.text, "filter");
  EXPECT_EQ(s.parsed->Text(o.decls[3].span), "mitigation filter { type: preventive }");
}

TEST(OutlineTest, SpansSurviveAByteOrderMarkAndMultiByteText) {
  Scanned s = Scan(
      "\xEF\xBB\xBFpackage p\nthreat t \"Ünïcode — title\" { description: \"é\" }\n"
      "threat u \"T\" { }\n");
  ASSERT_TRUE(s.outline.has_value());
  EXPECT_TRUE(SameOutline(*s.outline, *s.parsed->file));
  EXPECT_EQ(s.parsed->Where(s.outline->decls[1].name.span), "3:8");
}

TEST(OutlineTest, DeclinesWhatIsNotPlainlyWellFormed) {
  for (const char* text : {
           "threat t \"no package\" { }\n",
           "package p\nthreat t \"T\" { severity: high\n",  // body never closed
           "package p\nthreat \"no name\" { }\n",
           "package p\nthreat t \"T\"\n",  // no body
           "package p\nthreat t \"bad \\q escape\" { }\n",
           "package p\nimport a.b.\nthreat t { }\n",
           "package p\nlet x = 1\n",  // not a declaration
           "package p\nthreat t { } }\n",
       }) {
    Scanned s = Scan(text);
    EXPECT_FALSE(s.outline.has_value()) << text;
  }
  // Refused before lexing by the parser: left for it to report.
  std::string with_nul = std::string("package p\nthreat t { description: \"a") + '\0' + "\" }\n";
  EXPECT_FALSE(Scan(with_nul).outline.has_value());
  EXPECT_FALSE(Scan("package p\nthreat t \"\xC3\x28\" { }\n").outline.has_value());
}

TEST(OutlineTest, AFileThatParsesWithErrorsNeverMatchesItsOutline) {
  // The top level reads fine; the body does not parse.
  Scanned s = Scan("package p\nthreat t \"T\" { severity: : high }\nthreat u { }\n");
  ASSERT_TRUE(s.outline.has_value());
  ASSERT_TRUE(s.parsed->file.has_value());
  EXPECT_FALSE(SameOutline(*s.outline, *s.parsed->file));
}

// Every file of the project that parses cleanly has an outline, and it is
// the parser's: otherwise builds of it would parse everything first.
TEST(OutlineTest, EveryCleanWardFileOfTheProjectHasItsParsersOutline) {
  size_t files = 0;
  for (const char* root : {"rulesets", "tests", "docs", "bench"}) {
    fs::path dir = fs::path(WARD_SOURCE_DIR) / root;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".ward") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      Scanned s = Scan(text.str());
      bool clean = s.parsed->file && s.parsed->diags.diagnostics().empty();
      if (!clean) continue;
      ++files;
      ASSERT_TRUE(s.outline.has_value()) << entry.path();
      EXPECT_TRUE(SameOutline(*s.outline, *s.parsed->file)) << entry.path();
    }
  }
  EXPECT_GT(files, 50u);
}

// Randomly edited files: the scan never crashes or hangs, and every edit
// that still parses cleanly still has the parser's outline.
TEST(OutlineTest, RandomlyEditedFilesThatStillParseCleanlyKeepTheirOutline) {
  const std::string base = R"(package bench.p
import bench.catalogs
threat t0 "Synthetic { threat" { severity: high  description: """ a { b """ }
detection yara d0 "Y" { detects: t0  strings { $a = "x{" $h = { 4D 5A } }  condition: $a or $h }
detection sigma d1 "S" { detects: t0 logsource { product: gen_ai } let p = gen_ai.prompt contains "}" when: p }
)";
  const std::string alphabet = "{}\"/* \n.package threat detection import as";
  std::mt19937 rng(20261202);
  int clean = 0;
  for (int round = 0; round < 400; ++round) {
    std::string text = base;
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % (text.size() + 1);
      if (rng() % 2 == 0 && at < text.size()) {
        text.erase(at, 1 + rng() % 4);
      } else {
        text.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    Scanned s = Scan(text);
    if (!s.parsed->file || !s.parsed->diags.diagnostics().empty()) continue;
    ++clean;
    ASSERT_TRUE(s.outline.has_value()) << text;
    EXPECT_TRUE(SameOutline(*s.outline, *s.parsed->file)) << text;
  }
  EXPECT_GT(clean, 20);
}

}  // namespace
}  // namespace ward::syntax
