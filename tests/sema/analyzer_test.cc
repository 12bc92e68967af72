// Name resolution, imports, links and coverage: the analyzer's own checks,
// driven through the real parser so the tests read like user input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "compiler/sema/analyzer.h"
#include "compiler/syntax/parser.h"

namespace ward::sema {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Result {
  SourceManager sources;
  std::vector<std::unique_ptr<ast::File>> asts;
  std::unique_ptr<ir::Program> program;
  DiagnosticEngine diags;

  std::vector<std::string> Codes() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.Sorted()) out.emplace_back(Info(d.code).id);
    return out;
  }
  const Diagnostic* First(std::string_view code) const {
    for (const Diagnostic& d : diags.diagnostics()) {
      if (Info(d.code).id == code) return &d;
    }
    return nullptr;
  }
  std::string Where(const Diagnostic& d) const {
    const SourceFile* f = sources.Get(d.primary.span.file);
    Location loc = f->Locate(d.primary.span.begin);
    return f->path() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  }
};

// `owned`: hand the ASTs to the analyzer, which frees each one once its file
// is checked (what `ward build` does), instead of lending them.
std::unique_ptr<Result> Analyze(std::map<std::string, std::string> files,
                                SemaOptions options = {false, false}, bool owned = false) {
  auto r = std::make_unique<Result>();
  std::vector<ParsedFile> parsed;
  for (auto& [path, text] : files) {
    FileId id = r->sources.Add(path, text);
    DiagnosticEngine file_diags;
    auto ast = syntax::ParseFile(*r->sources.Get(id), file_diags);
    for (const auto& d : file_diags.diagnostics()) r->diags.Report(d);
    if (!ast) continue;
    auto file = std::make_unique<ast::File>(std::move(*ast));
    parsed.push_back({file.get(), file_diags.has_errors()});
    if (owned) {
      parsed.back().owned = std::move(file);
    } else {
      r->asts.push_back(std::move(file));
    }
  }
  ir::Manifest manifest;
  manifest.author = "Test Author";
  r->program = owned ? sema::Analyze(std::move(parsed), manifest, r->sources, r->diags, options)
                     : sema::Analyze(parsed, manifest, r->sources, r->diags, options);
  return r;
}

// Every diagnostic with its code, places and text, for comparing two runs.
std::vector<std::string> Describe(const Result& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diags.Sorted()) {
    std::string line = std::string(Info(d.code).id) + " " + r.Where(d) + " " + d.message;
    for (const auto& label : d.secondary) {
      const SourceFile* f = r.sources.Get(label.span.file);
      Location loc = f->Locate(label.span.begin);
      line += " | " + f->path() + ":" + std::to_string(loc.line) + ":" +
              std::to_string(loc.column) + " " + label.message;
    }
    out.push_back(line);
  }
  return out;
}

constexpr const char* kCatalog = R"(package catalogs
catalog atlas "MITRE ATLAS" {
  framework: mitre_atlas
  version: "5.6.1"
  entry "AML.T0051" "LLM Prompt Injection" { kind: technique }
  entry "AML.T0010" "AI Supply Chain Compromise" { kind: technique }
  entry "AML.T0099" "Old technique" { deprecated: true  renamed_to: "AML.T0051" }
}
)";

