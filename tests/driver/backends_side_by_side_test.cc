// The rule backends (sigma, yara) run side by side when --jobs allows
// (compiler/driver/pipeline.h). The promise is the one-thread result exactly:
// the same files, rule texts, diagnostics in the same order (code, severity,
// message, span, notes, help) and the same verdict, over rulesets/ and every
// golden input that gets to the backends, with --deny-warnings, a small
// --max-errors and both Sigma profiles.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "compiler/driver/pipeline.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

struct Run {
  bool compiled = false;
  bool ok = false;
  std::map<std::string, std::string> files;
  std::vector<std::string> rules;
  std::vector<std::string> diagnostics;
};

std::string Describe(const Diagnostic& d) {
  std::ostringstream out;
  out << Info(d.code).id << " " << SeverityName(d.severity) << " " << d.primary.span.file << ":"
      << d.primary.span.begin << "-" << d.primary.span.end << " " << d.message << " ["
      << d.primary.message << "]";
  for (const Label& label : d.secondary) out << " +" << label.span.begin << " " << label.message;
  for (const std::string& note : d.notes) out << " note: " << note;
  if (d.help) out << " help: " << *d.help;
  return out.str();
}

Run Build(const fs::path& input, unsigned jobs, const std::vector<std::string>& backends,
          const std::map<std::string, std::string>& backend_options,
          DiagnosticEngine::Options engine_options) {
  Run run;
  DiagnosticEngine diags(engine_options);
  CompileOptions options;
  options.paths = {input.string()};
  options.jobs = jobs;
  std::unique_ptr<Compilation> compilation = Compile(options, diags);
  if (!compilation || !compilation->program || diags.has_errors()) return run;
  run.compiled = true;
  backends::OutputSet out;
  run.ok = RunBackendsAt(*compilation, backends, backend_options, "2026-01-15", diags, out);
  run.files = out.files();
  for (const backends::EmittedRule& rule : out.rules()) {
    run.rules.push_back(rule.id + " " + rule.kind + " " + rule.path + "\n" +
                        std::string(out.TextOf(rule)));
  }
  for (const Diagnostic& d : diags.diagnostics()) run.diagnostics.push_back(Describe(d));
  return run;
}

// Golden inputs (files and directories) and rulesets/.
std::vector<fs::path> Inputs() {
  std::vector<fs::path> inputs = {"rulesets"};
  for (const char* area : {"sigma", "yara", "mapping", "diagnostics"}) {
    fs::path dir = fs::path("tests/golden") / area;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const fs::path& path = entry.path();
      if (path.extension() == ".ward" ||
          (entry.is_directory() && path.extension() != ".expected")) {
        inputs.push_back(path);
      }
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

size_t CompareOneAndTwoThreads(const std::vector<std::string>& backends,
                               const std::map<std::string, std::string>& backend_options,
                               DiagnosticEngine::Options engine_options, size_t* with_diags) {
  size_t compared = 0;
  for (const fs::path& input : Inputs()) {
    Run one = Build(input, 1, backends, backend_options, engine_options);
    Run two = Build(input, 2, backends, backend_options, engine_options);
    EXPECT_EQ(one.compiled, two.compiled) << input;
    if (!one.compiled || !two.compiled) continue;
    ++compared;
    bool backend_diags = one.diagnostics.size() != 0;
    if (backend_diags) ++*with_diags;
    EXPECT_EQ(one.ok, two.ok) << input;
    EXPECT_EQ(one.diagnostics, two.diagnostics) << input;
    EXPECT_EQ(one.rules, two.rules) << input;
    EXPECT_EQ(one.files, two.files) << input;
  }
  return compared;
}

TEST(BackendsSideBySideTest, SameResultAsOneThread) {
  ASSERT_TRUE(fs::exists("rulesets/ward.yaml")) << "run from the repository root";
  size_t with_diags = 0;
  size_t compared =
      CompareOneAndTwoThreads({"sigma", "yara", "mapping"}, {}, DiagnosticEngine::Options{},
                              &with_diags);
  // Enough inputs got to the backends, some of them with diagnostics (W0613,
  // E0612, Sigma conventions), for the comparison to mean something.
  EXPECT_GE(compared, 20u);
  EXPECT_GE(with_diags, 2u);
}

TEST(BackendsSideBySideTest, SameResultWithSigmaHqProfileAndDeniedWarnings) {
  DiagnosticEngine::Options engine;
  engine.deny_warnings = true;
  size_t with_diags = 0;
  CompareOneAndTwoThreads({"sigma", "yara"}, {{"sigma-profile", "sigmahq"}}, engine, &with_diags);
  EXPECT_GE(with_diags, 1u);
}

TEST(BackendsSideBySideTest, SameResultWithFewErrorsAllowed) {
  DiagnosticEngine::Options engine;
  engine.max_errors = 1;
  engine.deny_warnings = true;
  size_t with_diags = 0;
  CompareOneAndTwoThreads({"sigma", "yara"}, {{"sigma-profile", "sigmahq"}}, engine, &with_diags);
}

}  // namespace
}  // namespace ward::driver
