// `ward import yara`: libyara first (the referee), then our own grammar into
// the IR, then Ward text checked by the frontend and rebuilt with the YARA
// backend and libyara once more.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_backend.h"
#include "compiler/driver/import_common.h"
#include "compiler/yara_import/yara_reader.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using backends::yara::CompileRules;

struct YaraInput {
  std::string path;
  std::string package;
  FileId id = kNoFile;
  bool refused = false;               // libyara or our grammar refused the file
  bool read = false;                  // ReadYaraFile ran
  std::vector<std::string> includes;  // canonical paths, in order
  yara_import::YaraFile parsed;
};

// The text with its `include` lines blanked (libyara gets the included
// files as earlier chunks instead), keeping every line number.
std::string WithoutIncludes(const SourceFile& file) {
  std::string text(file.text());
  for (const auto& [path, span] : yara_import::ListIncludes(file)) {
    for (uint32_t i = span.begin; i < span.end; ++i) {
      if (text[i] != '\n') text[i] = ' ';
    }
  }
  return text;
}

Span LineSpan(const SourceFile& file, int line) {
  if (line <= 0 || static_cast<uint32_t>(line) > file.LineCount()) return {file.id(), 0, 0};
  std::string_view text = file.LineText(static_cast<uint32_t>(line));
  uint32_t begin = static_cast<uint32_t>(text.data() - file.text().data());
  return {file.id(), begin, begin + static_cast<uint32_t>(text.size())};
}

class YaraImporter {
 public:
  YaraImporter(SourceManager& sources, DiagnosticEngine& diags, ImportResult& result)
      : sources_(sources), diags_(diags), result_(result) {}

  void Run(const std::vector<std::string>& paths) {
    std::vector<InputFile> inputs =
        CollectInputs(paths, {".yar", ".yara"}, true, diags_, result_.stats);
    for (const InputFile& input : inputs) packages_[Canonical(input.path)] = input.package;
    for (const InputFile& input : inputs) Process(Canonical(input.path), input.path, {});
    Write();
  }

 private:
  static std::string Canonical(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    return ec ? path : p.string();
  }

  std::string PackageFor(const std::string& canonical) {
    auto it = packages_.find(canonical);
    if (it != packages_.end()) return it->second;
    fs::path p(canonical);
    std::string package = PackageSegment(p.parent_path().filename().string()) + "." +
                          PackageSegment(p.stem().string());
    packages_[canonical] = package;
    return package;
  }

  // Every file `canonical` includes, directly or not, dependencies first.
  void Closure(const std::string& canonical, std::vector<std::string>& out,
               std::set<std::string>& seen) {
    auto it = files_.find(canonical);
    if (it == files_.end()) return;
    for (const std::string& inc : it->second.includes) {
      if (!seen.insert(inc).second) continue;
      Closure(inc, out, seen);
      out.push_back(inc);
    }
  }

  YaraInput* Process(const std::string& canonical, const std::string& shown,
                     std::vector<std::string> stack) {
    if (auto it = files_.find(canonical); it != files_.end()) return &it->second;
    YaraInput& in = files_[canonical];
    in.path = shown;
    in.package = PackageFor(canonical);
    std::optional<FileId> id = LoadFile(shown, sources_, diags_);
    ++result_.stats.files;
    if (!id) {
      in.refused = true;
      ++result_.stats.refused_files;
      return &in;
    }
    in.id = *id;
    const SourceFile& file = *sources_.Get(in.id);
    stack.push_back(canonical);
    for (const auto& [target, span] : yara_import::ListIncludes(file)) {
      std::string resolved = Canonical((fs::path(shown).parent_path() / target).string());
      if (std::find(stack.begin(), stack.end(), resolved) != stack.end()) {
        Refuse(in, Diag(DiagCode::kYaraImportRejected, span,
                        fmt::format("`{}` includes itself through `{}`", shown, target)));
        return &in;
      }
      YaraInput* included = Process(
          resolved, (fs::path(shown).parent_path() / target).lexically_normal().string(), stack);
      if (included->refused) {
        Refuse(in, Diag(DiagCode::kYaraImportRejected, span,
                        fmt::format("the included file `{}` was refused, so `{}` is too", target,
                                    shown)));
        return &in;
      }
      in.includes.push_back(resolved);
    }
    Check(canonical, in);
    if (!in.refused) Read(canonical, in);
    return &in;
  }

