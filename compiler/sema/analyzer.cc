#include "compiler/sema/analyzer.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "compiler/sema/coverage.h"
#include "compiler/sema/detection_kind.h"
#include "compiler/sema/refinement.h"
#include "compiler/sema/scope.h"
#include "compiler/sema/values.h"
#include "compiler/support/text_util.h"
#include "compiler/support/uuid.h"
#include "compiler/syntax/outline.h"

namespace ward::sema {
namespace {

namespace fs = std::filesystem;
using ir::EntityKind;

const std::vector<std::string> kMetaProperties = {"description", "status",     "author", "date",
                                                  "modified",    "references", "tags"};
const std::vector<std::string> kStatuses = {"stable", "test", "experimental", "deprecated",
                                            "unsupported"};
const std::vector<std::string> kSeverities = {"info", "low", "medium", "high", "critical"};
const std::vector<std::string> kLikelihoods = {"rare", "unlikely", "possible", "likely",
                                               "almost_certain"};
const std::vector<std::string> kImpacts = {"negligible", "minor", "moderate", "major", "severe"};
const std::vector<std::string> kMitigationTypes = {"preventive", "detective",   "corrective",
                                                   "deterrent",  "compensating", "recovery"};
const std::vector<std::string> kEffectiveness = {"low", "medium", "high"};
const std::vector<std::string> kLevels = {"informational", "low", "medium", "high", "critical"};
const std::vector<std::string> kStages = {"data_collection", "data_processing", "training",
                                          "evaluation",      "packaging",       "deployment",
                                          "runtime",         "monitoring",      "retirement"};
const std::vector<std::string> kAssetKinds = {
    "model",          "model_artifact", "dataset",      "training_data", "training_pipeline",
    "inference_endpoint", "application", "agent",       "tool",          "mcp_server",
    "vector_store",   "prompt",         "memory",       "data_source",   "infrastructure",
    "ml_framework",   "registry",       "user_data",    "other"};
const std::vector<std::string> kRelatedTypes = {"derived", "obsolete", "merged", "renamed",
                                                "similar"};

template <typename E>
E IndexOf(const std::vector<std::string>& names, const std::string& value, int offset = 0) {
  auto it = std::find(names.begin(), names.end(), value);
  return static_cast<E>((it - names.begin()) + offset);
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Properties of one declaration body, indexed by key; reports E0305 on a
// repeated key and E0300 on anything `allowed` does not list.
class MemberIndex {
 public:
  MemberIndex(const ast::Body& body, const std::vector<std::string>& allowed,
              std::string_view owner, DiagnosticEngine& diags, bool pass_through_unknown = false) {
    for (const ast::Member& member : body.members) {
      std::string key;
      Span key_span = member.keyword_span;
      switch (member.kind) {
        case ast::Member::Kind::kProperty: key = member.property.key.text; break;
        case ast::Member::Kind::kBlock: key = member.block()->kind.text; break;
        case ast::Member::Kind::kWhen: key = "when"; break;
        case ast::Member::Kind::kCondition: key = "condition"; break;
        case ast::Member::Kind::kWhere: key = "where"; break;
        case ast::Member::Kind::kLet: key = "let"; break;
        case ast::Member::Kind::kStrings: key = "strings"; break;
      }
      bool known = std::find(allowed.begin(), allowed.end(), key) != allowed.end();
      if (!known) {
        if (pass_through_unknown) {
          rest_.push_back(&member);
          continue;
        }
        DiagBuilder diag = Diag(DiagCode::kUnknownProperty, key_span,
                                fmt::format("{} has no property `{}`", owner, key));
        diag.Label("unknown here");
        if (auto close = ClosestMatch(key, allowed)) {
          diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(key_span, *close);
        } else {
          diag.Note(fmt::format("{} accepts {}", owner, JoinAlternatives(allowed)));
          diag.Help(fmt::format("remove `{}`, or use one of the accepted properties (free text "
                                "can go in a string property)",
                                key));
        }
        diags.Report(std::move(diag));
        continue;
      }
      if (member.kind != ast::Member::Kind::kProperty) {
        rest_.push_back(&member);
        continue;
      }
      auto [it, inserted] = props_.emplace(key, &member.property);
      if (!inserted) {
        diags.Report(Diag(DiagCode::kDuplicateProperty, member.property.key.span,
                          fmt::format("`{}` is given twice", key))
                         .Label("given again here")
                         .Secondary(it->second->key.span, "first given here")
                         .Help("keep one; list several values as `key: a, b`"));
      }
    }
  }

  const ast::Property* Get(std::string_view key) const {
    auto it = props_.find(std::string(key));
    return it == props_.end() ? nullptr : it->second;
  }
  const std::vector<const ast::Member*>& rest() const { return rest_; }

 private:
  std::map<std::string, const ast::Property*> props_;
  std::vector<const ast::Member*> rest_;
};

class Analyzer;

// Resolves detection names for the kind lowerings, in one file's scope.
class FileResolver : public NameResolver {
 public:
  FileResolver(FileScope& scope, DiagnosticEngine& diags) : scope_(scope), diags_(diags) {}

  const ir::Detection* ResolveDetection(const ast::QualifiedName& name,
                                        std::string_view kind) override {
    Expected expected{{EntityKind::kDetection}, std::string(kind), ""};
    const Symbol* symbol = scope_.Resolve(name, expected, diags_);
    return symbol ? static_cast<const ir::Detection*>(symbol->entity) : nullptr;
  }

  const ir::Detection* FindDetection(std::string_view name, std::string_view kind) override {
    ast::QualifiedName qualified;
    size_t start = 0;
    while (start <= name.size()) {
      size_t dot = name.find('.', start);
      if (dot == std::string_view::npos) dot = name.size();
      qualified.parts.push_back({std::string(name.substr(start, dot - start)), {}});
      start = dot + 1;
    }
    const Symbol* symbol = scope_.Lookup(qualified);
    if (!symbol || !symbol->entity || symbol->entity->kind != EntityKind::kDetection) {
      return nullptr;
    }
    auto* detection = static_cast<const ir::Detection*>(symbol->entity);
    if (!kind.empty() && detection->detection_kind != kind) return nullptr;
    return detection;
  }

 private:
  FileScope& scope_;
  DiagnosticEngine& diags_;
};

struct Unit {
  const ast::File* ast;
  bool broken;
  std::unique_ptr<FileScope> scope;
  std::shared_ptr<ast::File> owned;  // freed once the file is checked (Release)
  // Analysis from outlines: `owned` is the outline (its imports serve the
  // scope), and the AST taken from the feed replaces it as `ast` once the
  // file's bodies are lowered.
  std::unique_ptr<ast::File> taken;
  // Per declaration of `ast`, the entity it declared; null for a duplicate
  // name, which was reported and dropped.
  std::vector<ir::Entity*> entities;
};

// a.qualified_name() < b.qualified_name() without building either string:
// the sorts in Finalize compared n log n freshly built names (7 % of
// analysis). Compares the pieces `package`, `.`, `name` as one text.
bool QualifiedNameLess(const ir::Entity& a, const ir::Entity& b) {
  auto pieces = [](const ir::Entity& e, std::string_view* out) -> size_t {
    if (e.package.empty()) {
      out[0] = e.name;
      return 1;
    }
    out[0] = e.package;
    out[1] = ".";
    out[2] = e.name;
    return 3;
  };
  std::string_view pa[3], pb[3];
  size_t na = pieces(a, pa), nb = pieces(b, pb);
  size_t ia = 0, ib = 0;
  std::string_view ra = pa[0], rb = pb[0];
  while (true) {
    while (ra.empty() && ++ia < na) ra = pa[ia];
    while (rb.empty() && ++ib < nb) rb = pb[ib];
    if (ra.empty() || rb.empty()) return ra.empty() && !rb.empty();
    size_t n = std::min(ra.size(), rb.size());
    if (int c = ra.substr(0, n).compare(rb.substr(0, n)); c != 0) return c < 0;
    ra.remove_prefix(n);
    rb.remove_prefix(n);
  }
}

class Analyzer {
 public:
  // Bodies are lowered in two passes over the files: catalogs, then the rest.
  enum class Pass { kCatalogs, kRest };

  Analyzer(const SourceManager& sources, DiagnosticEngine& diags, const SemaOptions& options)
      : sources_(sources), diags_(diags), options_(options) {
    kinds_.push_back(MakeSigmaKind());
    kinds_.push_back(MakeYaraKind());
  }

  void AddFile(const ParsedFile& file) {
    const ast::File* ast = file.ast ? file.ast : file.owned.get();
    if (ast) units_.push_back({ast, file.had_syntax_errors, nullptr, nullptr, nullptr, {}});
  }
  void AddFile(ParsedFile&& file) {
    const ast::File* ast = file.owned ? file.owned.get() : file.ast;
    if (ast) {
      units_.push_back({ast, file.had_syntax_errors, nullptr, std::move(file.owned), nullptr, {}});
    }
  }
  // An outline, whose AST `feed` gives when it is needed.
  void AddOutline(std::unique_ptr<ast::File> outline, AstFeed& feed) {
    feed_ = &feed;
    std::shared_ptr<ast::File> owned = std::move(outline);
    const ast::File* ast = owned.get();
    units_.push_back({ast, false, nullptr, std::move(owned), nullptr, {}});
  }

  std::unique_ptr<ir::Program> Run(ir::Manifest manifest) {
    program_ = std::make_unique<ir::Program>();
    program_->manifest = std::move(manifest);
    for (Unit& unit : units_) DeclareAll(unit);
    for (const Unit& unit : units_) {
      for (const ast::Name& name : unit.ast->skipped_decls) symbols_.AddUnreadable(name.text);
    }
    for (Unit& unit : units_) {
      unit.scope = std::make_unique<FileScope>(*unit.ast, symbols_);
      unit.scope->ResolveImports(diags_);
    }
    CheckImportCycles();
    // The declarations a file with syntax errors still holds parsed cleanly,
    // so they are checked like any other: the user sees their errors now,
    // not after fixing the syntax. Their entities stay out of the coverage
    // checks (broken_), and what they link to is not reported as uncovered.
    // Nothing reads a file's AST after this loop's turn for it (the symbol
    // table keeps the spans of declared names), so each one is released
    // right away. Unused imports are still reported after every file, as
    // before: the diagnostics keep their order (which decides what
    // --max-errors cuts).
    std::vector<Diagnostic> unused_imports;
    // Catalogs first: a file may name the entries of a catalog declared in
    // a file that sorts after it.
    for (Unit& unit : units_) {
      if (!Ensure(unit, Pass::kCatalogs)) return nullptr;
      LowerAll(unit, Pass::kCatalogs);
    }
    for (Unit& unit : units_) {
      if (!Ensure(unit, Pass::kRest)) return nullptr;
      LowerAll(unit, Pass::kRest);
      if (unit.broken) {
        MarkLinksOfBrokenFile(*unit.ast);
      } else {
        unit.scope->CollectUnusedImports(unused_imports);
      }
      Release(unit);
    }
    for (Diagnostic& diag : unused_imports) diags_.Report(std::move(diag));
    for (auto& kind : kinds_) kind->Finish(*program_, diags_);
    Finalize();
    LinkRefinements(*program_, diags_);
    if (options_.coverage_warnings || options_.untested_warnings) {
      CoverageOptions coverage{options_.coverage_warnings, options_.untested_warnings, &broken_,
                               &unsure_};
      CheckCoverage(*program_, coverage, diags_);
    }
    return std::move(program_);
  }

 private:
  // Drops what reads the unit's AST (its scope and the resolver over it),
  // then the AST itself when the analyzer owns it.
  void Release(Unit& unit) {
    resolver_.reset();
    unit.scope.reset();
    unit.entities = {};
    unit.ast = nullptr;
    unit.taken.reset();
    unit.owned.reset();
  }

  // From outlines: takes the unit's AST when `pass` reads its bodies (the
  // catalog pass, only for a file that declares a catalog). False when the
  // feed declined it.
  bool Ensure(Unit& unit, Pass pass) {
    if (feed_ == nullptr || unit.taken) return true;
    if (pass == Pass::kCatalogs && !syntax::DeclaresCatalog(*unit.ast)) return true;
    unit.taken = feed_->Take(static_cast<size_t>(&unit - units_.data()));
    if (!unit.taken) return false;
    unit.ast = unit.taken.get();
    return true;
  }

  DetectionKind* FindKind(std::string_view name) {
    for (auto& kind : kinds_) {
      if (kind->name() == name) return kind.get();
    }
    return nullptr;
  }

  // ---- pass 1: every declaration gets an IR shell and a symbol ------------
  void DeclareAll(Unit& unit) {
    std::string package = unit.ast->package.str();
    unit.entities.reserve(unit.ast->decls.size());
    for (const ast::Decl& decl : unit.ast->decls) {
      unit.entities.push_back(nullptr);
      std::unique_ptr<ir::Entity> owned;
      switch (decl.kind) {
        case ast::Decl::Kind::kCatalog: owned = std::make_unique<ir::Catalog>(); break;
        case ast::Decl::Kind::kAsset: owned = std::make_unique<ir::Asset>(); break;
        case ast::Decl::Kind::kPersona: owned = std::make_unique<ir::Persona>(); break;
        case ast::Decl::Kind::kThreat: owned = std::make_unique<ir::Threat>(); break;
        case ast::Decl::Kind::kMitigation: owned = std::make_unique<ir::Mitigation>(); break;
        case ast::Decl::Kind::kFilter: owned = std::make_unique<ir::Filter>(); break;
        case ast::Decl::Kind::kDetection: {
          auto detection = std::make_unique<ir::Detection>();
          detection->detection_kind = decl.detection_kind ? decl.detection_kind->text : "";
          owned = std::move(detection);
          break;
        }
      }
      owned->package = package;
      owned->name = decl.name.text;
      owned->span = decl.span;
      owned->name_span = decl.name.span;
      owned->meta.title = decl.title.value_or("");
      Symbol symbol{owned->qualified_name(), package, decl.name.text, decl.name.span, owned.get(),
                    unit.ast->file};
      if (!symbols_.Add(symbol, diags_)) continue;  // duplicate: reported, dropped
      if (unit.broken) broken_.insert(owned.get());
      unit.entities.back() = owned.get();
      Store(std::move(owned));
    }
  }

  void Store(std::unique_ptr<ir::Entity> entity) {
    ir::Entity* raw = entity.release();
    switch (raw->kind) {
      case EntityKind::kCatalog: program_->catalogs.emplace_back(static_cast<ir::Catalog*>(raw)); break;
      case EntityKind::kAsset: program_->assets.emplace_back(static_cast<ir::Asset*>(raw)); break;
      case EntityKind::kPersona: program_->personas.emplace_back(static_cast<ir::Persona*>(raw)); break;
      case EntityKind::kThreat: program_->threats.emplace_back(static_cast<ir::Threat*>(raw)); break;
      case EntityKind::kMitigation:
        program_->mitigations.emplace_back(static_cast<ir::Mitigation*>(raw));
        break;
      case EntityKind::kDetection:
        program_->detections.emplace_back(static_cast<ir::Detection*>(raw));
        break;
      case EntityKind::kFilter: program_->filters.emplace_back(static_cast<ir::Filter*>(raw)); break;
    }
  }

  // ---- import cycles ----------------------------------------------------------
  void CheckImportCycles() {
    // package -> (imported package, the import that says so)
    std::map<std::string, std::vector<std::pair<std::string, const ast::Import*>>> graph;
    for (const Unit& unit : units_) {
      for (const auto& edge : unit.scope->package_edges()) {
        if (edge.first != unit.scope->package()) graph[unit.scope->package()].push_back(edge);
      }
    }
    enum class State { kNew, kActive, kDone };
    std::map<std::string, State> state;
    std::vector<std::string> stack;
    std::set<const ast::Import*> reported;
    std::function<void(const std::string&)> visit = [&](const std::string& package) {
      state[package] = State::kActive;
      stack.push_back(package);
      for (const auto& [target, import] : graph[package]) {
        if (state[target] == State::kActive) {
          if (reported.insert(import).second) {
            auto begin = std::find(stack.begin(), stack.end(), target);
            std::string cycle;
            for (auto it = begin; it != stack.end(); ++it) cycle += "`" + *it + "` -> ";
            cycle += "`" + target + "`";
            diags_.Report(Diag(DiagCode::kImportCycle, import->span,
                               fmt::format("import cycle between packages: {}", cycle))
                              .Label("this import closes the cycle")
                              .Help("link threats and detections from one side only (e.g. "
                                    "`detects:` on the detection instead of `detected_by:` on the "
                                    "threat), or move shared declarations into their own package"));
          }
        } else if (state[target] == State::kNew) {
          visit(target);
        }
      }
      stack.pop_back();
      state[package] = State::kDone;
    };
    for (auto& [package, edges] : graph) {
      if (state[package] == State::kNew) visit(package);
    }
  }

  // ---- pass 2: bodies -----------------------------------------------------------

  void LowerAll(Unit& unit, Pass pass) {
    current_ = &unit;
    resolver_ = std::make_unique<FileResolver>(*unit.scope, diags_);
    for (size_t i = 0; i < unit.ast->decls.size(); ++i) {
      const ast::Decl& decl = unit.ast->decls[i];
      ir::Entity* entity = unit.entities[i];
      if (!entity) continue;  // a dropped duplicate
      if ((decl.kind == ast::Decl::Kind::kCatalog) != (pass == Pass::kCatalogs)) continue;
      switch (decl.kind) {
        case ast::Decl::Kind::kCatalog: LowerCatalog(decl, *static_cast<ir::Catalog*>(entity)); break;
        case ast::Decl::Kind::kAsset: LowerAsset(decl, *static_cast<ir::Asset*>(entity)); break;
        case ast::Decl::Kind::kPersona: LowerPersona(decl, *static_cast<ir::Persona*>(entity)); break;
        case ast::Decl::Kind::kThreat: LowerThreat(decl, *static_cast<ir::Threat*>(entity)); break;
        case ast::Decl::Kind::kMitigation:
          LowerMitigation(decl, *static_cast<ir::Mitigation*>(entity));
          break;
        case ast::Decl::Kind::kDetection:
          LowerDetection(decl, *static_cast<ir::Detection*>(entity));
          break;
        case ast::Decl::Kind::kFilter: LowerFilter(decl, *static_cast<ir::Filter*>(entity)); break;
      }
    }
    current_ = nullptr;
  }

  void LowerMeta(const MemberIndex& index, ir::Meta& meta) {
    if (const auto* p = index.Get("description")) meta.description = GetString(*p, diags_).value_or("");
    if (const auto* p = index.Get("status")) meta.status = GetEnum(*p, kStatuses, diags_).value_or("");
    if (const auto* p = index.Get("author")) meta.author = GetString(*p, diags_).value_or("");
    if (const auto* p = index.Get("date")) meta.date = GetDate(*p, diags_);
    if (const auto* p = index.Get("modified")) meta.modified = GetDate(*p, diags_);
    if (const auto* p = index.Get("references")) {
      meta.references = GetStrings(*p, diags_).value_or(std::vector<std::string>{});
    }
    if (const auto* p = index.Get("tags")) {
      meta.tags = GetStrings(*p, diags_).value_or(std::vector<std::string>{});
    }
    if (meta.date && meta.modified && *meta.modified < *meta.date) {
      const auto* p = index.Get("modified");
      diags_.Report(Diag(DiagCode::kModifiedBeforeDate, p->values.front().span,
                         fmt::format("`modified` ({}) is earlier than `date` ({})",
                                     meta.modified->str(), meta.date->str()))
                        .Secondary(index.Get("date")->values.front().span, "`date` is set here")
                        .Help("`modified` records the last change, so it cannot precede `date`"));
    }
    if (meta.author.empty()) meta.author = program_->manifest.author;
  }

  void RequireTitle(const ast::Decl& decl) {
    if (decl.title) RequireUtf8(*decl.title, decl.title_span, "the title", diags_);
    if (!decl.title || decl.title->empty()) {
      diags_.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                         fmt::format("{} `{}` has no title", ast::DeclKindName(decl.kind),
                                     decl.name.text))
                        .Label("a title string is expected after the name")
                        .Help(fmt::format("write `{} {} \"Short human-readable title\" {{ ... }}`",
                                          ast::DeclKindName(decl.kind), decl.name.text)));
    }
  }

