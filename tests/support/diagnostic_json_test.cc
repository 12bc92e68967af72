#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "compiler/support/diagnostic.h"
#include "compiler/support/diagnostic_render.h"
#include "compiler/support/source_manager.h"

namespace ward {
namespace {

using Json = nlohmann::ordered_json;

Span Find(const SourceManager& sm, FileId id, std::string_view needle, int nth = 0) {
  std::string_view text = sm.Get(id)->text();
  size_t pos = text.find(needle);
  for (int i = 0; i < nth; ++i) pos = text.find(needle, pos + 1);
  EXPECT_NE(pos, std::string_view::npos) << needle;
  return Span{id, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + needle.size())};
}

// A small project: a duplicate with a secondary label and a fix-it, a warning
// on a line with non-ASCII text, and a diagnostic without a span.
struct Fixture {
  SourceManager sm;
  std::vector<Diagnostic> diags;

  Fixture() {
    FileId a = sm.Add("/proj/rules/a.ward",
                      "package p\nthreat dup \"A\" { severity: high }\nthreat dup \"B\" {}\n");
    FileId b = sm.Add("/proj/rules/sub dir/b.ward", "// café\nimport catalogs.atlas\n");
    diags.push_back(Diag(DiagCode::kDuplicateName, Find(sm, a, "dup", 1), "duplicate threat `dup`")
                        .Label("declared again here")
                        .Secondary(Find(sm, a, "dup", 0), "first declared here")
                        .Note("names are unique per package")
                        .Help("rename one of them")
                        .Fix(Find(sm, a, "dup", 1), "dup_b"));
    diags.push_back(Diag(DiagCode::kUnusedImport, Find(sm, b, "catalogs.atlas"), "unused import"));
    diags.push_back(Diag(DiagCode::kTooManyErrors, Span{}, "too many errors"));
  }
};

TEST(RenderJsonTest, FieldsInAFixedOrder) {
  Fixture fx;
  Json out = RenderJson(fx.diags, fx.sm);
  ASSERT_TRUE(out.is_array());
  ASSERT_EQ(out.size(), 3u);
  const Json& d = out[0];
  std::vector<std::string> keys;
  for (auto it = d.begin(); it != d.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"code", "severity", "message", "file", "line", "column",
                                            "end_line", "end_column", "byte_offset", "byte_length",
                                            "label", "secondary", "notes", "help", "fixits"}));
  EXPECT_EQ(d["code"], "E0201");
  EXPECT_EQ(d["severity"], "error");
  EXPECT_EQ(d["message"], "duplicate threat `dup`");
  EXPECT_EQ(d["file"], "/proj/rules/a.ward");
  EXPECT_EQ(d["line"], 3);
  EXPECT_EQ(d["column"], 8);
  EXPECT_EQ(d["end_line"], 3);
  EXPECT_EQ(d["end_column"], 11);
  EXPECT_EQ(d["byte_offset"], 51);
  EXPECT_EQ(d["byte_length"], 3);
  EXPECT_EQ(d["label"], "declared again here");
  ASSERT_EQ(d["secondary"].size(), 1u);
  EXPECT_EQ(d["secondary"][0]["line"], 2);
  EXPECT_EQ(d["secondary"][0]["column"], 8);
  EXPECT_EQ(d["secondary"][0]["message"], "first declared here");
  EXPECT_EQ(d["notes"], Json::array({"names are unique per package"}));
  EXPECT_EQ(d["help"], "rename one of them");
  ASSERT_EQ(d["fixits"].size(), 1u);
  EXPECT_EQ(d["fixits"][0]["replacement"], "dup_b");
  EXPECT_EQ(d["fixits"][0]["column"], 8);
  // Deterministic text: the same input dumps to the same bytes.
  EXPECT_EQ(out.dump(), RenderJson(fx.diags, fx.sm).dump());
  EXPECT_EQ(out.dump().rfind("[{\"code\":\"E0201\",\"severity\":\"error\"", 0), 0u);
}

