// The Sigma backend end to end, from hand-built IR to the files it writes:
// layout, IDs, metadata, tags, correlations, filters and the sigmahq profile.

#include "backends/sigma/sigma_backend.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "compiler/support/uuid.h"
#include "tests/sigma/sigma_test_support.h"

namespace ward::sigma_test {
namespace {

using ir::SigmaModifier;

constexpr const char* kNamespace = "46542ce6-c2a8-437d-8198-63834802d069";

// The README example: a phrase list and a red-team exclusion as `let`s,
// linked to a threat that maps to ATLAS and OWASP.
std::unique_ptr<ir::Program> PromptInjectionProgram() {
  ProgramBuilder b;
  ir::Catalog& atlas = b.Catalog("atlas", "mitre_atlas");
  b.Entry(atlas, "AML.TA0005", "Execution", "tactic");
  ir::CatalogEntry& t0051 =
      b.Entry(atlas, "AML.T0051", "LLM Prompt Injection", "technique", {"AML.TA0005"});
  ir::Catalog& owasp = b.Catalog("owasp_llm", "owasp_llm");
  ir::CatalogEntry& llm01 = b.Entry(owasp, "LLM01:2025", "Prompt Injection", "risk");
  ir::Threat& threat = b.Threat("prompt_injection", {&t0051, &llm01});

  ir::Detection& d =
      b.Rule("prompt_injection_phrase", "Known prompt-injection phrase in a user prompt", nullptr);
  d.id = "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11";
  d.level = ir::Level::kHigh;
  d.meta.status = "experimental";
  d.meta.date = ir::Date{2025, 6, 1};
  d.falsepositives = {"Security training content"};
  size_t phrases =
      b.Let(d, "phrases",
            Match("gen_ai.prompt", {SigmaModifier::kContains},
                  {Str("ignore previous instructions"), Str("disregard the system prompt")}));
  size_t red_team = b.Let(d, "red_team", Eq("user.role", "red_team"));
  b.Logic(d).condition = AndOf(Sel(phrases), Not(Sel(red_team)));
  b.Link(d, threat);
  return b.Release();
}

// The text of the only file written (empty, after a failure, if not one).
std::string OnlyText(const EmitResult& r) {
  EXPECT_EQ(r.files.files().size(), 1u) << ::testing::PrintToString(r.Paths());
  return r.files.files().size() == 1 ? r.files.files().begin()->second : std::string();
}

YAML::Node OnlyDoc(const EmitResult& r) {
  std::vector<YAML::Node> docs = LoadDocuments(OnlyText(r));
  EXPECT_EQ(docs.size(), 1u);
  return docs.empty() ? YAML::Node(YAML::NodeType::Map) : docs[0];
}

YAML::Node FirstDoc(const std::string& text) {
  std::vector<YAML::Node> docs = LoadDocuments(text);
  EXPECT_FALSE(docs.empty()) << "no YAML document";
  return docs.empty() ? YAML::Node(YAML::NodeType::Map) : docs[0];
}

void ExpectClean(const EmitResult& r) {
  EXPECT_TRUE(r.ok);
  for (const std::string& problem : CheckOutput(r.files)) ADD_FAILURE() << problem;
}

TEST(SigmaBackendTest, WritesTheReadmeRuleInSigmaHqOrderWithFourSpaceIndentation) {
  auto program = PromptInjectionProgram();
  EmitResult r = EmitSigma(*program);
  ExpectClean(r);
  ASSERT_EQ(r.Paths(), std::vector<std::string>{"sigma/cosai/llm/prompt_injection_phrase.yml"});
  EXPECT_EQ(r.File("sigma/cosai/llm/prompt_injection_phrase.yml"),
            "title: Known prompt-injection phrase in a user prompt\n"
            "id: 0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11\n"
            "status: experimental\n"
            "author: Ward contributors\n"
            "date: 2025-06-01\n"
            "tags:\n"
            "    - atlas.aml.t0051\n"
            "    - owasp_llm.llm01_2025\n"
            "logsource:\n"
            "    category: prompt\n"
            "    product: llm\n"
            "detection:\n"
            "    selection_phrases:\n"
            "        gen_ai.prompt|contains:\n"
            "            - 'ignore previous instructions'\n"
            "            - 'disregard the system prompt'\n"
            "    filter_main_red_team:\n"
            "        user.role: 'red_team'\n"
            "    condition: selection_phrases and not filter_main_red_team\n"
            "falsepositives:\n"
            "    - Security training content\n"
            "level: high\n");
}

TEST(SigmaBackendTest, OutputIsByteIdenticalAcrossRuns) {
  auto program = PromptInjectionProgram();
  EmitResult first = EmitSigma(*program);
  EmitResult second = EmitSigma(*program);
  EXPECT_EQ(first.files.files(), second.files.files());
}

// A rule linked to a narrow threat carries the framework IDs of the broader
// threat it refines (here the OWASP entry only the broader one maps), once.
TEST(SigmaBackendTest, TagsIncludeTheMappingsOfRefinedThreats) {
  ProgramBuilder b;
  ir::Catalog& atlas = b.Catalog("atlas", "mitre_atlas");
  ir::CatalogEntry& t0051 = b.Entry(atlas, "AML.T0051", "LLM Prompt Injection", "technique");
  ir::Catalog& owasp = b.Catalog("owasp_llm", "owasp_llm");
  ir::CatalogEntry& llm01 = b.Entry(owasp, "LLM01:2025", "Prompt Injection", "risk");
  ir::Threat& broad = b.Threat("prompt_injection", {&t0051, &llm01});
  ir::Threat& narrow = b.Threat("tool_description_poisoning", {&t0051});
  narrow.refines.push_back(&broad);
  broad.refined_by.push_back(&narrow);

  ir::Detection& d = b.Rule("poisoned_tool_description", "Tool description with orders", nullptr);
  size_t orders = b.Let(d, "orders", Match("gen_ai.tool.description", {SigmaModifier::kContains},
                                            {Str("ignore previous instructions")}));
  b.Logic(d).condition = Sel(orders);
  b.Link(d, narrow);
  auto program = b.Release();

  YAML::Node doc = OnlyDoc(EmitSigma(*program));
  std::vector<std::string> tags;
  for (const auto& tag : doc["tags"]) tags.push_back(tag.as<std::string>());
  EXPECT_EQ(tags, (std::vector<std::string>{"atlas.aml.t0051", "owasp_llm.llm01_2025"}))
      << ::testing::PrintToString(tags);
}

TEST(SigmaBackendTest, FileNamesFollowSigmaHqsConvention) {
  ProgramBuilder b;
  b.Rule("Mixed-Case Name", "Upper case and spaces", Eq("a", "b"), "acme.x");
  b.Rule("short", "A name shorter than ten characters", Eq("a", "b"), "acme.x");
  b.Rule(std::string(120, 'n'), "A very long name", Eq("a", "b"), "acme.x");
  b.Rule("lone", "No package segment to borrow", Eq("a", "b"), "");
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  static const std::regex kFile(R"(^sigma/(acme/x/)?[a-z0-9_]{10,90}\.yml$)");
  ASSERT_EQ(r.Paths().size(), 4u);
  for (const std::string& path : r.Paths()) {
    EXPECT_TRUE(std::regex_match(path, kFile)) << path;
  }
  std::vector<std::string> paths = r.Paths();
  EXPECT_NE(std::find(paths.begin(), paths.end(), "sigma/acme/x/mixed_case_name.yml"), paths.end());
  // Nothing to borrow: a suffix.
  EXPECT_NE(std::find(paths.begin(), paths.end(), "sigma/lone_sigma_rule.yml"), paths.end());
  // Too short: package segments are prepended until it is long enough.
  EXPECT_NE(std::find(paths.begin(), paths.end(), "sigma/acme/x/acme_x_short.yml"), paths.end())
      << ::testing::PrintToString(paths);
}

TEST(SigmaBackendTest, NamesThatCollideAfterLowercasingAreReported) {
  ProgramBuilder b;
  b.Rule("model_theft", "One", Eq("a", "b"));
  b.Rule("Model_Theft", "Two", Eq("a", "c"));
  EmitResult r = EmitSigma(b.program());
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.Has(DiagCode::kOutputPathCollision));
}

TEST(SigmaBackendTest, IdsAreUuidV5OfTheNamespaceAndTheQualifiedName) {
  ProgramBuilder b;
  b.Rule("model_download", "Model download", Eq("a", "b"), "cosai.supply_chain");
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  auto docs = LoadDocuments(r.File("sigma/cosai/supply_chain/model_download.yml"));
  ASSERT_EQ(docs.size(), 1u);
  std::optional<std::string> expected = UuidV5(kNamespace, "cosai.supply_chain.model_download");
  ASSERT_TRUE(expected);
  EXPECT_EQ(docs[0]["id"].as<std::string>(), *expected);
  // Version 5, RFC 9562 variant.
  EXPECT_EQ(expected->at(14), '5');
  EXPECT_NE(std::string("89ab").find(expected->at(19)), std::string::npos);

  // Another namespace gives another ID; the same inputs always the same one.
  b.program().manifest.namespace_uuid = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
  EmitResult other = EmitSigma(b.program());
  auto other_docs = LoadDocuments(other.File("sigma/cosai/supply_chain/model_download.yml"));
  ASSERT_EQ(other_docs.size(), 1u);
  EXPECT_NE(other_docs[0]["id"].as<std::string>(), *expected);
  EXPECT_EQ(other_docs[0]["id"].as<std::string>(),
            *UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "cosai.supply_chain.model_download"));
}