  // `failed`, when given, receives the simple names of the references that
  // did not resolve (E0200, E0202, E0206...), for MarkUnsure.
  template <typename T>
  std::vector<const T*> ResolveRefs(const ast::Property& prop, Expected expected,
                                    std::vector<std::string>* failed = nullptr) {
    expected.role = prop.key.text;
    std::vector<const T*> out;
    for (const ast::Value* value : Flatten(prop)) {
      if (value->kind != ast::Value::Kind::kRef || value->catalog_key()) {
        diags_.Report(Diag(DiagCode::kWrongValueType, value->span,
                           fmt::format("`{}` expects names of declarations, found {}",
                                       prop.key.text, DescribeValue(*value)))
                          .Help("write the declaration's name without quotes"));
        if (failed) failed->push_back("");
        continue;
      }
      if (const Symbol* symbol = current_->scope->Resolve(value->ref, expected, diags_)) {
        const T* target = static_cast<const T*>(symbol->entity);
        if (std::find(out.begin(), out.end(), target) == out.end()) out.push_back(target);
      } else if (failed) {
        failed->push_back(value->ref.parts.empty() ? "" : value->ref.parts.back().text);
      }
    }
    return out;
  }

  // A coverage link (`mitigated_by`, `detected_by`, `addresses`, `detects`)
  // of `owner` with references that did not resolve: the gap it leaves on
  // `owner` (`own_gap`) and on each entity it meant (`target_gap`) is a
  // consequence of the error, not a finding of its own.
  void MarkUnsure(const std::string& owner, DiagCode own_gap, DiagCode target_gap,
                  const std::vector<std::string>& failed) {
    if (failed.empty()) return;
    unsure_[owner].insert(own_gap);
    for (const std::string& name : failed) {
      if (!name.empty()) unsure_[name].insert(target_gap);
    }
  }

