#include "compiler/driver/test_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>

#include "compiler/driver/pipeline.h"
#include "compiler/eval/sigma_eval.h"
#include "compiler/eval/text_match.h"
#include "compiler/support/diagnostic_render.h"

#ifdef WARD_HAVE_BACKEND_YARA
#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_backend.h"
#endif

namespace ward::driver {
namespace {

enum class Status { kPass, kFail, kError };

const char* StatusName(Status s) {
  switch (s) {
    case Status::kPass:
      return "pass";
    case Status::kFail:
      return "fail";
    case Status::kError:
      return "error";
  }
  return "?";
}

// One test case and its outcome.
struct CaseResult {
  const ir::Detection* detection = nullptr;
  const ir::TestCase* test = nullptr;
  Status status = Status::kPass;
  std::string message;  // one line: why it failed
  std::string details;  // several lines: the events and what matched
  nlohmann::json details_json;
  std::string file;
  Location location;
};

std::string Shorten(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out += prefix + line + "\n";
  return out;
}

// `--filter`: a glob (`*`, `?`) over `package.rule` or `package.rule:test`;
// without wildcards, a substring of either.
class TestFilter {
 public:
  explicit TestFilter(const std::string& pattern) : empty_(pattern.empty()) {
    bool wild = pattern.find_first_of("*?") != std::string::npos;
    std::string glob = wild ? pattern : "*" + pattern + "*";
    std::string escaped;
    for (char c : glob) {
      if (c == '\\') escaped += '\\';
      escaped += c;
    }
    glob_.emplace(eval::ParseWildcards(escaped), false);
  }
  bool Selects(const std::string& rule, const std::string& test) const {
    return empty_ || glob_->Match(rule) || glob_->Match(rule + ":" + test);
  }

 private:
  bool empty_;
  std::optional<eval::Glob> glob_;
};

std::string Expectation(bool match) { return match ? "match" : "no match"; }

std::string EscapeBytes(const std::string& bytes, size_t max) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

class TestRunner {
 public:
  TestRunner(const Compilation& compilation, const eval::EvalOptions& eval_options,
             const TestFilter& filter)
      : c_(compilation), eval_options_(eval_options), filter_(filter) {
    for (const auto& f : c_.program->filters) filters_.push_back(f.get());
  }

  std::vector<CaseResult> Run() {
    std::vector<CaseResult> results;
    PrepareYara();
    for (const auto& detection : c_.program->detections) {
      std::vector<const ir::TestCase*> selected;
      for (const ir::TestCase& test : detection->tests) {
        if (filter_.Selects(detection->qualified_name(), test.name)) selected.push_back(&test);
      }
      if (selected.empty()) continue;
      if (detection->As<ir::SigmaLogic>()) {
        RunSigma(*detection, selected, results);
      } else if (detection->As<ir::YaraLogic>()) {
        RunYara(*detection, selected, results);
      } else {
        for (const ir::TestCase* test : selected) {
          CaseResult r = Start(*detection, *test);
          r.status = Status::kError;
          r.message = fmt::format("ward test cannot run tests of `{}` detections",
                                  detection->detection_kind);
          results.push_back(std::move(r));
        }
      }
    }
    return results;
  }

 private:
  CaseResult Start(const ir::Detection& detection, const ir::TestCase& test) const {
    CaseResult r;
    r.detection = &detection;
    r.test = &test;
    if (const SourceFile* file = c_.sources.Get(test.span.file)) {
      r.file = file->path();
      r.location = file->Locate(test.span.begin);
    }
    return r;
  }