TEST(SigmaBackendTest, RelatedRulesAreWrittenAfterTheId) {
  ProgramBuilder b;
  ir::Detection& d = b.Rule("renamed_rule", "A rule that replaces two", Eq("a", "b"));
  d.related = {{"merged", "0b6f6a5e-3f0e-4c55-9a51-2a9c4b1d7e10"},
               {"renamed", "6ee67d86-b098-4f22-a832-77f45f607f22"}};
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  const std::string& text = OnlyText(r);
  EXPECT_NE(text.find("related:\n"
                      "    - id: 0b6f6a5e-3f0e-4c55-9a51-2a9c4b1d7e10\n"
                      "      type: merged\n"
                      "    - id: 6ee67d86-b098-4f22-a832-77f45f607f22\n"
                      "      type: renamed\n"),
            std::string::npos)
      << text;
  EXPECT_LT(text.find("\nid: "), text.find("\nrelated:"));
}

TEST(SigmaBackendTest, MetadataComesFromWard) {
  ProgramBuilder b;
  ir::Detection& d = b.Rule("metadata_rule", "Every metadata field", Eq("a", "b"));
  d.meta.description = "Detects every metadata field.";
  d.meta.status = "test";
  d.meta.author = "Alice, Bob";
  d.meta.date = ir::Date{2024, 1, 31};
  d.meta.modified = ir::Date{2025, 2, 3};
  d.meta.references = {"https://example.org/a", "https://example.org/b", "https://example.org/a"};
  d.level = ir::Level::kCritical;
  d.falsepositives = {"Backup jobs", "Backup jobs"};
  ir::Detection& same_day =
      b.Rule("same_day_rule", "Modified on the day it was written", Eq("a", "b"));
  same_day.meta.date = ir::Date{2024, 1, 31};
  same_day.meta.modified = ir::Date{2024, 1, 31};
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  YAML::Node doc = FirstDoc(r.File("sigma/cosai/llm/metadata_rule.yml"));
  EXPECT_EQ(doc["description"].as<std::string>(), "Detects every metadata field.");
  EXPECT_EQ(doc["status"].as<std::string>(), "test");
  EXPECT_EQ(doc["author"].as<std::string>(), "Alice, Bob");
  EXPECT_EQ(doc["date"].as<std::string>(), "2024-01-31");
  EXPECT_EQ(doc["modified"].as<std::string>(), "2025-02-03");
  EXPECT_EQ(doc["references"].as<std::vector<std::string>>(),
            (std::vector<std::string>{"https://example.org/a", "https://example.org/b"}));
  EXPECT_EQ(doc["falsepositives"].as<std::vector<std::string>>(),
            std::vector<std::string>{"Backup jobs"});
  EXPECT_EQ(doc["level"].as<std::string>(), "critical");
  // The manifest's author when the rule names none; `modified` equal to
  // `date` is redundant (sigmahq_redundant_modified) and left out.
  YAML::Node second = FirstDoc(r.File("sigma/cosai/llm/same_day_rule.yml"));
  EXPECT_EQ(second["author"].as<std::string>(), "Ward contributors");
  EXPECT_FALSE(second["modified"]);
  EXPECT_FALSE(second["status"]);  // nothing invented under the default profile
}