  // Links written in files too broken to check were never read; the
  // entities they name are not reported as uncovered either.
  void MarkLinksOfBrokenFile(const ast::File& file) {
    static const std::map<std::string, DiagCode, std::less<>> kGapOfTarget = {
        {"mitigated_by", DiagCode::kMitigationUnused},
        {"detected_by", DiagCode::kDetectionWithoutThreat},
        {"addresses", DiagCode::kThreatNotMitigated},
        {"detects", DiagCode::kThreatNotDetected},
        {"refines", DiagCode::kThreatNotDetected}};
    for (const ast::Decl& decl : file.decls) {
      for (const ast::Member& member : decl.body.members) {
        if (member.kind != ast::Member::Kind::kProperty) continue;
        auto gap = kGapOfTarget.find(member.property.key.text);
        if (gap == kGapOfTarget.end()) continue;
        for (const ast::Value* value : Flatten(member.property)) {
          if (value->kind == ast::Value::Kind::kRef && !value->ref.parts.empty()) {
            unsure_[value->ref.parts.back().text].insert(gap->second);
          }
        }
      }
    }
  }

  std::vector<ir::CatalogRef> ResolveCatalogRefs(const ast::Property& prop) {
    std::vector<ir::CatalogRef> out;
    for (const ast::Value* value : Flatten(prop)) {
      if (value->kind != ast::Value::Kind::kRef || !value->catalog_key()) {
        diags_.Report(Diag(DiagCode::kWrongValueType, value->span,
                           fmt::format("`{}` expects catalog references, found {}", prop.key.text,
                                       DescribeValue(*value)))
                          .Help("write a catalog name and a quoted ID, e.g. `atlas.\"AML.T0051\"`"));
        continue;
      }
      Expected expected{{EntityKind::kCatalog}, "", prop.key.text};
      const Symbol* symbol = current_->scope->Resolve(value->ref, expected, diags_);
      if (!symbol) continue;
      const auto* catalog = static_cast<const ir::Catalog*>(symbol->entity);
      std::string key = *value->catalog_key();
      std::string version;
      if (size_t at = key.rfind('@'); at != std::string::npos) {
        version = key.substr(at + 1);
        key = key.substr(0, at);
      }
      const ir::CatalogEntry* entry = catalog->Find(key);
      if (!entry) {
        DiagBuilder diag = Diag(DiagCode::kUnknownCatalogEntry, value->catalog_key_span(),
                                fmt::format("catalog `{}` has no entry `{}`", catalog->name, key));
        diag.Label("unknown ID");
        std::vector<std::string> ids;
        for (const auto& e : catalog->entries) ids.push_back(e->id);
        if (!version.empty() && version != catalog->version) {
          diag.Note(fmt::format("this mapping was made against {} version {}, and the loaded "
                                "catalog is version {}: the ID may have been removed since",
                                catalog->name, version, catalog->version));
        }
        if (auto close = ClosestMatch(key, ids)) {
          diag.Help(fmt::format("did you mean `{}`?", *close));
        } else {
          diag.Help(fmt::format("add `entry \"{}\" \"...\"` to catalog `{}`, or fix the ID", key,
                                catalog->qualified_name()));
        }
        diags_.Report(std::move(diag));
        continue;
      }
      if (entry->deprecated || entry->renamed_to) {
        DiagBuilder diag = Diag(DiagCode::kDeprecatedCatalogEntry, value->catalog_key_span(),
                                fmt::format("`{}` is {} in {} {}", key,
                                            entry->renamed_to ? "renamed" : "deprecated",
                                            catalog->name, catalog->version));
        diag.Secondary(entry->span, "marked here");
        if (!version.empty() && version != catalog->version) {
          diag.Note(fmt::format("this mapping was made against {} version {}; the loaded "
                                "catalog is version {}",
                                catalog->name, version, catalog->version));
        }
        if (entry->renamed_to) {
          // A pinned mapping stays pinned, to the version that has the new ID.
          std::string replacement = *entry->renamed_to;
          if (!version.empty() && !catalog->version.empty()) replacement += "@" + catalog->version;
          diag.Help(fmt::format("map to `{}` instead", *entry->renamed_to))
              .Fix(value->catalog_key_span(), "\"" + replacement + "\"");
        } else if (entry->deprecated) {
          diag.Help("map to the entry that replaces it, or remove the mapping");
        }
        diags_.Report(std::move(diag));
      }
      // W0211 above already names both versions; one warning per mapping.
      const bool drift_reported = entry->deprecated || entry->renamed_to.has_value();
      if (!drift_reported && !version.empty() && !catalog->version.empty() &&
          version != catalog->version) {
        // Either way the entry may not mean what it meant when the mapping
        // was reviewed: the catalog was updated since, or is behind it.
        bool pin_newer = VersionLess(catalog->version, version);
        DiagBuilder diag = Diag(DiagCode::kCatalogVersionDrift, value->catalog_key_span(),
                                fmt::format("mapping is pinned to {} version {}, {} than the loaded "
                                            "catalog (version {})",
                                            catalog->name, version,
                                            pin_newer ? "newer" : "older", catalog->version));
        diag.Label(fmt::format("pinned to {}", version)).Secondary(entry->span, "loaded entry");
        if (pin_newer) {
          diag.Help(fmt::format("update catalog `{}` to version {}, or pin the mapping to the "
                                "version it was checked against",
                                catalog->name, version));
        } else {
          diag.Help(fmt::format("check that `{}` still means the same in version {}, then "
                                "update the pin",
                                key, catalog->version))
              .Fix(value->catalog_key_span(), fmt::format("\"{}@{}\"", key, catalog->version));
        }
        diags_.Report(std::move(diag));
      }
      out.push_back({entry, version, value->span});
    }
    return out;
  }

