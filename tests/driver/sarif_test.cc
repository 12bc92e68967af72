// `ward check --format sarif` as a code-scanning service reads it: the log
// must be structurally valid SARIF 2.1.0. The checker below encodes, for each
// object kind Ward emits, the properties the SARIF 2.1.0 schema allows, their
// JSON types and the constraints on their values (enums, minimums, URI forms,
// references between results and rules). An unknown property name fails too,
// because consumers such as GitHub code scanning drop or reject those.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/driver/cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string RunSarif(const std::vector<std::string>& extra, int* exit_code) {
  std::vector<std::string> args = {"ward", "check", "--format", "sarif"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out, err;
  CliStreams streams{out, err, false};
  *exit_code = RunCli(args, streams);
  return out.str();
}

// Collects every violation with its JSON pointer, so one failure message
// lists all of them.
class SarifChecker {
 public:
  explicit SarifChecker(const Json& log) : log_(log) {}

  std::vector<std::string> Check() {
    SarifLog(log_, "");
    return problems_;
  }

 private:
  using Props = std::map<std::string, std::function<void(const Json&, const std::string&)>>;

  void Fail(const std::string& where, const std::string& what) {
    problems_.push_back((where.empty() ? "/" : where) + ": " + what);
  }

  // An object whose property names must all be in `props`, with `required`
  // ones present; each present property is checked by its function.
  void Object(const Json& j, const std::string& at, const std::set<std::string>& required,
              const Props& props) {
    if (!j.is_object()) return Fail(at, "must be an object");
    for (const std::string& r : required) {
      if (!j.contains(r)) Fail(at, "missing required property `" + r + "`");
    }
    for (const auto& [key, value] : j.items()) {
      auto it = props.find(key);
      if (it == props.end()) {
        Fail(at, "property `" + key + "` is not defined by SARIF 2.1.0 here");
        continue;
      }
      it->second(value, at + "/" + key);
    }
  }

  template <typename F>
  void Array(const Json& j, const std::string& at, F each, size_t min_items = 0,
             bool unique = false) {
    if (!j.is_array()) return Fail(at, "must be an array");
    if (j.size() < min_items) Fail(at, "needs at least " + std::to_string(min_items) + " items");
    if (unique) {
      std::set<std::string> seen;
      for (const Json& item : j) {
        if (!seen.insert(item.dump()).second) Fail(at, "items must be unique");
      }
    }
    for (size_t i = 0; i < j.size(); ++i) each(j[i], at + "/" + std::to_string(i));
  }

