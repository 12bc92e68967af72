// Escaping, proven by property: random hostile strings (quotes, backslashes,
// line breaks, NUL, wildcards, pipes, markup, bidi controls, U+2028, emoji)
// are written through Ward's string syntax into every text field of a small
// ruleset, the ruleset is built with every backend, and each output is read
// back with a real reader of its format:
//   Sigma YAML   yaml-cpp gives back the same title, description, references,
//                false positives, tags, and the detection value (Sigma-unescaped);
//                the value read back by Ward's Sigma reader matches the same
//                bytes in the Sigma evaluator
//   YARA         libyara compiles the file; the text string matches exactly the
//                original bytes; meta strings read back through libyara
//   JSON         nlohmann (strict UTF-8) parses traceability/STIX/OSCAL/Navigator
//                JSON, and each string is found as a whole value
//   CSV          an RFC 4180 reader gives rectangular records holding the strings
//   Markdown     every table row has its header's cell count; cells show the text
//   HTML         the tag/attribute structure equals that of a benign build (no
//                markup injection) and the unescaped text holds each string
// The seed is fixed (WARD_ESCAPING_SEED overrides it, WARD_ESCAPING_CASES the
// count) and printed with every failure, with the case's Ward source.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "backends/yara/libyara_check.h"
#include "compiler/driver/pipeline.h"
#include "compiler/eval/sigma_eval.h"
#include "compiler/import/sigma_reader.h"
#include "compiler/support/uuid.h"
#include "tests/escaping/hostile_text.h"
#include "tests/escaping/yara_meta.h"