  static bool VersionLess(std::string_view a, std::string_view b) {
    auto parts = [](std::string_view v) {
      std::vector<long> out;
      long n = 0;
      bool any = false;
      for (char c : v) {
        if (c >= '0' && c <= '9') {
          n = n * 10 + (c - '0');
          any = true;
        } else {
          if (any) out.push_back(n);
          n = 0;
          any = false;
        }
      }
      if (any) out.push_back(n);
      return out;
    };
    return parts(a) < parts(b);
  }

  // ---- declarations -------------------------------------------------------------
  void LowerCatalog(const ast::Decl& decl, ir::Catalog& catalog) {
    RequireTitle(decl);
    MemberIndex index(decl.body, Concat(kMetaProperties, {"framework", "version", "url"}),
                      "a catalog", diags_);
    LowerMeta(index, catalog.meta);
    if (const auto* p = index.Get("framework")) {
      if (const ast::Value* v = Single(*p, diags_)) {
        if (v->kind == ast::Value::Kind::kRef && v->ref.parts.size() == 1 && !v->catalog_key()) {
          catalog.framework = v->ref.parts[0].text;
        } else if (auto text = AsString(*v, "framework", diags_)) {
          catalog.framework = *text;
        }
      }
    }
    if (catalog.framework.empty()) catalog.framework = catalog.name;
    if (const auto* p = index.Get("version")) {
      catalog.version = GetString(*p, diags_).value_or("");
    } else {
      diags_.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                         fmt::format("catalog `{}` has no `version`", decl.name.text))
                        .Label("version missing")
                        .Help("add `version: \"5.6.1\"` (the framework release this catalog "
                              "copies), so mappings can be pinned and checked for drift"));
    }
    if (const auto* p = index.Get("url")) catalog.url = GetString(*p, diags_).value_or("");
    std::vector<std::pair<const ir::CatalogEntry*, Span>> renames;
    for (const ast::CatalogEntry& entry : decl.entries) {
      auto item = std::make_unique<ir::CatalogEntry>();
      item->catalog = &catalog;
      item->id = entry.id;
      item->title = entry.title.value_or("");
      item->span = entry.span;
      if (entry.id.empty()) {
        diags_.Report(Diag(DiagCode::kEmptyValue, entry.id_span, "catalog entry with an empty ID")
                          .Help("give the entry its framework ID, e.g. \"AML.T0051\""));
        continue;
      }
      if (!RequireUtf8(entry.id, entry.id_span, "the entry ID", diags_)) continue;
      if (entry.title && !RequireUtf8(*entry.title, entry.title_span, "the entry title", diags_)) {
        item->title.clear();
      }
      Span renamed_span = entry.id_span;
      if (entry.body) LowerEntryBody(*entry.body, *item, renamed_span);
      if (item->renamed_to) renames.emplace_back(item.get(), renamed_span);
      auto [it, inserted] = catalog.by_id.emplace(item->id, item.get());
      if (!inserted) {
        diags_.Report(Diag(DiagCode::kDuplicateId, entry.id_span,
                           fmt::format("catalog `{}` lists `{}` twice", catalog.name, entry.id))
                          .Label("listed again here")
                          .Secondary(it->second->span, "first listed here")
                          .Help("remove one of the entries"));
        continue;
      }
      catalog.entries.push_back(std::move(item));
    }
    CheckRenames(catalog, renames);
  }

  // A renamed entry must point at an entry of the same catalog: the W0211 fix
  // for mappings to the old ID writes the new one.
  void CheckRenames(const ir::Catalog& catalog,
                    const std::vector<std::pair<const ir::CatalogEntry*, Span>>& renames) {
    for (const auto& [entry, span] : renames) {
      const std::string& target = *entry->renamed_to;
      if (catalog.Find(target)) continue;
      std::vector<std::string> ids;  // every other entry: renaming to itself is no fix
      for (const auto& e : catalog.entries) {
        if (e.get() != entry) ids.push_back(e->id);
      }
      DiagBuilder diag = Diag(DiagCode::kUnknownCatalogEntry, span,
                              fmt::format("`{}` is renamed to `{}`, which catalog `{}` does not "
                                          "have",
                                          entry->id, target, catalog.name));
      diag.Label("unknown ID");
      if (auto close = ClosestMatch(target, ids)) {
        diag.Help(fmt::format("did you mean `{}`?", *close));
      } else {
        diag.Help(fmt::format("add `entry \"{}\"` to the catalog, or fix `renamed_to`", target));
      }
      diags_.Report(std::move(diag));
    }
  }

  void LowerEntryBody(const ast::Body& body, ir::CatalogEntry& entry, Span& renamed_span) {
    MemberIndex index(body, {"kind", "parents", "deprecated", "renamed_to"}, "a catalog entry",
                      diags_, /*pass_through_unknown=*/true);
    if (const auto* p = index.Get("kind")) {
      if (const ast::Value* v = Single(*p, diags_)) {
        if (v->kind == ast::Value::Kind::kRef && v->ref.parts.size() == 1 && !v->catalog_key()) {
          entry.kind = v->ref.parts[0].text;
        } else {
          entry.kind = AsString(*v, "kind", diags_).value_or("");
        }
      }
    }
    if (const auto* p = index.Get("parents")) {
      entry.parents = GetStrings(*p, diags_).value_or(std::vector<std::string>{});
    }
    if (const auto* p = index.Get("deprecated")) entry.deprecated = GetBool(*p, diags_).value_or(false);
    if (const auto* p = index.Get("renamed_to")) {
      entry.renamed_to = GetString(*p, diags_);
      if (!p->values.empty()) renamed_span = p->values.front().span;
    }
    // Other scalar properties are kept (url, description, ...) for documents.
    for (const ast::Member* member : index.rest()) {
      if (member->kind != ast::Member::Kind::kProperty) {
        diags_.Report(Diag(DiagCode::kUnknownProperty, member->keyword_span,
                           "catalog entries hold properties only")
                          .Help("write `key: value` pairs"));
        continue;
      }
      const ast::Property& prop = member->property;
      std::string joined;
      for (const ast::Value* v : Flatten(prop)) {
        if (!joined.empty()) joined += ", ";
        joined += v->kind == ast::Value::Kind::kRef ? v->ref.str()
                  : v->text.empty()                 ? v->number().text
                                                    : v->text;
      }
      entry.extra[prop.key.text] = joined;
    }
  }

  void LowerAsset(const ast::Decl& decl, ir::Asset& asset) {
    RequireTitle(decl);
    MemberIndex index(decl.body, Concat(kMetaProperties, {"kind", "maps"}), "an asset", diags_);
    LowerMeta(index, asset.meta);
    if (const auto* p = index.Get("kind")) asset.asset_kind = GetEnum(*p, kAssetKinds, diags_).value_or("");
    if (const auto* p = index.Get("maps")) asset.maps = ResolveCatalogRefs(*p);
  }

  void LowerPersona(const ast::Decl& decl, ir::Persona& persona) {
    RequireTitle(decl);
    MemberIndex index(decl.body, Concat(kMetaProperties, {"maps"}), "a persona", diags_);
    LowerMeta(index, persona.meta);
    if (const auto* p = index.Get("maps")) persona.maps = ResolveCatalogRefs(*p);
  }

  std::string NameOrString(const ast::Property& prop) {
    const ast::Value* v = Single(prop, diags_);
    if (!v) return "";
    if (v->kind == ast::Value::Kind::kRef && v->ref.parts.size() == 1 && !v->catalog_key()) {
      return v->ref.parts[0].text;
    }
    return AsString(*v, prop.key.text, diags_).value_or("");
  }

  void LowerThreat(const ast::Decl& decl, ir::Threat& threat) {
    RequireTitle(decl);
    MemberIndex index(decl.body,
                      Concat(kMetaProperties, {"severity", "likelihood", "impact", "category",
                                               "stage", "affects", "personas", "maps",
                                               "mitigated_by", "detected_by", "refines",
                                               "detection_gap"}),
                      "a threat", diags_);
    LowerMeta(index, threat.meta);
    if (const auto* p = index.Get("severity")) {
      if (auto v = GetEnum(*p, kSeverities, diags_)) threat.severity = IndexOf<ir::Severity>(kSeverities, *v);
    } else {
      diags_.Report(Diag(DiagCode::kMissingProperty, decl.name.span,
                         fmt::format("threat `{}` has no `severity`", decl.name.text))
                        .Label("severity missing")
                        .Help("add `severity: high` (one of info, low, medium, high, critical)"));
    }
    if (const auto* p = index.Get("likelihood")) {
      if (auto v = GetEnum(*p, kLikelihoods, diags_)) {
        threat.likelihood = IndexOf<ir::Likelihood>(kLikelihoods, *v, 1);
      }
    }
    if (const auto* p = index.Get("impact")) {
      if (auto v = GetEnum(*p, kImpacts, diags_)) threat.impact = IndexOf<ir::Impact>(kImpacts, *v, 1);
    }
    if (const auto* p = index.Get("category")) threat.category = NameOrString(*p);
    if (const auto* p = index.Get("stage")) {
      for (const ast::Value* v : Flatten(*p)) {
        if (auto stage = AsEnum(*v, "stage", kStages, diags_)) threat.stages.push_back(*stage);
      }
    }
    if (const auto* p = index.Get("affects")) {
      threat.affects = ResolveRefs<ir::Asset>(*p, {{EntityKind::kAsset}, "", ""});
    }
    if (const auto* p = index.Get("personas")) {
      threat.personas = ResolveRefs<ir::Persona>(*p, {{EntityKind::kPersona}, "", ""});
    }
    if (const auto* p = index.Get("maps")) threat.maps = ResolveCatalogRefs(*p);
    if (const auto* p = index.Get("mitigated_by")) {
      std::vector<std::string> failed;
      for (const ir::Mitigation* m :
           ResolveRefs<ir::Mitigation>(*p, {{EntityKind::kMitigation}, "", ""}, &failed)) {
        Link(threat, *const_cast<ir::Mitigation*>(m));
      }
      MarkUnsure(threat.name, DiagCode::kThreatNotMitigated, DiagCode::kMitigationUnused, failed);
    }
    if (const auto* p = index.Get("detected_by")) {
      std::vector<std::string> failed;
      for (const ir::Detection* d :
           ResolveRefs<ir::Detection>(*p, {{EntityKind::kDetection}, "", ""}, &failed)) {
        Link(threat, *const_cast<ir::Detection*>(d));
      }
      MarkUnsure(threat.name, DiagCode::kThreatNotDetected, DiagCode::kDetectionWithoutThreat,
                 failed);
    }
    if (const auto* p = index.Get("refines")) LowerRefines(*p, threat);
    if (const auto* p = index.Get("detection_gap")) {
      if (auto why = GetString(*p, diags_)) {
        Span span = p->values.empty() ? p->key.span : p->values.front().span;
        if (why->find_first_not_of(" \t\n\r") == std::string::npos) {
          diags_.Report(Diag(DiagCode::kEmptyValue, span, "`detection_gap` gives no reason")
                            .Label("empty reason")
                            .Help("say why no log event or file content can reveal this threat, "
                                  "e.g. `detection_gap: \"happens inside the vendor's training "
                                  "run, which we never see\"`"));
        } else {
          threat.detection_gap = *why;
          threat.detection_gap_span = span;
        }
      }
    }
  }

  // `refines: broader, ...`: each name must be another threat. Cycles
  // through other threats are found once every threat is lowered
  // (LinkRefinements); a threat naming itself is reported here.
  void LowerRefines(const ast::Property& prop, ir::Threat& threat) {
    Expected expected{{EntityKind::kThreat}, "", prop.key.text};
    for (const ast::Value* value : Flatten(prop)) {
      if (value->kind != ast::Value::Kind::kRef || value->catalog_key()) {
        diags_.Report(Diag(DiagCode::kWrongValueType, value->span,
                           fmt::format("`refines` expects names of threats, found {}",
                                       DescribeValue(*value)))
                          .Help("write the broader threat's name without quotes; a framework "
                                "ID belongs in `maps`"));
        continue;
      }
      const Symbol* symbol = current_->scope->Resolve(value->ref, expected, diags_);
      if (!symbol) {
        // The threat it meant may be detected only through this one.
        if (!value->ref.parts.empty()) {
          unsure_[value->ref.parts.back().text].insert(DiagCode::kThreatNotDetected);
        }
        continue;
      }
      const auto* target = static_cast<const ir::Threat*>(symbol->entity);
      if (target == &threat) {
        diags_.Report(Diag(DiagCode::kRefinementCycle, value->span,
                           fmt::format("threat `{}` refines itself", threat.name))
                          .Label("names the threat it is written in")
                          .Help("name the broader threat this one is a case of, or remove it"));
        continue;
      }
      if (std::find(threat.refines.begin(), threat.refines.end(), target) != threat.refines.end()) {
        continue;
      }
      threat.refines.push_back(target);
      threat.refine_spans.push_back(value->span);
    }
  }

  void LowerMitigation(const ast::Decl& decl, ir::Mitigation& mitigation) {
    RequireTitle(decl);
    MemberIndex index(decl.body,
                      Concat(kMetaProperties, {"type", "effectiveness", "category", "implements",
                                               "applies_to", "personas", "addresses"}),
                      "a mitigation", diags_);
    LowerMeta(index, mitigation.meta);
    if (const auto* p = index.Get("type")) {
      if (auto v = GetEnum(*p, kMitigationTypes, diags_)) {
        mitigation.type = IndexOf<ir::MitigationType>(kMitigationTypes, *v);
      }
    }
    if (const auto* p = index.Get("effectiveness")) {
      if (auto v = GetEnum(*p, kEffectiveness, diags_)) {
        mitigation.effectiveness = IndexOf<ir::Effectiveness>(kEffectiveness, *v, 1);
      }
    }
    if (const auto* p = index.Get("category")) mitigation.category = NameOrString(*p);
    if (const auto* p = index.Get("implements")) mitigation.implements = ResolveCatalogRefs(*p);
    if (const auto* p = index.Get("applies_to")) {
      mitigation.applies_to = ResolveRefs<ir::Asset>(*p, {{EntityKind::kAsset}, "", ""});
    }
    if (const auto* p = index.Get("personas")) {
      mitigation.personas = ResolveRefs<ir::Persona>(*p, {{EntityKind::kPersona}, "", ""});
    }
    if (const auto* p = index.Get("addresses")) {
      std::vector<std::string> failed;
      for (const ir::Threat* t :
           ResolveRefs<ir::Threat>(*p, {{EntityKind::kThreat}, "", ""}, &failed)) {
        Link(*const_cast<ir::Threat*>(t), mitigation);
      }
      MarkUnsure(mitigation.name, DiagCode::kMitigationUnused, DiagCode::kThreatNotMitigated,
                 failed);
    }
  }

  LoweringContext MakeContext() {
    const SourceFile* source = sources_.Get(current_->ast->file);
    std::string base_dir = source ? fs::path(source->path()).parent_path().string() : ".";
    std::string root = program_->manifest.root.empty() ? base_dir : program_->manifest.root;
    return LoweringContext{sources_, diags_, *resolver_, *current_->ast, base_dir, root};
  }

  void LowerDetection(const ast::Decl& decl, ir::Detection& detection) {
    RequireTitle(decl);
    DetectionKind* kind = FindKind(detection.detection_kind);
    if (!kind) {
      std::vector<std::string> names;
      for (auto& k : kinds_) names.push_back(std::string(k->name()));
      Span span = decl.detection_kind ? decl.detection_kind->span : decl.keyword_span;
      DiagBuilder diag = Diag(DiagCode::kInvalidEnumValue, span,
                              fmt::format("unknown detection kind `{}`", detection.detection_kind));
      diag.Label("not a detection kind").Note("detection kinds are " + JoinAlternatives(names));
      if (auto close = ClosestMatch(detection.detection_kind, names)) {
        diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(span, *close);
      }
      diags_.Report(std::move(diag));
      return;
    }
    MemberIndex index(decl.body, CommonDetectionMembers(), "a detection", diags_,
                      /*pass_through_unknown=*/true);
    LowerMeta(index, detection.meta);
    if (const auto* p = index.Get("id")) {
      if (auto id = GetString(*p, diags_)) {
        if (IsUuid(*id)) {
          std::string lower = *id;
          std::transform(lower.begin(), lower.end(), lower.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          detection.id = lower;
          PinId(lower, p->values.front().span);
        } else {
          diags_.Report(Diag(DiagCode::kInvalidUuid, p->values.front().span,
                             fmt::format("`{}` is not a UUID", *id))
                            .Help("write the canonical form, e.g. "
                                  "\"0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11\", or remove `id` to "
                                  "get a stable derived one"));
        }
      }
    }
    if (const auto* p = index.Get("level")) {
      if (auto v = GetEnum(*p, kLevels, diags_)) detection.level = IndexOf<ir::Level>(kLevels, *v);
    }
    if (const auto* p = index.Get("falsepositives")) {
      detection.falsepositives = GetStrings(*p, diags_).value_or(std::vector<std::string>{});
    }
    if (const auto* p = index.Get("detects")) {
      std::vector<std::string> failed;
      for (const ir::Threat* t :
           ResolveRefs<ir::Threat>(*p, {{EntityKind::kThreat}, "", ""}, &failed)) {
        Link(*const_cast<ir::Threat*>(t), detection);
      }
      MarkUnsure(detection.name, DiagCode::kDetectionWithoutThreat, DiagCode::kThreatNotDetected,
                 failed);
    }
    // `related { renamed: "uuid" ... }` is a common block; the kind skips it.
    for (const ast::Member* member : index.rest()) {
      if (member->kind == ast::Member::Kind::kBlock && member->block()->kind.text == "related") {
        LowerRelated(*member->block(), detection);
      }
    }
    LoweringContext ctx = MakeContext();
    detection.logic = kind->Lower(decl, detection, ctx);
  }

  void PinId(const std::string& id, Span span) {
    auto [it, inserted] = pinned_ids_.emplace(id, span);
    if (!inserted) {
      diags_.Report(Diag(DiagCode::kDuplicateId, span, fmt::format("ID `{}` is used twice", id))
                        .Secondary(it->second, "first used here")
                        .Help("every rule needs its own ID; remove `id` to derive one"));
    }
  }

  void LowerRelated(const ast::Block& block, ir::Detection& detection) {
    for (const ast::Member& member : block.body.members) {
      if (member.kind != ast::Member::Kind::kProperty) {
        diags_.Report(Diag(DiagCode::kUnknownProperty, member.keyword_span,
                           "`related` holds `type: \"uuid\"` pairs only"));
        continue;
      }
      const ast::Property& prop = member.property;
      ast::Value key;
      key.kind = ast::Value::Kind::kString;
      key.span = prop.key.span;
      key.text = prop.key.text;
      auto type = AsEnum(key, "related type", kRelatedTypes, diags_);
      auto ids = GetStrings(prop, diags_);
      if (!type || !ids) continue;
      for (size_t i = 0; i < ids->size(); ++i) {
        if (!IsUuid((*ids)[i])) {
          diags_.Report(Diag(DiagCode::kInvalidUuid, Flatten(prop)[i]->span,
                             fmt::format("`{}` is not a UUID", (*ids)[i]))
                            .Help("related rules are named by their Sigma `id`"));
          continue;
        }
        detection.related.push_back({*type, (*ids)[i]});
      }
    }
  }

  void LowerFilter(const ast::Decl& decl, ir::Filter& filter) {
    RequireTitle(decl);
    MemberIndex index(decl.body, CommonFilterMembers(), "a filter", diags_,
                      /*pass_through_unknown=*/true);
    LowerMeta(index, filter.meta);
    if (const auto* p = index.Get("id")) {
      if (auto id = GetString(*p, diags_)) {
        if (IsUuid(*id)) {
          filter.id = *id;
          PinId(*id, p->values.front().span);
        } else {
          diags_.Report(Diag(DiagCode::kInvalidUuid, p->values.front().span,
                             fmt::format("`{}` is not a UUID", *id)));
        }
      }
    }
    LoweringContext ctx = MakeContext();
    LowerSigmaFilter(decl, filter, ctx);
  }

  // ---- links and final order -------------------------------------------------
  template <typename T>
  static void AddUnique(std::vector<const T*>& list, const T* item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
  }
  static void Link(ir::Threat& threat, ir::Mitigation& mitigation) {
    AddUnique(threat.mitigations, static_cast<const ir::Mitigation*>(&mitigation));
    AddUnique(mitigation.threats, static_cast<const ir::Threat*>(&threat));
  }
  static void Link(ir::Threat& threat, ir::Detection& detection) {
    AddUnique(threat.detections, static_cast<const ir::Detection*>(&detection));
    AddUnique(detection.threats, static_cast<const ir::Threat*>(&threat));
  }

  void Finalize() {
    auto by_name = [](const auto& a, const auto& b) { return QualifiedNameLess(*a, *b); };
    auto sort_all = [&](auto& list) { std::sort(list.begin(), list.end(), by_name); };
    sort_all(program_->catalogs);
    sort_all(program_->assets);
    sort_all(program_->personas);
    sort_all(program_->threats);
    sort_all(program_->mitigations);
    sort_all(program_->detections);
    sort_all(program_->filters);
    auto sort_refs = [&](auto& list) { std::sort(list.begin(), list.end(), by_name); };
    for (auto& t : program_->threats) {
      sort_refs(t->affects);
      sort_refs(t->personas);
      sort_refs(t->mitigations);
      sort_refs(t->detections);
      for (const ir::Asset* a : t->affects) {
        AddUnique(const_cast<ir::Asset*>(a)->threats, static_cast<const ir::Threat*>(t.get()));
      }
    }
    for (auto& a : program_->assets) sort_refs(a->threats);
    for (auto& m : program_->mitigations) sort_refs(m->threats);
    for (auto& d : program_->detections) sort_refs(d->threats);
    auto index = [&](const auto& list) {
      for (const auto& e : list) program_->by_name.emplace(e->qualified_name(), e.get());
    };
    index(program_->catalogs);
    index(program_->assets);
    index(program_->personas);
    index(program_->threats);
    index(program_->mitigations);
    index(program_->detections);
    index(program_->filters);
  }

  const SourceManager& sources_;
  DiagnosticEngine& diags_;
  SemaOptions options_;
  std::vector<std::unique_ptr<DetectionKind>> kinds_;
  std::unique_ptr<ir::Program> program_;
  std::vector<Unit> units_;
  SymbolTable symbols_;
  std::set<const ir::Entity*> broken_;
  std::map<std::string, std::set<DiagCode>> unsure_;  // see CoverageOptions::unsure
  std::map<std::string, Span> pinned_ids_;
  Unit* current_ = nullptr;
  std::unique_ptr<FileResolver> resolver_;
  AstFeed* feed_ = nullptr;
};

}  // namespace

