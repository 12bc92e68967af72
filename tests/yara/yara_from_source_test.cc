// Ward source -> frontend -> YARA backend -> libyara. The other tests build
// IR by hand; these check that the backend reads the IR the frontend really
// produces, and run the test cases written next to the shipped detections.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_backend.h"
#include "compiler/sema/analyzer.h"
#include "compiler/syntax/parser.h"
#include "tests/yara/yara_testlib.h"

namespace ward::yara_test {
namespace {

using backends::yara::CompileRules;
using backends::yara::ScanBytes;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Describe(const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const Diagnostic& d : diags) {
    out += std::string(Info(d.code).id) + " " + d.message + "\n";
    for (const std::string& note : d.notes) out += "  note: " + note + "\n";
  }
  return out;
}

// Parses and analyses `files` (path -> text) the way the driver does.
struct Frontend {
  SourceManager sources;
  DiagnosticEngine diags;
  std::vector<ast::File> asts;
  std::unique_ptr<ir::Program> program;

  using Files = std::vector<std::pair<std::string, std::string>>;
  // A brace list of (path, text) pairs; without this overload `{{"a", "b"}}`
  // is ambiguous with vector's iterator-pair constructor.
  Frontend(std::initializer_list<std::pair<std::string, std::string>> files)
      : Frontend(Files(files)) {}
  explicit Frontend(const Files& files) {
    asts.reserve(files.size());
    std::vector<sema::ParsedFile> parsed;
    for (const auto& [path, text] : files) {
      const FileId id = sources.Add(path, text);
      const size_t before = diags.error_count();
      std::optional<ast::File> file = syntax::ParseFile(*sources.Get(id), diags);
      if (!file) continue;
      asts.push_back(std::move(*file));
      parsed.push_back({&asts.back(), diags.error_count() != before});
    }
    ir::Manifest manifest;
    manifest.author = "Ward contributors";
    sema::SemaOptions options;
    options.coverage_warnings = false;
    options.untested_warnings = false;
    program = sema::Analyze(parsed, manifest, sources, diags, options);
  }