namespace ward::escaping_test {
namespace {

using nlohmann::json;

uint64_t Seed() {
  const char* env = std::getenv("WARD_ESCAPING_SEED");
  return env ? std::strtoull(env, nullptr, 0) : 0x5741524445534350ull;  // "WARDESCP"
}

size_t Cases() {
  const char* env = std::getenv("WARD_ESCAPING_CASES");
  return env ? std::strtoul(env, nullptr, 10) : 300;
}

// The text fields of one case; each is written into the source as a Ward
// string literal.
struct Texts {
  std::string threat_title, threat_description, threat_reference;
  std::string mitigation_title, mitigation_description;
  std::string catalog_version, entry_id, entry_title, control_id, control_title;
  std::string sigma_title, sigma_description, sigma_reference, sigma_falsepositive, sigma_tag;
  std::string sigma_value;
  std::string yara_title, yara_description, yara_string;
};

Texts RandomTexts(std::mt19937_64& rng) {
  Texts t;
  for (std::string* s :
       {&t.threat_title, &t.threat_description, &t.threat_reference, &t.mitigation_title,
        &t.mitigation_description, &t.catalog_version, &t.entry_id, &t.entry_title,
        &t.control_id, &t.control_title, &t.sigma_title, &t.sigma_description,
        &t.sigma_reference, &t.sigma_falsepositive, &t.sigma_tag, &t.sigma_value,
        &t.yara_title, &t.yara_description, &t.yara_string}) {
    *s = HostileText(rng);
  }
  // Sigma requires false positives of two characters or more (E0800).
  auto chars = [](const std::string& text) {
    return std::count_if(text.begin(), text.end(),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  };
  if (chars(t.sigma_falsepositive) < 2) t.sigma_falsepositive += "fp";
  // In a reference `atlas."ID@VERSION"` the `@` pins a catalog version, so
  // an entry ID cannot hold one.
  for (std::string* id : {&t.entry_id, &t.control_id}) {
    id->erase(std::remove(id->begin(), id->end(), '@'), id->end());
    if (id->empty()) *id = "id";
  }
  return t;
}

Texts BenignTexts() {
  Texts t;
  t.threat_title = "threat title";
  t.threat_description = "threat description";
  t.threat_reference = "https://example.org/threat";
  t.mitigation_title = "mitigation title";
  t.mitigation_description = "mitigation description";
  t.catalog_version = "1.0";
  t.entry_id = "AML.T0051";
  t.entry_title = "entry title";
  t.control_id = "AC-6";
  t.control_title = "control title";
  t.sigma_title = "sigma title";
  t.sigma_description = "sigma description";
  t.sigma_reference = "https://example.org/sigma";
  t.sigma_falsepositive = "false positive";
  t.sigma_tag = "detection.threat-hunting";
  t.sigma_value = "ignore previous";
  t.yara_title = "yara title";
  t.yara_description = "yara description";
  t.yara_string = "torch.load";
  return t;
}

std::string Source(const Texts& t, std::mt19937_64& rng) {
  auto q = [&](const std::string& text) { return WardLiteral(text, rng); };
  std::string s = "package esc.cases\n\n";
  s += fmt::format(
      "catalog atlas \"ATLAS\" {{\n  framework: mitre_atlas\n  version: {}\n"
      "  entry {} {} {{ kind: technique }}\n}}\n",
      q(t.catalog_version), q(t.entry_id), q(t.entry_title));
  s += fmt::format(
      "catalog nist \"SP 800-53\" {{\n  framework: nist_sp800_53\n  version: \"5\"\n"
      "  entry {} {} {{ kind: control }}\n}}\n",
      q(t.control_id), q(t.control_title));
  s += fmt::format(
      "threat hostile_threat {} {{\n  severity: high\n  description: {}\n  references: {}\n"
      "  maps: atlas.{}\n  mitigated_by: hostile_mitigation\n}}\n",
      q(t.threat_title), q(t.threat_description), q(t.threat_reference), q(t.entry_id));
  s += fmt::format(
      "mitigation hostile_mitigation {} {{\n  type: preventive\n  description: {}\n"
      "  implements: nist.{}\n}}\n",
      q(t.mitigation_title), q(t.mitigation_description), q(t.control_id));
  s += fmt::format(
      "detection sigma hostile_sigma {} {{\n  logsource {{ product: gen_ai  category: inference }}\n"
      "  description: {}\n  references: {}\n  falsepositives: {}\n  tags: {}\n"
      "  detects: hostile_threat\n  when: gen_ai.prompt contains {}\n}}\n",
      q(t.sigma_title), q(t.sigma_description), q(t.sigma_reference), q(t.sigma_falsepositive),
      q(t.sigma_tag), q(t.sigma_value));
  s += fmt::format(
      "detection yara hostile_yara {} {{\n  description: {}\n  detects: hostile_threat\n"
      "  strings {{ $s = {} }}\n  condition: $s\n}}\n",
      q(t.yara_title), q(t.yara_description), q(t.yara_string));
  return s;
}

struct Build {
  std::unique_ptr<driver::Compilation> compilation;
  DiagnosticEngine diags;
  backends::OutputSet out;
  bool ok = false;
  std::string Messages() const {
    std::string text;
    for (const Diagnostic& d : diags.diagnostics()) {
      text += fmt::format("  {} {}\n", Info(d.code).id, d.message);
    }
    return text;
  }
  bool Reported(DiagCode code) const {
    for (const Diagnostic& d : diags.diagnostics()) {
      if (d.code == code) return true;
    }
    return false;
  }
  std::string File(const std::string& path) const {
    auto it = out.files().find(path);
    return it == out.files().end() ? "" : it->second;
  }
};

std::unique_ptr<Build> BuildSource(std::string text) {
  auto build = std::make_unique<Build>();
  build->compilation = std::make_unique<driver::Compilation>();
  driver::Compilation& c = *build->compilation;
  FileId id = c.sources.Add("hostile.ward", std::move(text));
  std::optional<ast::File> parsed = syntax::ParseFile(*c.sources.Get(id), build->diags);
  if (!parsed) return build;
  bool broken = parsed->had_syntax_errors;
  c.asts.push_back(std::make_unique<ast::File>(std::move(*parsed)));
  ir::Manifest manifest;
  manifest.namespace_uuid = std::string(kDefaultNamespace);
  c.program = sema::Analyze({{c.asts.back().get(), broken}}, manifest, c.sources, build->diags);
  if (!c.program || build->diags.has_errors()) return build;
  std::vector<std::string> names;
  for (const auto& backend : driver::AllBackends()) names.emplace_back(backend->name());
  build->ok = driver::RunBackendsAt(c, names, {}, "2026-01-15", build->diags, build->out);
  return build;
}

// Sigma's own escapes: `\*`, `\?` and `\\` stand for the character; any
// other backslash is literal.
std::string SigmaUnescape(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size() &&
        (value[i + 1] == '*' || value[i + 1] == '?' || value[i + 1] == '\\')) {
      out += value[++i];
    } else {
      out += value[i];
    }
  }
  return out;
}

// OSCAL's token: ^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$, with any non-ASCII byte
// taken as a letter (as the printer does).
bool IsOscalToken(const std::string& text) {
  if (text.empty()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool letter = c >= 0x80 || std::isalpha(c) || c == '_';
    if (i == 0 ? !letter : !(letter || std::isdigit(c) || c == '.' || c == '-')) return false;
  }
  return true;
}

void CollectStrings(const json& value, std::multiset<std::string>& out) {
  if (value.is_string()) {
    out.insert(value.get<std::string>());
  } else if (value.is_structured()) {
    for (const auto& item : value) CollectStrings(item, out);
  }
}

// The start tags of an HTML document with their attribute names, in order
// ("div class id"), skipping the raw text of <script> and <style>. Hostile
// text that got through unescaped would add a tag or an attribute.
std::vector<std::string> HtmlStructure(const std::string& html) {
  std::vector<std::string> tags;
  size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; };
  while ((i = html.find('<', i)) != std::string::npos) {
    ++i;
    if (i >= html.size() || !(std::isalpha(static_cast<unsigned char>(html[i])) || html[i] == '/' ||
                              html[i] == '!')) {
      continue;
    }
    if (html.compare(i, 3, "!--") == 0) {
      size_t end = html.find("-->", i);
      tags.push_back("<!-- -->");
      if (end == std::string::npos) break;
      i = end + 3;
      continue;
    }
    size_t start = i;
    while (i < html.size() && !is_space(html[i]) && html[i] != '>' && html[i] != '/') ++i;
    if (i == start && html[i] == '/') {
      ++i;
      while (i < html.size() && !is_space(html[i]) && html[i] != '>') ++i;
    }
    std::string tag = html.substr(start, i - start);
    for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string entry = tag;
    while (i < html.size() && html[i] != '>') {
      if (is_space(html[i]) || html[i] == '/') {
        ++i;
        continue;
      }
      size_t name_start = i;
      while (i < html.size() && !is_space(html[i]) && html[i] != '=' && html[i] != '>') ++i;
      entry += " " + html.substr(name_start, i - name_start);
      if (i < html.size() && html[i] == '=') {
        ++i;
        if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
          char quote = html[i];
          size_t end = html.find(quote, i + 1);
          i = end == std::string::npos ? html.size() : end + 1;
        } else {
          entry += "(unquoted)";
          while (i < html.size() && !is_space(html[i]) && html[i] != '>') ++i;
        }
      }
    }
    tags.push_back(entry);
    if (tag == "script" || tag == "style") {
      size_t end = html.find("</" + tag, i);
      if (end == std::string::npos) break;
      i = end;
    }
  }
  return tags;
}

