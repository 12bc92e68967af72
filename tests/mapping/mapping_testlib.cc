#include "tests/mapping/mapping_testlib.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "backends/mapping/mapping_backend.h"
#include "backends/mapping/trace_lowering.h"

namespace ward::mapping_test {

Fixture::Fixture() {
  file_ = sources_.Add("rules/demo.ward", std::string(1 << 16, ' '));
  program_.manifest.name = "demo-project";
  program_.manifest.version = "1.2.0";
  program_.manifest.author = "Ward tests";
  program_.manifest.namespace_uuid = "6f1d2b8e-4c1a-5b7e-9a43-3e2d1c0b9a87";
}

Span Fixture::NewSpan() {
  Span span{file_, next_offset_, next_offset_ + 5};
  next_offset_ += 10;
  return span;
}

template <typename T>
T& Fixture::Register(std::unique_ptr<T> entity, std::vector<std::unique_ptr<T>>& list,
                     const std::string& pkg, const std::string& name) {
  entity->package = pkg;
  entity->name = name;
  entity->span = NewSpan();
  entity->name_span = entity->span;
  T& out = *entity;
  program_.by_name[out.qualified_name()] = &out;
  list.push_back(std::move(entity));
  return out;
}

ir::Catalog& Fixture::AddCatalog(const std::string& name, const std::string& title,
                                 const std::string& framework, const std::string& version,
                                 const std::string& url) {
  ir::Catalog& catalog =
      Register(std::make_unique<ir::Catalog>(), program_.catalogs, "catalogs", name);
  catalog.meta.title = title;
  catalog.framework = framework;
  catalog.version = version;
  catalog.url = url;
  return catalog;
}

const ir::CatalogEntry& Fixture::AddEntry(ir::Catalog& catalog, const std::string& id,
                                          const std::string& title, const std::string& kind,
                                          std::vector<std::string> parents) {
  auto entry = std::make_unique<ir::CatalogEntry>();
  entry->catalog = &catalog;
  entry->id = id;
  entry->title = title;
  entry->kind = kind;
  entry->parents = std::move(parents);
  entry->span = NewSpan();
  const ir::CatalogEntry& out = *entry;
  catalog.by_id[id] = entry.get();
  catalog.entries.push_back(std::move(entry));
  return out;
}

ir::Asset& Fixture::AddAsset(const std::string& name, const std::string& title,
                             const std::string& kind) {
  ir::Asset& asset = Register(std::make_unique<ir::Asset>(), program_.assets, package, name);
  asset.meta.title = title;
  asset.asset_kind = kind;
  return asset;
}

ir::Persona& Fixture::AddPersona(const std::string& name, const std::string& title) {
  ir::Persona& persona =
      Register(std::make_unique<ir::Persona>(), program_.personas, package, name);
  persona.meta.title = title;
  return persona;
}

ir::Threat& Fixture::AddThreat(const std::string& name, const std::string& title,
                               ir::Severity severity) {
  ir::Threat& threat = Register(std::make_unique<ir::Threat>(), program_.threats, package, name);
  threat.meta.title = title;
  threat.severity = severity;
  return threat;
}

ir::Mitigation& Fixture::AddMitigation(const std::string& name, const std::string& title,
                                       ir::Effectiveness effectiveness) {
  ir::Mitigation& mitigation =
      Register(std::make_unique<ir::Mitigation>(), program_.mitigations, package, name);
  mitigation.meta.title = title;
  mitigation.effectiveness = effectiveness;
  return mitigation;
}

namespace {

struct StubLogic : ir::DetectionLogic {
  explicit StubLogic(std::string k) : kind_(std::move(k)) {}
  std::string_view kind() const override { return kind_; }
  std::string kind_;
};

}  // namespace

ir::Detection& Fixture::AddDetection(const std::string& name, const std::string& title,
                                     const std::string& kind, size_t tests) {
  ir::Detection& detection =
      Register(std::make_unique<ir::Detection>(), program_.detections, package, name);
  detection.meta.title = title;
  detection.detection_kind = kind;
  detection.level = ir::Level::kHigh;
  detection.logic = std::make_unique<StubLogic>(kind);
  for (size_t i = 0; i < tests; ++i) {
    ir::TestCase test;
    test.name = "case " + std::to_string(i + 1);
    test.expect_match = i == 0;
    test.span = NewSpan();
    detection.tests.push_back(std::move(test));
  }
  return detection;
}

ir::CatalogRef Fixture::Ref(const ir::CatalogEntry& entry, const std::string& pinned) {
  ir::CatalogRef ref;
  ref.entry = &entry;
  ref.pinned_version = pinned;
  return ref;
}

void Fixture::Mitigates(ir::Mitigation& mitigation, ir::Threat& threat) {
  mitigation.threats.push_back(&threat);
  threat.mitigations.push_back(&mitigation);
}

void Fixture::Detects(ir::Detection& detection, ir::Threat& threat) {
  detection.threats.push_back(&threat);
  threat.detections.push_back(&detection);
}

void Fixture::Affects(ir::Threat& threat, ir::Asset& asset) {
  threat.affects.push_back(&asset);
  asset.threats.push_back(&threat);
}

void Fixture::Finish() {
  auto by_name = [](const auto& a, const auto& b) {
    return a->qualified_name() < b->qualified_name();
  };
  std::sort(program_.catalogs.begin(), program_.catalogs.end(), by_name);
  std::sort(program_.assets.begin(), program_.assets.end(), by_name);
  std::sort(program_.personas.begin(), program_.personas.end(), by_name);
  std::sort(program_.threats.begin(), program_.threats.end(), by_name);
  std::sort(program_.mitigations.begin(), program_.mitigations.end(), by_name);
  std::sort(program_.detections.begin(), program_.detections.end(), by_name);
}

std::unique_ptr<Fixture> StandardFixture() {
  auto f = std::make_unique<Fixture>();

  ir::Catalog& atlas = f->AddCatalog("atlas", "MITRE ATLAS", "mitre_atlas", "5.6.1",
                                     "https://atlas.mitre.org");
  f->AddEntry(atlas, "AML.TA0004", "Initial Access", "tactic");
  f->AddEntry(atlas, "AML.TA0005", "Execution", "tactic");
  f->AddEntry(atlas, "AML.TA0011", "Impact", "tactic");
  f->AddEntry(atlas, "AML.T0010", "AI Supply Chain Compromise", "technique", {"AML.TA0004"});
  const auto& t0010_003 = f->AddEntry(atlas, "AML.T0010.003", "Model", "subtechnique", {"AML.T0010"});
  f->AddEntry(atlas, "AML.T0051", "LLM Prompt Injection", "technique", {"AML.TA0005"});
  const auto& t0051_000 = f->AddEntry(atlas, "AML.T0051.000", "Direct", "subtechnique", {"AML.T0051"});
  const auto& t0029 = f->AddEntry(atlas, "AML.T0029", "Denial of AI Service", "technique", {"AML.TA0011"});
  const auto& m0011 = f->AddEntry(atlas, "AML.M0011", "Restrict Library Loading", "mitigation");
  const auto& m0015 = f->AddEntry(atlas, "AML.M0015", "Adversarial Input Detection", "mitigation");
  f->AddEntry(atlas, "AML.M0004", "Restrict Number of AI Model Queries", "mitigation");

  ir::Catalog& attack = f->AddCatalog("attack", "MITRE ATT&CK Enterprise", "mitre_attack", "16.1",
                                      "https://attack.mitre.org");
  f->AddEntry(attack, "TA0002", "Execution", "tactic");
  f->AddEntry(attack, "T1059", "Command and Scripting Interpreter", "technique", {"TA0002"});
  const auto& t1059_006 = f->AddEntry(attack, "T1059.006", "Python", "subtechnique", {"T1059"});

  ir::Catalog& owasp = f->AddCatalog("owasp_llm", "OWASP Top 10 for LLM Applications", "owasp_llm",
                                     "2025", "https://genai.owasp.org/llm-top-10/");
  const auto& llm01 = f->AddEntry(owasp, "LLM01:2025", "Prompt Injection", "risk");
  const auto& llm03 = f->AddEntry(owasp, "LLM03:2025", "Supply Chain", "risk");
  const auto& llm10 = f->AddEntry(owasp, "LLM10:2025", "Unbounded Consumption", "risk");

  ir::Catalog& nist = f->AddCatalog("nist80053", "NIST SP 800-53 Rev. 5", "nist_sp800_53", "5.0.1");
  const auto& si7 = f->AddEntry(nist, "SI-7", "Software, Firmware, and Information Integrity", "control");
  const auto& cm7 = f->AddEntry(nist, "CM-7", "Least Functionality", "control");
  const auto& si10 = f->AddEntry(nist, "SI-10", "Information Input Validation", "control");
  f->AddEntry(nist, "AC-2(1)", "Automated System Account Management", "control");

  ir::Catalog& cosai = f->AddCatalog("cosai", "CoSAI Risk Map", "cosai_risk_map", "1.0",
                                     "https://github.com/cosai-oasis/secure-ai-tooling");
  const auto& integrity =
      f->AddEntry(cosai, "controlModelAndDataIntegrityManagement", "Model and Data Integrity Management", "control");
  const auto& input_validation =
      f->AddEntry(cosai, "controlInputValidationAndSanitization", "Input Validation and Sanitization", "control");
  const auto& risk_pi = f->AddEntry(cosai, "riskPromptInjection", "Prompt Injection", "risk");

  ir::Asset& model_file = f->AddAsset("model_file", "Serialized model artifact", "model_artifact");
  ir::Asset& chat_app = f->AddAsset("chat_app", "Chat application, \"assistant\"\nv2", "application");
  chat_app.maps.push_back(Fixture::Ref(risk_pi));
  ir::Persona& engineer = f->AddPersona("ml_engineer", "ML engineer");
  engineer.maps.push_back(Fixture::Ref(risk_pi));

  ir::Threat& deser = f->AddThreat("unsafe_deserialization",
                                   "Code runs when a model file is loaded", ir::Severity::kCritical);
  deser.likelihood = ir::Likelihood::kLikely;
  deser.impact = ir::Impact::kSevere;
  deser.category = "supply_chain";
  deser.stages = {"packaging", "deployment"};
  deser.meta.description = "Pickle streams can import and call any callable.\nLoading one runs it.";
  deser.meta.date = ir::Date{2025, 6, 1};
  deser.meta.modified = ir::Date{2025, 7, 1};
  deser.meta.references = {"https://docs.python.org/3/library/pickle.html"};
  deser.maps = {Fixture::Ref(t0010_003), Fixture::Ref(t1059_006), Fixture::Ref(llm03)};
  Fixture::Affects(deser, model_file);

  ir::Threat& injection = f->AddThreat(
      "prompt_injection", "Prompt injection <script>alert(1)</script> | `pipe`", ir::Severity::kHigh);
  injection.likelihood = ir::Likelihood::kAlmostCertain;
  injection.maps = {Fixture::Ref(t0051_000, "5.0.1"), Fixture::Ref(llm01), Fixture::Ref(risk_pi)};
  Fixture::Affects(injection, chat_app);

  ir::Threat& dos = f->AddThreat("model_dos", "Denial of AI service", ir::Severity::kMedium);
  dos.maps = {Fixture::Ref(t0029), Fixture::Ref(llm10)};
  Fixture::Affects(dos, chat_app);

  ir::Threat& leak = f->AddThreat("data_leak", "Sensitive data, \"quoted\", with comma\nand newline",
                                  ir::Severity::kLow);

  ir::Mitigation& safe = f->AddMitigation("safe_formats", "Load weights only from safe formats",
                                          ir::Effectiveness::kHigh);
  safe.implements = {Fixture::Ref(m0011), Fixture::Ref(cm7)};
  safe.applies_to = {&model_file};
  ir::Mitigation& signing =
      f->AddMitigation("signing", "Verify model signatures", ir::Effectiveness::kMedium);
  signing.type = ir::MitigationType::kPreventive;
  signing.implements = {Fixture::Ref(si7), Fixture::Ref(integrity)};
  ir::Mitigation& filter =
      f->AddMitigation("input_filter", "Filter prompts", ir::Effectiveness::kMedium);
  filter.type = ir::MitigationType::kDetective;
  filter.implements = {Fixture::Ref(input_validation), Fixture::Ref(si10), Fixture::Ref(m0015)};
  f->AddMitigation("unused_policy", "Written policy nobody links", ir::Effectiveness::kLow);

  Fixture::Mitigates(safe, deser);
  Fixture::Mitigates(signing, deser);
  Fixture::Mitigates(filter, injection);

  ir::Detection& pickle = f->AddDetection("pickle_code_exec", "Pickle stream imports a shell", "yara", 2);
  ir::Detection& phrase =
      f->AddDetection("injection_phrase", "Known prompt-injection phrase", "sigma", 2);
  phrase.id = "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11";
  phrase.meta.date = ir::Date{2025, 9, 3};
  ir::Detection& watch = f->AddDetection("leak_watch", "Watch for data leaks", "sigma", 0);
  f->AddDetection("orphan_rule", "Rule linked to nothing", "yara", 1);
  Fixture::Detects(pickle, deser);
  Fixture::Detects(phrase, injection);
  Fixture::Detects(watch, leak);

  f->Finish();
  return f;
}

std::string EmitResult::File(const std::string& path) const {
  auto it = out.files().find(path);
  return it == out.files().end() ? std::string() : it->second;
}

EmitResult Emit(Fixture& fixture, std::map<std::string, std::string> options,
                backends::OutputSet out, const std::string& build_date) {
  fixture.Finish();
  DiagnosticEngine diags;
  backends::BackendContext ctx{fixture.program(), fixture.sources(), diags, std::move(options),
                               build_date};
  auto backend = backends::mapping::MakeMappingBackend();
  EmitResult result;
  result.out = std::move(out);
  result.ok = backend->Emit(ctx, result.out);
  result.diags = diags.Sorted();
  result.errors = diags.error_count();
  return result;
}

backends::mapping::TraceModel Lower(Fixture& fixture, const std::string& build_date) {
  fixture.Finish();
  return backends::mapping::LowerTraceModel(fixture.program(), {build_date});
}

// ---- external tools ------------------------------------------------------------------
std::optional<std::string> ValidateJson(const std::string& schema, const std::string& json,
                                        const std::string& extra_args) {
  TempDir dir;
  const std::string instance = dir.Write("instance.json", json);
  std::string output;
  const int status = RunCommand("python3 " WARD_SOURCE_DIR "/tests/mapping/validate_schema.py '" +
                                    schema + "' '" + instance + "' " + extra_args,
                                &output);
  if (status == 2 || status == 127) return std::nullopt;  // no python3 or no jsonschema
  if (status == 0) return std::string();
  return output.empty() ? "validator failed with status " + std::to_string(status) : output;
}

}  // namespace ward::mapping_test
