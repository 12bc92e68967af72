// Round trip: strings with any character survive being written as Sigma.
// Each rule is emitted, read back with yaml-cpp and un-escaped the way
// pySigma reads Sigma values, and the result must equal what the Ward user
// wrote, byte for byte.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backends/sigma/sigma_values.h"
#include "compiler/sema/sigma_like.h"
#include "tests/sigma/sigma_test_support.h"

namespace ward::sigma_test {
namespace {

using backends::sigma::UnescapeSigmaString;
using ir::SigmaModifier;

// Literal texts that stress YAML quoting and Sigma escaping.
const std::vector<std::string>& HardStrings() {
  static const std::vector<std::string> kStrings = {
      "plain",
      "it's",
      "say \"hi\"",
      "'single' and \"double\"",
      R"(C:\Windows\System32\)",
      R"(\\server\share)",
      R"(\)",
      R"(\\)",
      R"(a\*b)",
      R"(a\\*b)",
      R"(ends with \)",
      "*",
      "?",
      "**",
      "star*in*the*middle",
      "what?",
      R"(\?)",
      "line1\nline2",
      "\n",
      "trailing newline\n",
      "tab\there",
      "cr\rlf\r\n",
      "bell\x07 and escape\x1b",
      "del\x7f",
      "  leading and trailing spaces  ",
      " ",
      "# not a comment",
      "key: value",
      "- not a list item",
      "[not, a, list]",
      "{not: a map}",
      "&anchor *alias !tag |block >folded %percent @at `tick",
      "null",
      "~",
      "true",
      "False",
      "yes",
      "0x1F",
      "1e3",
      "4688",
      "-1",
      ".inf",
      "2025-06-01",
      "12:30",
      "---",
      "...",
      "Größe",
      "模型の重み",
      "emoji 🙂 and 𝕏",
      "dashes – — ―",
      "nbsp\u00a0here",
      "bom\ufeffinside",
      "next line\u0085",
      "line sep\u2028para sep\u2029",
      "nonchar\uffff",
      "%Administrators%",
      "\\%escaped percent",
  };
  return kStrings;
}

YAML::Node OnlyDocument(const EmitResult& r) {
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.files.files().size(), 1u);
  if (r.files.files().empty()) return YAML::Node();
  std::vector<YAML::Node> docs = LoadDocuments(r.files.files().begin()->second);
  EXPECT_EQ(docs.size(), 1u);
  return docs.empty() ? YAML::Node() : docs[0];
}

// The single value under the only item of identifier `name`.
std::string ReadBack(const YAML::Node& detection, const std::string& name, const std::string& key) {
  YAML::Node value = detection[name][key];
  EXPECT_TRUE(value.IsScalar()) << name << " / " << key;
  EXPECT_EQ(value.Tag(), "!") << "a string must be written quoted: " << value.Scalar();
  return value.IsScalar() ? value.Scalar() : std::string();
}

TEST(SigmaRoundTripTest, ExactValuesOfEveryComparisonSurvive) {
  const std::vector<std::pair<std::string, std::vector<SigmaModifier>>> kComparisons = {
      {"equals", {}},
      {"contains", {SigmaModifier::kContains}},
      {"startswith", {SigmaModifier::kStartsWith}},
      {"endswith", {SigmaModifier::kEndsWith}},
      {"cased", {SigmaModifier::kCased}},
      {"neq", {SigmaModifier::kNeq}},
  };
  for (const auto& [label, mods] : kComparisons) {
    ProgramBuilder b;
    ir::Detection& d = b.Rule("round_trip_rule", "Round trip", nullptr);
    std::vector<ir::SigmaExprPtr> parts;
    for (size_t i = 0; i < HardStrings().size(); ++i) {
      size_t let =
          b.Let(d, "selection_" + std::to_string(i), Match("field", mods, {Str(HardStrings()[i])}));
      parts.push_back(Sel(let));
    }
    b.Logic(d).condition = Or(std::move(parts));
    EmitResult r = EmitSigma(b.program());
    YAML::Node doc = OnlyDocument(r);
    ASSERT_TRUE(doc["detection"]) << label;
    std::string key = "field";
    for (SigmaModifier m : mods) key += std::string("|") + ir::SigmaModifierName(m);
    for (size_t i = 0; i < HardStrings().size(); ++i) {
      const std::string& original = HardStrings()[i];
      std::string sigma = ReadBack(doc["detection"], "selection_" + std::to_string(i), key);
      std::optional<std::string> literal = UnescapeSigmaString(sigma);
      ASSERT_TRUE(literal) << label << ": `" << original << "` came back with a wildcard: `"
                           << sigma << "`";
      EXPECT_EQ(*literal, original) << label << ": written as `" << sigma << "`";
    }
  }
}

TEST(SigmaRoundTripTest, KeywordsAndKeywordAllListsSurvive) {
  for (bool all : {false, true}) {
    ProgramBuilder b;
    ir::Detection& d = b.Rule("keyword_rule", "Keywords", nullptr);
    size_t let = b.Let(d, "keywords", Keywords(HardStrings(), all));
    b.Logic(d).condition = Sel(let);
    YAML::Node doc = OnlyDocument(EmitSigma(b.program()));
    YAML::Node identifier = doc["detection"]["selection_keywords"];
    YAML::Node list = all ? identifier["|all"] : identifier;
    ASSERT_TRUE(list.IsSequence()) << "all=" << all;
    ASSERT_EQ(list.size(), HardStrings().size());
    for (size_t i = 0; i < list.size(); ++i) {
      EXPECT_EQ(list[i].Tag(), "!") << list[i].Scalar();
      std::optional<std::string> literal = UnescapeSigmaString(list[i].Scalar());
      ASSERT_TRUE(literal) << list[i].Scalar();
      EXPECT_EQ(*literal, HardStrings()[i]);
    }
  }
}

TEST(SigmaRoundTripTest, RegexesAreWrittenVerbatim) {
  const std::vector<std::string> kRegexes = {R"(^C:\\Windows\\.*\.exe$)",
                                             R"((AKIA|ASIA)[0-9A-Z]{16})",
                                             R"(it's "quoted")",
                                             R"(\*literal star\?)",
                                             "a\\nb",
                                             R"(#[^\s]+: -x)",
                                             "模型.*🙂"};
  ProgramBuilder b;
  ir::Detection& d = b.Rule("regex_rule", "Regexes", nullptr);
  std::vector<ir::SigmaExprPtr> parts;
  for (size_t i = 0; i < kRegexes.size(); ++i) {
    size_t let = b.Let(d, "selection_" + std::to_string(i),
                       Match("field", {SigmaModifier::kRe}, {Str(kRegexes[i])}));
    parts.push_back(Sel(let));
  }
  b.Logic(d).condition = Or(std::move(parts));
  YAML::Node doc = OnlyDocument(EmitSigma(b.program()));
  for (size_t i = 0; i < kRegexes.size(); ++i) {
    EXPECT_EQ(ReadBack(doc["detection"], "selection_" + std::to_string(i), "field|re"),
              kRegexes[i]);
  }
}

// A pattern as a sequence of wildcards and literal runs.
struct PatternPiece {
  char wildcard = 0;  // '*' or '?', or 0 for a literal run
  std::string literal;
  friend bool operator==(const PatternPiece&, const PatternPiece&) = default;
};

void AddLiteral(std::vector<PatternPiece>& out, char c) {
  if (out.empty() || out.back().wildcard != 0) out.push_back({});
  out.back().literal += c;
}

// Ward's reading of a `like` pattern (language.md 7.10).
std::vector<PatternPiece> WardPattern(std::string_view p) {
  std::vector<PatternPiece> out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '[' && i + 2 < p.size() && p[i + 2] == ']' &&
        (p[i + 1] == '*' || p[i + 1] == '?')) {
      AddLiteral(out, p[i + 1]);
      i += 2;
    } else if (p[i] == '*' || p[i] == '?') {
      out.push_back({p[i], ""});
    } else {
      AddLiteral(out, p[i]);
    }
  }
  return out;
}

