#include "compiler/sema/scope.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

std::string Article(std::string_view word) {
  bool vowel = !word.empty() && std::string_view("aeiou").find(word[0]) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(word);
}

std::string ExpectedText(const Expected& expected) {
  std::vector<std::string> names;
  for (ir::EntityKind kind : expected.kinds) {
    std::string name = ir::EntityKindName(kind);
    if (kind == ir::EntityKind::kDetection && !expected.detection_kind.empty()) {
      name = expected.detection_kind + " detection";
    }
    names.push_back(Article(name));
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

bool SymbolTable::Add(Symbol symbol, DiagnosticEngine& diags) {
  auto [it, inserted] = symbols_.emplace(symbol.qualified_name, symbol);
  if (!inserted) {
    const Symbol& first = it->second;
    diags.Report(Diag(DiagCode::kDuplicateName, symbol.name_span,
                      fmt::format("`{}` is declared more than once", symbol.qualified_name))
                     .Label("declared again here")
                     .Secondary(first.name_span, "first declared here")
                     .Help("rename one of the declarations; names are unique within a package"));
    return false;
  }
  packages_[it->second.package].push_back(&it->second);
  // Parent packages exist too, so `import cosai` works when only
  // `cosai.runtime` declares things.
  std::string package = it->second.package;
  for (size_t dot = package.rfind('.'); dot != std::string::npos; dot = package.rfind('.')) {
    package = package.substr(0, dot);
    packages_[package];
  }
  return true;
}

const Symbol* SymbolTable::Find(std::string_view qualified_name) const {
  auto it = symbols_.find(qualified_name);
  return it == symbols_.end() ? nullptr : &it->second;
}

void SymbolTable::AddUnreadable(std::string_view simple_name) {
  unreadable_.emplace(simple_name);
}

bool SymbolTable::HasPackage(std::string_view package) const {
  return packages_.find(package) != packages_.end();
}

const std::vector<const Symbol*>* SymbolTable::PackageMembers(std::string_view package) const {
  auto it = packages_.find(package);
  return it == packages_.end() ? nullptr : &it->second;
}

std::vector<std::string> SymbolTable::PackageNames() const {
  std::vector<std::string> out;
  for (const auto& [name, members] : packages_) out.push_back(name);
  return out;
}

bool KindMatches(const Symbol& symbol, const Expected& expected) {
  if (!symbol.entity) return false;
  if (std::find(expected.kinds.begin(), expected.kinds.end(), symbol.entity->kind) ==
      expected.kinds.end()) {
    return false;
  }
  if (symbol.entity->kind == ir::EntityKind::kDetection && !expected.detection_kind.empty()) {
    auto* detection = static_cast<const ir::Detection*>(symbol.entity);
    return detection->detection_kind == expected.detection_kind;
  }
  return true;
}

std::string DescribeKind(const Symbol& symbol) {
  if (!symbol.entity) return "a declaration";
  if (symbol.entity->kind == ir::EntityKind::kDetection) {
    auto* detection = static_cast<const ir::Detection*>(symbol.entity);
    return Article(detection->detection_kind + " detection");
  }
  return Article(ir::EntityKindName(symbol.entity->kind));
}

FileScope::FileScope(const ast::File& file, const SymbolTable& table)
    : file_(file), table_(table), package_(file.package.str()) {}

namespace {

// What can be imported, when no name is close to the one written.
std::string PackagesHelp(const std::vector<std::string>& packages) {
  if (packages.empty() || packages.size() > 8) {
    return "import a package of this ruleset (`import acme.runtime`), or one declaration of it "
           "(`import catalogs.atlas`)";
  }
  return "import one of this ruleset's packages, " + JoinAlternatives(packages) +
         ", or a declaration of one (`import PACKAGE.NAME`)";
}

}  // namespace

void FileScope::ResolveImports(DiagnosticEngine& diags) {
  for (const ast::Import& import : file_.imports) {
    std::string path = import.path.str();
    if (import.wildcard) {
      if (!table_.HasPackage(path)) {
        DiagBuilder diag = Diag(DiagCode::kUnknownImport, import.path.span,
                                fmt::format("no package named `{}`", path));
        diag.Label("unknown package");
        if (auto close = ClosestMatch(path, table_.PackageNames())) {
          diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(import.path.span, *close);
        } else {
          diag.Help(PackagesHelp(table_.PackageNames()));
        }
        diags.Report(std::move(diag));
        failed_.insert(&import);
        continue;
      }
      wildcards_.emplace_back(path, &import);
      package_edges_.emplace_back(path, &import);
      continue;
    }
    std::string bound = import.alias ? import.alias->text : import.path.parts.back().text;
    Binding binding;
    binding.import = &import;
    if (const Symbol* symbol = table_.Find(path)) {
      binding.entity = symbol;
      package_edges_.emplace_back(symbol->package, &import);
    } else if (table_.HasPackage(path)) {
      binding.package = path;
      package_edges_.emplace_back(path, &import);
    } else {
      std::vector<std::string> candidates = table_.PackageNames();
      for (const auto& [name, unused] : table_.symbols()) candidates.push_back(name);
      DiagBuilder diag = Diag(DiagCode::kUnknownImport, import.path.span,
                              fmt::format("nothing named `{}` to import", path));
      diag.Label("no package or declaration with this name");
      if (auto close = ClosestMatch(path, candidates)) {
        diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(import.path.span, *close);
      } else {
        diag.Help(PackagesHelp(table_.PackageNames()));
      }
      diags.Report(std::move(diag));
      failed_.insert(&import);
      continue;
    }
    auto [it, inserted] = bindings_.emplace(bound, binding);
    if (!inserted) {
      diags.Report(Diag(DiagCode::kAmbiguousName, import.span,
                        fmt::format("`{}` is imported twice", bound))
                       .Secondary(it->second.import->span, "first imported here")
                       .Help("remove one import, or give one of them another name with `as`"));
    }
  }
}

void FileScope::MarkUsed(const ast::Import* import) {
  if (import) used_.insert(import);
}

const Symbol* FileScope::LookupSimple(std::string_view name,
                                      std::vector<const Symbol*>* ambiguous) {
  if (auto it = bindings_.find(name); it != bindings_.end() && it->second.entity) {
    MarkUsed(it->second.import);
    return it->second.entity;
  }
  std::string own = package_.empty() ? std::string(name) : package_ + "." + std::string(name);
  if (const Symbol* symbol = table_.Find(own)) return symbol;
  const Symbol* found = nullptr;
  const ast::Import* via = nullptr;
  for (const auto& [package, import] : wildcards_) {
    if (const Symbol* symbol = table_.Find(package + "." + std::string(name))) {
      if (found && found != symbol) {
        if (ambiguous) {
          if (ambiguous->empty()) ambiguous->push_back(found);
          ambiguous->push_back(symbol);
        }
        continue;
      }
      found = symbol;
      via = import;
    }
  }
  if (ambiguous && !ambiguous->empty()) return nullptr;
  if (found) MarkUsed(via);
  return found;
}

const Symbol* FileScope::Lookup(const ast::QualifiedName& name) {
  if (name.parts.empty()) return nullptr;
  if (name.parts.size() == 1) return LookupSimple(name.parts[0].text, nullptr);
  // alias.member
  if (auto it = bindings_.find(name.parts[0].text);
      it != bindings_.end() && !it->second.package.empty()) {
    std::string rest;
    for (size_t i = 1; i < name.parts.size(); ++i) rest += "." + name.parts[i].text;
    if (const Symbol* symbol = table_.Find(it->second.package + rest)) {
      MarkUsed(it->second.import);
      return symbol;
    }
  }
  const Symbol* symbol = table_.Find(name.str());
  if (!symbol) return nullptr;
  if (symbol->package == package_) return symbol;
  for (const auto& [package, import] : package_edges_) {
    if (package == symbol->package) {
      MarkUsed(import);
      return symbol;
    }
  }
  return nullptr;
}

std::vector<std::string> FileScope::Candidates(const Expected& expected) const {
  std::vector<std::string> out;
  auto consider = [&](const Symbol* symbol, const std::string& spelled) {
    if (KindMatches(*symbol, expected)) out.push_back(spelled);
  };
  for (const auto& [bound, binding] : bindings_) {
    if (binding.entity) consider(binding.entity, bound);
  }
  if (const auto* members = table_.PackageMembers(package_)) {
    for (const Symbol* symbol : *members) consider(symbol, symbol->name);
  }
  for (const auto& [package, import] : wildcards_) {
    if (const auto* members = table_.PackageMembers(package)) {
      for (const Symbol* symbol : *members) consider(symbol, symbol->name);
    }
  }
  // Fully qualified names from anywhere: the fix may be an import.
  for (const auto& [qualified, symbol] : table_.symbols()) consider(&symbol, qualified);
  return out;
}

const Symbol* FileScope::Resolve(const ast::QualifiedName& name, const Expected& expected,
                                 DiagnosticEngine& diags) {
  std::vector<const Symbol*> ambiguous;
  const Symbol* symbol = nullptr;
  if (name.parts.size() == 1) {
    symbol = LookupSimple(name.parts[0].text, &ambiguous);
  } else {
    symbol = Lookup(name);
  }
  if (!ambiguous.empty()) {
    std::vector<std::string> names;
    for (const Symbol* s : ambiguous) names.push_back(s->qualified_name);
    diags.Report(Diag(DiagCode::kAmbiguousName, name.span,
                      fmt::format("`{}` is ambiguous", name.str()))
                     .Label("imported by more than one wildcard import")
                     .Note("it may mean " + JoinAlternatives(names))
                     .Help("write the qualified name, or import the one you mean explicitly"));
    return nullptr;
  }
  // A name that only a declaration with a syntax error declares: that error
  // is reported, and a second one here would send the reader after a name
  // that is fine. (Matched by its last part, so an unreadable declaration
  // silences every reference that could mean it; the build fails anyway.)
  if (!symbol && table_.IsUnreadable(name.parts.back().text)) return nullptr;
  if (!symbol && name.parts.size() > 1) {
    // Declared, but its package is not imported here.
    if (const Symbol* declared = table_.Find(name.str())) {
      diags.Report(Diag(DiagCode::kNotImported, name.span,
                        fmt::format("`{}` is declared in package `{}`, which this file does not "
                                    "import",
                                    name.str(), declared->package))
                       .Label("not imported")
                       .Secondary(declared->name_span, "declared here")
                       .Help(fmt::format("add `import {}` after the package line",
                                         declared->qualified_name)));
      return nullptr;
    }
  }
  if (!symbol && name.parts.size() == 1) {
    // Declared in some other package under this simple name?
    std::vector<const Symbol*> elsewhere;
    for (const auto& [qualified, candidate] : table_.symbols()) {
      if (candidate.name == name.parts[0].text && KindMatches(candidate, expected)) {
        elsewhere.push_back(&candidate);
      }
    }
    if (elsewhere.size() == 1) {
      const Symbol* declared = elsewhere[0];
      diags.Report(Diag(DiagCode::kNotImported, name.span,
                        fmt::format("`{}` is declared in package `{}`, which this file does not "
                                    "import",
                                    name.str(), declared->package))
                       .Label("not imported")
                       .Secondary(declared->name_span, "declared here")
                       .Help(fmt::format("add `import {}` after the package line",
                                         declared->qualified_name)));
      return nullptr;
    }
  }
  if (!symbol) {
    DiagBuilder diag = Diag(DiagCode::kUnresolvedName, name.span,
                            fmt::format("cannot find `{}`", name.str()));
    diag.Label("not found in this scope");
    if (auto close = ClosestMatch(name.str(), Candidates(expected))) {
      diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(name.span, *close);
    }
    if (!expected.role.empty()) diag.Note(fmt::format("`{}` expects {}", expected.role,
                                                      ExpectedText(expected)));
    diags.Report(std::move(diag));
    return nullptr;
  }
  if (!KindMatches(*symbol, expected)) {
    DiagBuilder diag = Diag(DiagCode::kWrongKind, name.span,
                            fmt::format("`{}` is {}, but {} is expected here", name.str(),
                                        DescribeKind(*symbol), ExpectedText(expected)));
    diag.Label(fmt::format("expected {}", ExpectedText(expected)));
    diag.Secondary(symbol->name_span, fmt::format("`{}` is declared here", name.str()));
    if (!expected.role.empty()) {
      diag.Note(fmt::format("`{}` expects {}", expected.role, ExpectedText(expected)));
    }
    if (auto close = ClosestMatch(name.str(), Candidates(expected))) {
      diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(name.span, *close);
    } else {
      diag.Help(fmt::format("name {} here, or move `{}` to a property that takes {}",
                            ExpectedText(expected), name.str(), DescribeKind(*symbol)));
    }
    diags.Report(std::move(diag));
    return nullptr;
  }
  return symbol;
}

void FileScope::CollectUnusedImports(std::vector<Diagnostic>& out) const {
  for (const ast::Import& import : file_.imports) {
    if (used_.count(&import) || failed_.count(&import)) continue;
    // An import of the file's own package is harmless but pointless too.
    out.push_back(Diag(DiagCode::kUnusedImport, import.span,
                       fmt::format("unused import `{}{}`", import.path.str(),
                                   import.wildcard ? ".*" : ""))
                      .Label("nothing from this import is used")
                      .Help("remove the import")
                      .Fix(import.span, ""));
  }
}

}  // namespace ward::sema