  void Refuse(YaraInput& in, DiagBuilder&& diag) {
    diags_.Report(std::move(diag));
    in.refused = true;
    ++result_.stats.refused_files;
    CountRules(in);
  }

  // The rules of a refused file still count as refused rules.
  void CountRules(YaraInput& in) {
    if (in.id == kNoFile) return;
    DiagnosticEngine quiet;
    yara_import::RuleScope scope;
    yara_import::YaraFile parsed;
    yara_import::ReadYaraFile(*sources_.Get(in.id), in.package, scope, quiet, parsed);
    for (const auto& rule : parsed.rules) {
      ++result_.stats.rules;
      ++result_.stats.refused;
      result_.rules.push_back({in.path, rule.yara_name, "", true, "the file was refused"});
    }
  }

  // libyara, the referee: the file compiles with the files it includes.
  void Check(const std::string& canonical, YaraInput& in) {
    std::vector<std::string> order;
    std::set<std::string> seen;
    Closure(canonical, order, seen);
    order.push_back(canonical);
    std::vector<std::string> texts;
    for (const std::string& path : order)
      texts.push_back(WithoutIncludes(*sources_.Get(files_[path].id)));
    std::vector<std::string_view> chunks(texts.begin(), texts.end());
    backends::yara::CompileResult compiled = CompileRules(chunks);
    if (compiled.ok()) return;
    bool first = true;
    for (const auto& m : compiled.messages) {
      if (!m.is_error) continue;
      const YaraInput& where = m.chunk < order.size() ? files_[order[m.chunk]] : in;
      DiagBuilder d = Diag(DiagCode::kYaraImportRejected, LineSpan(*sources_.Get(where.id), m.line),
                           fmt::format("libyara rejects `{}`: {}", where.path, m.text));
      if (first) d.Note("no rule of this file is imported");
      d.Help("fix the file until `yarac FILE /dev/null` accepts it");
      diags_.Report(std::move(d));
      first = false;
    }
    in.refused = true;
    ++result_.stats.refused_files;
    CountRules(in);
  }

  void Read(const std::string& canonical, YaraInput& in) {
    yara_import::RuleScope scope;
    std::vector<std::string> order;
    std::set<std::string> seen;
    Closure(canonical, order, seen);
    for (const std::string& inc : order) {
      for (const auto& rule : files_[inc].parsed.rules) {
        if (rule.detection) scope[rule.yara_name] = rule.detection.get();
      }
    }
    in.read = true;
    if (!yara_import::ReadYaraFile(*sources_.Get(in.id), in.package, scope, diags_, in.parsed)) {
      in.refused = true;
      ++result_.stats.refused_files;
      CountRules(in);
      return;
    }
    read_order_.push_back(canonical);
  }

  void Write() {
    std::vector<WardUnit> units;
    std::map<const ir::Entity*, const yara_import::YaraRule*> rules;
    std::set<std::string> ids;  // pinned IDs already taken
    for (const std::string& canonical : read_order_) {
      YaraInput& in = files_[canonical];
      for (yara_import::YaraRule& rule : in.parsed.rules) {
        if (!rule.detection || !rule.detection->id) continue;
        if (ids.insert(*rule.detection->id).second) continue;
        // Rule sets often repeat one UUID over related rules; Ward IDs are
        // unique, so the later rules get derived IDs and keep it as a note.
        rule.notes.push_back(
            fmt::format("meta: id = \"{}\" (also the ID of an earlier rule)", *rule.detection->id));
        diags_.Report(Diag(DiagCode::kYaraMetaNotKept, rule.span,
                           fmt::format("rule `{}`: its meta `id` is the ID of an earlier rule, so "
                                       "it gets a derived ID and keeps this one as a comment",
                                       rule.yara_name)));
        ++rule.warnings;
        rule.detection->id.reset();
      }
      WardUnit unit;
      std::string rel = in.package;
      std::replace(rel.begin(), rel.end(), '.', '/');
      unit.relative_path = rel + ".ward";
      unit.input.package = in.package;
      unit.input.header = {fmt::format("Imported by `ward import yara` from {}", in.path)};
      for (const yara_import::YaraRule& rule : in.parsed.rules) {
        ++result_.stats.rules;
        if (!rule.detection) {
          ++result_.stats.refused;
          result_.rules.push_back({in.path, rule.yara_name, "", true, rule.reason});
          continue;
        }
        unit.input.detections.push_back(rule.detection.get());
        if (!rule.notes.empty()) unit.input.notes[rule.detection.get()] = rule.notes;
        rules[rule.detection.get()] = &rule;
      }
      units.push_back(std::move(unit));
    }
    auto refused = WriteChecked(std::move(units), result_.out, Rebuild);
    for (const std::string& canonical : read_order_) {
      const YaraInput& in = files_[canonical];
      for (const yara_import::YaraRule& rule : in.parsed.rules) {
        if (!rule.detection) continue;
        auto it = refused.find(rule.detection.get());
        if (it == refused.end()) {
          ++result_.stats.imported;
          if (rule.warnings > 0) ++result_.stats.warned;
          result_.rules.push_back(
              {in.path, rule.yara_name, rule.detection->qualified_name(), false, ""});
          continue;
        }
        ++result_.stats.refused;
        DiagBuilder d =
            Diag(it->second.code, rule.span,
                 fmt::format("rule `{}` is not imported: {}", rule.yara_name, it->second.message));
        for (const std::string& note : it->second.notes) d.Note(note);
        diags_.Report(std::move(d));
        result_.rules.push_back({in.path, rule.yara_name, "", true, it->second.message});
      }
    }
  }