  void RunSigma(const ir::Detection& detection, const std::vector<const ir::TestCase*>& tests,
                std::vector<CaseResult>& results) {
    std::vector<eval::EvalError> errors;
    auto evaluator = eval::Evaluator::Compile(detection, filters_, eval_options_, errors);
    for (const ir::TestCase* test : tests) {
      CaseResult r = Start(detection, *test);
      if (!evaluator) {
        r.status = Status::kError;
        std::vector<std::string> messages;
        for (const eval::EvalError& e : errors) {
          messages.push_back(e.rule == detection.qualified_name()
                                 ? e.message
                                 : fmt::format("{}: {}", e.rule, e.message));
        }
        r.message = fmt::format("the rule cannot be evaluated: {}", fmt::join(messages, "; "));
        results.push_back(std::move(r));
        continue;
      }
      eval::Verdict verdict = evaluator->Evaluate(test->events);
      r.details_json = verdict.ToJson();
      if (verdict.matched == test->expect_match) {
        results.push_back(std::move(r));
        continue;
      }
      r.status = Status::kFail;
      r.message = fmt::format("expected {}, got {}", Expectation(test->expect_match),
                              Expectation(verdict.matched));
      r.details = SigmaDetails(*test, verdict, evaluator->is_correlation());
      results.push_back(std::move(r));
    }
  }

  // The events and why each did (not) match; for an unexpected match only
  // the events that matched.
  static std::string SigmaDetails(const ir::TestCase& test, const eval::Verdict& verdict,
                                  bool correlation) {
    std::string out;
    for (const eval::EventTrace& trace : verdict.events) {
      if (!test.expect_match && !trace.matched && !correlation) continue;
      out += fmt::format("event {}: {}\n", trace.index + 1,
                         Shorten(Dump(test.events[trace.index]), 400));
      if (trace.explanation) {
        out += fmt::format("  {}\n", trace.matched ? "matches" : "does not match");
        out += trace.explanation->ToText("  ");
      } else {
        out += fmt::format("  {}{}\n",
                           trace.rules_matched.empty()
                               ? std::string("matches no correlated rule")
                               : fmt::format("matches {}", fmt::join(trace.rules_matched, ", ")),
                           trace.matched ? "; the correlation fires" : "");
      }
    }
    if (correlation) {
      out += verdict.groups.empty() ? "no group was formed: no event matched a correlated rule\n"
                                    : "groups after the last event:\n";
      for (const std::string& g : verdict.groups) out += "  " + g + "\n";
    }
    return out;
  }

  void PrepareYara() {
#ifdef WARD_HAVE_BACKEND_YARA
    bool any = false;
    for (const auto& d : c_.program->detections) {
      if (!d->As<ir::YaraLogic>() || d->tests.empty()) continue;
      for (const ir::TestCase& t : d->tests)
        any = any || filter_.Selects(d->qualified_name(), t.name);
    }
    if (!any) return;
    DiagnosticEngine diags;
    // Private rules print as ordinary ones so that their tests can see them match.
    yara_ = backends::yara::GenerateRules(*c_.program, {"", true}, diags);
    if (!yara_) {
      yara_error_ = "the YARA backend could not generate the rules";
      for (const Diagnostic& d : diags.Sorted()) {
        if (d.severity == Severity::kError) {
          yara_error_ += ": " + d.message;
          break;
        }
      }
      return;
    }
    std::vector<std::string_view> chunks(yara_->texts.begin(), yara_->texts.end());
    auto compiled = backends::yara::CompileRules(chunks);
    if (!compiled.ok()) {
      yara_error_ = "libyara rejected the generated rules";
      for (const auto& m : compiled.messages) {
        if (m.is_error) {
          yara_error_ += fmt::format(": {} (in {})", m.text, m.rule);
          break;
        }
      }
      return;
    }
    yara_rules_ = std::move(compiled.rules);
#endif
  }