  EmitResult Emit() {
    DiagnosticEngine emit_diags;
    backends::BackendContext ctx{*program, sources, emit_diags, {}, "2025-01-02"};
    EmitResult result;
    result.ok = backends::yara::MakeYaraBackend()->Emit(ctx, result.out);
    result.diags = emit_diags.Sorted();
    result.errors = emit_diags.error_count();
    return result;
  }
};

TEST(YaraFromSourceTest, FrontendConventionsPrintAsYara) {
  Frontend f({{"demo.ward", R"ward(package acme.demo

detection yara base "Small pickle" {
  level: low
  private: true
  condition: uint8(0) == 0x80 and filesize < 10MB
}

detection yara base_two "Another base" {
  level: low
  condition: uint16be(0) == 0x8004
}

detection yara user "Uses the others" {
  level: high
  tags: "supply-chain"
  strings {
    $a = "os.system" wide ascii
    $b = { 8C ?? ( 6F 73 | 70 6F 73 69 78 )  // module
           [0-1] 93 }
  }
  condition: any of (base*) and for any of ($a, $b) : ( # >= 1 and @[1] < 100 )
             and not defined math.entropy(0, 0) == 1.5
}
)ward"}});
  ASSERT_FALSE(f.diags.has_errors()) << Describe(f.diags.Sorted());
  EmitResult r = f.Emit();
  ASSERT_TRUE(r.ok) << Describe(r.diags);
  const std::string text = r.File("yara/acme.demo.yar");
  EXPECT_THAT(text, HasSubstr("import \"math\"\n"));
  EXPECT_THAT(text, HasSubstr("private rule acme_demo__base {"));
  EXPECT_THAT(text, HasSubstr("    uint8(0) == 128 and filesize < 10485760\n"));
  EXPECT_THAT(text, HasSubstr("    uint16be(0) == 32772\n"));
  EXPECT_THAT(text, HasSubstr("rule acme_demo__user : supply_chain {"));
  EXPECT_THAT(text, HasSubstr("    $a = \"os.system\" wide ascii\n"));
  EXPECT_THAT(text, HasSubstr("    $b = { 8C ?? ( 6F 73 | 70 6F 73 69 78 ) [0-1] 93 }\n"));
  EXPECT_THAT(text, HasSubstr("any of (acme_demo__base, acme_demo__base_two)"));
  EXPECT_THAT(text, HasSubstr("for any of ($a, $b) : (# >= 1 and @[1] < 100)"));
  EXPECT_THAT(text, HasSubstr("not defined math.entropy(0, 0) == 1.5"));
}

// Constructs that libyara 4.2.3 refuses although they look well-formed:
// limits of its regex and hex compilers (verified with yarac 4.2.3).
struct Refused {
  const char* value;   // the Ward string value
  const char* reason;  // libyara's message, in part
};
const Refused kRefused[] = {
    {"/xa?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?"
     "a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?"
     "a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?"
     "a?a?a?a?y/",
     "too complex"},
    {"{ 01 02 03 04 ( 05 | 06 [0-300] 07 ) }", "jumps over 200"},
};

TEST(YaraFromSourceTest, LibyaraErrorPointsIntoTheWardFile) {
  size_t reached_libyara = 0;
  for (const Refused& refused : kRefused) {
    const std::string value = refused.value;
    Frontend f({{"bad.ward", "package acme.bad\n\n"
                             "detection yara refused \"Refused by libyara\" {\n"
                             "  level: low\n"
                             "  strings {\n"
                             "    $s = " + value + "\n"
                             "  }\n"
                             "  condition: $s\n"
                             "}\n"}});
    if (f.diags.has_errors()) continue;  // the frontend found it first: better still
    ++reached_libyara;
    EmitResult r = f.Emit();
    EXPECT_FALSE(r.ok) << value;
    EXPECT_TRUE(r.out.files().empty());
    ASSERT_GE(r.diags.size(), 1u) << value;
    const Diagnostic& d = r.diags[0];
    EXPECT_EQ(d.code, DiagCode::kYaraCompileError);
    ASSERT_TRUE(d.primary.span.valid());
    // The span is the string definition in bad.ward, and libyara's words
    // are in the first note.
    EXPECT_THAT(std::string(f.sources.Text(d.primary.span)), HasSubstr(value.substr(0, 10)));
    ASSERT_FALSE(d.notes.empty());
    EXPECT_THAT(d.notes[0], HasSubstr(refused.reason));
  }
  if (reached_libyara == 0) GTEST_SKIP() << "the frontend now refuses every candidate";
}

// Every YARA detection in rulesets/ passes its own test cases when its
// generated rule is run by libyara, and the output compiles.
TEST(YaraFromSourceTest, ShippedRulesetPassesItsTests) {
  const std::filesystem::path root = std::filesystem::path(WARD_SOURCE_DIR) / "rulesets";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no rulesets/ directory";
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".ward") {
      files.emplace_back(entry.path().string(), ReadFile(entry.path().string()));
    }
  }
  std::sort(files.begin(), files.end());
  Frontend f(files);
  ASSERT_FALSE(f.diags.has_errors()) << Describe(f.diags.Sorted());

  EmitResult r = f.Emit();
  ASSERT_TRUE(r.ok) << Describe(r.diags);

  DiagnosticEngine diags;
  auto generated = backends::yara::GenerateRules(*f.program, {"2025-01-02", true}, diags);
  ASSERT_TRUE(generated.has_value());
  std::vector<std::string_view> chunks(generated->texts.begin(), generated->texts.end());
  auto compiled = CompileRules(chunks);
  ASSERT_TRUE(compiled.ok()) << compiled.messages[0].text;

  size_t cases = 0;
  for (const auto& detection : f.program->detections) {
    if (detection->As<ir::YaraLogic>() == nullptr) continue;
    const std::string& name = generated->rule_names.at(detection.get());
    for (const ir::TestCase& test : detection->tests) {
      std::string bytes;
      if (test.data) {
        bytes = *test.data;
      } else if (test.file) {
        bytes = ReadFile(*test.file);
      } else {
        continue;
      }
      ++cases;
      const auto matched = ScanBytes(*compiled.rules, bytes);
      const bool hit = std::find(matched.begin(), matched.end(), name) != matched.end();
      EXPECT_EQ(hit, test.expect_match)
          << detection->qualified_name() << ", test \"" << test.name << "\"";
    }
  }
  EXPECT_GT(cases, 0u);
}

}  // namespace
}  // namespace ward::yara_test