TEST(SigmaBackendTest, MultiLineDescriptionsAreLiteralBlocks) {
  ProgramBuilder b;
  ir::Detection& d = b.Rule("described_rule", "Described", Eq("a", "b"));
  d.meta.description = "First line.\nSecond line: with a colon.\n";
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  const std::string& text = OnlyText(r);
  EXPECT_NE(text.find("description: |\n    First line.\n    Second line: with a colon.\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(LoadDocuments(text)[0]["description"].as<std::string>(), d.meta.description);
}

TEST(SigmaBackendTest, AttackTechniquesBringTheirTactics) {
  ProgramBuilder b;
  ir::Catalog& attack = b.Catalog("attack", "mitre_attack");
  b.Entry(attack, "TA0002", "Execution", "tactic");
  b.Entry(attack, "TA0005", "Defense Evasion", "tactic");
  b.Entry(attack, "T1059", "Command and Scripting Interpreter", "technique", {"TA0002"});
  ir::CatalogEntry& python = b.Entry(attack, "T1059.006", "Python", "subtechnique", {"T1059"});
  const ir::CatalogEntry* evasion = attack.Find("TA0005");
  ir::Threat& threat = b.Threat("python_exec", {&python, evasion});
  ir::Detection& d = b.Rule("python_rule", "Python run by an agent", Eq("a", "b"));
  b.Link(d, threat);
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  YAML::Node doc = OnlyDoc(r);
  EXPECT_EQ(
      doc["tags"].as<std::vector<std::string>>(),
      (std::vector<std::string>{"attack.execution", "attack.t1059.006", "attack.defense-evasion"}));
}

TEST(SigmaBackendTest, AiFrameworksGetTheirOwnNamespacesInSigmasTagAlphabet) {
  ProgramBuilder b;
  ir::Catalog& atlas = b.Catalog("atlas", "mitre_atlas");
  ir::CatalogEntry& direct = b.Entry(atlas, "AML.T0051.000", "Direct", "subtechnique");
  ir::Catalog& owasp = b.Catalog("owasp", "owasp_llm");
  ir::CatalogEntry& llm01 = b.Entry(owasp, "LLM01:2025", "Prompt Injection", "risk");
  ir::Catalog& cosai = b.Catalog("cosai", "cosai_risk_map");
  ir::CatalogEntry& risk = b.Entry(cosai, "riskPromptInjection", "Prompt Injection", "risk");
  ir::Catalog& own = b.Catalog("acme", "Acme Controls 2026");
  ir::CatalogEntry& acme = b.Entry(own, "ACME 7/b", "Intake review", "control");
  ir::Threat& threat = b.Threat("injection", {&direct, &llm01, &risk, &acme});
  ir::Detection& d = b.Rule("tagged", "Tagged with every framework", Eq("a", "b"));
  d.meta.tags = {"detection.threat-hunting", "Custom Tag.Value", "no namespace"};
  b.Link(d, threat);
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  YAML::Node doc = OnlyDoc(r);
  std::vector<std::string> tags = doc["tags"].as<std::vector<std::string>>();
  EXPECT_EQ(tags,
            (std::vector<std::string>{"atlas.aml.t0051.000", "owasp_llm.llm01_2025",
                                      "cosai.riskpromptinjection", "acme_controls_2026.acme_7_b",
                                      "detection.threat-hunting", "custom_tag.value"}));
  static const std::regex kTag(R"(^[a-z0-9_-]+\.[a-z0-9._-]+$)");
  for (const std::string& tag : tags) EXPECT_TRUE(std::regex_match(tag, kTag)) << tag;
  // A tag that cannot be made valid is reported, not silently dropped.
  EXPECT_TRUE(r.Has(DiagCode::kSigmaTagDropped));
}

TEST(SigmaBackendTest, SigmaHqProfileKeepsOnlyStandardTagNamespaces) {
  auto program = PromptInjectionProgram();
  ir::Detection& d = *program->detections[0];
  FillMetadata(d);
  EmitResult r = EmitSigma(*program, "sigmahq");
  ExpectClean(r);
  YAML::Node doc = OnlyDoc(r);
  EXPECT_EQ(doc["tags"].as<std::vector<std::string>>(),
            std::vector<std::string>{"detection.threat-hunting"});
  EXPECT_FALSE(r.Has(DiagCode::kSigmaHqConvention));
}

TEST(SigmaBackendTest, SigmaHqProfileFillsInWhatItCanAndReportsTheRest) {
  ProgramBuilder b;
  ir::Detection& d =
      b.Rule("bare_rule", "large model download by a service account.", Eq("a", "b"));
  d.falsepositives = {"backup agents"};
  EmitResult r = EmitSigma(b.program(), "sigmahq", "2025-07-01");
  ExpectClean(r);
  YAML::Node doc = OnlyDoc(r);
  EXPECT_EQ(doc["title"].as<std::string>(), "Large Model Download by a Service Account");
  EXPECT_EQ(doc["description"].as<std::string>(),
            "Detects large model download by a service account");
  EXPECT_EQ(doc["status"].as<std::string>(), "experimental");
  EXPECT_EQ(doc["date"].as<std::string>(), "2025-07-01");
  EXPECT_EQ(doc["falsepositives"].as<std::vector<std::string>>(),
            std::vector<std::string>{"Backup agents"});
  ASSERT_TRUE(r.Has(DiagCode::kSigmaHqConvention));
  const Diagnostic* w0804 = nullptr;
  for (const Diagnostic& diag : r.diagnostics) {
    if (diag.code == DiagCode::kSigmaHqConvention) w0804 = &diag;
  }
  ASSERT_NE(w0804, nullptr);
  EXPECT_EQ(w0804->severity, Severity::kWarning);
  std::string notes;
  for (const std::string& note : w0804->notes) notes += note + "\n";
  for (const char* missing : {"description", "references", "date", "status", "tags"}) {
    EXPECT_NE(notes.find(std::string("missing: ") + missing), std::string::npos)
        << missing << " not reported in:\n"
        << notes;
  }
  // The default profile invents nothing and reports nothing.
  EmitResult plain = EmitSigma(b.program());
  EXPECT_FALSE(plain.Has(DiagCode::kSigmaHqConvention));
  YAML::Node plain_doc = OnlyDoc(plain);
  EXPECT_EQ(plain_doc["title"].as<std::string>(), "large model download by a service account.");
  EXPECT_FALSE(plain_doc["description"]);
  EXPECT_FALSE(plain_doc["date"]);
}

TEST(SigmaBackendTest, UnknownProfileIsAnError) {
  auto program = PromptInjectionProgram();
  EmitResult r = EmitSigma(*program, "strict");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.Has(DiagCode::kInvalidBackendOption));
  EXPECT_TRUE(r.files.files().empty());
}

ir::Correlation CountCorrelation(const ir::Detection& rule) {
  ir::Correlation c;
  c.type = "event_count";
  c.rules = {&rule};
  c.group_by = {"gen_ai.conversation.id"};
  c.timespan = "1m";
  ir::CorrelationThreshold t;
  t.op = "gte";
  t.value = 20;
  t.is_integer = true;
  c.condition = {t};
  return c;
}

TEST(SigmaBackendTest, ACorrelationAndItsRulesShareOneMultiDocumentFile) {
  ProgramBuilder b;
  ir::Detection& tool =
      b.Rule("tool_call", "AI agent executed a tool", Eq("gen_ai.operation.name", "execute_tool"));
  ir::Correlation c = CountCorrelation(tool);
  c.generate = true;
  b.CorrelationRule("runaway_tool_loop", "Twenty tool calls within a minute", c);
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  ASSERT_EQ(r.Paths(), std::vector<std::string>{"sigma/cosai/llm/mr_runaway_tool_loop.yml"});
  const std::string& text = r.File("sigma/cosai/llm/mr_runaway_tool_loop.yml");
  std::vector<YAML::Node> docs = LoadDocuments(text);
  ASSERT_EQ(docs.size(), 2u);
  // The correlation first, then the rule it uses, which carries a `name`.
  EXPECT_TRUE(docs[0]["correlation"]);
  EXPECT_EQ(docs[0]["correlation"]["type"].as<std::string>(), "event_count");
  EXPECT_EQ(docs[0]["correlation"]["rules"].as<std::vector<std::string>>(),
            std::vector<std::string>{"tool_call"});
  EXPECT_EQ(docs[0]["correlation"]["group-by"].as<std::vector<std::string>>(),
            std::vector<std::string>{"gen_ai.conversation.id"});
  EXPECT_EQ(docs[0]["correlation"]["timespan"].as<std::string>(), "1m");
  EXPECT_EQ(docs[0]["correlation"]["condition"]["gte"].as<int>(), 20);
  EXPECT_TRUE(docs[0]["correlation"]["generate"].as<bool>());
  EXPECT_TRUE(docs[0]["generate"].as<bool>());
  EXPECT_EQ(docs[1]["name"].as<std::string>(), "tool_call");
  EXPECT_EQ(docs[1]["id"].as<std::string>(), *UuidV5(kNamespace, "cosai.llm.tool_call"));
  EXPECT_NE(text.find("\n---\ntitle: AI agent executed a tool\n"), std::string::npos) << text;

  // The sigmahq profile names the file `correlation_*` and keeps `generate`
  // inside `correlation:` only.
  EmitResult hq = EmitSigma(b.program(), "sigmahq");
  ASSERT_EQ(hq.Paths(),
            std::vector<std::string>{"sigma/cosai/llm/correlation_runaway_tool_loop.yml"});
  std::vector<YAML::Node> hq_docs =
      LoadDocuments(hq.File("sigma/cosai/llm/correlation_runaway_tool_loop.yml"));
  ASSERT_EQ(hq_docs.size(), 2u);
  EXPECT_FALSE(hq_docs[0]["generate"]);
  EXPECT_TRUE(hq_docs[0]["correlation"]["generate"].as<bool>());
}

TEST(SigmaBackendTest, ACorrelationWithoutGroupByIsNotEmitted) {
  ProgramBuilder b;
  ir::Detection& tool = b.Rule("tool_call", "AI agent executed a tool", Eq("a", "b"));
  ir::Correlation c = CountCorrelation(tool);
  c.group_by.clear();
  b.CorrelationRule("runaway_tool_loop", "Twenty tool calls within a minute", c);
  EmitResult r = EmitSigma(b.program());
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.Has(DiagCode::kSigmaCannotExpress));
  EXPECT_TRUE(r.files.files().empty());
}

