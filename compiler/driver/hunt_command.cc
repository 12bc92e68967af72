#include "compiler/driver/hunt_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <thread>

#include "compiler/driver/batch_pool.h"
#include "compiler/driver/event_reader.h"
#include "compiler/driver/hunt_router.h"
#include "compiler/driver/pipeline.h"
#include "compiler/eval/rule_logic.h"
#include "compiler/eval/sigma_eval.h"
#include "compiler/support/diagnostic_render.h"

namespace ward::driver {

CLI::App* AddHuntCommand(CLI::App& app, HuntCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "hunt", "Run the ruleset's Sigma detections over a stream of JSON Lines events");
  cmd->add_option("ruleset", options.ruleset, "The ruleset directory or .ward file")->required();
  cmd->add_option("-e,--events", options.events,
                  "JSON Lines events, plain or gzip-compressed; - reads stdin")
      ->required();
  cmd->add_option("-o,--output", options.output, "Write the matches to FILE instead of stdout");
  cmd->add_option("-t,--threads", options.threads, "Evaluate with N threads (default: every core)");
  cmd->add_flag("-v,--verbose", options.verbose, "Always print the summary line");
  cmd->add_flag("--no-prefilter", options.no_prefilter,
                "Evaluate every rule on every event with the reference DOM evaluator (no "
                "routing, no fast parser; for measurements and tests)");
  return cmd;
}

namespace {

constexpr size_t kBatch = 1024;      // events parsed and matched in parallel at a time
constexpr size_t kMaxBadLines = 20;  // malformed lines reported one by one
constexpr size_t kChunk = 256;       // events a thread takes from a batch at a time

struct Rule {
  const ir::Detection* detection;
  std::string id;
  std::unique_ptr<eval::SigmaRule> compiled;
};

struct Corr {
  const ir::Detection* detection;
  std::string id;
  std::unique_ptr<eval::Correlation> compiled;
};

// One input line on its way through a batch. A line is parsed into a
// FlatEvent when that reads it exactly as nlohmann::json would (nearly
// always); otherwise into a DOM, which also words the error of a malformed
// line.
struct Slot {
  size_t line = 0;
  std::string text;  // the line, until Parse takes it
  eval::FlatEvent flat;
  bool is_flat = false;
  nlohmann::json event;  // when !is_flat
  std::string error;     // malformed: why
  std::vector<uint32_t> matched;
  std::string dumped;  // the event as matches print it, when something matched
};

// The constant parts of a rule's match line, which nlohmann writes with its
// keys sorted: {"event":...,"id":...,"level":...,"line":N,"rule":...,"title":...}.
struct MatchLine {
  std::string after_event;  // `,"id":...,"level":...,"line":`
  std::string after_line;   // `,"rule":...,"title":...}`
};

nlohmann::json Header(const ir::Detection& d, const std::string& id, size_t line) {
  return {{"rule", d.qualified_name()},
          {"id", id},
          {"title", d.meta.title},
          {"level", ir::LevelName(d.level)},
          {"line", line}};
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The parse error without nlohmann's "[json.exception.parse_error.101] " prefix.
std::string ParseMessage(const std::string& what) {
  size_t at = what.find("] ");
  std::string m = at == std::string::npos ? what : what.substr(at + 2);
  if (m.rfind("parse error at line 1, ", 0) == 0) m = m.substr(23);
  return m;
}

std::string DumpValue(const nlohmann::json& j) { return Dump(j); }

MatchLine MatchLineOf(const ir::Detection& d, const std::string& id) {
  MatchLine m;
  m.after_event =
      ",\"id\":" + DumpValue(id) + ",\"level\":" + DumpValue(ir::LevelName(d.level)) + ",\"line\":";
  m.after_line =
      ",\"rule\":" + DumpValue(d.qualified_name()) + ",\"title\":" + DumpValue(d.meta.title) + "}";
  return m;
}

}  // namespace

int RunHuntCommand(const HuntCommandOptions& options, const CliStreams& streams) {
  CompileOptions compile;
  compile.paths = {options.ruleset};
  compile.sema.coverage_warnings = false;
  compile.sema.untested_warnings = false;
  DiagnosticEngine diags;
  auto compilation = Compile(compile, diags);
  if (!compilation || !compilation->program || diags.has_errors()) {
    SourceManager none;
    TextOptions text;
    text.color = streams.err_is_terminal && !std::getenv("NO_COLOR");
    streams.err << RenderText(diags.Sorted(), compilation ? compilation->sources : none, text);
    streams.err << "ward hunt: the ruleset has errors; no event was read\n";
    return kExitUsage;
  }
  const ir::Program& program = *compilation->program;
  std::vector<const ir::Filter*> filters;
  for (const auto& f : program.filters) filters.push_back(f.get());

  // Rules that only feed correlations with `generate: false` are not
  // reported by themselves (as a SIEM would not load them).
  std::set<const ir::Detection*> correlated, generated;
  for (const auto& d : program.detections) {
    const auto* logic = d->As<ir::SigmaLogic>();
    if (!logic || !logic->correlation) continue;
    for (const ir::Detection* base : logic->correlation->rules) {
      correlated.insert(base);
      if (logic->correlation->generate) generated.insert(base);
    }
  }

  eval::EvalOptions eval_options;
  std::vector<eval::EvalError> errors;
  std::vector<Rule> rules;
  std::vector<Corr> correlations;
  for (const auto& d : program.detections) {
    const auto* logic = d->As<ir::SigmaLogic>();
    if (!logic) continue;
    if (logic->correlation) {
      auto c = eval::Correlation::Compile(*d, filters, eval_options, errors);
      if (c) correlations.push_back({d.get(), ir::StableId(program, *d), std::move(c)});
      continue;
    }
    auto r = eval::SigmaRule::Compile(*d, filters, eval_options, errors);
    if (!r) continue;
    if (correlated.count(d.get()) && !generated.count(d.get())) continue;
    rules.push_back({d.get(), ir::StableId(program, *d), std::move(r)});
  }
  if (!errors.empty()) {
    for (const eval::EvalError& e : errors) {
      std::string where;
      if (const SourceFile* file = compilation->sources.Get(e.span.file)) {
        auto loc = file->Locate(e.span.begin);
        where = fmt::format("{}:{}:{}: ", file->path(), loc.line, loc.column);
      }
      streams.err << fmt::format("{}error: rule `{}` cannot be evaluated: {}\n", where, e.rule,
                                 e.message);
    }
    streams.err << "ward hunt: fix the rules above; no event was read\n";
    return kExitUsage;
  }
  if (rules.empty() && correlations.empty()) {
    streams.err << fmt::format("error: `{}` has no Sigma detection to hunt with\n",
                               options.ruleset);
    return kExitUsage;
  }

  std::vector<std::vector<RuleRequirement>> requirements;
  for (const Rule& r : rules) {
    requirements.push_back(options.no_prefilter
                               ? std::vector<RuleRequirement>{}
                               : RequirementsOf(*r.detection->As<ir::SigmaLogic>()));
  }
  HuntRouter router(requirements);

  EventReader reader;
  std::string open_error;
  if (!reader.Open(options.events, open_error)) {
    streams.err << fmt::format("error: cannot read events from `{}`: {}\n", options.events,
                               open_error);
    return kExitUsage;
  }
  std::ofstream file_out;
  if (!options.output.empty()) {
    file_out.open(options.output, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      streams.err << fmt::format("error: cannot write `{}`\n", options.output);
      return kExitUsage;
    }
  }
  std::ostream& out = options.output.empty() ? streams.out : file_out;
  const std::string source_name = options.events == "-" ? "<stdin>" : options.events;

  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min(threads, 256u));
  const bool progress = streams.err_is_terminal;
  const bool reference = options.no_prefilter;  // the DOM and every rule: what tests compare with
  auto started = std::chrono::steady_clock::now();

