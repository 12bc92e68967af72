#include "backends/yara/yara_verify.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>

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
std::vector<size_t> Dependencies(size_t index, const std::vector<RuleFile>& files) {
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

}  // namespace

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

bool VerifyWithLibyara(const std::vector<RuleFile>& files, const std::vector<PrintedFile>& printed,
                       DiagnosticEngine& diags) {
  std::vector<bool> failed(files.size(), false);
  bool ok = true;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::vector<size_t> deps = Dependencies(i, files);
    // A file whose dependencies failed would only repeat their errors.
    if (std::any_of(deps.begin(), deps.end(), [&](size_t d) { return failed[d]; })) {
      failed[i] = true;
      continue;
    }
    std::vector<std::string_view> chunks;
    for (size_t dep : deps) chunks.push_back(printed[dep].text);
    chunks.push_back(printed[i].text);
    const CompileResult result = CompileRules(chunks);
    const std::string path = "yara/" + files[i].path;
    for (const CompileMessage& message : result.messages) {
      // About a dependency: reported when that file was checked.
      if (message.chunk < deps.size() && message.line > 0) continue;
      const std::string rule = RuleOf(message, printed[i]);
      const std::string subject = rule.empty() ? "the generated file " + path
                                               : "the generated rule `" + rule + "`";
      Span span = MapMessageToSpan(message, printed[i]);
      if (!span.valid() && !files[i].rules.empty()) span = files[i].rules.front().span;
      auto diag = message.is_error
                      ? Diag(DiagCode::kYaraCompileError, span, "libyara rejected " + subject)
                      : Diag(DiagCode::kYaraCompileWarning, span, "libyara warned about " + subject);
      diag.Label("generated from here");
      diag.Note("libyara: " + message.text);
      const std::string_view line = LineOf(printed[i].text, message.line);
      if (!line.empty()) {
        diag.Note(path + ":" + std::to_string(message.line) + ": " + std::string(line));
      }
      diag.Help(message.is_error
                    ? "YARA 4.2 does not accept this construct; rewrite it in a form libyara 4.2.3 "
                      "compiles"
                    : "change the construct so that YARA 4.2 does not warn, or accept the warning");
      diags.Report(std::move(diag));
    }
    if (!result.ok()) {
      failed[i] = true;
      ok = false;
      if (result.messages.empty()) {
        diags.Report(Diag(DiagCode::kYaraCompileError, Span{}, "libyara rejected " + path)
                         .Note("libyara reported no message"));
      }
    }
  }
  return ok;
}

}  // namespace ward::backends::yara