TEST(SigmaBackendTest, FiltersAreMetaFilterFilesThatListRuleIds) {
  ProgramBuilder b;
  ir::Detection& a = b.Rule("injection_phrase", "Injection phrase", Eq("a", "b"));
  ir::Detection& other = b.Rule("jailbreak_marker", "Jailbreak marker", Eq("a", "c"));
  ir::Filter& f = b.Filter("exclude_eval_harness", "Ignore the evaluation harness", {&a, &other},
                           Not(Eq("service.name", "llm-eval-harness")));
  f.meta.description = "The evaluation pipeline replays attacks on purpose.";
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  const std::string& text = r.File("sigma/cosai/llm/mf_exclude_eval_harness.yml");
  YAML::Node doc = LoadDocuments(text)[0];
  EXPECT_EQ(doc["id"].as<std::string>(), *UuidV5(kNamespace, "cosai.llm.exclude_eval_harness"));
  EXPECT_EQ(doc["logsource"]["product"].as<std::string>(), "llm");
  EXPECT_EQ(doc["filter"]["rules"].as<std::vector<std::string>>(),
            (std::vector<std::string>{*UuidV5(kNamespace, "cosai.llm.injection_phrase"),
                                      *UuidV5(kNamespace, "cosai.llm.jailbreak_marker")}));
  EXPECT_EQ(doc["filter"]["selection"]["service.name"].as<std::string>(), "llm-eval-harness");
  EXPECT_EQ(doc["filter"]["condition"].as<std::string>(), "not selection");
  // Each ID says which rule it is.
  EXPECT_NE(text.find(" # cosai.llm.injection_phrase\n"), std::string::npos) << text;
  EXPECT_FALSE(doc["level"]);
  EXPECT_FALSE(doc["status"]);
}

