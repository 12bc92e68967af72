// `ward import sigma`: the Sigma reader (compiler/import) into the IR, one
// reader per package so that correlations and filters resolve their rules
// among the rules of their folder, then Ward text checked by the frontend.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/driver/import_common.h"
#include "compiler/import/sigma_reader.h"
#include "compiler/writer/ward_text.h"

namespace ward::driver {

ImportResult ImportSigma(const std::vector<std::string>& paths, SourceManager& sources,
                         DiagnosticEngine& diags) {
  ImportResult result;
  std::vector<InputFile> inputs =
      CollectInputs(paths, {".yml", ".yaml"}, false, diags, result.stats);
  std::map<std::string, std::vector<std::string>> by_package;
  for (const InputFile& input : inputs) by_package[input.package].push_back(input.path);

  std::vector<import::SigmaImport> imports;
  imports.reserve(by_package.size());
  std::vector<WardUnit> units;
  for (const auto& [package, files] : by_package) {
    import::SigmaReaderOptions options;
    options.package = package;
    import::SigmaReader reader(sources, diags, options);
    for (const std::string& path : files) {
      reader.ReadFile(path);
      ++result.stats.files;
    }
    imports.push_back(reader.Finish());
    import::SigmaImport& imported = imports.back();
    // Names the reader made that Ward reserves (a file called `not.yml`).
    std::set<std::string> taken;
    auto rename = [&](ir::Entity& e) {
      std::string name = writer::ToWardName(e.name);
      while (!taken.insert(name).second) name += "_";
      e.name = name;
    };
    for (auto& d : imported.detections) rename(*d);
    for (auto& f : imported.filters) rename(*f);

    WardUnit unit;
    std::string rel = package;
    std::replace(rel.begin(), rel.end(), '.', '/');
    unit.relative_path = rel + ".ward";
    unit.input.package = package;
    std::string folder = files.front().substr(0, files.front().find_last_of('/') + 1);
    unit.input.header = {
        fmt::format("Imported by `ward import sigma` from {}", folder.empty() ? "." : folder)};
    for (const auto& d : imported.detections) unit.input.detections.push_back(d.get());
    for (const auto& f : imported.filters) unit.input.filters.push_back(f.get());
    units.push_back(std::move(unit));
  }

  std::map<const ir::Entity*, Refusal> refused = WriteChecked(std::move(units), result.out);

  for (const import::SigmaImport& imported : imports) {
    for (const import::SigmaDocumentReport& doc : imported.documents) {
      const SourceFile* file = sources.Get(doc.file);
      std::string path = file ? file->path() : "";
      ++result.stats.rules;
      if (doc.refused || doc.entity == nullptr) {
        ++result.stats.refused;
        result.rules.push_back({path, doc.title, "", true, doc.reason});
        continue;
      }
      auto it = refused.find(doc.entity);
      if (it == refused.end()) {
        ++result.stats.imported;
        if (doc.warnings > 0) ++result.stats.warned;
        result.rules.push_back({path, doc.title, doc.entity->qualified_name(), false, ""});
        continue;
      }
      ++result.stats.refused;
      DiagBuilder d =
          Diag(it->second.code, doc.span.valid() ? doc.span : doc.entity->span,
               fmt::format("`{}` is not imported: {}",
                           doc.title.empty() ? doc.entity->name : doc.title, it->second.message));
      for (const std::string& note : it->second.notes) d.Note(note);
      diags.Report(std::move(d));
      result.rules.push_back({path, doc.title, "", true, it->second.message});
    }
  }
  return result;
}

}  // namespace ward::driver