// Everything outside tags, entity references decoded: what a browser shows.
std::string HtmlText(const std::string& html) {
  std::string text;
  size_t i = 0;
  while (i < html.size()) {
    size_t open = html.find('<', i);
    text += html.substr(i, open == std::string::npos ? std::string::npos : open - i);
    if (open == std::string::npos) break;
    size_t close = html.find('>', open);
    if (close == std::string::npos) break;
    std::string tag = html.substr(open, std::min<size_t>(8, close - open));
    i = close + 1;
    if (tag.rfind("<script", 0) == 0 || tag.rfind("<style", 0) == 0) {
      size_t end = html.find(tag.rfind("<script", 0) == 0 ? "</script" : "</style", i);
      i = end == std::string::npos ? html.size() : end;
    }
    text += '\x1F';  // a tag boundary; never in the alphabet
  }
  return HtmlUnescape(text);
}

// What a GFM table cell can show of `text`: line breaks become <br> (CRLF
// and CR count as one break), tabs become spaces, and a cell's outer spaces
// are not part of its content.
std::string AsMarkdownShows(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += '\n';
    } else if (text[i] == '\t') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  return out.substr(begin, out.find_last_not_of(' ') - begin + 1);
}

class EscapingProperty : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::mt19937_64 rng(1);
    benign_ = BuildSource(Source(BenignTexts(), rng)).release();
  }
  static void TearDownTestSuite() {
    delete benign_;
    benign_ = nullptr;
  }

  // Runs `check` on `Cases()` random cases; every failure names the seed,
  // the case and its source.
  template <typename Check>
  void ForEachCase(Check check) {
    ASSERT_TRUE(benign_->ok) << benign_->Messages();
    const uint64_t seed = Seed();
    std::mt19937_64 rng(seed);
    for (size_t n = 0; n < Cases(); ++n) {
      Texts texts = RandomTexts(rng);
      std::string source = Source(texts, rng);
      SCOPED_TRACE(fmt::format("seed {:#x} (WARD_ESCAPING_SEED), case {}; source:\n{}", seed, n,
                               source));
      std::unique_ptr<Build> build = BuildSource(source);
      ASSERT_TRUE(build->ok) << build->Messages();
      check(texts, *build);
      if (HasFatalFailure() || HasFailure()) return;  // one reported case is enough
    }
  }

  static Build* benign_;
};