TEST(SigmaBackendTest, AFilterForAnyRuleListsTheRulesOfItsLogsource) {
  ProgramBuilder b;
  ir::Detection& a = b.Rule("injection_phrase", "Injection phrase", Eq("a", "b"));
  ir::Detection& cloud = b.Rule("model_deleted", "Model deleted", Eq("a", "c"));
  b.Logic(cloud).logsource = {};
  b.Logic(cloud).logsource.product = "aws";
  b.CorrelationRule("phrase_burst", "Many phrases", CountCorrelation(a));
  b.Filter("exclude_red_team", "Ignore the red team", {}, Not(Eq("user.id", "svc-redteam")));
  EmitResult r = EmitSigma(b.program());
  ExpectClean(r);
  YAML::Node doc = FirstDoc(r.File("sigma/cosai/llm/mf_exclude_red_team.yml"));
  // Sigma v2.1 has no `rules: any`: the product-llm rules are listed, not the
  // AWS rule and not the correlation.
  EXPECT_EQ(doc["filter"]["rules"].as<std::vector<std::string>>(),
            std::vector<std::string>{*UuidV5(kNamespace, "cosai.llm.injection_phrase")});

  ProgramBuilder none;
  ir::Detection& aws = none.Rule("model_deleted", "Model deleted", Eq("a", "c"));
  none.Logic(aws).logsource.product = "aws";
  none.Filter("exclude_red_team", "Ignore the red team", {}, Not(Eq("user.id", "svc-redteam")));
  EmitResult empty = EmitSigma(none.program());
  EXPECT_FALSE(empty.ok);
  EXPECT_TRUE(empty.Has(DiagCode::kSigmaCannotExpress));
}

}  // namespace
}  // namespace ward::sigma_test