  void String(const Json& j, const std::string& at) {
    if (!j.is_string()) Fail(at, "must be a string");
  }
  void NonEmptyString(const Json& j, const std::string& at) {
    if (!j.is_string() || j.get<std::string>().empty()) Fail(at, "must be a non-empty string");
  }
  void Integer(const Json& j, const std::string& at, long long minimum) {
    if (!j.is_number_integer()) return Fail(at, "must be an integer");
    if (j.get<long long>() < minimum) Fail(at, "must be >= " + std::to_string(minimum));
  }
  void Enum(const Json& j, const std::string& at, const std::set<std::string>& values) {
    if (!j.is_string() || !values.count(j.get<std::string>())) {
      Fail(at, "must be one of the values SARIF defines, not " + j.dump());
    }
  }
  // RFC 3986 URI reference: no spaces, backslashes or other characters that
  // need percent-encoding, and a relative one must not look like a scheme.
  void UriReference(const Json& j, const std::string& at, bool absolute) {
    if (!j.is_string()) return Fail(at, "must be a string");
    std::string uri = j;
    for (char c : uri) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' || c == '{' ||
          c == '}' || c == '|' || c == '^' || c == '`') {
        return Fail(at, "`" + uri + "` is not a valid URI reference (unencoded character)");
      }
    }
    size_t colon = uri.find(':');
    size_t slash = uri.find('/');
    bool has_scheme = colon != std::string::npos && (slash == std::string::npos || colon < slash);
    if (absolute && !has_scheme) Fail(at, "`" + uri + "` must be an absolute URI");
    if (!absolute && has_scheme && uri.rfind("file:", 0) != 0) {
      Fail(at, "`" + uri + "` reads as a URI with scheme `" + uri.substr(0, colon) + "`");
    }
  }

  void Message(const Json& j, const std::string& at) {
    Object(j, at, {"text"}, {{"text", [this](const auto& v, const auto& a) { NonEmptyString(v, a); }}});
  }
  void MultiformatMessage(const Json& j, const std::string& at) {
    Object(j, at, {"text"},
           {{"text", [this](const auto& v, const auto& a) { String(v, a); }},
            {"markdown", [this](const auto& v, const auto& a) { String(v, a); }}});
  }
  void PropertyBag(const Json& j, const std::string& at) {
    if (!j.is_object()) return Fail(at, "must be an object");
    if (j.contains("tags")) {
      Array(j["tags"], at + "/tags", [this](const auto& v, const auto& a) { String(v, a); }, 0, true);
    }
  }

  void Region(const Json& j, const std::string& at) {
    Object(j, at, {},
           {{"startLine", [this](const auto& v, const auto& a) { Integer(v, a, 1); }},
            {"startColumn", [this](const auto& v, const auto& a) { Integer(v, a, 1); }},
            {"endLine", [this](const auto& v, const auto& a) { Integer(v, a, 1); }},
            {"endColumn", [this](const auto& v, const auto& a) { Integer(v, a, 1); }},
            {"charOffset", [this](const auto& v, const auto& a) { Integer(v, a, -1); }},
            {"charLength", [this](const auto& v, const auto& a) { Integer(v, a, 0); }},
            {"byteOffset", [this](const auto& v, const auto& a) { Integer(v, a, -1); }},
            {"byteLength", [this](const auto& v, const auto& a) { Integer(v, a, 0); }}});
    if (!j.is_object()) return;
    // A text region is given by its start line at least; the end may not
    // come before the start (SARIF 3.30.2 to 3.30.5).
    if (!j.contains("startLine") && !j.contains("charOffset") && !j.contains("byteOffset")) {
      Fail(at, "a region needs startLine, charOffset or byteOffset");
    }
    if (j.contains("startLine") && j.contains("endLine") && j["endLine"].is_number_integer() &&
        j["startLine"].is_number_integer()) {
      long long sl = j["startLine"], el = j["endLine"];
      if (el < sl) Fail(at, "endLine is before startLine");
      if (el == sl && j.contains("startColumn") && j.contains("endColumn") &&
          j["startColumn"].is_number_integer() && j["endColumn"].is_number_integer() &&
          j["endColumn"].get<long long>() < j["startColumn"].get<long long>()) {
        Fail(at, "endColumn is before startColumn on the same line");
      }
    }
  }

  void ArtifactLocation(const Json& j, const std::string& at) {
    Object(j, at, {},
           {{"uri", [this](const auto& v, const auto& a) { UriReference(v, a, false); }},
            {"uriBaseId", [this](const auto& v, const auto& a) { NonEmptyString(v, a); }},
            {"index", [this](const auto& v, const auto& a) { Integer(v, a, -1); }},
            {"description", [this](const auto& v, const auto& a) { Message(v, a); }}});
    if (!j.is_object() || !j.contains("uri") || !j["uri"].is_string()) return;
    std::string uri = j["uri"];
    if (j.contains("uriBaseId")) {
      // A base id must be declared by the run, and the reference relative.
      if (!base_ids_.count(j["uriBaseId"].get<std::string>())) {
        Fail(at, "uriBaseId `" + j["uriBaseId"].get<std::string>() +
                     "` is not in run.originalUriBaseIds");
      }
      if (!uri.empty() && uri.front() == '/') Fail(at, "a uri with a uriBaseId must be relative");
    } else if (uri.rfind("file:///", 0) != 0) {
      Fail(at, "a uri without uriBaseId must be an absolute file URI, not `" + uri + "`");
    }
  }

  void PhysicalLocation(const Json& j, const std::string& at) {
    Object(j, at, {"artifactLocation"},
           {{"artifactLocation", [this](const auto& v, const auto& a) { ArtifactLocation(v, a); }},
            {"region", [this](const auto& v, const auto& a) { Region(v, a); }},
            {"contextRegion", [this](const auto& v, const auto& a) { Region(v, a); }}});
  }

  void Location(const Json& j, const std::string& at, std::set<long long>* ids) {
    Object(j, at, {},
           {{"id", [this](const auto& v, const auto& a) { Integer(v, a, -1); }},
            {"physicalLocation", [this](const auto& v, const auto& a) { PhysicalLocation(v, a); }},
            {"message", [this](const auto& v, const auto& a) { Message(v, a); }},
            {"properties", [this](const auto& v, const auto& a) { PropertyBag(v, a); }}});
    if (ids && j.is_object() && j.contains("id") && j["id"].is_number_integer()) {
      if (!ids->insert(j["id"].get<long long>()).second) Fail(at, "location id is not unique");
    }
  }

  void Replacement(const Json& j, const std::string& at) {
    Object(j, at, {"deletedRegion"},
           {{"deletedRegion", [this](const auto& v, const auto& a) { Region(v, a); }},
            {"insertedContent",
             [this](const auto& v, const auto& a) {
               Object(v, a, {}, {{"text", [this](const auto& t, const auto& b) { String(t, b); }}});
             }}});
  }

  void Fix(const Json& j, const std::string& at) {
    Object(j, at, {"artifactChanges"},
           {{"description", [this](const auto& v, const auto& a) { Message(v, a); }},
            {"artifactChanges", [this](const auto& v, const auto& a) {
               Array(
                   v, a,
                   [this](const auto& change, const auto& b) {
                     Object(change, b, {"artifactLocation", "replacements"},
                            {{"artifactLocation",
                              [this](const auto& l, const auto& c) { ArtifactLocation(l, c); }},
                             {"replacements", [this](const auto& r, const auto& c) {
                                Array(r, c, [this](const auto& x, const auto& d) { Replacement(x, d); }, 1);
                              }}});
                   },
                   1, true);
             }}});
  }

  void Result(const Json& j, const std::string& at, const Json& rules) {
    std::set<long long> related_ids;
    Object(j, at, {"message"},
           {{"ruleId", [this](const auto& v, const auto& a) { NonEmptyString(v, a); }},
            {"ruleIndex", [this](const auto& v, const auto& a) { Integer(v, a, -1); }},
            {"level", [this](const auto& v, const auto& a) { Enum(v, a, {"none", "note", "warning", "error"}); }},
            {"kind",
             [this](const auto& v, const auto& a) {
               Enum(v, a, {"notApplicable", "pass", "fail", "review", "open", "informational"});
             }},
            {"message", [this](const auto& v, const auto& a) { Message(v, a); }},
            {"locations",
             [this](const auto& v, const auto& a) {
               Array(v, a, [this](const auto& l, const auto& b) { Location(l, b, nullptr); });
             }},
            {"relatedLocations",
             [this, &related_ids](const auto& v, const auto& a) {
               Array(v, a, [this, &related_ids](const auto& l, const auto& b) { Location(l, b, &related_ids); },
                     0, true);
             }},
            {"fixes",
             [this](const auto& v, const auto& a) {
               Array(v, a, [this](const auto& f, const auto& b) { Fix(f, b); });
             }},
            {"properties", [this](const auto& v, const auto& a) { PropertyBag(v, a); }}});
    // ruleIndex must point at the rule whose id is ruleId (SARIF 3.27.7).
    if (j.is_object() && j.contains("ruleIndex") && j["ruleIndex"].is_number_integer()) {
      long long index = j["ruleIndex"];
      if (index >= 0) {
        if (!rules.is_array() || static_cast<size_t>(index) >= rules.size()) {
          Fail(at + "/ruleIndex", "points past tool.driver.rules");
        } else if (!j.contains("ruleId") || !rules[static_cast<size_t>(index)].is_object() ||
                   j["ruleId"] != rules[static_cast<size_t>(index)].value("id", Json())) {
          Fail(at + "/ruleIndex", "names a rule whose id is not the result's ruleId");
        }
      }
    }
  }

  void Rule(const Json& j, const std::string& at) {
    Object(j, at, {"id"},
           {{"id", [this](const auto& v, const auto& a) { NonEmptyString(v, a); }},
            {"name", [this](const auto& v, const auto& a) { NonEmptyString(v, a); }},
            {"shortDescription", [this](const auto& v, const auto& a) { MultiformatMessage(v, a); }},
            {"fullDescription", [this](const auto& v, const auto& a) { MultiformatMessage(v, a); }},
            {"help", [this](const auto& v, const auto& a) { MultiformatMessage(v, a); }},
            {"helpUri", [this](const auto& v, const auto& a) { UriReference(v, a, true); }},
            {"defaultConfiguration",
             [this](const auto& v, const auto& a) {
               Object(v, a, {},
                      {{"enabled", [this](const auto& e, const auto& b) {
                          if (!e.is_boolean()) Fail(b, "must be a boolean");
                        }},
                       {"level", [this](const auto& e, const auto& b) {
                          Enum(e, b, {"none", "note", "warning", "error"});
                        }}});
             }},
            {"properties", [this](const auto& v, const auto& a) { PropertyBag(v, a); }}});
  }

  void Run(const Json& j, const std::string& at) {
    if (j.is_object() && j.contains("originalUriBaseIds") && j["originalUriBaseIds"].is_object()) {
      for (const auto& [name, base] : j["originalUriBaseIds"].items()) {
        base_ids_.insert(name);
        std::string where = at + "/originalUriBaseIds/" + name;
        // SARIF 3.14.14: each base is an absolute URI ending with a slash.
        Object(base, where, {"uri"},
               {{"uri", [this](const auto& v, const auto& a) { UriReference(v, a, true); }},
                {"description", [this](const auto& v, const auto& a) { Message(v, a); }}});
        if (base.contains("uri") && base["uri"].is_string() &&
            base["uri"].get<std::string>().back() != '/') {
          Fail(where + "/uri", "a base URI must end with `/`");
        }
      }
    }
    Json rules;
    if (j.is_object() && j.contains("tool") && j["tool"].is_object() &&
        j["tool"].contains("driver") && j["tool"]["driver"].is_object()) {
      rules = j["tool"]["driver"].value("rules", Json());
    }
    Object(j, at, {"tool"},
           {{"tool",
             [this](const auto& v, const auto& a) {
               Object(v, a, {"driver"}, {{"driver", [this](const auto& d, const auto& b) {
                                            Object(d, b, {"name"},
                                                   {{"name", [this](const auto& n, const auto& c) {
                                                       NonEmptyString(n, c);
                                                     }},
                                                    {"version", [this](const auto& n, const auto& c) {
                                                       NonEmptyString(n, c);
                                                     }},
                                                    {"informationUri", [this](const auto& n, const auto& c) {
                                                       UriReference(n, c, true);
                                                     }},
                                                    {"rules", [this](const auto& r, const auto& c) {
                                                       Array(r, c, [this](const auto& x, const auto& e) {
                                                         Rule(x, e);
                                                       }, 0, true);
                                                     }}});
                                          }}});
             }},
            {"originalUriBaseIds", [](const auto&, const auto&) {}},  // checked above
            {"columnKind",
             [this](const auto& v, const auto& a) { Enum(v, a, {"utf16CodeUnits", "unicodeCodePoints"}); }},
            {"results", [this, &rules](const auto& v, const auto& a) {
               Array(v, a, [this, &rules](const auto& r, const auto& b) { Result(r, b, rules); });
             }}});
    // Rule ids are unique within a driver (they key the results).
    std::set<std::string> ids;
    if (rules.is_array()) {
      for (const Json& rule : rules) {
        if (rule.is_object() && rule.contains("id") && !ids.insert(rule["id"].dump()).second) {
          Fail(at + "/tool/driver/rules", "duplicate rule id " + rule["id"].dump());
        }
      }
    }
  }

  void SarifLog(const Json& j, const std::string& at) {
    Object(j, at, {"version", "runs"},
           {{"$schema", [this](const auto& v, const auto& a) { UriReference(v, a, true); }},
            {"version",
             [this](const auto& v, const auto& a) {
               if (v != "2.1.0") Fail(a, "must be \"2.1.0\"");
             }},
            {"runs", [this](const auto& v, const auto& a) {
               Array(v, a, [this](const auto& r, const auto& b) { Run(r, b); });
             }},
            {"properties", [this](const auto& v, const auto& a) { PropertyBag(v, a); }}});
  }

  const Json& log_;
  std::set<std::string> base_ids_;
  std::vector<std::string> problems_;
};

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// The golden case with twenty-odd different mistakes: errors and warnings,
// secondary locations, fixes, several files and folders.
const char kManyMistakes[] = "tests/golden/diagnostics/twenty_mistakes";