  // The Ward program rebuilt as YARA and compiled by libyara again.
  static std::map<const ir::Entity*, Refusal> Rebuild(
      const ir::Program& program, const std::map<std::string, const ir::Entity*>& by_name) {
    std::map<const ir::Entity*, Refusal> out;
    DiagnosticEngine diags;
    backends::yara::GenerateOptions options;
    options.build_date = "2000-01-01";
    auto generated = backends::yara::GenerateRules(program, options, diags);
    auto blame_all = [&](const std::string& why) {
      for (const auto& [name, entity] : by_name) {
        out[entity] = {DiagCode::kImportRebuildFailed, why, {}};
      }
    };
    if (!generated) {
      std::string why = "Ward's YARA backend cannot generate the rules";
      for (const Diagnostic& d : diags.Sorted()) {
        if (d.severity == Severity::kError) {
          why += ": " + d.message;
          break;
        }
      }
      blame_all(why);
      return out;
    }
    std::map<std::string, const ir::Entity*> by_rule_name;
    for (const auto& [detection, name] : generated->rule_names) {
      auto it = by_name.find(detection->qualified_name());
      if (it != by_name.end()) by_rule_name[name] = it->second;
    }
    std::vector<std::string_view> chunks(generated->texts.begin(), generated->texts.end());
    backends::yara::CompileResult compiled = CompileRules(chunks);
    if (compiled.ok()) return out;
    for (const auto& m : compiled.messages) {
      if (!m.is_error || m.chunk >= generated->texts.size()) continue;
      // The rule whose text holds the line.
      std::string_view text = generated->texts[m.chunk];
      std::string rule_name;
      int line = 1;
      size_t pos = 0;
      while (pos < text.size() && line <= m.line) {
        size_t end = text.find('\n', pos);
        std::string_view l = text.substr(pos, end == std::string_view::npos ? end : end - pos);
        for (std::string_view prefix : {"rule ", "private rule ", "global rule ",
                                        "global private rule ", "private global rule "}) {
          if (l.starts_with(prefix)) {
            std::string_view rest = l.substr(prefix.size());
            rule_name = std::string(rest.substr(0, rest.find_first_of(" :{")));
          }
        }
        if (end == std::string_view::npos) break;
        pos = end + 1;
        ++line;
      }
      auto it = by_rule_name.find(!m.rule.empty() ? m.rule : rule_name);
      if (it == by_rule_name.end()) it = by_rule_name.find(rule_name);
      if (it != by_rule_name.end()) {
        out[it->second] = {DiagCode::kImportRebuildFailed,
                           "the rule Ward rebuilds from it does not compile",
                           {"libyara: " + m.text}};
      }
    }
    if (out.empty()) blame_all("the rebuilt rules do not compile: " + compiled.messages[0].text);
    return out;
  }

  SourceManager& sources_;
  DiagnosticEngine& diags_;
  ImportResult& result_;
  std::map<std::string, std::string> packages_;  // canonical path -> package
  std::map<std::string, YaraInput> files_;       // canonical path -> state
  std::vector<std::string> read_order_;          // files read, dependencies first
};

}  // namespace

ImportResult ImportYara(const std::vector<std::string>& paths, SourceManager& sources,
                        DiagnosticEngine& diags) {
  ImportResult result;
  YaraImporter(sources, diags, result).Run(paths);
  return result;
}

}  // namespace ward::driver
