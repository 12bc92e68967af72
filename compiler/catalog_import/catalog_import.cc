#include "compiler/catalog_import/catalog_import.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include <fmt/format.h>

#include "compiler/catalog_import/atlas_import.h"
#include "compiler/catalog_import/catalog_writer.h"
#include "compiler/catalog_import/cosai_import.h"
#include "compiler/catalog_import/ward_text.h"
#include "compiler/catalog_import/yaml_source.h"

namespace ward::import {
namespace {

namespace fs = std::filesystem;

// The command that reproduces the file, with file names only: the header
// must not depend on where the sources sat on the machine that ran it.
std::string CommandLine(const CatalogImportRequest& request) {
  std::string out = "ward import catalog " + request.format;
  for (const std::string& input : request.inputs) out += " " + fs::path(input).filename().string();
  if (!request.version.empty()) out += " --version " + request.version;
  if (!request.name.empty()) out += " --name " + request.name;
  if (request.package != "catalogs") out += " --package " + request.package;
  if (!request.output.empty()) out += " -o " + fs::path(request.output).filename().string();
  return out;
}

std::string Summary(const ImportedCatalog& catalog) {
  // Count entries by kind, in the order kinds first appear.
  std::vector<std::pair<std::string, size_t>> counts;
  for (const ImportedSection& section : catalog.sections) {
    for (const ImportedEntry& entry : section.entries) {
      auto it = std::find_if(counts.begin(), counts.end(),
                             [&](const auto& c) { return c.first == entry.kind; });
      if (it == counts.end()) {
        counts.emplace_back(entry.kind, 1);
      } else {
        ++it->second;
      }
    }
  }
  std::string parts;
  for (const auto& [kind, n] : counts) {
    parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", kind, n);
  }
  return fmt::format("{} {}: {} entries ({})", catalog.title, catalog.version,
                     catalog.EntryCount(), parts);
}

bool WriteAtomically(const std::string& path, const std::string& text, DiagnosticEngine& diags) {
  const fs::path target(path);
  const fs::path temp = target.parent_path() /
                        fmt::format(".{}.{}.tmp", target.filename().string(), ::getpid());
  std::error_code ec;
  if (!target.parent_path().empty()) fs::create_directories(target.parent_path(), ec);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      fs::remove(temp, ec);
      diags.Report(Diag(DiagCode::kIoError, Span{}, fmt::format("cannot write `{}`", path))
                       .Help("check that the directory exists and is writable"));
      return false;
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    diags.Report(Diag(DiagCode::kIoError, Span{},
                      fmt::format("cannot replace `{}`: {}", path, ec.message()))
                     .Help("check that the path is a writable file, not a directory"));
    return false;
  }
  return true;
}

bool IsQualifiedName(const std::string& text) {
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    if (!IsWardIdentifier(std::string_view(text).substr(start, dot - start))) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

const std::vector<std::string>& CatalogImportFormats() {
  static const std::vector<std::string> kFormats = {"atlas", "cosai"};
  return kFormats;
}

std::optional<std::string> CheckCatalogImportRequest(const CatalogImportRequest& request) {
  const auto& formats = CatalogImportFormats();
  if (std::find(formats.begin(), formats.end(), request.format) == formats.end()) {
    return fmt::format("unknown catalog format `{}`; choose atlas or cosai", request.format);
  }
  if (request.inputs.empty()) return "no source file given";
  if (request.format == "atlas" && request.inputs.size() != 1) {
    return "`atlas` takes one file, ATLAS.yaml";
  }
  if (request.format == "cosai" && request.inputs.size() > 4) {
    return "`cosai` takes at most four files: risks, controls, components and personas";
  }
  if (!request.name.empty() && !IsWardIdentifier(request.name)) {
    return fmt::format("`--name {}` is not a Ward name (a letter or `_`, then letters, digits "
                       "and `_`; not a reserved word)",
                       request.name);
  }
  if (!IsQualifiedName(request.package)) {
    return fmt::format("`--package {}` is not a Ward package name (names joined by dots)",
                       request.package);
  }
  for (char c : request.version) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '@') {
      return "`--version` must not contain `@` or control characters";
    }
  }
  return std::nullopt;
}

CatalogImportResult ImportCatalog(const CatalogImportRequest& request, SourceManager& sources,
                                  DiagnosticEngine& diags) {
  CatalogImportResult result;
  YamlSource yaml(sources, diags);
  std::vector<YamlDocument> docs;
  bool loaded = true;
  for (const std::string& input : request.inputs) {
    if (std::optional<YamlDocument> doc = yaml.Load(input)) {
      docs.push_back(std::move(*doc));
    } else {
      loaded = false;
    }
  }
  if (!loaded) return result;

  ImportOptions options;
  options.name = request.name;
  options.package = request.package;
  options.version = request.version;
  options.header = {"Generated by `" + CommandLine(request) + "`.",
                    "Do not edit by hand: re-run the import to refresh it."};
  for (const std::string& note : request.notes) options.header.push_back(note);

  std::optional<ImportedCatalog> catalog = request.format == "atlas"
                                               ? ImportAtlas(yaml, docs.front(), options)
                                               : ImportCosai(yaml, docs, options);
  if (!catalog) return result;
  catalog->header.push_back("");
  catalog->header.push_back(Summary(*catalog) + ".");
  result.summary = Summary(*catalog);
  result.text = WriteWardCatalog(*catalog);
  if (!request.output.empty() && !WriteAtomically(request.output, result.text, diags)) {
    result.io_error = true;
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace ward::import