TEST(RenderJsonTest, WarningsNonAsciiColumnsAndSpanlessDiagnostics) {
  Fixture fx;
  Json out = RenderJson(fx.diags, fx.sm);
  EXPECT_EQ(out[1]["severity"], "warning");
  EXPECT_EQ(out[1]["line"], 2);
  EXPECT_EQ(out[1]["column"], 8);
  EXPECT_EQ(out[1]["label"], nullptr);
  EXPECT_EQ(out[1]["help"], nullptr);
  const Json& none = out[2];
  EXPECT_EQ(none["code"], "E0006");
  for (const char* key :
       {"file", "line", "column", "end_line", "end_column", "byte_offset", "byte_length"}) {
    EXPECT_TRUE(none[key].is_null()) << key;
  }
  EXPECT_TRUE(none["secondary"].is_array());
  EXPECT_TRUE(none["fixits"].empty());
}

TEST(RenderJsonTest, ColumnsAreCodePointsNotBytes) {
  SourceManager sm;
  FileId f = sm.Add("u.ward", "title: \"日本語\" bad\n");
  Json out = RenderJson({Diag(DiagCode::kUnresolvedName, Find(sm, f, "bad"), "x")}, sm);
  EXPECT_EQ(out[0]["column"], 14);
  EXPECT_EQ(out[0]["end_column"], 17);
  EXPECT_EQ(out[0]["byte_offset"], 19);
}

TEST(RenderJsonTest, InvalidUtf8InMessagesAndPathsStillDumps) {
  SourceManager sm;
  FileId f = sm.Add("bad\xFF.ward", "x\xC3\n");
  std::vector<Diagnostic> diags = {
      Diag(DiagCode::kInvalidUtf8, Span{f, 1, 2}, "byte \xC3 is not UTF-8").Note("\xFF")};
  std::string json;
  ASSERT_NO_THROW(json = RenderJson(diags, sm).dump());
  EXPECT_NE(json.find("byte \xEF\xBF\xBD is not UTF-8"), std::string::npos) << json;
  EXPECT_NE(json.find("bad\xEF\xBF\xBD.ward"), std::string::npos) << json;
  std::string sarif;
  ASSERT_NO_THROW(sarif = RenderSarif(diags, sm, "0.1.0", ".").dump());
  EXPECT_NE(sarif.find("bad%FF.ward"), std::string::npos) << sarif;
}

// The parts of the SARIF 2.1.0 schema that this output exercises: required
// properties, enums, minimums and the cross-references between results and
// rules. (No copy of the official schema ships with the machine; the output of
// these tests was also checked once by hand against the published schema.)
void ExpectRegion(const Json& region) {
  ASSERT_TRUE(region.is_object());
  for (const char* key : {"startLine", "startColumn", "endLine", "endColumn"}) {
    ASSERT_TRUE(region.contains(key)) << key;
    EXPECT_TRUE(region[key].is_number_integer());
    EXPECT_GE(region[key].get<int>(), 1) << key;
  }
  EXPECT_GE(region["endLine"].get<int>(), region["startLine"].get<int>());
  if (region["endLine"] == region["startLine"]) {
    EXPECT_GE(region["endColumn"].get<int>(), region["startColumn"].get<int>());
  }
}

void ExpectArtifactLocation(const Json& loc, const Json& run) {
  ASSERT_TRUE(loc.contains("uri"));
  std::string uri = loc["uri"];
  EXPECT_EQ(uri.find('\\'), std::string::npos);
  EXPECT_EQ(uri.find(' '), std::string::npos);
  if (loc.contains("uriBaseId")) {
    EXPECT_TRUE(run["originalUriBaseIds"].contains(loc["uriBaseId"].get<std::string>()));
    EXPECT_NE(uri.front(), '/');
    EXPECT_EQ(uri.find(':'), std::string::npos) << "relative reference with a scheme: " << uri;
  } else {
    EXPECT_EQ(uri.rfind("file:///", 0), 0u) << uri;
  }
}

