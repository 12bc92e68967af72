// The complete example of the language guide must parse without a single
// diagnostic, into the AST the later phases expect.

#include <gtest/gtest.h>

#include "tests/syntax/parse_helpers.h"

namespace ward::syntax {
namespace {

using testing::Parse;
using testing::ReadTestData;

class TourTest : public ::testing::Test {
 protected:
  void SetUp() override {
    parsed_ = Parse(ReadTestData("tour.ward"));
    ASSERT_TRUE(parsed_->file.has_value());
  }
  const ast::File& file() const { return *parsed_->file; }
  const ast::Decl& decl(const std::string& name) const {
    for (const ast::Decl& d : file().decls) {
      if (d.name.text == name) return d;
    }
    ADD_FAILURE() << "no declaration " << name;
    return file().decls.front();
  }
  static const ast::Member& member(const ast::Body& body, const std::string& key) {
    for (const ast::Member& m : body.members) {
      if (m.kind == ast::Member::Kind::kProperty && m.property.key.text == key) return m;
      if (m.kind == ast::Member::Kind::kBlock && m.block()->kind.text == key) return m;
      if (m.kind == ast::Member::Kind::kLet && m.let_name().text == key) return m;
    }
    ADD_FAILURE() << "no member " << key;
    return body.members.front();
  }
  static const ast::Member& clause(const ast::Body& body, ast::Member::Kind kind) {
    for (const ast::Member& m : body.members) {
      if (m.kind == kind) return m;
    }
    ADD_FAILURE() << "no clause";
    return body.members.front();
  }
  std::unique_ptr<testing::Parsed> parsed_;
};

TEST_F(TourTest, HasNoDiagnostics) {
  EXPECT_EQ(parsed_->Messages(), std::vector<std::string>{});
  EXPECT_FALSE(file().had_syntax_errors);
  EXPECT_TRUE(file().skipped_decls.empty());
}

TEST_F(TourTest, PackageAndImports) {
  EXPECT_EQ(file().package.str(), "cosai.supply_chain");
  ASSERT_EQ(file().imports.size(), 3u);
  EXPECT_EQ(file().imports[0].path.str(), "catalogs.atlas");
  EXPECT_FALSE(file().imports[0].alias.has_value());
  EXPECT_EQ(file().imports[1].alias->text, "owasp");
  EXPECT_EQ(file().imports[2].path.str(), "cosai.common");
  EXPECT_TRUE(file().imports[2].wildcard);
  EXPECT_EQ(parsed_->Text(file().imports[2].span), "import cosai.common.*");
}

TEST_F(TourTest, DeclarationsInOrder) {
  using K = ast::Decl::Kind;
  std::vector<std::pair<K, std::string>> got;
  for (const ast::Decl& d : file().decls) got.emplace_back(d.kind, d.name.text);
  std::vector<std::pair<K, std::string>> want = {
      {K::kCatalog, "atlas"},
      {K::kAsset, "model_file"},
      {K::kPersona, "ml_engineer"},
      {K::kThreat, "unsafe_deserialization"},
      {K::kMitigation, "safe_formats"},
      {K::kDetection, "pickle_code_exec"},
      {K::kDetection, "prompt_injection_phrase"},
      {K::kDetection, "query_flood"},
      {K::kFilter, "red_team_accounts"},
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(decl("pickle_code_exec").detection_kind->text, "yara");
  EXPECT_EQ(decl("query_flood").detection_kind->text, "sigma");
  EXPECT_EQ(*decl("ml_engineer").title, "ML engineer");
}

TEST_F(TourTest, SpansCoverWhatWasWritten) {
  const ast::Decl& persona = decl("ml_engineer");
  EXPECT_EQ(parsed_->Text(persona.span),
            "persona ml_engineer \"ML engineer\" { description: \"Trains and packages models\" }");
  EXPECT_EQ(parsed_->Text(persona.keyword_span), "persona");
  EXPECT_EQ(parsed_->Text(persona.name.span), "ml_engineer");
  EXPECT_EQ(parsed_->Text(persona.title_span), "\"ML engineer\"");
  EXPECT_EQ(parsed_->Where(persona.span), "21:1");
  const ast::Member& description = member(persona.body, "description");
  EXPECT_EQ(parsed_->Text(description.span), "description: \"Trains and packages models\"");
  EXPECT_EQ(parsed_->Text(description.keyword_span), "description");
}

TEST_F(TourTest, CatalogEntries) {
  const ast::Decl& atlas = decl("atlas");
  EXPECT_EQ(*atlas.title, "MITRE ATLAS");
  ASSERT_EQ(atlas.entries.size(), 4u);
  EXPECT_EQ(atlas.entries[1].id, "AML.T0051");
  EXPECT_EQ(*atlas.entries[1].title, "LLM Prompt Injection");
  ASSERT_TRUE(atlas.entries[1].body.has_value());
  EXPECT_EQ(atlas.entries[1].body->members.size(), 2u);
  EXPECT_EQ(member(*atlas.entries[3].body, "renamed_to").property.values[0].text, "AML.T0051");
  EXPECT_EQ(atlas.body.members.size(), 3u);  // framework, version, url
  EXPECT_EQ(member(atlas.body, "version").property.values[0].text, "5.6.1");
}

TEST_F(TourTest, PropertyValues) {
  const ast::Decl& threat = decl("unsafe_deserialization");
  using V = ast::Value::Kind;
  const ast::Property& stage = member(threat.body, "stage").property;
  ASSERT_EQ(stage.values.size(), 2u);
  EXPECT_EQ(stage.values[1].ref.str(), "runtime");
  const ast::Property& maps = member(threat.body, "maps").property;
  ASSERT_EQ(maps.values.size(), 3u);
  EXPECT_EQ(maps.values[0].kind, V::kRef);
  EXPECT_EQ(maps.values[0].ref.str(), "atlas");
  EXPECT_EQ(*maps.values[0].catalog_key(), "AML.T0010.003");
  EXPECT_EQ(*maps.values[2].catalog_key(), "riskMaliciousLoaderDeserialization@5.0.1");
  EXPECT_EQ(parsed_->Text(maps.values[2].catalog_key_span()),
            "\"riskMaliciousLoaderDeserialization@5.0.1\"");
  const ast::Value& date = member(threat.body, "date").property.values[0];
  EXPECT_EQ(date.kind, V::kDate);
  EXPECT_EQ(date.text, "2025-06-01");
  EXPECT_EQ(member(threat.body, "description").property.values[0].text,
            "Pickle streams can import and call any Python callable.\nLoading one runs that code.");
  EXPECT_EQ(member(decl("pickle_code_exec").body, "private").property.values[0].kind, V::kBool);
}

TEST_F(TourTest, YaraStrings) {
  const ast::Decl& yara = decl("pickle_code_exec");
  const ast::Member& strings = clause(yara.body, ast::Member::Kind::kStrings);
  ASSERT_EQ(strings.strings().size(), 5u);
  using S = ast::YaraString::Kind;
  using M = ast::YaraStringModifier::Kind;
  const ast::YaraString& global = strings.strings()[0];
  EXPECT_EQ(global.id.text, "$global");
  EXPECT_EQ(global.kind, S::kText);
  EXPECT_EQ(global.text, "cos\nsystem");
  ASSERT_EQ(global.modifiers.size(), 1u);
  EXPECT_EQ(global.modifiers[0].kind, M::kAscii);
  const ast::YaraString& stack = strings.strings()[1];
  EXPECT_EQ(stack.kind, S::kHex);
  EXPECT_EQ(stack.hex.size(), 12u);
  EXPECT_EQ(stack.hex[2].kind, ast::HexItem::Kind::kAlternation);
  EXPECT_EQ(parsed_->Text(stack.value_span).substr(0, 4), "{ 8C");
  const ast::YaraString& re = strings.strings()[2];
  EXPECT_EQ(re.kind, S::kRegex);
  EXPECT_EQ(re.text, "c(os|posix|nt)\\n(system|popen)");
  EXPECT_EQ(re.modifiers[0].kind, M::kNocase);
  const ast::YaraString& x = strings.strings()[3];
  ASSERT_EQ(x.modifiers.size(), 3u);
  EXPECT_EQ(x.modifiers[0].kind, M::kXor);
  EXPECT_EQ(x.modifiers[0].xor_low, 1);
  EXPECT_EQ(x.modifiers[0].xor_high, 255);
  const ast::YaraString& b = strings.strings()[4];
  ASSERT_EQ(b.modifiers.size(), 2u);
  EXPECT_EQ(b.modifiers[1].kind, M::kBase64Wide);
  EXPECT_EQ(b.modifiers[1].alphabet->size(), 64u);
}

TEST_F(TourTest, YaraCondition) {
  const ast::Member& condition =
      clause(decl("pickle_code_exec").body, ast::Member::Kind::kCondition);
  using K = ast::YaraExpr::Kind;
  const ast::YaraExpr& root = *condition.yara();
  ASSERT_EQ(root.kind, K::kAnd);
  ASSERT_EQ(root.children.size(), 3u);
  const ast::YaraExpr& eq = *root.children[0];
  EXPECT_EQ(eq.kind, K::kBinary);
  EXPECT_EQ(eq.op, "==");
  EXPECT_EQ(eq.children[0]->kind, K::kCall);
  EXPECT_EQ(eq.children[0]->children[0]->text, "uint8");
  EXPECT_EQ(eq.children[1]->number.integer, 0x80);
  const ast::YaraExpr& any = *root.children[1];
  ASSERT_EQ(any.kind, K::kOr);
  ASSERT_EQ(any.children.size(), 3u);
  EXPECT_EQ(any.children[0]->kind, K::kOf);
  EXPECT_EQ(any.children[0]->quant, ast::YaraExpr::Quant::kAny);
  ASSERT_EQ(any.children[0]->set.size(), 2u);
  EXPECT_EQ(any.children[0]->set[1].text, "$stack");
  EXPECT_EQ(any.children[1]->children[0]->kind, K::kStringCount);
  EXPECT_EQ(any.children[1]->children[0]->id.text, "#re");
  EXPECT_EQ(any.children[2]->kind, K::kStringMatch);
  ASSERT_EQ(any.children[2]->children.size(), 1u);  // `at 0`
  const ast::YaraExpr& size = *root.children[2];
  EXPECT_EQ(size.op, "<");
  EXPECT_EQ(size.children[0]->kind, K::kFilesize);
  EXPECT_EQ(size.children[1]->number.integer, 10 * 1024 * 1024);
  EXPECT_EQ(parsed_->Text(size.span), "filesize < 10MB");
}

TEST_F(TourTest, YaraTests) {
  const ast::Body& body = decl("pickle_code_exec").body;
  std::vector<std::string> names;
  for (const ast::Member& m : body.members) {
    if (m.kind == ast::Member::Kind::kBlock && m.block()->kind.text == "test") {
      ASSERT_EQ(m.block()->args.size(), 1u);
      names.push_back(m.block()->args[0].first);
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"os.system via GLOBAL", "inline bytes", "benign"}));
  const ast::Member& inline_bytes = body.members[body.members.size() - 2];
  EXPECT_EQ(member(inline_bytes.block()->body, "data").property.values[0].text,
            "\x80\x04\x95" "cos\nsystem\n");
}

TEST_F(TourTest, SigmaSelections) {
  const ast::Body& body = decl("prompt_injection_phrase").body;
  const ast::Member& logsource = member(body, "logsource");
  EXPECT_EQ(logsource.block()->body.members.size(), 2u);
  const ast::Member& phrases = member(body, "phrases");
  ASSERT_EQ(phrases.kind, ast::Member::Kind::kLet);
  const ast::SigmaExpr& p = *phrases.sigma();
  EXPECT_EQ(p.kind, ast::SigmaExpr::Kind::kPredicate);
  EXPECT_EQ(p.field.text, "gen_ai.prompt");
  EXPECT_EQ(p.op, ast::SigmaOp::kContains);
  EXPECT_EQ(p.quantifier, ast::Quantifier::kAny);
  EXPECT_TRUE(p.bracketed);
  ASSERT_EQ(p.values.size(), 2u);
  EXPECT_EQ(p.values[1].text, "disregard the system prompt");
  const ast::SigmaExpr& when = *clause(body, ast::Member::Kind::kWhen).sigma();
  ASSERT_EQ(when.kind, ast::SigmaExpr::Kind::kAnd);
  EXPECT_EQ(when.children[0]->kind, ast::SigmaExpr::Kind::kSelection);
  EXPECT_EQ(when.children[0]->names[0].text, "phrases");
  EXPECT_EQ(when.children[1]->kind, ast::SigmaExpr::Kind::kNot);
  EXPECT_EQ(when.children[1]->children[0]->names[0].text, "red_team");
  const ast::Member& test = member(body, "test");  // the first test
  EXPECT_EQ(test.block()->args[0].first, "direct phrase");
  const ast::Value& event = member(test.block()->body, "event").property.values[0];
  ASSERT_EQ(event.kind, ast::Value::Kind::kObject);
  ASSERT_EQ(event.entries().size(), 2u);
  EXPECT_EQ(event.entries()[0].key, "gen_ai.prompt");
  EXPECT_EQ(event.entries()[1].value.text, "analyst");
}

TEST_F(TourTest, SigmaCorrelation) {
  const ast::Body& body = decl("query_flood").body;
  const ast::Member& correlation = member(body, "correlation");
  EXPECT_EQ(correlation.block()->label->text, "value_count");
  const ast::Body& inner = correlation.block()->body;
  EXPECT_EQ(member(inner, "timespan").property.values[0].kind, ast::Value::Kind::kDuration);
  EXPECT_EQ(member(inner, "timespan").property.values[0].text, "10m");
  const ast::Member& where = clause(inner, ast::Member::Kind::kWhere);
  ASSERT_EQ(where.thresholds().size(), 1u);
  EXPECT_EQ(where.thresholds()[0].aggregate.text, "count");
  EXPECT_EQ(where.thresholds()[0].field->text, "gen_ai.request.model");
  EXPECT_EQ(where.thresholds()[0].op, ast::SigmaOp::kGte);
  EXPECT_EQ(where.thresholds()[0].value.integer, 1000);
  const ast::Member& alias = member(inner, "alias");
  EXPECT_EQ(alias.block()->label->text, "uid");
  EXPECT_EQ(alias.block()->body.members.size(), 2u);
  const ast::Value& events = member(body.members.back().block()->body, "events").property.values[0];
  ASSERT_EQ(events.kind, ast::Value::Kind::kList);
  EXPECT_EQ(events.items().size(), 2u);
}

TEST_F(TourTest, Filter) {
  const ast::Decl& filter = decl("red_team_accounts");
  const ast::SigmaExpr& when = *clause(filter.body, ast::Member::Kind::kWhen).sigma();
  ASSERT_EQ(when.kind, ast::SigmaExpr::Kind::kNot);
  const ast::SigmaExpr& eq = *when.children[0];
  EXPECT_EQ(eq.kind, ast::SigmaExpr::Kind::kPredicate);
  EXPECT_EQ(eq.field.text, "user.role");
  EXPECT_EQ(eq.values[0].text, "red_team");
  EXPECT_EQ(parsed_->Text(eq.op_span), "==");
}

}  // namespace
}  // namespace ward::syntax