// pySigma's reading of a Sigma pattern: literal runs between unescaped
// wildcards, each un-escaped with UnescapeSigmaString.
std::vector<PatternPiece> SigmaPattern(std::string_view s) {
  std::vector<PatternPiece> out;
  std::string run;
  auto flush = [&] {
    if (run.empty()) return;
    std::optional<std::string> literal = UnescapeSigmaString(run);
    EXPECT_TRUE(literal) << run;
    for (char c : literal.value_or("")) AddLiteral(out, c);
    run.clear();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() &&
        (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      run += s.substr(i, 2);
      ++i;
    } else if (s[i] == '*' || s[i] == '?') {
      flush();
      out.push_back({s[i], ""});
    } else {
      run += s[i];
    }
  }
  flush();
  return out;
}

TEST(SigmaRoundTripTest, LikePatternsKeepTheirWildcardsAndLiterals) {
  const std::vector<std::string> kPatterns = {R"(*\models\*.pt?)",
                                              "*rm -rf /[*]*",
                                              "*really[?]",
                                              R"(C:\Temp\*)",
                                              R"(*\)",
                                              R"(\\server\*\share)",
                                              R"(a\[*]b)",
                                              "it's *\"quoted\"*",
                                              "line1\n*",
                                              "模型*🙂?",
                                              R"(*\\*)",
                                              "[*]",
                                              "[?]*[*]",
                                              R"(x\[?])",
                                              " *  ",
                                              "null*",
                                              "*",
                                              "?"};
  ProgramBuilder b;
  ir::Detection& d = b.Rule("like_rule", "Patterns", nullptr);
  std::vector<ir::SigmaExprPtr> parts;
  for (size_t i = 0; i < kPatterns.size(); ++i) {
    size_t let = b.Let(d, "selection_" + std::to_string(i),
                       Match("field", {}, {Like(sema::LikeToSigmaPattern(kPatterns[i]))}));
    parts.push_back(Sel(let));
  }
  b.Logic(d).condition = Or(std::move(parts));
  YAML::Node doc = OnlyDocument(EmitSigma(b.program()));
  for (size_t i = 0; i < kPatterns.size(); ++i) {
    // A pattern with only a leading or trailing `*` is written with the
    // matching modifier; put the stars back to compare.
    YAML::Node item = doc["detection"]["selection_" + std::to_string(i)];
    ASSERT_TRUE(item.IsMap() && item.size() == 1) << kPatterns[i];
    std::string key = item.begin()->first.Scalar();
    std::string sigma = item.begin()->second.Scalar();
    EXPECT_EQ(item.begin()->second.Tag(), "!");
    if (key == "field|contains") sigma = "*" + sigma + "*";
    if (key == "field|startswith") sigma += "*";
    if (key == "field|endswith") sigma = "*" + sigma;
    if (key != "field") {
      // The literal part is escaped for an exact match now; a trailing
      // backslash must not turn the re-added star into a literal one.
      ASSERT_TRUE(key == "field|contains" || key == "field|startswith" || key == "field|endswith")
          << key;
    }
    EXPECT_EQ(SigmaPattern(sigma), WardPattern(kPatterns[i]))
        << "pattern `" << kPatterns[i] << "` written as " << key << ": `"
        << item.begin()->second.Scalar() << "`";
  }
}