std::unique_ptr<ir::Program> Analyze(const std::vector<ParsedFile>& files, ir::Manifest manifest,
                                     const SourceManager& sources, DiagnosticEngine& diags,
                                     const SemaOptions& options) {
  Analyzer analyzer(sources, diags, options);
  for (const ParsedFile& file : files) analyzer.AddFile(file);
  return analyzer.Run(std::move(manifest));
}

std::unique_ptr<ir::Program> Analyze(std::vector<ParsedFile>&& files, ir::Manifest manifest,
                                     const SourceManager& sources, DiagnosticEngine& diags,
                                     const SemaOptions& options) {
  Analyzer analyzer(sources, diags, options);
  for (ParsedFile& file : files) analyzer.AddFile(std::move(file));
  files.clear();
  return analyzer.Run(std::move(manifest));
}

std::unique_ptr<ir::Program> AnalyzeFromOutlines(std::vector<std::unique_ptr<ast::File>> outlines,
                                                 AstFeed& feed, ir::Manifest manifest,
                                                 const SourceManager& sources,
                                                 DiagnosticEngine& diags,
                                                 const SemaOptions& options) {
  Analyzer analyzer(sources, diags, options);
  for (auto& outline : outlines) analyzer.AddOutline(std::move(outline), feed);
  outlines.clear();
  return analyzer.Run(std::move(manifest));
}

}  // namespace ward::sema
