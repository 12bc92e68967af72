// Analysis from outlines (compiler/driver/streaming_parse.h) must give
// exactly what parsing every file first gives: the same IR and the same
// diagnostics in the same order (the order decides what --max-errors cuts),
// on every ruleset we have, whether it takes the outline path or falls back.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "compiler/ir/ir_json.h"
#include "tests/testing/ward_cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

struct Result {
  bool from_outlines = false;
  std::string ir;
  std::vector<std::string> diagnostics;  // as reported, not sorted
  std::vector<std::string> summaries;
};

Result CompileOnce(const std::vector<std::string>& paths, bool from_outlines, unsigned jobs,
                   size_t max_errors = 1000) {
  CompileOptions options;
  options.paths = paths;
  options.jobs = jobs;
  options.from_outlines = from_outlines;
  DiagnosticEngine::Options engine;
  engine.max_errors = max_errors;
  DiagnosticEngine diags(engine);
  auto compilation = Compile(options, diags);
  Result out;
  if (compilation) {
    out.from_outlines = compilation->from_outlines;
    if (compilation->program) {
      out.ir = ir::ToJson(*compilation->program, compilation->sources)
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    for (const FileSummary& s : compilation->summaries) {
      std::string line = std::to_string(s.file) + " " + s.package;
      for (const std::string& import : s.imports) line += " " + import;
      out.summaries.push_back(line);
    }
  }
  for (const Diagnostic& d : diags.diagnostics()) {
    out.diagnostics.push_back(std::string(Info(d.code).id) + " " +
                              std::to_string(d.primary.span.file) + ":" +
                              std::to_string(d.primary.span.begin) + " " + d.message);
  }
  return out;
}

// Compiles `paths` both ways; returns whether the outline path was taken.
bool ExpectSameBothWays(const std::vector<std::string>& paths, size_t max_errors = 1000) {
  Result reference = CompileOnce(paths, /*from_outlines=*/false, 1, max_errors);
  EXPECT_FALSE(reference.from_outlines);
  bool taken = false;
  for (unsigned jobs : {1u, 3u}) {
    Result streamed = CompileOnce(paths, /*from_outlines=*/true, jobs, max_errors);
    EXPECT_EQ(streamed.ir, reference.ir) << paths.front() << " jobs " << jobs;
    EXPECT_EQ(streamed.diagnostics, reference.diagnostics) << paths.front() << " jobs " << jobs;
    EXPECT_EQ(streamed.summaries, reference.summaries) << paths.front() << " jobs " << jobs;
    taken = streamed.from_outlines;
  }
  return taken;
}

TEST(StreamingParseTest, BundledRulesetsTakeTheOutlinePathWithTheSameResult) {
  EXPECT_TRUE(ExpectSameBothWays({(fs::path(WARD_SOURCE_DIR) / "rulesets").string()}));
}

TEST(StreamingParseTest, EveryGoldenCaseGivesTheSameResultEitherWay) {
  size_t cases = 0, taken = 0;
  fs::path golden = fs::path(WARD_SOURCE_DIR) / "tests" / "golden";
  for (const auto& area : fs::directory_iterator(golden)) {
    if (!area.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(area.path())) {
      const fs::path& p = entry.path();
      bool input = (entry.is_regular_file() && p.extension() == ".ward") ||
                   (entry.is_directory() && p.extension() != ".expected");
      if (!input) continue;
      ++cases;
      if (ExpectSameBothWays({p.string()})) ++taken;
    }
  }
  EXPECT_GT(cases, 40u);
  // Most golden cases are clean at the top level; the ones with syntax
  // errors fall back, and must still agree.
  EXPECT_GT(taken, cases / 3) << taken << " of " << cases;
}

class StreamingParseDirTest : public test_support::ScratchDirTest {};

// More files than the parse window, a catalog in the file that sorts last
// (catalogs are lowered first), and references across packages.
TEST_F(StreamingParseDirTest, ManyFilesWithALateCatalog) {
  Write("r/ward.yaml", "name: many\n");
  Write("r/zz/catalog.ward", R"(package zz
catalog owasp "OWASP" {
  framework: owasp_llm_top10  version: "2025"
  entry "LLM01" "Prompt injection" { kind: risk }
}
)");
  for (int i = 0; i < 60; ++i) {
    std::string n = std::to_string(i);
    Write("r/p" + n + "/f.ward", "package p" + n + "\nimport zz.owasp\n" +
                                     (i > 0 ? "import p0\n" : "") + "threat t" + n + " \"Threat " +
                                     n + "\" { severity: high  maps: owasp.\"LLM01\"" +
                                     (i > 0 ? "  refines: p0.t0" : "") + " }\n");
  }
  EXPECT_TRUE(ExpectSameBothWays({(dir_ / "r").string()}));
  Result clean = CompileOnce({(dir_ / "r").string()}, true, 2);
  for (const std::string& d : clean.diagnostics) EXPECT_EQ(d.rfind("E", 0), std::string::npos) << d;
}

// A file whose body does not parse: the outline reads fine, the parse does
// not match it, and the build falls back, reporting exactly as before,
// including where --max-errors stops.
TEST_F(StreamingParseDirTest, ASyntaxErrorLateInTheRulesetFallsBack) {
  Write("r/ward.yaml", "name: broken\n");
  for (int i = 0; i < 12; ++i) {
    std::string n = std::to_string(i);
    Write("r/a" + (i < 10 ? "0" + n : n) + ".ward",
          "package p\nthreat t" + n + " \"T\" { severity: hgh }\n");
  }
  Write("r/z.ward", "package p\nthreat broken \"T\" { severity: : high }\n");
  EXPECT_FALSE(ExpectSameBothWays({(dir_ / "r").string()}));
  EXPECT_FALSE(ExpectSameBothWays({(dir_ / "r").string()}, /*max_errors=*/3));
}

}  // namespace
}  // namespace ward::driver
