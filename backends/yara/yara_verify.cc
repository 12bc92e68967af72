#include "backends/yara/yara_verify.h"

#include "compiler/support/content_hash.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>

namespace ward::backends::yara {
namespace {

// The 1-based line `line` of `text`, without its newline.
std::string_view LineOf(std::string_view text, int line) {
  if (line <= 0) return {};
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  const size_t end = text.find('\n', start);
  std::string_view out = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
  while (!out.empty() && out.front() == ' ') out.remove_prefix(1);
  return out;
}

// The rule a message is about: libyara's own attribution, else the rule
// whose lines contain the message's line.
std::string RuleOf(const CompileMessage& message, const PrintedFile& printed) {
  if (!message.rule.empty()) return message.rule;
  for (const LineRange& range : printed.lines) {
    if (range.role == LineRange::Role::kRule && range.first_line <= static_cast<size_t>(message.line) &&
        static_cast<size_t>(message.line) <= range.last_line) {
      return range.rule;
    }
  }
  return {};
}

// Indices of the files `index` uses, directly or not (include order).
std::vector<size_t> Dependencies(size_t index, const std::vector<FileOutline>& files) {
  std::map<std::string, size_t> by_path;
  for (size_t i = 0; i < files.size(); ++i) by_path[files[i].path] = i;
  std::set<size_t> seen;
  std::vector<size_t> stack{index};
  while (!stack.empty()) {
    const size_t current = stack.back();
    stack.pop_back();
    for (const std::string& dep : files[current].depends_on) {
      auto it = by_path.find(dep);
      if (it != by_path.end() && seen.insert(it->second).second) stack.push_back(it->second);
    }
  }
  seen.erase(index);
  return {seen.begin(), seen.end()};  // ascending = include order
}

// True when Ward's own check already warned (W0608) about the slow string a
// libyara "may slow down scanning" warning is about: the user then gets one
// warning, Ward's, which says why and how to fix it.
bool AlreadyReportedAsSlow(const CompileMessage& message, Span span,
                           const DiagnosticEngine& diags) {
  if (message.is_error || message.text.find("slow down scanning") == std::string::npos) {
    return false;
  }
  if (!span.valid()) return false;
  for (const Diagnostic& d : diags.diagnostics()) {
    const Span& at = d.primary.span;
    if (d.code == DiagCode::kSlowString && at.file == span.file && at.begin >= span.begin &&
        at.end <= span.end) {
      return true;
    }
  }
  return false;
}

}  // namespace

FileOutline OutlineOf(const RuleFile& file) {
  FileOutline outline;
  outline.path = file.path;
  outline.depends_on = file.depends_on;
  outline.rules.reserve(file.rules.size());
  for (const Rule& rule : file.rules) {
    RuleOutline& out = outline.rules.emplace_back();
    out.name = rule.name;
    for (const RuleReference& ref : rule.references) out.uses.push_back(ref.name);
    out.source = rule.source;
    out.span = rule.span;
  }
  return outline;
}

Span MapMessageToSpan(const CompileMessage& message, const PrintedFile& printed) {
  const std::string rule = RuleOf(message, printed);
  // A message that names a string ("$b") of the rule points at that string.
  for (const LineRange& range : printed.lines) {
    if (range.role != LineRange::Role::kString || range.rule != rule) continue;
    if (message.text.find("\"$" + range.string_id + "\"") != std::string::npos) return range.span;
  }
  const LineRange* best = nullptr;
  for (const LineRange& range : printed.lines) {
    const auto line = static_cast<size_t>(std::max(message.line, 0));
    if (line < range.first_line || line > range.last_line) continue;
    if (!rule.empty() && range.rule != rule) continue;
    if (!range.span.valid()) continue;
    if (best == nullptr ||
        range.last_line - range.first_line < best->last_line - best->first_line) {
      best = &range;
    }
  }
  if (best != nullptr) return best->span;
  for (const LineRange& range : printed.lines) {
    if (range.role == LineRange::Role::kRule && range.rule == rule) return range.span;
  }
  return {};
}

namespace {

// `text` with the lines of `rules` (and of the rules of `file` that use
// them, directly or not) replaced by empty lines, so that every other line
// keeps its number. Adds the blanked rules to `rules`.
std::string WithoutRules(const std::string& text, const FileOutline& file,
                         const PrintedFile& printed, std::set<std::string>& rules) {
  for (bool grew = true; grew;) {
    grew = false;
    for (const RuleOutline& rule : file.rules) {
      if (rules.count(rule.name) != 0) continue;
      for (const std::string& used : rule.uses) {
        if (rules.count(used) != 0) {
          rules.insert(rule.name);
          grew = true;
          break;
        }
      }
    }
  }
  std::vector<bool> blank;
  for (const LineRange& range : printed.lines) {
    if (range.role != LineRange::Role::kRule || rules.count(range.rule) == 0) continue;
    if (blank.size() <= range.last_line) blank.resize(range.last_line + 1, false);
    for (size_t line = range.first_line; line <= range.last_line; ++line) blank[line] = true;
  }
  std::string out;
  size_t line = 1;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (line >= blank.size() || !blank[line]) out.append(text, start, end - start);
    if (end < text.size()) out += '\n';
    start = end + 1;
    ++line;
  }
  return out;
}

void ReportMessage(const CompileMessage& message, const FileOutline& file,
                   const PrintedFile& printed, DiagnosticEngine& diags) {
  const std::string path = "yara/" + file.path;
  const std::string rule = RuleOf(message, printed);
  const std::string subject =
      rule.empty() ? "the generated file " + path : "the generated rule `" + rule + "`";
  Span span = MapMessageToSpan(message, printed);
  if (AlreadyReportedAsSlow(message, span, diags)) return;
  if (!span.valid() && !file.rules.empty()) span = file.rules.front().span;
  auto diag = message.is_error
                  ? Diag(DiagCode::kYaraCompileError, span, "libyara rejected " + subject)
                  : Diag(DiagCode::kYaraCompileWarning, span, "libyara warned about " + subject);
  diag.Label("generated from here");
  diag.Note("libyara: " + message.text);
  const std::string_view line = LineOf(printed.text, message.line);
  if (!line.empty()) {
    diag.Note(path + ":" + std::to_string(message.line) + ": " + std::string(line));
  }
  diag.Help(message.is_error
                ? "YARA 4.2 does not accept this construct; rewrite it in a form libyara 4.2.3 "
                  "compiles"
                : "change the construct so that YARA 4.2 does not warn, or accept the warning");
  diags.Report(std::move(diag));
}

}  // namespace