  void RunYara(const ir::Detection& detection, const std::vector<const ir::TestCase*>& tests,
               std::vector<CaseResult>& results) {
    for (const ir::TestCase* test : tests) {
      CaseResult r = Start(detection, *test);
#ifdef WARD_HAVE_BACKEND_YARA
      if (!yara_rules_) {
        r.status = Status::kError;
        r.message = yara_error_;
        results.push_back(std::move(r));
        continue;
      }
      std::string bytes;
      std::string input;
      if (test->data) {
        bytes = *test->data;
        input = fmt::format("data: \"{}\" ({} bytes)", EscapeBytes(bytes, 96), bytes.size());
      } else if (test->file) {
        std::ifstream in(*test->file, std::ios::binary);
        if (!in) {
          r.status = Status::kError;
          r.message = fmt::format("cannot read the sample file `{}`", *test->file);
          results.push_back(std::move(r));
          continue;
        }
        std::ostringstream buffer;
        buffer << in.rdbuf();
        bytes = buffer.str();
        input = fmt::format("file: {} ({} bytes)", *test->file, bytes.size());
      } else {
        r.status = Status::kError;
        r.message = "the test has no `data` or `file` to scan";
        results.push_back(std::move(r));
        continue;
      }
      auto name = yara_->rule_names.find(&detection);
      if (name == yara_->rule_names.end()) {
        r.status = Status::kError;
        r.message = "the YARA backend generated no rule for this detection";
        results.push_back(std::move(r));
        continue;
      }
      backends::yara::ScanResult scan = backends::yara::Scan(*yara_rules_, bytes);
      if (!scan.ok) {
        r.status = Status::kError;
        r.message = "libyara failed to scan: " + scan.error;
        results.push_back(std::move(r));
        continue;
      }
      bool hit =
          std::find(scan.matched.begin(), scan.matched.end(), name->second) != scan.matched.end();
      r.details_json = {{"rule", name->second}, {"matched", hit}, {"rules_matched", scan.matched}};
      if (hit != test->expect_match) {
        r.status = Status::kFail;
        r.message =
            fmt::format("expected {}, got {}", Expectation(test->expect_match), Expectation(hit));
        r.details = fmt::format("{}\nYARA rule {}: {}\n", input, name->second,
                                hit ? "matches" : "does not match");
        r.details +=
            scan.matched.empty()
                ? std::string("no rule of the ruleset matches these bytes\n")
                : fmt::format("rules that match these bytes: {}\n", fmt::join(scan.matched, ", "));
      }
#else
      r.status = Status::kError;
      r.message = "this build of ward has no YARA backend";
#endif
      results.push_back(std::move(r));
    }
  }

  const Compilation& c_;
  const eval::EvalOptions& eval_options_;
  const TestFilter& filter_;
  std::vector<const ir::Filter*> filters_;
#ifdef WARD_HAVE_BACKEND_YARA
  std::optional<backends::yara::GeneratedRules> yara_;
  std::unique_ptr<backends::yara::CompiledRules> yara_rules_;
  std::string yara_error_;
#endif
};

struct Counts {
  size_t passed = 0, failed = 0, errors = 0;
  size_t total() const { return passed + failed + errors; }
};

Counts Count(const std::vector<CaseResult>& results) {
  Counts c;
  for (const CaseResult& r : results) {
    (r.status == Status::kPass ? c.passed : r.status == Status::kFail ? c.failed : c.errors)++;
  }
  return c;
}

std::string SummaryLine(const Counts& c) {
  std::string line = fmt::format("{} passed, {} failed", c.passed, c.failed);
  if (c.errors) line += fmt::format(", {} could not run", c.errors);
  return line;
}

std::string Where(const CaseResult& r) {
  return fmt::format("{}:{}:{}", r.file, r.location.line, r.location.column);
}

void PrintText(const std::vector<CaseResult>& results, const TestCommandOptions& options,
               std::ostream& out) {
  for (const CaseResult& r : results) {
    if (r.status == Status::kPass) {
      if (options.verbose) {
        out << fmt::format("PASS {}: test \"{}\"\n", r.detection->qualified_name(), r.test->name);
      }
      continue;
    }
    out << fmt::format("{} {}: test \"{}\" ({})\n", r.status == Status::kFail ? "FAIL" : "ERROR",
                       r.detection->qualified_name(), r.test->name, Where(r));
    out << "  " << r.message << "\n";
    out << Indent(r.details, "  ");
  }
  out << fmt::format("ward test: {}\n", SummaryLine(Count(results)));
}

nlohmann::json ResultsJson(const std::vector<CaseResult>& results) {
  nlohmann::json tests = nlohmann::json::array();
  for (const CaseResult& r : results) {
    nlohmann::json t = {{"rule", r.detection->qualified_name()},
                        {"kind", r.detection->detection_kind},
                        {"test", r.test->name},
                        {"file", r.file},
                        {"line", r.location.line},
                        {"column", r.location.column},
                        {"expect", r.test->expect_match ? "match" : "no_match"},
                        {"status", StatusName(r.status)}};
    if (!r.message.empty()) t["message"] = r.message;
    if (!r.details.empty()) t["details"] = r.details;
    if (!r.details_json.is_null()) t["verdict"] = r.details_json;
    tests.push_back(std::move(t));
  }
  Counts c = Count(results);
  return {
      {"summary",
       {{"passed", c.passed}, {"failed", c.failed}, {"errors", c.errors}, {"total", c.total()}}},
      {"tests", tests}};
}

// XML 1.0 text: the five entities, and characters XML cannot carry at all
// (control characters other than tab and newline) as U+FFFD.
std::string Xml(const std::string& text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += ch;
        }
    }
  }
  return out;
}