  std::vector<MatchLine> match_lines;
  for (const Rule& r : rules) match_lines.push_back(MatchLineOf(*r.detection, r.id));

  // Every rule's logic in one array (what an event reads of 1,000 rules
  // then stays in cache), evaluated on flat events; the reference path
  // keeps SigmaRule::Match.
  std::vector<eval::RuleOp> rule_ops;
  std::vector<uint32_t> program_roots;
  for (const Rule& r : rules) program_roots.push_back(r.compiled->AppendProgram(rule_ops));

  // Parses and matches the stateless rules on one slot.
  auto work = [&](Slot& s, std::vector<uint32_t>& candidates) {
    s.matched.clear();
    s.error.clear();
    s.dumped.clear();
    s.is_flat = !reference && s.flat.Parse(s.text);
    if (s.is_flat) {
      s.event = nullptr;
      candidates.clear();
      router.Candidates(s.flat, candidates);
      for (uint32_t r : candidates) {
        if (eval::EvalOps(rule_ops.data(), program_roots[r], s.flat)) s.matched.push_back(r);
      }
      if (!s.matched.empty()) s.flat.Dump(*s.flat.root(), s.dumped);
      return;
    }
    const std::string& text = reference ? s.text : s.flat.line();
    try {
      s.event = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      s.error = "malformed JSON: " + ParseMessage(e.what());
      s.event = nullptr;
      return;
    }
    if (!s.event.is_object()) {
      s.error = fmt::format("an event must be a JSON object, not {}", s.event.type_name());
      return;
    }
    candidates.clear();
    router.Candidates(s.event, candidates);
    for (uint32_t r : candidates) {
      if (rules[r].compiled->Match(s.event)) s.matched.push_back(r);
    }
    if (!s.matched.empty()) s.dumped = Dump(s.event);
  };

