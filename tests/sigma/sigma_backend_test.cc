#include "backends/sigma/sigma_backend.h"

#include <gtest/gtest.h>

#include "tests/sigma/sigma_test_support.h"

namespace ward::sigma_test {
namespace {

using ir::SigmaModifier;

// The README example: a phrase list and a red-team exclusion as `let`s.
std::unique_ptr<ir::Program> PromptInjectionProgram() {
  ProgramBuilder b;
  ir::Catalog& atlas = b.Catalog("atlas", "mitre_atlas");
  b.Entry(atlas, "AML.TA0005", "Execution", "tactic");
  ir::CatalogEntry& t0051 = b.Entry(atlas, "AML.T0051", "LLM Prompt Injection", "technique",
                                    {"AML.TA0005"});
  ir::Catalog& owasp = b.Catalog("owasp_llm", "owasp_llm");
  ir::CatalogEntry& llm01 = b.Entry(owasp, "LLM01:2025", "Prompt Injection", "risk");
  ir::Threat& threat = b.Threat("prompt_injection", {&t0051, &llm01});

  ir::Detection& d = b.Rule("prompt_injection_phrase",
                            "Known prompt-injection phrase in a user prompt", nullptr);
  d.id = "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11";
  d.level = ir::Level::kHigh;
  d.meta.status = "experimental";
  d.meta.date = ir::Date{2025, 6, 1};
  d.falsepositives = {"Security training content"};
  size_t phrases = b.Let(d, "phrases",
                         Match("gen_ai.prompt", {SigmaModifier::kContains},
                               {Str("ignore previous instructions"),
                                Str("disregard the system prompt")}));
  size_t red_team = b.Let(d, "red_team", Eq("user.role", "red_team"));
  b.Logic(d).condition = AndOf(Sel(phrases), Not(Sel(red_team)));
  b.Link(d, threat);
  return b.Release();
}

TEST(SigmaBackendTest, Scratch) {
  auto program = PromptInjectionProgram();
  EmitResult r = EmitSigma(*program);
  for (const auto& [path, text] : r.files.files()) std::cout << path << "\n" << text << "====\n";
}

}  // namespace
}  // namespace ward::sigma_test