TEST(SarifOutputTest, ManyMistakesGiveAValidLog) {
  ASSERT_TRUE(fs::is_directory(kManyMistakes)) << "run from the source root";
  int code = 0;
  std::string text = RunSarif({kManyMistakes}, &code);
  EXPECT_EQ(code, 1);
  Json log = Json::parse(text, nullptr, false);
  ASSERT_FALSE(log.is_discarded()) << "not JSON:\n" << text;
  EXPECT_EQ(Join(SarifChecker(log).Check()), "");

  // And it carries what a reviewer needs: one result per diagnostic, each
  // located in a file of the case, both severities, and at least one fix.
  const Json& results = log["runs"][0]["results"];
  ASSERT_GE(results.size(), 20u);
  std::set<std::string> levels;
  bool any_fix = false, any_related = false;
  for (const Json& r : results) {
    levels.insert(r["level"].get<std::string>());
    any_fix |= r.contains("fixes");
    any_related |= r.contains("relatedLocations");
    ASSERT_TRUE(r.contains("locations")) << r.dump();
    std::string uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_TRUE(fs::exists(fs::path(kManyMistakes) / uri)) << uri;
  }
  EXPECT_EQ(levels, (std::set<std::string>{"error", "warning"}));
  EXPECT_TRUE(any_fix);
  EXPECT_TRUE(any_related);
}

