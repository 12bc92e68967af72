// Unit tests of the Sigma reader, one construct at a time.

#include <gtest/gtest.h>

#include "tests/import/import_test_support.h"

namespace ward::import_test {
namespace {

// A rule around a `detection:` body (indented by 4 in the text given).
std::string RuleWith(const std::string& detection) {
  return "title: Test rule\n"
         "id: 929a690e-bef0-4204-a928-ef5e620d6fcc\n"
         "logsource:\n"
         "    category: process_creation\n"
         "    product: windows\n"
         "detection:\n" +
         detection + "level: high\n";
}

TEST(SigmaReaderTest, ReadsMetadataAndLogsource) {
  auto r = ReadSigma(
      "title: Suspicious Thing\n"
      "id: 929a690e-bef0-4204-a928-ef5e620d6fcc\n"
      "related:\n"
      "    - id: 0a1b2c3d-0000-4000-8000-000000000001\n"
      "      type: derived\n"
      "status: test\n"
      "description: Detects a thing\n"
      "references:\n"
      "    - https://example.org/a\n"
      "author: Jane Doe, John Roe\n"
      "date: 2021-10-12\n"
      "modified: 2023/1/5\n"
      "tags:\n"
      "    - attack.execution\n"
      "    - attack.t1059.001\n"
      "logsource:\n"
      "    category: process_creation\n"
      "    product: windows\n"
      "    service: sysmon\n"
      "    definition: 'Requirements: audit'\n"
      "    custom: value\n"
      "detection:\n"
      "    selection:\n"
      "        Image: x\n"
      "    condition: selection\n"
      "falsepositives:\n"
      "    - Admin scripts\n"
      "level: critical\n",
      "proc_creation_win_thing.yml");
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  const ir::Detection& d = r->Rule();
  EXPECT_EQ(d.name, "proc_creation_win_thing");
  EXPECT_EQ(d.package, "imported");
  EXPECT_EQ(d.meta.title, "Suspicious Thing");
  EXPECT_EQ(d.id.value_or(""), "929a690e-bef0-4204-a928-ef5e620d6fcc");
  ASSERT_EQ(d.related.size(), 1u);
  EXPECT_EQ(d.related[0].type, "derived");
  EXPECT_EQ(d.meta.status, "test");
  EXPECT_EQ(d.meta.description, "Detects a thing");
  EXPECT_EQ(d.meta.references, std::vector<std::string>{"https://example.org/a"});
  EXPECT_EQ(d.meta.author, "Jane Doe, John Roe");
  EXPECT_EQ(d.meta.date->str(), "2021-10-12");
  EXPECT_EQ(d.meta.modified->str(), "2023-01-05");
  EXPECT_EQ(d.meta.tags, (std::vector<std::string>{"attack.execution", "attack.t1059.001"}));
  EXPECT_EQ(d.falsepositives, std::vector<std::string>{"Admin scripts"});
  EXPECT_EQ(d.level, ir::Level::kCritical);
  const ir::SigmaLogic& logic = r->Logic();
  EXPECT_EQ(logic.logsource.category, "process_creation");
  EXPECT_EQ(logic.logsource.product, "windows");
  EXPECT_EQ(logic.logsource.service, "sysmon");
  EXPECT_EQ(logic.logsource.definition, "Requirements: audit");
  EXPECT_EQ(logic.logsource.extra.at("custom"), "value");
  ASSERT_EQ(r->import.documents.size(), 1u);
  EXPECT_FALSE(r->import.documents[0].refused);
  EXPECT_EQ(r->import.documents[0].entity, &d);
}

TEST(SigmaReaderTest, MapsAreAndedListsOredAndListsOfMapsOred) {
  auto r =
      ReadSigma(RuleWith("    selection:\n"
                         "        Image|endswith:\n"
                         "            - '\\cmd.exe'\n"
                         "            - '\\powershell.exe'\n"
                         "        User: admin\n"
                         "    alternatives:\n"
                         "        - ParentImage: a\n"
                         "        - ParentImage: b\n"
                         "          CommandLine|contains|all: [x, y]\n"
                         "    condition: selection or alternatives\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  EXPECT_EQ(DescribeLogic(r->Logic()),
            "selection: and(Image|endswith=['\\cmd.exe', '\\powershell.exe'], User=['admin'])\n"
            "alternatives: or(ParentImage=['a'], and(ParentImage=['b'], "
            "CommandLine|contains|all=['x', 'y']))\n"
            "condition: or(@selection, @alternatives)");
}

TEST(SigmaReaderTest, KeywordListsAndAllKeywordMaps) {
  auto r =
      ReadSigma(RuleWith("    keywords:\n"
                         "        - 'error'\n"
                         "        - 42\n"
                         "    keywords_all:\n"
                         "        '|all':\n"
                         "            - 'a*b'\n"
                         "            - 'c'\n"
                         "    single: lonely\n"
                         "    condition: keywords and keywords_all and single\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  EXPECT_EQ(DescribeLogic(r->Logic()),
            "keywords: =['error', 42]\n"
            "keywords_all: |all=[~'a*b', 'c']\n"
            "single: =['lonely']\n"
            "condition: and(@keywords, @keywords_all, @single)");
}

TEST(SigmaReaderTest, ValueTypesFollowPyYamlAndSigmaWildcards) {
  auto r =
      ReadSigma(RuleWith("    selection:\n"
                         "        A: 4688\n"
                         "        B: '4688'\n"
                         "        C: 0x1F\n"
                         "        D: 1.5\n"
                         "        E: 1e5\n"
                         "        F: yes\n"
                         "        G: null\n"
                         "        H: ''\n"
                         "        I: ~\n"
                         "        J: 'C:\\Windows\\*'\n"
                         "        K: 'C:\\Windows\\\\*'\n"
                         "        L: 'what\\?'\n"
                         "        M: 'a?c'\n"
                         "        N|re: '^a.*\\\\b$'\n"
                         "        O|cidr: 10.0.0.0/8\n"
                         "        P|fieldref: Q*\n"
                         "        R: -7\n"
                         "    condition: selection\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  EXPECT_EQ(DescribeLogic(r->Logic()),
            "selection: and(A=[4688], B=['4688'], C=[31], D=[1.5], E=['1e5'], F=[true], "
            "G=[null], H=[''], I=[null], J=['C:\\Windows*'], K=[~'C:\\Windows\\\\*'], "
            "L=['what?'], M=[~'a?c'], N|re=['^a.*\\\\b$'], O|cidr=['10.0.0.0/8'], "
            "P|fieldref=['Q*'], R=[-7])\n"
            "condition: @selection");
}

TEST(SigmaReaderTest, EveryModifierMapsToTheIr) {
  auto r =
      ReadSigma(RuleWith("    selection:\n"
                         "        a|contains|all|cased: [x, y]\n"
                         "        b|startswith: x\n"
                         "        c|exists: true\n"
                         "        d|neq: x\n"
                         "        e|windash|contains: ' -exec '\n"
                         "        f|re|i|m|s: 'x'\n"
                         "        g|base64offset|contains: x\n"
                         "        h|wide|base64: x\n"
                         "        i|utf16le|base64: x\n"
                         "        j|utf16be|base64: x\n"
                         "        k|utf16|base64: x\n"
                         "        l|lt: 1\n"
                         "        m|lte: 1\n"
                         "        n|gt: 1\n"
                         "        o|gte: 1.5\n"
                         "        p|minute: 1\n"
                         "        q|hour: 1\n"
                         "        r|day: 1\n"
                         "        s|week: 1\n"
                         "        t|month: 1\n"
                         "        u|year: 2024\n"
                         "        v|cidr: '::1/128'\n"
                         "        w|expand: '%Servers%'\n"
                         "        x|fieldref|endswith: y\n"
                         "        y|endswith: x\n"
                         "        z|base64: x\n"
                         "    condition: selection\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  std::string text = DescribeLogic(r->Logic());
  for (const char* expected : {"a|contains|all|cased=",
                               "b|startswith=",
                               "c|exists=[true]",
                               "d|neq=",
                               "e|windash|contains=[' -exec ']",
                               "f|re|i|m|s=['x']",
                               "g|base64offset|contains=",
                               "h|wide|base64=",
                               "i|utf16le|base64=",
                               "j|utf16be|base64=",
                               "k|utf16|base64=",
                               "l|lt=[1]",
                               "m|lte=",
                               "n|gt=",
                               "o|gte=[1.5]",
                               "p|minute=",
                               "q|hour=",
                               "r|day=",
                               "s|week=",
                               "t|month=",
                               "u|year=[2024]",
                               "v|cidr=['::1/128']",
                               "w|expand=['%Servers%']",
                               "x|fieldref|endswith=",
                               "y|endswith=",
                               "z|base64="}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST(SigmaReaderTest, ConditionPrecedenceAndQuantifiers) {
  auto r = ReadSigma(
      RuleWith("    selection_a: {x: 1}\n"
               "    selection_b: {x: 2}\n"
               "    filter_main_1: {y: 1}\n"
               "    filter_main_2: {y: 2}\n"
               "    _hidden: {z: 1}\n"
               "    condition: not selection_a and selection_b or all of selection_* and not 1 of "
               "filter_main_* or any of them or (1 of _h*)\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  EXPECT_EQ(Describe(*r->Logic().condition, r->Logic().selections),
            "or(and(not(@selection_a), @selection_b), "
            "and(and(@selection_a, @selection_b), not(or(@filter_main_1, @filter_main_2))), "
            "or(@selection_a, @selection_b, @filter_main_1, @filter_main_2), @_hidden)");
}

TEST(SigmaReaderTest, SingleMatchQuantifierIsTheIdentifierAndNotBindsTighterThanAnd) {
  auto r =
      ReadSigma(RuleWith("    selection: {x: 1}\n"
                         "    filter: {y: 1}\n"
                         "    condition: all of sel* and not not filter\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  EXPECT_EQ(Describe(*r->Logic().condition, r->Logic().selections),
            "and(@selection, not(not(@filter)))");
}

TEST(SigmaReaderTest, ConditionListIsOred) {
  auto r =
      ReadSigma(RuleWith("    a: {x: 1}\n"
                         "    b: {x: 2}\n"
                         "    condition:\n"
                         "        - a\n"
                         "        - b\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  EXPECT_EQ(Describe(*r->Logic().condition, r->Logic().selections), "or(@a, @b)");
}

TEST(SigmaReaderTest, LegacyAggregationIsRefusedAtThePipe) {
  auto r =
      ReadSigma(RuleWith("    selection: {x: 1}\n"
                         "    condition: selection | count() by SourceIp > 5\n"));
  EXPECT_TRUE(r->Has(DiagCode::kSigmaLegacyAggregation)) << r->Render();
  EXPECT_EQ(r->Where(DiagCode::kSigmaLegacyAggregation), "8:26");
  EXPECT_TRUE(r->import.detections.empty());
  ASSERT_EQ(r->import.documents.size(), 1u);
  EXPECT_TRUE(r->import.documents[0].refused);
  EXPECT_NE(r->import.documents[0].reason.find("Sigma 1 aggregation"), std::string::npos);
}

TEST(SigmaReaderTest, TimeframeIsALegacyAggregation) {
  auto r =
      ReadSigma(RuleWith("    selection: {x: 1}\n"
                         "    timeframe: 10m\n"
                         "    condition: selection\n"));
  EXPECT_TRUE(r->Has(DiagCode::kSigmaLegacyAggregation)) << r->Render();
  EXPECT_EQ(r->Where(DiagCode::kSigmaLegacyAggregation), "8:5");
}

TEST(SigmaReaderTest, UnknownModifierIsReportedAtTheModifierWithASuggestion) {
  auto r =
      ReadSigma(RuleWith("    selection:\n"
                         "        Image|endwith: x\n"
                         "    condition: selection\n"));
  EXPECT_TRUE(r->Has(DiagCode::kSigmaUnknownModifier)) << r->Render();
  EXPECT_EQ(r->Where(DiagCode::kSigmaUnknownModifier), "8:15");
  ASSERT_FALSE(r->diags.diagnostics().empty());
  EXPECT_EQ(r->diags.diagnostics()[0].help.value_or(""), "did you mean `endswith`?");
}

TEST(SigmaReaderTest, RegexFlagWithoutReIsRefused) {
  auto r =
      ReadSigma(RuleWith("    selection:\n"
                         "        Image|i: x\n"
                         "    condition: selection\n"));
  EXPECT_TRUE(r->Has(DiagCode::kSigmaUnknownModifier)) << r->Render();
}

TEST(SigmaReaderTest, DanglingIdentifierAndEmptyPattern) {
  auto r =
      ReadSigma(RuleWith("    selection: {x: 1}\n"
                         "    condition: selection and not filtr\n"));
  EXPECT_TRUE(r->Has(DiagCode::kSigmaUndefinedIdentifier)) << r->Render();
  EXPECT_EQ(r->Where(DiagCode::kSigmaUndefinedIdentifier), "8:34");
  auto p =
      ReadSigma(RuleWith("    selection: {x: 1}\n"
                         "    condition: selection and not 1 of filter_*\n"));
  EXPECT_TRUE(p->Has(DiagCode::kSigmaUndefinedIdentifier)) << p->Render();
  EXPECT_EQ(p->Where(DiagCode::kSigmaUndefinedIdentifier), "8:39");
}

TEST(SigmaReaderTest, ConditionSyntaxErrors) {
  for (const char* cond : {"selection and", "(selection", "selection)", "selection or or x",
                           "2 of selection*", "selection*", "selection & x", "of them", "''"}) {
    auto r = ReadSigma(RuleWith(
        "    selection: {x: 1}\n    x: {y: 1}\n    condition: " + std::string(cond) + "\n"));
    EXPECT_TRUE(r->Has(DiagCode::kSigmaConditionSyntax)) << cond << "\n" << r->Render();
    EXPECT_TRUE(r->import.detections.empty()) << cond;
  }
}

TEST(SigmaReaderTest, DeeplyNestedConditionIsRefusedNotCrashed) {
  std::string cond = std::string(5000, '(') + "selection" + std::string(5000, ')');
  auto r = ReadSigma(RuleWith("    selection: {x: 1}\n    condition: " + cond + "\n"));
  EXPECT_TRUE(r->Has(DiagCode::kSigmaConditionSyntax)) << r->Render();
}

TEST(SigmaReaderTest, InvalidYamlHasLineAndColumn) {
  auto r = ReadSigma("title: x\ndetection:\n    selection: [a, b\n    condition: selection\n");
  EXPECT_TRUE(r->Has(DiagCode::kSigmaInvalidYaml)) << r->Render();
  EXPECT_FALSE(r->Where(DiagCode::kSigmaInvalidYaml).empty());
  ASSERT_EQ(r->import.documents.size(), 1u);
  EXPECT_TRUE(r->import.documents[0].refused);
}

// yaml-cpp 0.7 loops forever on a document that starts with a stray `,`
// (sigma_reader_fuzzer found it: fuzz/known/sigma_reader_timeout.yml). The
// reader must refuse the file at the comma and return.
TEST(SigmaReaderTest, StrayCommaAtADocumentStartIsInvalidYamlNotAHang) {
  struct Case {
    std::string text;
    std::string where;
  };
  for (const Case& c : std::vector<Case>{
           {", boolean and numeric values\ntitle: x\n", "1:1"},
           {"title: x\n---\n, a\n", "3:1"},
           {"\"quoted\" ,\n", "1:10"},
           {"&anchor !tag ,\n", "1:14"},
           {"# comment\n  ,\n", "2:3"},
       }) {
    auto r = ReadSigma(c.text);
    EXPECT_TRUE(r->Has(DiagCode::kSigmaInvalidYaml)) << c.text << r->Render();
    EXPECT_EQ(r->Where(DiagCode::kSigmaInvalidYaml), c.where) << c.text << r->Render();
    EXPECT_NE(r->Render().find("cannot start a value"), std::string::npos) << r->Render();
  }
}

TEST(SigmaReaderTest, DuplicateKeyIsInvalidYaml) {
  auto r =
      ReadSigma(RuleWith("    selection:\n"
                         "        Image: a\n"
                         "        Image: b\n"
                         "    condition: selection\n"));
  EXPECT_TRUE(r->Has(DiagCode::kSigmaInvalidYaml)) << r->Render();
  EXPECT_EQ(r->Where(DiagCode::kSigmaInvalidYaml), "9:9");
}

TEST(SigmaReaderTest, InvalidStructures) {
  const char* bodies[] = {
      "    selection:\n        Image:\n            endswith: x\n    condition: selection\n",
      "    selection:\n        - a\n        - {b: 1}\n    condition: selection\n",
      "    selection: []\n    condition: selection\n",
      "    selection:\n    condition: selection\n",
      "    selection: {x: [[1]]}\n    condition: selection\n",
      "    selection: {x: []}\n    condition: selection\n",
      "    selection: {x: 1}\n",
  };
  for (const char* body : bodies) {
    auto r = ReadSigma(RuleWith(body));
    EXPECT_TRUE(r->Has(DiagCode::kSigmaInvalidStructure)) << body << "\n" << r->Render();
    EXPECT_TRUE(r->import.detections.empty()) << body;
  }
  auto no_logsource = ReadSigma("title: x\ndetection:\n    s: {a: 1}\n    condition: s\n");
  EXPECT_TRUE(no_logsource->Has(DiagCode::kSigmaInvalidStructure));
  auto no_title =
      ReadSigma("logsource: {product: x}\ndetection:\n    s: {a: 1}\n    condition: s\n");
  EXPECT_TRUE(no_title->Has(DiagCode::kSigmaInvalidStructure));
  auto neither = ReadSigma("title: x\nlogsource: {product: x}\n");
  EXPECT_TRUE(neither->Has(DiagCode::kSigmaInvalidStructure));
  auto list_doc = ReadSigma("- a\n- b\n");
  EXPECT_TRUE(list_doc->Has(DiagCode::kSigmaInvalidStructure));
}

TEST(SigmaReaderTest, InvalidValues) {
  const char* bodies[] = {
      "    selection: {x|exists: maybe}\n    condition: selection\n",
      "    selection: {x|gt: 'ten'}\n    condition: selection\n",
      "    selection: {x|re: 5}\n    condition: selection\n",
      "    selection: [null]\n    condition: selection\n",
      "    selection: {x: 99999999999999999999}\n    condition: selection\n",
      "    selection: {x: .inf}\n    condition: selection\n",
  };
  for (const char* body : bodies) {
    auto r = ReadSigma(RuleWith(body));
    EXPECT_TRUE(r->Has(DiagCode::kSigmaInvalidValue)) << body << "\n" << r->Render();
  }
}

TEST(SigmaReaderTest, InvalidMetadata) {
  const char* docs[] = {
      "title: x\nid: not-a-uuid\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n",
      "title: x\nlevel: severe\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n",
      "title: x\nstatus: done\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n",
      "title: x\ndate: 2024-02-30\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n",
      "title: x\nrelated: [{id: 5}]\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: "
      "s}\n",
  };
  for (const char* doc : docs) {
    auto r = ReadSigma(doc);
    EXPECT_TRUE(r->Has(DiagCode::kSigmaInvalidMetadata)) << doc << "\n" << r->Render();
    EXPECT_EQ(r->import.refused_count(), 1u);
  }
}

TEST(SigmaReaderTest, UnkeptAndUnusedAreWarningsNotRefusals) {
  auto r = ReadSigma(
      "title: x\nlicense: DRL-1.1\nregression_tests_path: a/b.yml\n"
      "logsource: {product: x}\n"
      "detection:\n    s: {a: 1}\n    unused: {b: 1}\n    condition: s\n");
  EXPECT_EQ(r->diags.error_count(), 0u) << r->Render();
  EXPECT_EQ(r->Count(DiagCode::kSigmaFieldNotKept), 2u);
  EXPECT_EQ(r->Count(DiagCode::kSigmaUnusedIdentifier), 1u);
  EXPECT_EQ(r->import.imported_count(), 1u);
  EXPECT_EQ(r->import.documents[0].warnings, 3u);
}

const char* kCorrelationFile =
    "title: Many failed logons\n"
    "id: 0e95725d-7320-415d-80f7-004da920fc11\n"
    "correlation:\n"
    "    type: value_count\n"
    "    rules:\n"
    "        - failed_logon\n"
    "        - 5638f7c0-ac70-491d-8465-2a65075e0d86\n"
    "    aliases:\n"
    "        user:\n"
    "            failed_logon: TargetUserName\n"
    "            other_logon: User\n"
    "    group-by:\n"
    "        - user\n"
    "    timespan: 1h\n"
    "    condition:\n"
    "        gte: 10\n"
    "        lt: 20.5\n"
    "        field: IpAddress\n"
    "    generate: true\n"
    "level: high\n"
    "---\n"
    "title: Failed logon\n"
    "name: failed_logon\n"
    "logsource: {product: windows, service: security}\n"
    "detection:\n"
    "    selection: {EventID: 4625}\n"
    "    condition: selection\n"
    "---\n"
    "title: Other logon\n"
    "id: 5638f7c0-ac70-491d-8465-2a65075e0d86\n"
    "name: other_logon\n"
    "logsource: {product: windows, service: security}\n"
    "detection:\n"
    "    selection: {EventID: 4771}\n"
    "    condition: selection\n";

TEST(SigmaReaderTest, CorrelationWithItsRulesInOneFile) {
  auto r = ReadSigma(kCorrelationFile, "mr_logons.yml");
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  ASSERT_EQ(r->import.detections.size(), 3u);
  const ir::Detection& corr_rule = r->Rule(0);
  EXPECT_EQ(corr_rule.name, "mr_logons_1");
  const ir::SigmaLogic& logic = r->Logic(0);
  EXPECT_EQ(logic.condition, nullptr);
  ASSERT_TRUE(logic.correlation.has_value());
  const ir::Correlation& c = *logic.correlation;
  EXPECT_EQ(c.type, "value_count");
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0], &r->Rule(1));
  EXPECT_EQ(c.rules[1], &r->Rule(2));
  EXPECT_EQ(r->Rule(1).name, "failed_logon");
  EXPECT_EQ(c.group_by, std::vector<std::string>{"user"});
  EXPECT_EQ(c.timespan, "1h");
  EXPECT_EQ(c.timespan_seconds, 3600u);
  ASSERT_EQ(c.condition.size(), 2u);
  EXPECT_EQ(c.condition[0].op, "gte");
  EXPECT_TRUE(c.condition[0].is_integer);
  EXPECT_EQ(c.condition[1].op, "lt");
  EXPECT_FALSE(c.condition[1].is_integer);
  EXPECT_DOUBLE_EQ(c.condition[1].value, 20.5);
  EXPECT_EQ(c.condition_field, "IpAddress");
  EXPECT_TRUE(c.generate);
  ASSERT_EQ(c.aliases.at("user").size(), 2u);
  EXPECT_EQ(c.aliases.at("user")[1].first, &r->Rule(2));
  EXPECT_EQ(c.aliases.at("user")[1].second, "User");
}

TEST(SigmaReaderTest, CorrelationAcrossFilesAndUnresolvedReferences) {
  auto ok = ReadSigmaFiles(
      {{"corr.yml",
        "title: c\ncorrelation:\n    type: temporal\n    rules: [a, b]\n    group-by: [h]\n"
        "    timespan: 5m\n"},
       {"a.yml",
        "title: a\nname: a\nlogsource: {product: x}\ndetection: {s: {f: 1}, condition: s}\n"},
       {"b.yml",
        "title: b\nname: b\nlogsource: {product: x}\ndetection: {s: {f: 2}, condition: s}\n"}});
  EXPECT_EQ(ok->diags.error_count(), 0u) << ok->Render();
  EXPECT_EQ(ok->import.imported_count(), 3u);

  auto missing = ReadSigma(
      "title: c\ncorrelation:\n    type: event_count\n    rules: [nowhere]\n    group-by: [h]\n"
      "    timespan: 5m\n    condition: {gte: 3}\n");
  EXPECT_TRUE(missing->Has(DiagCode::kSigmaUnresolvedRule)) << missing->Render();
  EXPECT_EQ(missing->Where(DiagCode::kSigmaUnresolvedRule), "4:13");
  EXPECT_EQ(missing->import.refused_count(), 1u);

  // A refused rule takes its correlation, and the correlation on top of it, along.
  auto chain = ReadSigma(
      "title: top\ncorrelation:\n    type: event_count\n    rules: [mid]\n    group-by: [h]\n"
      "    timespan: 5m\n    condition: {gte: 3}\n---\n"
      "title: mid\nname: mid\ncorrelation:\n    type: event_count\n    rules: [base]\n"
      "    group-by: [h]\n    timespan: 5m\n    condition: {gte: 3}\n---\n"
      "title: base\nname: base\nlogsource: {product: x}\n"
      "detection: {s: {f|bogus: 1}, condition: s}\n");
  EXPECT_EQ(chain->import.refused_count(), 3u) << chain->Render();
  EXPECT_TRUE(chain->import.detections.empty());
}

TEST(SigmaReaderTest, InvalidCorrelations) {
  const char* docs[] = {
      "title: c\ncorrelation:\n    type: event_sum\n    rules: [a]\n    timespan: 5m\n",
      "title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: 5 minutes\n"
      "    condition: {gte: 1}\n",
      "title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: 5m\n",
      "title: c\ncorrelation:\n    type: value_count\n    rules: [a]\n    timespan: 5m\n"
      "    condition: {gte: 1}\n",
      "title: c\ncorrelation:\n    type: event_count\n    timespan: 5m\n    condition: {gte: 1}\n",
      "title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: 5m\n"
      "    condition: {gte: many}\n",
  };
  for (const char* doc : docs) {
    std::string text = std::string(doc) +
                       "---\ntitle: a\nname: a\nlogsource: {product: x}\n"
                       "detection: {s: {f: 1}, condition: s}\n";
    auto r = ReadSigma(text);
    EXPECT_GT(r->diags.error_count(), 0u) << doc;
    EXPECT_EQ(r->import.refused_count(), 1u) << doc << r->Render();
    EXPECT_EQ(r->import.imported_count(), 1u) << doc;
  }
}

TEST(SigmaReaderTest, MetaFilter) {
  auto r = ReadSigma(
      "title: Filter admins\n"
      "id: 7f7a6e5c-1111-4222-8333-944455556666\n"
      "logsource: {category: process_creation, product: windows}\n"
      "filter:\n"
      "    rules:\n"
      "        - 929a690e-bef0-4204-a928-ef5e620d6fcc # the rule\n"
      "    selection:\n"
      "        User|startswith: 'adm_'\n"
      "    condition: not selection\n"
      "---\n" +
      RuleWith("    selection: {Image: x}\n    condition: selection\n"));
  ASSERT_EQ(r->diags.error_count(), 0u) << r->Render();
  ASSERT_EQ(r->import.filters.size(), 1u);
  const ir::Filter& f = *r->import.filters[0];
  EXPECT_EQ(f.meta.title, "Filter admins");
  EXPECT_EQ(f.id.value_or(""), "7f7a6e5c-1111-4222-8333-944455556666");
  EXPECT_EQ(f.logsource.category, "process_creation");
  ASSERT_EQ(f.rules.size(), 1u);
  EXPECT_EQ(f.rules[0], &r->Rule(0));
  ASSERT_EQ(f.selections.size(), 1u);
  EXPECT_EQ(Describe(*f.condition, f.selections), "not(@selection)");
  EXPECT_EQ(Describe(*f.selections[0].expr, f.selections), "User|startswith=['adm_']");

  auto any = ReadSigma(
      "title: f\nlogsource: {product: x}\nfilter:\n    rules: any\n    selection: {a: 1}\n"
      "    condition: not selection\n");
  ASSERT_EQ(any->import.filters.size(), 1u) << any->Render();
  EXPECT_TRUE(any->import.filters[0]->applies_to_any);
}

TEST(SigmaReaderTest, NamesAreUniqueWardIdentifiers) {
  auto r =
      ReadSigmaFiles({{"dir/1-Odd Name.yml", RuleWith("    s: {a: 1}\n    condition: s\n")},
                      {"other/1-odd name.yml", RuleWith("    s: {a: 1}\n    condition: s\n")}});
  ASSERT_EQ(r->import.detections.size(), 2u) << r->Render();
  EXPECT_EQ(r->Rule(0).name, "r_1_odd_name");
  EXPECT_EQ(r->Rule(1).name, "r_1_odd_name_2");
}

TEST(SigmaReaderTest, ToProgramSortsAndRegisters) {
  auto r = ReadSigma(kCorrelationFile, "mr_logons.yml");
  std::unique_ptr<ir::Program> program = import::ToProgram(std::move(r->import));
  ASSERT_EQ(program->detections.size(), 3u);
  EXPECT_EQ(program->detections[0]->name, "failed_logon");
  EXPECT_NE(program->Find("imported.mr_logons_1"), nullptr);
}

TEST(SigmaReaderTest, OtherDocumentsGoOnWhenOneIsRefused) {
  auto r = ReadSigma(RuleWith("    s: {a|nope: 1}\n    condition: s\n") + "---\n" +
                     RuleWith("    s: {a: 1}\n    condition: s\n"));
  EXPECT_EQ(r->import.refused_count(), 1u);
  EXPECT_EQ(r->import.imported_count(), 1u);
  EXPECT_EQ(r->import.documents[1].index, 1u);
}

}  // namespace
}  // namespace ward::import_test