void ExpectValidSarif(const Json& log) {
  ASSERT_TRUE(log.is_object());
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_TRUE(log["runs"].is_array());
  ASSERT_EQ(log["runs"].size(), 1u);
  const Json& run = log["runs"][0];
  const Json& driver = run["tool"]["driver"];
  EXPECT_TRUE(driver["name"].is_string());
  std::set<std::string> levels = {"none", "note", "warning", "error"};
  std::set<std::string> rule_ids;
  for (const Json& rule : driver["rules"]) {
    ASSERT_TRUE(rule["id"].is_string());
    EXPECT_TRUE(rule_ids.insert(rule["id"]).second) << "duplicate rule " << rule["id"];
    EXPECT_TRUE(rule["shortDescription"]["text"].is_string());
    EXPECT_FALSE(std::string(rule["fullDescription"]["text"]).empty());
    EXPECT_TRUE(rule["help"]["text"].is_string());
    EXPECT_TRUE(levels.count(rule["defaultConfiguration"]["level"]));
  }
  EXPECT_TRUE(run["columnKind"] == "unicodeCodePoints" || run["columnKind"] == "utf16CodeUnits");
  for (const auto& [name, base] : run["originalUriBaseIds"].items()) {
    std::string uri = base["uri"];
    EXPECT_EQ(uri.rfind("file:///", 0), 0u) << name;
    EXPECT_EQ(uri.back(), '/') << name;
  }
  for (const Json& result : run["results"]) {
    ASSERT_TRUE(result["message"]["text"].is_string());
    EXPECT_TRUE(levels.count(result["level"]));
    int index = result["ruleIndex"];
    ASSERT_GE(index, 0);
    ASSERT_LT(static_cast<size_t>(index), driver["rules"].size());
    EXPECT_EQ(driver["rules"][static_cast<size_t>(index)]["id"], result["ruleId"]);
    for (const char* key : {"locations", "relatedLocations"}) {
      if (!result.contains(key)) continue;
      for (const Json& loc : result[key]) {
        ExpectArtifactLocation(loc["physicalLocation"]["artifactLocation"], run);
        ExpectRegion(loc["physicalLocation"]["region"]);
        if (loc.contains("id")) {
          EXPECT_GE(loc["id"].get<int>(), -1);
        }
        if (loc.contains("message")) {
          EXPECT_TRUE(loc["message"]["text"].is_string());
        }
      }
    }
    if (result.contains("fixes")) {
      for (const Json& fix : result["fixes"]) {
        ASSERT_FALSE(fix["artifactChanges"].empty());
        for (const Json& change : fix["artifactChanges"]) {
          ExpectArtifactLocation(change["artifactLocation"], run);
          ASSERT_FALSE(change["replacements"].empty());
          for (const Json& replacement : change["replacements"]) {
            ExpectRegion(replacement["deletedRegion"]);
            if (replacement.contains("insertedContent")) {
              EXPECT_TRUE(replacement["insertedContent"]["text"].is_string());
            }
          }
        }
      }
    }
  }
}

TEST(RenderSarifTest, SatisfiesTheSchemaConstraints) {
  Fixture fx;
  Json log = RenderSarif(fx.diags, fx.sm, "0.1.0", "/proj/rules");
  ExpectValidSarif(log);
  ExpectValidSarif(RenderSarif({}, fx.sm, "0.1.0", "/proj/rules"));
}