TEST(SarifOutputTest, CleanRulesetGivesAnEmptyValidLog) {
  int code = 0;
  std::string text = RunSarif({"rulesets"}, &code);
  EXPECT_EQ(code, 0);
  Json log = Json::parse(text, nullptr, false);
  ASSERT_FALSE(log.is_discarded()) << text;
  EXPECT_EQ(Join(SarifChecker(log).Check()), "");
  EXPECT_TRUE(log["runs"][0]["results"].is_array());
}

TEST(SarifOutputTest, ProjectLevelErrorsWithoutAFileAreValid) {
  fs::path dir = fs::temp_directory_path() / ("ward-sarif-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "ward.yaml") << "namespace: not-a-uuid\n";
  std::ofstream(dir / "a.ward") << "package demo\nasset a \"A\" { kind: model }\n";
  int code = 0;
  std::string text = RunSarif({dir.string()}, &code);
  fs::remove_all(dir);
  EXPECT_EQ(code, 1);
  Json log = Json::parse(text, nullptr, false);
  ASSERT_FALSE(log.is_discarded()) << text;
  EXPECT_EQ(Join(SarifChecker(log).Check()), "");
  ASSERT_EQ(log["runs"][0]["results"].size(), 1u);
  EXPECT_EQ(log["runs"][0]["results"][0]["ruleId"], "E0002");
}

// The checker itself must notice what it is there to notice.
TEST(SarifCheckerTest, RejectsBrokenLogs) {
  Json good = Json::parse(R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ward",
      "rules": [{"id": "E0200"}]}}, "originalUriBaseIds": {"SRCROOT": {"uri": "file:///p/"}},
      "results": [{"ruleId": "E0200", "ruleIndex": 0, "level": "error",
      "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation":
      {"uri": "a.ward", "uriBaseId": "SRCROOT"}, "region": {"startLine": 2, "startColumn": 3,
      "endLine": 2, "endColumn": 5}}}]}]}]})");
  EXPECT_EQ(Join(SarifChecker(good).Check()), "");
  auto problems = [&](const std::function<void(Json&)>& breakit) {
    Json log = good;
    breakit(log);
    return SarifChecker(log).Check().size();
  };
  EXPECT_GT(problems([](Json& l) { l["version"] = "2.0.0"; }), 0u);
  EXPECT_GT(problems([](Json& l) { l["runs"][0]["results"][0]["level"] = "fatal"; }), 0u);
  EXPECT_GT(problems([](Json& l) { l["runs"][0]["results"][0]["ruleIndex"] = 3; }), 0u);
  EXPECT_GT(problems([](Json& l) { l["runs"][0]["results"][0]["severity"] = "high"; }), 0u);
  EXPECT_GT(problems([](Json& l) { l["runs"][0]["results"][0].erase("message"); }), 0u);
  EXPECT_GT(problems([](Json& l) {
              l["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
               ["startLine"] = 0;
            }),
            0u);
  EXPECT_GT(problems([](Json& l) {
              l["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
               ["uri"] = "my file.ward";
            }),
            0u);
  EXPECT_GT(problems([](Json& l) {
              l["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
               ["uriBaseId"] = "NOPE";
            }),
            0u);
  EXPECT_GT(problems([](Json& l) { l["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] = "file:///p"; }),
            0u);
}

}  // namespace
}  // namespace ward::driver
