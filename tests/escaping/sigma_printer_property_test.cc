// The Sigma printer writes YAML directly (backends/sigma/yaml_block_writer.h)
// instead of through yaml-cpp's emitter; its promise is the same bytes the
// emitter path gave. Checked three ways: scalar by scalar (the direct
// quoting decisions against yaml-cpp's, and yaml-cpp reading the printed
// scalar back to the same string), on random documents built from hostile
// text, and document by document on every golden Sigma input and on
// rulesets/ under both profiles.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "backends/sigma/sigma_lowering.h"
#include "backends/sigma/sigma_options.h"
#include "backends/sigma/sigma_printer.h"
#include "backends/sigma/yaml_block_writer.h"
#include "compiler/driver/pipeline.h"
#include "tests/escaping/hostile_text.h"

namespace ward::escaping_test {
namespace {

namespace fs = std::filesystem;
namespace sigma = backends::sigma;

// Hostile text, or (one time in three) a short ASCII word with a risky first
// or last character, which the hostile alphabet rarely produces alone.
std::string RandomText(std::mt19937_64& rng) {
  static const std::vector<std::string> kWords = {
      "a",  "Z",   "ab",   "x y", "null", "Null", "NULL", "~",   "true", "no",        "1.5", "-1",
      "-x", "- x", "?x",   ":x",  "x:",   "x: y", "x #y", "x#y", ".inf", "0x1F",      "a:b", "a b ",
      " a", "é",   "模型", "'",   "''",   "\"",   "a'b",  "@x",  "`x",   "%x",        "!x",  "&x",
      "*x", "|x",  ">x",   "x|",  "---",  "...",  "=",    "<<",  "(x)",  "$x",        "\\x", "/x",
      "_x", "^x",  ";x",   "+1",  "x\t",  "k",    "a,b",  "[x]", "{x}",  "2025-06-01"};
  std::uniform_int_distribution<int> which(0, 2);
  if (which(rng) == 0) {
    std::uniform_int_distribution<size_t> pick(0, kWords.size() - 1);
    std::string text = kWords[pick(rng)];
    if (which(rng) == 0) text += kWords[pick(rng)];
    return text;
  }
  return HostileText(rng, 6);
}

TEST(SigmaPrinterProperty, DirectScalarDecisionsMatchYamlCpp) {
  std::mt19937_64 rng(20261201);
  size_t fast_plain = 0, fast_single = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = RandomText(rng);
    std::string plain = sigma::FastPlainScalar(text);
    if (!plain.empty()) {
      ++fast_plain;
      EXPECT_EQ(plain, sigma::YamlCppScalar(text, YAML::Auto)) << "text: " << text;
    }
    std::string single = sigma::FastSingleQuotedScalar(text);
    if (!single.empty()) {
      ++fast_single;
      EXPECT_EQ(single, sigma::YamlCppScalar(text, YAML::SingleQuoted)) << "text: " << text;
      EXPECT_EQ(YAML::Load(single).as<std::string>(), text) << "printed: " << single;
    }
  }
  // The fast paths must actually be taken, or this test checks nothing.
  EXPECT_GT(fast_plain, 2000u);
  EXPECT_GT(fast_single, 5000u);
}

sigma::Scalar RandomScalar(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> kind(0, 9);
  switch (kind(rng)) {
    case 0:
      return sigma::Scalar::Integer(static_cast<int64_t>(rng() % 20000) - 10000);
    case 1:
      return sigma::Scalar::Float(static_cast<double>(rng() % 1000) / 8.0);
    case 2:
      return sigma::Scalar::Bool(rng() % 2 == 0);
    case 3:
      return sigma::Scalar::Null();
    default:
      return sigma::Scalar::String(RandomText(rng));
  }
}

sigma::SearchMap RandomMap(std::mt19937_64& rng) {
  sigma::SearchMap map;
  for (size_t n = 1 + rng() % 3; n > 0; --n) {
    sigma::DetectionItem item;
    item.field = RandomText(rng);
    if (rng() % 3 == 0) item.modifiers = {"contains", "all"};
    for (size_t v = 1 + rng() % 3; v > 0; --v) item.values.push_back(RandomScalar(rng));
    map.items.push_back(std::move(item));
  }
  return map;
}

sigma::Metadata RandomMetadata(std::mt19937_64& rng) {
  sigma::Metadata meta;
  meta.title = RandomText(rng);
  meta.id = "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11";
  meta.status = "test";
  // Descriptions are where literal blocks come from: join a few texts with
  // line breaks, sometimes with a final one.
  meta.description = RandomText(rng);
  for (size_t n = rng() % 3; n > 0; --n) meta.description += "\n" + RandomText(rng);
  if (rng() % 3 == 0) meta.description += "\n";
  if (rng() % 2 == 0) meta.references = {RandomText(rng), "https://example.com/a"};
  meta.author = RandomText(rng);
  meta.date = "2025-06-01";
  if (rng() % 2 == 0) meta.modified = "2025-07-15";
  meta.tags = {"attack.t1059", RandomText(rng)};
  if (rng() % 2 == 0) meta.falsepositives = {RandomText(rng)};
  meta.level = "high";
  return meta;
}

sigma::Detection RandomDetection(std::mt19937_64& rng) {
  sigma::Detection detection;
  for (size_t n = 1 + rng() % 3; n > 0; --n) {
    sigma::SearchIdentifier id;
    id.name = rng() % 4 == 0 ? RandomText(rng) : "selection_" + std::to_string(n);
    switch (rng() % 3) {
      case 0:
        id.shape = sigma::SearchIdentifier::Shape::kMap;
        id.maps.push_back(RandomMap(rng));
        break;
      case 1:
        id.shape = sigma::SearchIdentifier::Shape::kListOfMaps;
        id.maps.push_back(RandomMap(rng));
        id.maps.push_back(RandomMap(rng));
        break;
      default:
        id.shape = sigma::SearchIdentifier::Shape::kKeywords;
        for (size_t k = 1 + rng() % 3; k > 0; --k) id.keywords.push_back(RandomScalar(rng));
        break;
    }
    detection.identifiers.push_back(std::move(id));
  }
  detection.condition = sigma::Condition::Ref("selection_1");
  return detection;
}

sigma::Logsource RandomLogsource(std::mt19937_64& rng) {
  sigma::Logsource logsource;
  logsource.category = RandomText(rng);
  logsource.product = "windows";
  if (rng() % 3 == 0) logsource.definition = RandomText(rng) + "\n" + RandomText(rng);
  if (rng() % 3 == 0) logsource.extra = {{RandomText(rng), RandomText(rng)}};
  return logsource;
}

sigma::Document RandomDocument(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: {
      sigma::CorrelationDocument corr;
      corr.meta = RandomMetadata(rng);
      corr.type = "event_count";
      corr.rules = {RandomText(rng), "rule_b"};
      if (rng() % 2 == 0) corr.aliases = {{"alias", {{"rule_a", RandomText(rng)}}}};
      corr.group_by = {RandomText(rng)};
      corr.timespan = "5m";
      corr.condition = {{"gte", sigma::Scalar::Integer(10)}};
      if (rng() % 2 == 0) corr.percentile = 95;
      corr.generate = rng() % 2 == 0;
      corr.generate_top_level = rng() % 2 == 0;
      return corr;
    }
    case 1: {
      sigma::FilterDocument filter;
      filter.meta = RandomMetadata(rng);
      filter.logsource = RandomLogsource(rng);
      filter.rules = {{"da10a2ef-d388-5067-9564-20c77b2d4238", "golden.sigma.rule"},
                      {"5c65a660-9665-5089-a6cb-508c77ca79ee", ""}};
      filter.detection = RandomDetection(rng);
      return filter;
    }
    default: {
      sigma::RuleDocument rule;
      rule.meta = RandomMetadata(rng);
      if (rng() % 3 == 0) rule.meta.related = {{"6ee67d86-b098-4f22-a832-77f45f607f22", "derived"}};
      rule.logsource = RandomLogsource(rng);
      rule.detection = RandomDetection(rng);
      return rule;
    }
  }
}