  size_t line_no = 0, events = 0, malformed = 0, matches = 0;
  std::string text_out;
  // In input order: the stateless matches, then the correlations fed.
  auto emit = [&](std::vector<Slot>& slots, size_t n) {
    text_out.clear();
    for (size_t i = 0; i < n; ++i) {
      Slot& s = slots[i];
      if (!s.error.empty()) {
        if (++malformed <= kMaxBadLines) {
          streams.err << fmt::format("warning: {}:{}: {}; line skipped\n", source_name, s.line,
                                     s.error);
        }
        continue;
      }
      ++events;
      char line_text[24];
      const std::string_view line_number(
          line_text,
          static_cast<size_t>(std::to_chars(line_text, line_text + sizeof line_text, s.line).ptr -
                              line_text));
      for (uint32_t r : s.matched) {
        text_out += "{\"event\":";
        text_out += s.dumped;
        text_out += match_lines[r].after_event;
        text_out += line_number;
        text_out += match_lines[r].after_line;
        text_out += '\n';
        ++matches;
      }
      for (Corr& c : correlations) {
        auto alerts = s.is_flat ? c.compiled->Feed(s.flat) : c.compiled->Feed(s.event);
        for (const eval::CorrelationAlert& alert : alerts) {
          nlohmann::json m = Header(*c.detection, c.id, s.line);
          const auto* logic = c.detection->As<ir::SigmaLogic>();
          m["correlation"] = logic->correlation->type;
          nlohmann::json group = nlohmann::json::object();
          for (const auto& [name, value] : alert.group) group[name] = value;
          m["group"] = group;
          m["events"] = alert.events;
          m["aggregate"] = alert.aggregate;
          text_out += Dump(m);
          text_out += '\n';
          ++matches;
        }
      }
    }
    out.write(text_out.data(), static_cast<std::streamsize>(text_out.size()));
    if (progress) {
      double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      streams.err << fmt::format("\rhunting: {} events, {} matches, {:.0f} events/s\x1b[K", events,
                                 matches, secs > 0 ? static_cast<double>(events) / secs : 0.0)
                  << std::flush;
    }
  };

  // Reads up to kBatch non-blank lines into `slots`; returns how many.
  bool more = true;
  std::string line;
  auto read = [&](std::vector<Slot>& slots) {
    size_t n = 0;
    while (more && n < kBatch) {
      if (!reader.NextLine(line)) {
        more = false;
        break;
      }
      ++line_no;
      if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines
      slots[n].text.swap(line);
      slots[n].line = line_no;
      ++n;
    }
    return n;
  };

  // Two batches in flight: the workers match one while this thread writes
  // the other's matches and feeds the correlations, in input order.

  BatchPool pool(threads - 1);
  std::vector<Slot> batches[2] = {std::vector<Slot>(kBatch), std::vector<Slot>(kBatch)};
  auto submit = [&](std::vector<Slot>& slots, size_t n) {
    pool.Submit((n + kChunk - 1) / kChunk, [&slots, n, &work](size_t chunk) {
      thread_local std::vector<uint32_t> scratch;
      for (size_t i = chunk * kChunk; i < std::min(n, (chunk + 1) * kChunk); ++i) {
        work(slots[i], scratch);
      }
    });
  };
  int current = 0;
  size_t n = read(batches[current]);
  if (n > 0) submit(batches[current], n);
  while (n > 0) {
    pool.HelpAndWait();
    size_t next_n = read(batches[1 - current]);
    if (next_n > 0) submit(batches[1 - current], next_n);
    emit(batches[current], n);
    current = 1 - current;
    n = next_n;
  }
  out.flush();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress) streams.err << "\r\x1b[K";
  if (malformed > kMaxBadLines) {
    streams.err << fmt::format("warning: {} more malformed lines skipped\n",
                               malformed - kMaxBadLines);
  }
  bool read_failed = !reader.error().empty();
  if (read_failed) {
    streams.err << fmt::format("error: reading `{}` after line {}: {}\n", source_name, line_no,
                               reader.error());
  }
  if (!out) {
    streams.err << fmt::format("error: cannot write the matches to `{}`\n",
                               options.output.empty() ? "stdout" : options.output);
    return kExitUsage;
  }
  if (options.verbose || streams.err_is_terminal) {
    streams.err << fmt::format(
        "ward hunt: {} events read, {} matches, {} malformed lines skipped, {} rules and {} "
        "correlations, {:.3f} s, {:.0f} events/s\n",
        events, matches, malformed, rules.size(), correlations.size(), secs,
        secs > 0 ? static_cast<double>(events) / secs : 0.0);
  }
  if (read_failed) return kExitUsage;
  return matches > 0 ? kExitInputErrors : kExitOk;
}

}  // namespace ward::driver