Build* EscapingProperty::benign_ = nullptr;

TEST_F(EscapingProperty, SigmaYamlReadsBackTheSameStrings) {
  ForEachCase([](const Texts& t, const Build& build) {
    const std::string path = "sigma/esc/cases/hostile_sigma.yml";
    const std::string text = build.File(path);
    ASSERT_FALSE(text.empty()) << "no " << path;
    YAML::Node doc = YAML::Load(text);
    EXPECT_EQ(doc["title"].as<std::string>(), t.sigma_title);
    EXPECT_EQ(doc["description"].as<std::string>(), t.sigma_description);
    EXPECT_EQ(doc["references"][0].as<std::string>(), t.sigma_reference);
    EXPECT_EQ(doc["falsepositives"][0].as<std::string>(), t.sigma_falsepositive);
    // The tag is kept exactly, or (outside Sigma's tag syntax) left out and
    // said so. The other tags come from the ATLAS mapping.
    bool tag_kept = false;
    for (const auto& tag : doc["tags"]) {
      tag_kept = tag_kept || tag.as<std::string>() == t.sigma_tag;
    }
    if (!tag_kept) {
      EXPECT_TRUE(build.Reported(DiagCode::kSigmaTagDropped)) << build.Messages();
    }
    YAML::Node value = doc["detection"]["selection"]["gen_ai.prompt|contains"];
    ASSERT_TRUE(value.IsScalar()) << text;
    EXPECT_EQ(SigmaUnescape(value.as<std::string>()), t.sigma_value) << text;
  });
}

TEST_F(EscapingProperty, SigmaValueMatchesTheSameBytesAfterReadingTheYamlBack) {
  ForEachCase([](const Texts& t, const Build& build) {
    const std::string text = build.File("sigma/esc/cases/hostile_sigma.yml");
    SourceManager sources;
    DiagnosticEngine diags;
    import::SigmaReader reader(sources, diags);
    reader.ReadText("hostile_sigma.yml", text);
    import::SigmaImport imported = reader.Finish();
    ASSERT_EQ(imported.detections.size(), 1u) << text;
    std::vector<eval::EvalError> errors;
    auto rule = eval::SigmaRule::Compile(*imported.detections[0], {}, {}, errors);
    ASSERT_NE(rule, nullptr) << (errors.empty() ? "" : errors[0].message);
    json hit = {{"gen_ai", {{"prompt", "<<" + t.sigma_value + ">>"}}}};
    json miss = {{"gen_ai", {{"prompt", "<<>>"}}}};
    EXPECT_TRUE(rule->Match(hit)) << text;
    EXPECT_FALSE(rule->Match(miss)) << text;
    // And Ward's own IR of the same rule agrees.
    const ir::Detection* original = nullptr;
    for (const auto& d : build.compilation->program->detections) {
      if (d->name == "hostile_sigma") original = d.get();
    }
    ASSERT_NE(original, nullptr);
    auto direct = eval::SigmaRule::Compile(*original, {}, {}, errors);
    ASSERT_NE(direct, nullptr);
    EXPECT_TRUE(direct->Match(hit));
    EXPECT_FALSE(direct->Match(miss));
  });
}