TEST(SigmaPrinterProperty, RandomDocumentsPrintAsTheYamlCppPathDid) {
  std::mt19937_64 rng(42);
  int direct_documents = 0;
  for (int i = 0; i < 3000; ++i) {
    sigma::Document document = RandomDocument(rng);
    std::string direct = sigma::PrintDocument(document);
    std::string reference = sigma::PrintDocumentWithYamlCpp(document);
    ASSERT_EQ(direct, reference) << "document " << i;
    std::optional<std::string> written = sigma::PrintDocumentDirect(document);
    if (written) {
      ++direct_documents;
      EXPECT_EQ(*written, reference) << "document " << i;
    }
    // And what was printed reads back: the title is the text it was given.
    YAML::Node node = YAML::Load(direct);
    const auto& meta =
        std::visit([](const auto& doc) -> const sigma::Metadata& { return doc.meta; }, document);
    EXPECT_EQ(node["title"].as<std::string>(), meta.title) << direct;
    EXPECT_EQ(node["description"].as<std::string>(), meta.description) << direct;
  }
  // Every random document is one the direct writer handles (none has an
  // empty group), so the comparison above is never the fallback's.
  EXPECT_EQ(direct_documents, 3000);
}

// Every document of `path` (a file or a directory) under `profile`, printed
// both ways.
void ExpectSamePrinting(const std::string& path, const std::string& profile) {
  DiagnosticEngine diags;
  driver::CompileOptions options;
  options.paths = {path};
  options.jobs = 1;
  std::unique_ptr<driver::Compilation> compilation = driver::Compile(options, diags);
  if (!compilation || !compilation->program || diags.has_errors()) return;  // negative inputs
  std::map<std::string, std::string> backend_options;
  if (!profile.empty()) backend_options[sigma::kProfileOption] = profile;
  std::optional<sigma::SigmaOptions> sigma_options =
      sigma::ParseSigmaOptions(backend_options, "2026-01-01", diags);
  ASSERT_TRUE(sigma_options);
  std::vector<sigma::OutputFile> files =
      sigma::LowerProgram(*compilation->program, *sigma_options, diags);
  for (const sigma::OutputFile& file : files) {
    for (const sigma::Document& document : file.documents) {
      std::optional<std::string> direct = sigma::PrintDocumentDirect(document);
      ASSERT_TRUE(direct) << path << ": " << file.path << " left to the yaml-cpp fallback";
      EXPECT_EQ(*direct, sigma::PrintDocumentWithYamlCpp(document)) << path << ": " << file.path;
    }
  }
}

TEST(SigmaPrinterProperty, GoldenInputsAndRulesetsPrintAsTheYamlCppPathDid) {
  std::vector<std::string> inputs;
  for (const char* dir : {"tests/golden/sigma", "tests/golden/yara", "tests/golden/mapping"}) {
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".ward" || entry.is_directory()) {
        if (entry.path().extension() == ".expected") continue;
        inputs.push_back(entry.path().generic_string());
      }
    }
  }
  ASSERT_TRUE(fs::exists("rulesets")) << "run from the repository root";
  inputs.push_back("rulesets");
  for (const std::string& input : inputs) {
    ExpectSamePrinting(input, "");
    ExpectSamePrinting(input, "sigmahq");
  }
}

}  // namespace
}  // namespace ward::escaping_test