TEST(AnalyzerTest, BuildsLinkedProgram) {
  auto r = Analyze({{"catalogs.ward", kCatalog},
                    {"model.ward", R"(package demo
import catalogs.atlas
asset app "LLM application" { kind: application }
threat injection "Prompt injection" {
  severity: high
  affects: app
  maps: atlas."AML.T0051@5.0.1"
  mitigated_by: filtering
}
mitigation filtering "Input filtering" { type: preventive  effectiveness: medium }
mitigation review "Human review" { type: detective  addresses: injection }
)"}});
  EXPECT_FALSE(r->diags.has_errors()) << r->Codes().size();
  ASSERT_EQ(r->program->threats.size(), 1u);
  const ir::Threat& t = *r->program->threats[0];
  EXPECT_EQ(t.qualified_name(), "demo.injection");
  EXPECT_EQ(t.severity, ir::Severity::kHigh);
  ASSERT_EQ(t.mitigations.size(), 2u);  // both directions merged, sorted
  EXPECT_EQ(t.mitigations[0]->name, "filtering");
  EXPECT_EQ(t.mitigations[1]->name, "review");
  ASSERT_EQ(t.maps.size(), 1u);
  EXPECT_EQ(t.maps[0].entry->id, "AML.T0051");
  EXPECT_EQ(t.maps[0].pinned_version, "5.0.1");
  EXPECT_EQ(t.meta.author, "Test Author");  // manifest default
  ASSERT_EQ(r->program->assets[0]->threats.size(), 1u);
  EXPECT_NE(r->program->Find("demo.review"), nullptr);
}

// The program lists entities in the byte order of their qualified names,
// which a piecewise comparison of `package` `.` `name` must reproduce where
// the dot meets a longer package or name (`.` sorts before `_` and letters).
TEST(AnalyzerTest, EntitiesAreSortedByQualifiedName) {
  auto asset = [](const char* package, const char* name) {
    return std::string("package ") + package + "\nasset " + name + " \"" + name +
           "\" { kind: application }\n";
  };
  auto r = Analyze({{"a.ward", asset("p_q", "a")},
                    {"b.ward", asset("p", "xa")},
                    {"c.ward", asset("p", "x_y")},
                    {"d.ward", asset("p.x", "a")},
                    {"e.ward", asset("p", "x")}});
  ASSERT_FALSE(r->diags.has_errors()) << r->Codes().size();
  std::vector<std::string> names;
  for (const auto& a : r->program->assets) names.push_back(a->qualified_name());
  EXPECT_THAT(names, ::testing::ElementsAre("p.x", "p.x.a", "p.x_y", "p.xa", "p_q.a"));
}

TEST(AnalyzerTest, UnresolvedNameSuggestsClosest) {
  auto r = Analyze({{"m.ward", R"(package demo
threat t "T" { severity: low  mitigated_by: safe_formatz }
mitigation safe_formats "Safe formats" { type: preventive }
)"}});
  const Diagnostic* d = r->First("E0200");
  ASSERT_NE(d, nullptr);
  EXPECT_THAT(d->message, HasSubstr("safe_formatz"));
  ASSERT_TRUE(d->help);
  EXPECT_THAT(*d->help, HasSubstr("did you mean `safe_formats`"));
  EXPECT_EQ(r->Where(*d), "m.ward:2:45");
}

TEST(AnalyzerTest, WrongKindPointsAtDeclaration) {
  auto r = Analyze({{"m.ward", R"(package demo
threat a "A" { severity: low  mitigated_by: b }
threat b "B" { severity: low }
)"}});
  const Diagnostic* d = r->First("E0202");
  ASSERT_NE(d, nullptr);
  EXPECT_THAT(d->message, HasSubstr("`b` is a threat, but a mitigation is expected"));
  ASSERT_EQ(d->secondary.size(), 1u);
}

// `ward build` frees each file's AST once the file is checked; the notes
// that point into a file checked (and freed) earlier come from the symbol
// table, and every diagnostic is the same as when the ASTs stay alive.
TEST(AnalyzerTest, FreeingEachCheckedFileKeepsEveryDiagnostic) {
  std::map<std::string, std::string> files = {
      {"a.ward", R"(package a
threat t "T" { severity: low }
mitigation m "M" { type: preventive  addresses: t }
asset dup "Dup" { kind: model }
)"},
      {"b.ward", R"(package b
import a.*
import a.m as unused_alias
threat u "U" { severity: low  mitigated_by: t }
asset dup "Dup again" { kind: model }
)"},
      {"c.ward", R"(package c
threat v "V" { severity: low  mitigated_by: a.m  detected_by: dup }
)"}};
  auto lent = Analyze(files, {true, true});
  auto owned = Analyze(files, {true, true}, /*owned=*/true);
  EXPECT_EQ(Describe(*owned), Describe(*lent));
  // The wrong-kind note of b.ward and the not-imported note of c.ward point
  // at declarations of a.ward, whose AST was freed before they were checked.
  const Diagnostic* wrong_kind = owned->First("E0202");
  ASSERT_NE(wrong_kind, nullptr);
  ASSERT_EQ(wrong_kind->secondary.size(), 1u);
  EXPECT_EQ(owned->sources.Get(wrong_kind->secondary[0].span.file)->path(), "a.ward");
  const Diagnostic* not_imported = owned->First("E0206");
  ASSERT_NE(not_imported, nullptr);
  ASSERT_EQ(not_imported->secondary.size(), 1u);
  EXPECT_EQ(owned->sources.Get(not_imported->secondary[0].span.file)->path(), "a.ward");
  EXPECT_NE(owned->First("W0209"), nullptr);
  ASSERT_NE(owned->program, nullptr);
  EXPECT_EQ(owned->program->threats.size(), 3u);
}

TEST(AnalyzerTest, DuplicateNamesAndProperties) {
  auto r = Analyze({{"m.ward", R"(package demo
asset x "X" { kind: model  kind: dataset }
asset x "Again" { kind: model }
)"}});
  EXPECT_NE(r->First("E0201"), nullptr);
  EXPECT_NE(r->First("E0305"), nullptr);
}

TEST(AnalyzerTest, CatalogChecks) {
  auto r = Analyze({{"catalogs.ward", kCatalog},
                    {"m.ward", R"(package demo
import catalogs.atlas
threat t "T" {
  severity: low
  maps: atlas."AML.T0052", atlas."AML.T0099", atlas."AML.T0999@4.0.0", atlas."AML.T0010@9.0"
}
)"}});
  std::vector<std::string> codes = r->Codes();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "E0203"), 2);
  const Diagnostic* unknown = r->First("E0203");
  ASSERT_TRUE(unknown->help);
  EXPECT_THAT(*unknown->help, HasSubstr("AML.T0051"));
  EXPECT_NE(r->First("W0211"), nullptr);  // deprecated / renamed
  EXPECT_NE(r->First("W0210"), nullptr);  // pinned to a newer version than loaded
  bool drift_note = false;
  for (const Diagnostic& d : r->diags.diagnostics()) {
    for (const std::string& n : d.notes) drift_note |= n.find("4.0.0") != std::string::npos;
  }
  EXPECT_TRUE(drift_note) << "an unknown ID pinned to an older version explains the drift";
}

TEST(AnalyzerTest, ImportsMustExistAndBeUsed) {
  auto r = Analyze({{"catalogs.ward", kCatalog},
                    {"a.ward", R"(package demo
import catalogs.atlass
import catalogs.atlas
threat t "T" { severity: low }
)"}});
  const Diagnostic* unknown = r->First("E0205");
  ASSERT_NE(unknown, nullptr);
  EXPECT_THAT(*unknown->help, HasSubstr("catalogs.atlas"));
  EXPECT_NE(r->First("W0209"), nullptr);
}

TEST(AnalyzerTest, CatalogEntriesResolveWhateverTheFileOrder) {
  // The catalog's file sorts after the file that maps to its entries.
  const char* threat = R"(package demo
import catalogs.atlas
threat t "T" { severity: low  maps: atlas."AML.T0051" }
)";
  for (const char* catalog_file : {"0_catalogs.ward", "z_catalogs.ward"}) {
    auto r = Analyze({{"m.ward", threat}, {catalog_file, kCatalog}});
    EXPECT_THAT(r->Codes(), IsEmpty()) << catalog_file;
    ASSERT_EQ(r->program->threats.size(), 1u);
    ASSERT_EQ(r->program->threats[0]->maps.size(), 1u) << catalog_file;
    EXPECT_EQ(r->program->threats[0]->maps[0].entry->id, "AML.T0051");
  }
}

TEST(AnalyzerTest, NotImportedAndImportCycle) {
  auto r = Analyze({{"a.ward", R"(package one
import two.b
threat a "A" { severity: low  mitigated_by: b }
)"},
                    {"b.ward", R"(package two
import one.*
mitigation b "B" { type: preventive  addresses: a }
mitigation c "C" { type: preventive }
)"},
                    {"c.ward", R"(package three
threat z "Z" { severity: low  mitigated_by: two.c }
)"}});
  EXPECT_NE(r->First("E0204"), nullptr);
  const Diagnostic* not_imported = r->First("E0206");
  ASSERT_NE(not_imported, nullptr);
  EXPECT_THAT(*not_imported->help, HasSubstr("import two.c"));
}

TEST(AnalyzerTest, EnumsDatesAndTitles) {
  auto r = Analyze({{"m.ward", R"(package demo
threat t "T" { severity: critcal  date: 2025-02-30  likelihood: likely }
threat u { severity: low  date: 2025-03-01  modified: 2025-01-01 }
)"}});
  const Diagnostic* e = r->First("E0301");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(*e->help, HasSubstr("critical"));
  EXPECT_NE(r->First("E0302"), nullptr);
  EXPECT_NE(r->First("E0304"), nullptr);  // missing title
  EXPECT_NE(r->First("W0307"), nullptr);  // modified before date
}

TEST(AnalyzerTest, UnknownPropertySuggestsKnownOne) {
  auto r = Analyze({{"m.ward", R"(package demo
threat t "T" { severty: low }
)"}});
  const Diagnostic* d = r->First("E0300");
  ASSERT_NE(d, nullptr);
  EXPECT_THAT(*d->help, HasSubstr("severity"));
  ASSERT_EQ(d->fixits.size(), 1u);
  EXPECT_EQ(d->fixits[0].replacement, "severity");
}

TEST(AnalyzerTest, CoverageWarnings) {
  auto r = Analyze({{"m.ward", R"(package demo
threat t "T" { severity: low }
mitigation m "M" { type: preventive }
)"}},
                   SemaOptions{true, true});
  EXPECT_NE(r->First("W0400"), nullptr);
  EXPECT_NE(r->First("W0401"), nullptr);
  EXPECT_NE(r->First("W0403"), nullptr);
  EXPECT_FALSE(r->diags.has_errors());
}

TEST(AnalyzerTest, SyntaxErrorsDoNotCascade) {
  // b.ward is broken, but what it declares still resolves from a.ward.
  auto r = Analyze({{"a.ward", R"(package demo
threat t "T" { severity: low  mitigated_by: m }
)"},
                    {"b.ward", R"(package demo
mitigation m "M" { type: preventive }
asset broken "B" { kind: = }
)"}});
  EXPECT_EQ(r->First("E0200"), nullptr);
  EXPECT_NE(r->First("E0100"), nullptr);
}

}  // namespace
}  // namespace ward::sema