namespace {

// What checking one file found, to be reported in file order: the messages
// to report, in order, and whether libyara refused the file.
struct FileCheck {
  std::vector<CompileMessage> to_report;
  bool no_message_failure = false;  // refused without saying why
  bool failed = false;
  std::string clean_key;  // set when libyara accepted the file without a word
};

// The cache key of one exact compile: the SHA-256 of its texts, each with
// its length, in order.
std::string ChunksKey(const std::vector<std::string_view>& chunks) {
  std::string all;
  for (std::string_view chunk : chunks) {
    all += std::to_string(chunk.size());
    all += ':';
    all += chunk;
  }
  return Sha256Hex(all);
}

// Compiles file `index` after its dependencies `deps`. Reads only `files`
// and `printed`, so files are checked on several threads at once, each with
// its own libyara compiler.
FileCheck CheckFile(size_t index, const std::vector<size_t>& deps,
                    const std::vector<FileOutline>& files, const std::vector<PrintedFile>& printed,
                    const CheckCache* cache) {
  FileCheck check;
  // libyara stops at the first error of a text. To report every rule it
  // refuses in one run, the refused rule (and the rules that use it) are
  // blanked out and the file is compiled again, until it compiles or no
  // refused rule can be told apart. Blank lines keep the line numbers, so
  // every message maps back the same way.
  std::string text = printed[index].text;
  std::set<std::string> dropped;
  std::set<std::tuple<bool, int, std::string>> reported;
  while (true) {
    std::vector<std::string_view> chunks;
    for (size_t dep : deps) chunks.push_back(printed[dep].text);
    chunks.push_back(text);
    // A text libyara accepted cleanly in an earlier build needs no compile:
    // it has nothing to report. Only the first attempt can be clean.
    std::string key;
    if (cache != nullptr && dropped.empty()) {
      key = ChunksKey(chunks);
      if (cache->known.count(key) != 0) {
        check.clean_key = std::move(key);
        break;
      }
    }
    const CompileResult result = CompileRules(chunks);
    if (!key.empty() && result.ok() && result.messages.empty()) check.clean_key = key;
    std::set<std::string> refused;
    for (const CompileMessage& message : result.messages) {
      // About a dependency: reported when that file was checked.
      if (message.chunk < deps.size() && message.line > 0) continue;
      if (message.is_error) {
        const std::string rule = RuleOf(message, printed[index]);
        if (!rule.empty() && dropped.count(rule) == 0) refused.insert(rule);
      }
      if (!reported.emplace(message.is_error, message.line, message.text).second) continue;
      check.to_report.push_back(message);
    }
    if (result.ok()) break;
    check.failed = true;
    if (result.messages.empty()) check.no_message_failure = true;
    if (refused.empty()) break;
    dropped.insert(refused.begin(), refused.end());
    text = WithoutRules(printed[index].text, files[index], printed[index], dropped);
  }
  return check;
}

}  // namespace

bool VerifyWithLibyara(const std::vector<FileOutline>& files,
                       const std::vector<PrintedFile>& printed, DiagnosticEngine& diags,
                       const VerifyOptions& options) {
  std::vector<std::vector<size_t>> deps(files.size());
  for (size_t i = 0; i < files.size(); ++i) deps[i] = Dependencies(i, files);

  // Every file is compiled independently (a file's compile does not depend
  // on whether its dependencies compiled), spread over the threads; the
  // results are then reported in file order, exactly as one thread would.
  std::vector<FileCheck> checks(files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      checks[i] = CheckFile(i, deps[i], files, printed, options.cache);
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> helpers;
  for (unsigned j = 1; j < std::min<size_t>(jobs, files.size()); ++j) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();

  std::vector<bool> failed(files.size(), false);
  bool ok = true;
  for (size_t i = 0; i < files.size(); ++i) {
    // A file whose dependencies failed would only repeat their errors.
    if (std::any_of(deps[i].begin(), deps[i].end(), [&](size_t d) { return failed[d]; })) {
      failed[i] = true;
      continue;
    }
    if (options.cache != nullptr && !checks[i].clean_key.empty()) {
      options.cache->accepted.insert(checks[i].clean_key);
    }
    for (const CompileMessage& message : checks[i].to_report) {
      ReportMessage(message, files[i], printed[i], diags);
    }
    if (checks[i].failed) {
      failed[i] = true;
      ok = false;
    }
    if (checks[i].no_message_failure) {
      diags.Report(Diag(DiagCode::kYaraCompileError, Span{}, "libyara rejected yara/" + files[i].path)
                       .Note("libyara reported no message"));
    }
  }
  return ok;
}

}  // namespace ward::backends::yara
