#include "compiler/driver/import_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/sema/analyzer.h"
#include "compiler/syntax/parser.h"
#include "compiler/writer/ward_text.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

bool HasExtension(const fs::path& p, const std::vector<std::string>& extensions) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

std::string Package(const std::vector<std::string>& segments) {
  std::string out;
  for (const std::string& s : segments) out += (out.empty() ? "" : ".") + PackageSegment(s);
  return out.empty() ? "imported" : out;
}

// The entities `entity` refers to, whose refusal forces its own.
std::vector<const ir::Entity*> References(const ir::Entity& entity) {
  std::vector<const ir::Entity*> out;
  if (const auto* f = dynamic_cast<const ir::Filter*>(&entity)) {
    for (const ir::Detection* d : f->rules) out.push_back(d);
    return out;
  }
  const auto* d = dynamic_cast<const ir::Detection*>(&entity);
  if (d == nullptr) return out;
  if (const auto* sigma = d->As<ir::SigmaLogic>(); sigma && sigma->correlation) {
    for (const ir::Detection* r : sigma->correlation->rules) out.push_back(r);
  }
  if (const auto* yara = d->As<ir::YaraLogic>()) {
    std::vector<const ir::YaraExpr*> stack;
    if (yara->condition) stack.push_back(yara->condition.get());
    while (!stack.empty()) {
      const ir::YaraExpr* e = stack.back();
      stack.pop_back();
      if (e->rule) out.push_back(e->rule);
      for (const ir::Detection* r : e->rule_set) out.push_back(r);
      for (const auto& c : e->children) stack.push_back(c.get());
      for (const auto& c : e->iter_items) stack.push_back(c.get());
      if (e->body) stack.push_back(e->body.get());
      if (e->range_low) stack.push_back(e->range_low.get());
      if (e->range_high) stack.push_back(e->range_high.get());
    }
  }
  return out;
}

std::string DiagLine(const Diagnostic& d, const SourceManager& sources) {
  std::string where;
  if (const SourceFile* f = sources.Get(d.primary.span.file)) {
    Location loc = f->Locate(d.primary.span.begin);
    where = fmt::format(" (line {} of the Ward text)", loc.line);
  }
  return fmt::format("Ward reports {}: {}{}", Info(d.code).id, d.message, where);
}

}  // namespace

std::string PackageSegment(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string out = writer::ToWardName(lower);
  while (out.find("__") != std::string::npos) out.replace(out.find("__"), 2, "_");
  if (out.size() > 1 && out.back() == '_' &&
      !writer::IsReservedWord(out.substr(0, out.size() - 1))) {
    out.pop_back();
  }
  return out;
}

std::vector<InputFile> CollectInputs(const std::vector<std::string>& paths,
                                     const std::vector<std::string>& extensions, bool per_file,
                                     DiagnosticEngine& diags, ImportStats& stats) {
  std::vector<InputFile> out;
  std::string wanted;
  for (const std::string& e : extensions) wanted += (wanted.empty() ? "`" : ", `") + e + "`";
  for (const std::string& input : paths) {
    std::error_code ec;
    fs::path root(input);
    std::vector<InputFile> found;
    if (fs::is_regular_file(root, ec)) {
      fs::path parent = fs::absolute(root, ec).parent_path();
      std::vector<std::string> segments = {parent.filename().string()};
      if (per_file) segments.push_back(root.stem().string());
      found.push_back({root.string(), Package(segments)});
    } else if (fs::is_directory(root, ec)) {
      std::string base = fs::absolute(root, ec).lexically_normal().filename().string();
      if (base.empty())
        base = fs::absolute(root, ec).lexically_normal().parent_path().filename().string();
      for (fs::recursive_directory_iterator
               it(root, fs::directory_options::skip_permission_denied, ec),
           end;
           it != end; it.increment(ec)) {
        if (ec) break;
        if (!it->is_regular_file(ec) || !HasExtension(it->path(), extensions)) continue;
        std::vector<std::string> segments = {base};
        fs::path rel = it->path().lexically_relative(root).parent_path();
        for (const fs::path& part : rel) segments.push_back(part.string());
        if (per_file) segments.push_back(it->path().stem().string());
        found.push_back({it->path().string(), Package(segments)});
      }
    }
    if (found.empty()) {
      ++stats.refused_files;
      diags.Report(Diag(DiagCode::kImportNoInput, Span{},
                        fs::exists(root, ec) ? fmt::format("`{}` holds no {} files", input, wanted)
                                             : fmt::format("`{}` does not exist", input))
                       .Help(fmt::format("give a folder or file of rules ending in {}", wanted)));
    }
    out.insert(out.end(), found.begin(), found.end());
  }
  std::sort(out.begin(), out.end(),
            [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const InputFile& a, const InputFile& b) { return a.path == b.path; }),
            out.end());
  return out;
}

