#ifndef WARD_COMPILER_SEMA_SCOPE_H_
#define WARD_COMPILER_SEMA_SCOPE_H_

// The symbol table (every declaration by qualified name, grouped by package)
// and per-file scopes built from imports. Resolution order for a simple
// name: explicit imports, then the file's own package, then wildcard
// imports. A dotted name is an import alias plus a member, or a fully
// qualified name (which must be imported unless it is in the same package).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/support/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace ward::sema {

struct Symbol {
  std::string qualified_name;
  std::string package;
  std::string name;
  // The declaration's name as written, for "declared here" notes: kept here
  // because the declaring file's AST may be freed before other files are
  // checked.
  Span name_span;
  ir::Entity* entity = nullptr;
  FileId file = kNoFile;
};

class SymbolTable {
 public:
  // Registers a declaration; reports E0201 on a duplicate qualified name.
  bool Add(Symbol symbol, DiagnosticEngine& diags);
  const Symbol* Find(std::string_view qualified_name) const;
  bool HasPackage(std::string_view package) const;
  const std::vector<const Symbol*>* PackageMembers(std::string_view package) const;
  std::vector<std::string> PackageNames() const;
  // A declaration that a syntax error made unreadable (ast::File::skipped_decls):
  // its name exists, so references to it are not reported as unresolved; the
  // syntax error already is.
  void AddUnreadable(std::string_view simple_name);
  bool IsUnreadable(std::string_view simple_name) const {
    return unreadable_.find(simple_name) != unreadable_.end();
  }
  const std::map<std::string, Symbol, std::less<>>& symbols() const { return symbols_; }

 private:
  std::map<std::string, Symbol, std::less<>> symbols_;
  std::map<std::string, std::vector<const Symbol*>, std::less<>> packages_;
  std::set<std::string, std::less<>> unreadable_;
};

// What a reference may name: a set of entity kinds, plus a detection kind.
struct Expected {
  std::vector<ir::EntityKind> kinds;
  std::string detection_kind;  // "" = any
  std::string role;            // for messages: "mitigated_by expects a mitigation"
};

// Reads `file` (its imports) until the file's bodies are lowered: drop the
// scope before the AST.
class FileScope {
 public:
  FileScope(const ast::File& file, const SymbolTable& table);

  // Resolves imports, reporting E0205 (unknown) and recording package edges.
  void ResolveImports(DiagnosticEngine& diags);
  // Resolves a reference; reports E0200/E0202/E0206/E0208 and returns null.
  const Symbol* Resolve(const ast::QualifiedName& name, const Expected& expected,
                        DiagnosticEngine& diags);
  // Looks up without reporting (null if not found or not unique).
  const Symbol* Lookup(const ast::QualifiedName& name);
  // W0209 for imports that no reference used, appended to `out` (the
  // analyzer reports them after every file is checked, as it always did).
  void CollectUnusedImports(std::vector<Diagnostic>& out) const;

  const std::string& package() const { return package_; }
  // Packages this file imports from (for cycle detection), with the import.
  const std::vector<std::pair<std::string, const ast::Import*>>& package_edges() const {
    return package_edges_;
  }

 private:
  struct Binding {
    const Symbol* entity = nullptr;  // import of one entity
    std::string package;             // import of a package under a name
    const ast::Import* import = nullptr;
  };
  const Symbol* LookupSimple(std::string_view name, std::vector<const Symbol*>* ambiguous);
  void MarkUsed(const ast::Import* import);
  std::vector<std::string> Candidates(const Expected& expected) const;

  const ast::File& file_;
  const SymbolTable& table_;
  std::string package_;
  std::map<std::string, Binding, std::less<>> bindings_;
  std::vector<std::pair<std::string, const ast::Import*>> wildcards_;
  std::vector<std::pair<std::string, const ast::Import*>> package_edges_;
  std::set<const ast::Import*> used_;
  std::set<const ast::Import*> failed_;  // reported as unknown: never "unused"
};

bool KindMatches(const Symbol& symbol, const Expected& expected);
std::string DescribeKind(const Symbol& symbol);  // "a threat", "a sigma detection"

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_SCOPE_H_