TEST(SigmaRoundTripTest, MetadataTextSurvives) {
  std::vector<std::string> texts = HardStrings();
  texts.push_back("Two lines\nwithout a final newline");
  texts.push_back("Two lines\nwith a final newline\n");
  texts.push_back("Indented\n    second line\n\nafter an empty line");
  for (const std::string& text : texts) {
    if (text.size() < 2) continue;  // falsepositives need two characters
    ProgramBuilder b;
    ir::Detection& d = b.Rule("metadata_rule", text, Eq("a", "b"));
    d.meta.description = text;
    d.meta.author = text;
    d.meta.references = {text};
    d.falsepositives = {text};
    b.Logic(d).logsource.definition = text;
    EmitResult r = EmitSigma(b.program());
    if (!r.ok) {
      ADD_FAILURE() << "`" << text << "` was rejected";
      continue;
    }
    YAML::Node doc = OnlyDocument(r);
    EXPECT_EQ(doc["title"].as<std::string>(), text);
    EXPECT_EQ(doc["description"].as<std::string>(), text) << r.files.files().begin()->second;
    EXPECT_EQ(doc["author"].as<std::string>(), text);
    EXPECT_EQ(doc["references"][0].as<std::string>(), text);
    EXPECT_EQ(doc["falsepositives"][0].as<std::string>(), text);
    EXPECT_EQ(doc["logsource"]["definition"].as<std::string>(), text);
  }
}

TEST(SigmaRoundTripTest, FieldNamesSurvive) {
  const std::vector<std::string> kFields = {
      "gen_ai.prompt", "Provider_Name", "cs-uri-query", "with space", "quote's",
      "colon: inside", "模型",          "#hash",        "null",       "123"};
  ProgramBuilder b;
  ir::Detection& d = b.Rule("field_rule", "Fields", nullptr);
  std::vector<ir::SigmaExprPtr> parts;
  for (size_t i = 0; i < kFields.size(); ++i) {
    size_t let = b.Let(d, "selection_" + std::to_string(i), Eq(kFields[i], "v"));
    parts.push_back(Sel(let));
  }
  b.Logic(d).condition = Or(std::move(parts));
  YAML::Node doc = OnlyDocument(EmitSigma(b.program()));
  for (size_t i = 0; i < kFields.size(); ++i) {
    YAML::Node item = doc["detection"]["selection_" + std::to_string(i)];
    ASSERT_TRUE(item.IsMap() && item.size() == 1) << kFields[i];
    EXPECT_EQ(item.begin()->first.Scalar(), kFields[i]);
  }
}

}  // namespace
}  // namespace ward::sigma_test