std::optional<FileId> LoadFile(const std::string& path, SourceManager& sources,
                               DiagnosticEngine& diags) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    diags.Report(Diag(DiagCode::kIoError, Span{}, fmt::format("cannot read `{}`", path))
                     .Help("check that the file exists and is readable"));
    return std::nullopt;
  }
  return sources.Add(path, text.str());
}

std::map<const ir::Entity*, Refusal> WriteChecked(std::vector<WardUnit> units,
                                                  backends::OutputSet& out,
                                                  const ExtraCheck& extra_check) {
  std::map<const ir::Entity*, Refusal> refused;
  // Who refers to whom, for refusing the dependents of a refused entity.
  std::map<const ir::Entity*, std::vector<const ir::Entity*>> dependents;
  for (const WardUnit& u : units) {
    auto note = [&](const ir::Entity* e) {
      for (const ir::Entity* target : References(*e)) dependents[target].push_back(e);
    };
    for (const ir::Detection* d : u.input.detections) note(d);
    for (const ir::Filter* f : u.input.filters) note(f);
  }
  auto refuse = [&](const ir::Entity* e, Refusal why) {
    std::vector<std::pair<const ir::Entity*, Refusal>> work = {{e, std::move(why)}};
    while (!work.empty()) {
      auto [entity, reason] = std::move(work.back());
      work.pop_back();
      if (!refused.emplace(entity, reason).second) continue;
      for (const ir::Entity* dep : dependents[entity]) {
        work.push_back({dep,
                        {DiagCode::kImportDependsOnRefused,
                         fmt::format("it uses `{}`, which was not imported", entity->name),
                         {}}});
      }
    }
  };

  std::vector<writer::WardFileOutput> written(units.size());
  for (int round = 0; round < 50; ++round) {
    const size_t before = refused.size();
    for (size_t i = 0; i < units.size(); ++i) {
      writer::WardFileInput input = units[i].input;
      std::erase_if(input.detections, [&](const ir::Detection* d) { return refused.count(d); });
      std::erase_if(input.filters, [&](const ir::Filter* f) { return refused.count(f); });
      written[i] = writer::WriteWardFile(input);
      for (const writer::WriteFailure& f : written[i].failures) {
        refuse(f.entity, {DiagCode::kImportCannotWrite, f.reason, {}});
      }
    }
    if (refused.size() != before) continue;

    // Ward's own frontend, over every file at once (references cross files).
    SourceManager sources;
    DiagnosticEngine diags;
    std::vector<ast::File> asts;
    asts.reserve(units.size());
    std::vector<sema::ParsedFile> parsed;
    std::vector<FileId> ids;
    for (size_t i = 0; i < units.size(); ++i) {
      FileId id = sources.Add(units[i].relative_path, written[i].text);
      ids.push_back(id);
      const size_t errors = diags.error_count();
      std::optional<ast::File> file = syntax::ParseFile(*sources.Get(id), diags);
      if (!file) continue;
      asts.push_back(std::move(*file));
      parsed.push_back({&asts.back(), diags.error_count() != errors});
    }
    sema::SemaOptions options;
    options.coverage_warnings = false;
    options.untested_warnings = false;
    std::unique_ptr<ir::Program> program =
        sema::Analyze(parsed, ir::Manifest{}, sources, diags, options);
    std::map<const ir::Entity*, std::vector<std::string>> problems;
    for (const Diagnostic& d : diags.Sorted()) {
      if (d.severity != Severity::kError) continue;
      auto unit = std::find(ids.begin(), ids.end(), d.primary.span.file);
      std::vector<const ir::Entity*> blamed;
      if (unit != ids.end()) {
        const size_t index = static_cast<size_t>(unit - ids.begin());
        const uint32_t line = sources.Get(d.primary.span.file)->Locate(d.primary.span.begin).line;
        for (const auto& range : written[index].ranges) {
          if (line >= range.first_line && line <= range.last_line) blamed.push_back(range.entity);
        }
        if (blamed.empty()) {
          for (const auto& range : written[index].ranges) blamed.push_back(range.entity);
        }
      } else {
        for (const auto& w : written) {
          for (const auto& range : w.ranges) blamed.push_back(range.entity);
        }
      }
      for (const ir::Entity* e : blamed) problems[e].push_back(DiagLine(d, sources));
    }
    for (auto& [entity, notes] : problems) {
      refuse(entity, {DiagCode::kImportFailsWardCheck,
                      "its Ward text does not pass Ward's own checks", std::move(notes)});
    }
    if (refused.size() != before) continue;

    if (extra_check && program) {
      std::map<std::string, const ir::Entity*> by_name;
      for (const auto& w : written) {
        for (const auto& range : w.ranges) by_name[range.entity->qualified_name()] = range.entity;
      }
      for (auto& [entity, why] : extra_check(*program, by_name)) refuse(entity, std::move(why));
      if (refused.size() != before) continue;
    }
    break;
  }
  for (size_t i = 0; i < units.size(); ++i) {
    if (written[i].ranges.empty()) continue;  // every declaration refused
    out.Add(units[i].relative_path, written[i].text);
  }
  return refused;
}

}  // namespace ward::driver