std::string JunitXml(const std::vector<CaseResult>& results, const std::string& compile_errors) {
  std::map<std::string, std::vector<const CaseResult*>> suites;
  for (const CaseResult& r : results) suites[r.detection->package].push_back(&r);
  Counts all = Count(results);
  size_t extra_error = compile_errors.empty() ? 0 : 1;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"ward test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                     all.total() + extra_error, all.failed, all.errors + extra_error);
  if (!compile_errors.empty()) {
    out += "  <testsuite name=\"ruleset\" tests=\"1\" failures=\"0\" errors=\"1\">\n";
    out += "    <testcase classname=\"ruleset\" name=\"compile\">\n";
    out += fmt::format(
        "      <error message=\"the ruleset has errors; no test ran\" "
        "type=\"CompileError\">{}</error>\n",
        Xml(compile_errors));
    out += "    </testcase>\n  </testsuite>\n";
  }
  for (const auto& [package, cases] : suites) {
    Counts c;
    for (const CaseResult* r : cases) {
      (r->status == Status::kPass ? c.passed : r->status == Status::kFail ? c.failed : c.errors)++;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                       Xml(package), c.total(), c.failed, c.errors);
    for (const CaseResult* r : cases) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
                         Xml(r->detection->qualified_name()), Xml(r->test->name), Xml(r->file),
                         r->location.line);
      if (r->status == Status::kPass) {
        out += "/>\n";
        continue;
      }
      const char* element = r->status == Status::kFail ? "failure" : "error";
      out +=
          fmt::format(">\n      <{} message=\"{}\" type=\"{}\">{}</{}>\n    </testcase>\n", element,
                      Xml(r->message), r->status == Status::kFail ? "TestFailure" : "TestError",
                      Xml(fmt::format("{}\n{}\n{}", Where(*r), r->message, r->details)), element);
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

bool WriteFile(const std::string& path, const std::string& text, std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << fmt::format("error: cannot write the JUnit report to `{}`\n", path);
    return false;
  }
  return true;
}

}  // namespace

