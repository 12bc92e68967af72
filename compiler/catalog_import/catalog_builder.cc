#include "compiler/catalog_import/catalog_builder.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/support/text_util.h"

namespace ward::import {

std::string ProblemWithId(std::string_view id) {
  if (id.empty()) return "the ID is empty";
  if (id.find('@') != std::string_view::npos) {
    return "the ID contains `@`, which Ward reads as the start of a version pin";
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return "the ID contains a line break or control character";
    }
  }
  if (id.front() == ' ' || id.back() == ' ') return "the ID starts or ends with a space";
  return {};
}

size_t CatalogBuilder::AddSection(std::string heading) {
  sections_.push_back({std::move(heading), {}});
  return sections_.size() - 1;
}

ImportedEntry* CatalogBuilder::Add(size_t section, const YamlDocument& doc,
                                   const YAML::Node& id_node, const std::string& id,
                                   const std::string& title, const std::string& kind,
                                   std::string_view what, bool merge_same) {
  const Span span = yaml_.At(doc, id_node);
  if (std::string problem = ProblemWithId(id); !problem.empty()) {
    const std::string message =
        id.empty() ? fmt::format("a {} has an empty ID", what)
                   : fmt::format("unusable {} ID `{}`: {}", what, id, problem);
    yaml_.Report(Diag(DiagCode::kImportBadId, span, message)
                     .Label("this ID")
                     .Help("correct the ID in the source file; mappings name entries by ID"));
    return nullptr;
  }
  if (auto it = index_.find(id); it != index_.end()) {
    ImportedEntry* first = it->second.entry;
    if (merge_same && first->kind == kind && first->title == title) return first;
    const std::string kinds =
        first->kind == kind ? "" : fmt::format(" (as a {} and as a {})", first->kind, kind);
    yaml_.Report(Diag(DiagCode::kImportBadId, span,
                      fmt::format("`{}` is defined twice{}", id, kinds))
                     .Label("defined again here")
                     .Secondary(it->second.span, "first defined here")
                     .Help("an ID must name one entry; correct one of the two in the source"));
    return nullptr;
  }
  auto entry = std::make_unique<ImportedEntry>();
  entry->id = id;
  entry->title = title;
  entry->kind = kind;
  ImportedEntry* raw = entry.get();
  sections_[section].entries.push_back(std::move(entry));
  index_.emplace(id, Declared{raw, span});
  return raw;
}

void CatalogBuilder::Refer(const YamlDocument& doc, const YAML::Node& node, const std::string& id,
                           std::string from, std::vector<std::string> kinds) {
  references_.push_back({yaml_.At(doc, node), id, std::move(from), std::move(kinds)});
}

bool CatalogBuilder::Finish(ImportedCatalog& catalog) {
  bool ok = true;
  for (const Reference& ref : references_) {
    auto it = index_.find(ref.id);
    std::vector<std::string> quoted;
    for (const std::string& kind : ref.kinds) quoted.push_back(kind);
    const std::string expected = JoinAlternatives(quoted);
    if (it == index_.end()) {
      DiagBuilder diag = Diag(DiagCode::kImportDanglingRef, ref.span,
                              fmt::format("{} names `{}`, which the source does not define",
                                          ref.from, ref.id));
      diag.Label(fmt::format("expected the ID of a {}", expected));
      // Suggest only entries of a kind that fits here.
      std::vector<std::string> known;
      for (const auto& [id, declared] : index_) {
        const std::string& kind = declared.entry->kind;
        if (std::find(ref.kinds.begin(), ref.kinds.end(), kind) != ref.kinds.end()) {
          known.push_back(id);
        }
      }
      if (auto close = ClosestMatch(ref.id, known)) {
        diag.Help(fmt::format("did you mean `{}`?", *close));
      } else {
        diag.Help("correct the ID, or pass every file of the distribution");
      }
      yaml_.Report(std::move(diag));
      ok = false;
      continue;
    }
    const std::string& kind = it->second.entry->kind;
    if (std::find(ref.kinds.begin(), ref.kinds.end(), kind) == ref.kinds.end()) {
      yaml_.Report(Diag(DiagCode::kImportDanglingRef, ref.span,
                        fmt::format("{} names `{}`, which is a {}, not a {}", ref.from, ref.id,
                                    kind, expected))
                       .Label("wrong kind of entry")
                       .Secondary(it->second.span, "defined here")
                       .Help("correct the reference in the source file"));
      ok = false;
    }
  }
  if (!ok) return false;
  for (Section& section : sections_) {
    ImportedSection out{section.heading, {}};
    for (auto& entry : section.entries) out.entries.push_back(std::move(*entry));
    catalog.sections.push_back(std::move(out));
  }
  sections_.clear();
  index_.clear();
  return true;
}

}  // namespace ward::import