TEST_F(EscapingProperty, YaraTextStringMatchesExactlyTheOriginalBytes) {
  ForEachCase([](const Texts& t, const Build& build) {
    const std::string text = build.File("yara/esc.cases.yar");
    ASSERT_FALSE(text.empty());
    backends::yara::CompileResult compiled = backends::yara::CompileRules(text);
    ASSERT_TRUE(compiled.ok()) << text;
    EXPECT_EQ(backends::yara::ScanBytes(*compiled.rules, "\x01" + t.yara_string + "\x02"),
              std::vector<std::string>{"esc_cases__hostile_yara"})
        << text;
    // One byte short of the string: no match.
    EXPECT_TRUE(backends::yara::ScanBytes(*compiled.rules,
                                          t.yara_string.substr(0, t.yara_string.size() - 1))
                    .empty())
        << text;
    // Meta strings read back through libyara. Ward writes meta values on one
    // line (runs of whitespace become one space, docs/yara.md), and libyara
    // holds them as C strings, so a description with NUL reads back up to it.
    std::optional<std::string> description = YaraMetaString(*compiled.rules, "description");
    ASSERT_TRUE(description.has_value()) << text;
    auto one_line = [](const std::string& value) {
      std::string out;
      bool space = false;
      for (char c : value) {
        if (std::string_view(" \t\n\r\f\v").find(c) != std::string_view::npos) {
          space = !out.empty();
          continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
      }
      return out;
    };
    // An empty (or all-space) description falls back to the title.
    std::string expected = one_line(t.yara_description);
    if (expected.empty()) expected = one_line(t.yara_title);
    EXPECT_EQ(*description, expected.substr(0, expected.find('\0')));
  });
}

TEST_F(EscapingProperty, JsonOutputsParseBackToTheSameStrings) {
  ForEachCase([](const Texts& t, const Build& build) {
    auto strings_of = [&](const std::string& file) {
      std::multiset<std::string> strings;
      const std::string text = build.File("mappings/" + file);
      EXPECT_FALSE(text.empty()) << "no " << file;
      json doc = json::parse(text);  // throws on invalid JSON or UTF-8
      CollectStrings(doc, strings);
      return strings;
    };
    auto trace = strings_of("traceability.json");
    for (const std::string* s :
         {&t.threat_title, &t.threat_description, &t.threat_reference, &t.mitigation_title,
          &t.mitigation_description, &t.entry_id, &t.entry_title, &t.control_id,
          &t.sigma_title, &t.sigma_reference, &t.yara_title, &t.yara_description}) {
      EXPECT_TRUE(trace.count(*s)) << "traceability.json lacks " << json(*s).dump();
    }
    auto stix = strings_of("stix-bundle.json");
    for (const std::string* s : {&t.threat_title, &t.threat_description, &t.mitigation_title,
                                 &t.sigma_title, &t.yara_title}) {
      EXPECT_TRUE(stix.count(*s)) << "stix-bundle.json lacks " << json(*s).dump();
    }
    // OSCAL: every id-ref is a token; the control is named by its id-ref or,
    // when that had to change, by its `label` prop (one line, trimmed: OSCAL
    // strings have no line breaks or outer spaces).
    const json oscal = json::parse(build.File("mappings/oscal-mapping.json"));
    std::string label = t.control_id;
    for (char& c : label) c = (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    label = label.substr(std::min(label.size(), label.find_first_not_of(' ')));
    label = label.substr(0, label.find_last_not_of(' ') + 1);
    bool named = false;
    for (const json& mapping : oscal["mapping-collection"]["mappings"]) {
      for (const json& map : mapping["maps"]) {
        for (const json& target : map["targets"]) {
          const std::string id_ref = target["id-ref"];
          EXPECT_TRUE(IsOscalToken(id_ref)) << "id-ref " << json(id_ref).dump();
          named = named || id_ref == t.control_id;
          for (const json& prop : target.value("props", json::array())) {
            named = named || (prop["name"] == "label" && prop["value"] == label);
          }
        }
      }
    }
    EXPECT_TRUE(named) << "oscal-mapping.json does not name " << json(t.control_id).dump();
    auto navigator = strings_of("navigator-atlas.json");
    EXPECT_TRUE(navigator.count(t.entry_id)) << "navigator-atlas.json lacks " << json(t.entry_id).dump();
  });
}

TEST_F(EscapingProperty, CsvRecordsStayRectangularAndHoldTheStrings) {
  ForEachCase([](const Texts& t, const Build& build) {
    const std::string text = build.File("mappings/traceability.csv");
    bool ok = false;
    auto records = ParseCsv(text, ok);
    ASSERT_TRUE(ok) << text;
    ASSERT_FALSE(records.empty());
    std::multiset<std::string> fields;
    for (const auto& record : records) {
      EXPECT_EQ(record.size(), records[0].size()) << text;
      fields.insert(record.begin(), record.end());
    }
    for (const std::string* s : {&t.entry_id, &t.entry_title, &t.catalog_version, &t.control_id,
                                 &t.control_title}) {
      EXPECT_TRUE(fields.count(*s)) << "traceability.csv lacks " << json(*s).dump();
    }
  });
}

TEST_F(EscapingProperty, MarkdownTablesKeepTheirShapeAndShowTheText) {
  ForEachCase([](const Texts& t, const Build& build) {
    const std::string text = build.File("mappings/traceability.md");
    std::string shown;  // every cell's text, one per line
    size_t columns = 0;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      start = end + 1;
      if (line.empty() || line[0] != '|') {
        columns = 0;  // a table ends at the first line that is not a row
        continue;
      }
      // A table row is one line: a raw CR would end it for some readers.
      EXPECT_EQ(line.find('\r'), std::string::npos) << line;
      std::vector<std::string> cells = MarkdownCells(line);
      if (columns == 0) columns = cells.size();
      EXPECT_EQ(cells.size(), columns) << "row breaks its table: " << line;
      for (const std::string& cell : cells) shown += MarkdownCellText(cell) + "\n\x1F";
    }
    for (const std::string* s : {&t.threat_title, &t.mitigation_title, &t.sigma_title,
                                 &t.yara_title, &t.entry_id, &t.control_id}) {
      EXPECT_NE(shown.find(AsMarkdownShows(*s)), std::string::npos)
          << "traceability.md does not show " << json(*s).dump();
    }
  });
}

TEST_F(EscapingProperty, HtmlReportShowsTheStringsAsTextOnly) {
  const std::vector<std::string> benign_structure =
      HtmlStructure(benign_->File("mappings/report.html"));
  ForEachCase([&](const Texts& t, const Build& build) {
    const std::string html = build.File("mappings/report.html");
    ASSERT_FALSE(html.empty());
    std::vector<std::string> structure = HtmlStructure(html);
    ASSERT_EQ(structure.size(), benign_structure.size()) << "markup was injected";
    for (size_t i = 0; i < structure.size(); ++i) {
      ASSERT_EQ(structure[i], benign_structure[i]) << "tag " << i << " differs";
    }
    const std::string shown = HtmlText(html);
    for (const std::string* s : {&t.threat_title, &t.mitigation_title, &t.sigma_title,
                                 &t.yara_title}) {
      EXPECT_NE(shown.find(*s), std::string::npos)
          << "report.html does not show " << json(*s).dump();
    }
  });
}

// ---- text Ward must refuse -------------------------------------------------------

std::string ThreatTitled(const std::string& literal) {
  return "package esc.bad\nthreat t " + literal + " { severity: low }\n";
}

TEST(EscapingRefusals, LoneSurrogatesAreRejected) {
  // As an escape: not a Unicode scalar value.
  for (const char* literal : {"\"a\\u{D800}b\"", "\"\\u{DFFF}\"", "\"\\u{110000}\""}) {
    auto build = BuildSource(ThreatTitled(literal));
    EXPECT_TRUE(build->Reported(DiagCode::kInvalidEscape)) << literal << "\n" << build->Messages();
  }
  // As raw bytes in the file (CESU-8 style): the file is not UTF-8.
  auto raw = BuildSource(ThreatTitled("\"a\xED\xA0\x80z\""));
  EXPECT_TRUE(raw->Reported(DiagCode::kInvalidUtf8)) << raw->Messages();
  // As `\x` bytes in a text field: the text is not UTF-8.
  auto bytes = BuildSource(ThreatTitled("\"a\\xED\\xA0\\x80z\""));
  EXPECT_TRUE(bytes->Reported(DiagCode::kTextNotUtf8)) << bytes->Messages();
}

}  // namespace
}  // namespace ward::escaping_test