TEST(RenderSarifTest, RulesDescribeTheCodesUsed) {
  Fixture fx;
  Json log = RenderSarif(fx.diags, fx.sm, "0.1.0", "/proj/rules");
  const Json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "ward");
  EXPECT_EQ(driver["version"], "0.1.0");
  ASSERT_EQ(driver["rules"].size(), 3u);  // E0006, E0201, W0209 in catalogue order
  EXPECT_EQ(driver["rules"][0]["id"], "E0006");
  const Json& dup = driver["rules"][1];
  EXPECT_EQ(dup["id"], "E0201");
  EXPECT_EQ(dup["name"], "DuplicateName");
  EXPECT_EQ(dup["shortDescription"]["text"], Info(DiagCode::kDuplicateName).summary);
  std::string full = dup["fullDescription"]["text"];
  EXPECT_EQ(full.find('\n'), std::string::npos);
  EXPECT_EQ(std::string(Explanation(DiagCode::kDuplicateName)).rfind(full.substr(0, 30), 0), 0u);
  EXPECT_EQ(dup["help"]["text"], Explanation(DiagCode::kDuplicateName));
  EXPECT_EQ(dup["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(driver["rules"][2]["defaultConfiguration"]["level"], "warning");
}

TEST(RenderSarifTest, ResultsLocationsAndFixes) {
  Fixture fx;
  Json log = RenderSarif(fx.diags, fx.sm, "0.1.0", "/proj/rules/");
  const Json& run = log["runs"][0];
  EXPECT_EQ(run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///proj/rules/");
  const Json& results = run["results"];
  ASSERT_EQ(results.size(), 3u);

  const Json& dup = results[0];
  EXPECT_EQ(dup["ruleId"], "E0201");
  EXPECT_EQ(dup["ruleIndex"], 1);
  EXPECT_EQ(dup["level"], "error");
  EXPECT_EQ(dup["message"]["text"], "duplicate threat `dup`\nhelp: rename one of them");
  const Json& phys = dup["locations"][0]["physicalLocation"];
  EXPECT_EQ(phys["artifactLocation"]["uri"], "a.ward");
  EXPECT_EQ(phys["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(phys["region"], Json::parse(R"({"startLine":3,"startColumn":8,"endLine":3,
                                               "endColumn":11})"));
  const Json& related = dup["relatedLocations"][0];
  EXPECT_EQ(related["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(related["message"]["text"], "first declared here");
  const Json& change = dup["fixes"][0]["artifactChanges"][0];
  EXPECT_EQ(change["artifactLocation"]["uri"], "a.ward");
  EXPECT_EQ(change["replacements"][0]["insertedContent"]["text"], "dup_b");
  EXPECT_EQ(change["replacements"][0]["deletedRegion"]["startColumn"], 8);

  const Json& warning = results[1];
  EXPECT_EQ(warning["level"], "warning");
  EXPECT_EQ(warning["ruleIndex"], 2);
  // Spaces are percent-encoded; the path stays relative to the root.
  EXPECT_EQ(warning["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "sub%20dir/b.ward");
  EXPECT_EQ(warning["message"]["text"], "unused import");
  EXPECT_FALSE(warning.contains("fixes"));

  const Json& spanless = results[2];
  EXPECT_EQ(spanless["ruleId"], "E0006");
  EXPECT_FALSE(spanless.contains("locations"));
}

TEST(RenderSarifTest, FilesOutsideTheRootGetAbsoluteUris) {
  Fixture fx;
  Json log = RenderSarif(fx.diags, fx.sm, "0.1.0", "/proj/rules/sub dir");
  ExpectValidSarif(log);
  const Json& loc =
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(loc["uri"], "file:///proj/rules/a.ward");
  EXPECT_FALSE(loc.contains("uriBaseId"));
  EXPECT_EQ(log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"],
            "file:///proj/rules/sub%20dir/");
}

TEST(RenderSarifTest, RelativePathsResolveAgainstARelativeRoot) {
  SourceManager sm;
  FileId f = sm.Add("rulesets/cosai/threats.ward", "threat x \"X\" {}\n");
  Json log = RenderSarif({Diag(DiagCode::kThreatNotMitigated, Find(sm, f, "x"), "no mitigation")},
                         sm, "0.1.0", "rulesets");
  ExpectValidSarif(log);
  EXPECT_EQ(
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
      "cosai/threats.ward");
}

}  // namespace
}  // namespace ward