CLI::App* AddTestCommand(CLI::App& app, TestCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand("test", "Run the test cases written next to the detections");
  cmd->add_option("paths", options.paths, "Ruleset directories or .ward files")->required();
  cmd->add_option("--filter", options.filter,
                  "Run only tests whose `package.rule` or `package.rule:test name` matches this "
                  "glob (a plain word matches as a substring)");
  cmd->add_option("--junit", options.junit, "Also write the results as JUnit XML to FILE");
  cmd->add_option("--format", options.format, "Results on stdout: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--color", options.color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--placeholder", options.placeholders,
                  "Values for an `expand` placeholder: NAME=VALUE[,VALUE...] (repeatable)");
  cmd->add_flag("-q,--quiet", options.quiet, "Print only failures and the summary");
  cmd->add_flag("-v,--verbose", options.verbose, "Also list the tests that pass");
  cmd->add_option("-j,--jobs", options.jobs, "Parse with N threads (default: every core)");
  return cmd;
}

int RunTestCommand(const TestCommandOptions& options, const CliStreams& streams) {
  eval::EvalOptions eval_options;
  for (const std::string& entry : options.placeholders) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) {
      streams.err << fmt::format(
          "error: `--placeholder {}` is not NAME=VALUE[,VALUE...], e.g. "
          "`--placeholder Administrators=admin,root`\n",
          entry);
      return kExitUsage;
    }
    std::string name = entry.substr(0, eq);
    if (name.size() >= 2 && name.front() == '%' && name.back() == '%') {
      name = name.substr(1, name.size() - 2);
    }
    std::vector<std::string>& values = eval_options.placeholders[name];
    std::string rest = entry.substr(eq + 1);
    for (size_t start = 0;;) {
      size_t comma = rest.find(',', start);
      values.push_back(rest.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }

  CompileOptions compile;
  compile.paths = options.paths;
  compile.jobs = options.jobs;
  // Coverage is `ward check`'s business; here only the tests matter.
  compile.sema.coverage_warnings = false;
  compile.sema.untested_warnings = false;
  DiagnosticEngine diags;
  auto compilation = Compile(compile, diags);

  TextOptions text_options;
  text_options.color =
      options.color == "always" ||
      (options.color == "auto" && streams.err_is_terminal && !std::getenv("NO_COLOR"));
  if (!compilation || !compilation->program || diags.has_errors()) {
    SourceManager none;
    const SourceManager& sources = compilation ? compilation->sources : none;
    std::vector<Diagnostic> sorted = diags.Sorted();
    TextOptions plain;
    std::string rendered = RenderText(sorted, sources, plain);
    if (!options.junit.empty() && !WriteFile(options.junit, JunitXml({}, rendered), streams.err)) {
      return kExitUsage;
    }
    if (options.format == "json") {
      nlohmann::json doc = ResultsJson({});
      doc["diagnostics"] = RenderJson(sorted, sources);
      streams.out << doc.dump(2) << "\n";
    } else {
      streams.err << RenderText(sorted, sources, text_options);
      streams.err << RenderSummary(diags.error_count(), diags.warning_count(), text_options.color)
                  << "\n";
      streams.err << "ward test: the ruleset has errors; no test ran\n";
    }
    return compilation ? kExitInputErrors : kExitUsage;
  }
  if (options.format == "text" && !options.quiet && diags.warning_count() > 0) {
    streams.err << RenderText(diags.Sorted(), compilation->sources, text_options);
  }

  TestFilter filter(options.filter);
  TestRunner runner(*compilation, eval_options, filter);
  std::vector<CaseResult> results = runner.Run();
  Counts counts = Count(results);

  if (!options.junit.empty() && !WriteFile(options.junit, JunitXml(results, ""), streams.err)) {
    return kExitUsage;
  }
  if (options.format == "json") {
    nlohmann::json doc = ResultsJson(results);
    doc["diagnostics"] = RenderJson(diags.Sorted(), compilation->sources);
    streams.out << doc.dump(2) << "\n";
  } else {
    PrintText(results, options, streams.out);
  }
  if (counts.total() == 0 && !options.filter.empty()) {
    streams.err << fmt::format("error: no test matches `--filter {}`\n", options.filter);
    return kExitInputErrors;
  }
  return counts.failed + counts.errors > 0 ? kExitInputErrors : kExitOk;
}

}  // namespace ward::driver
