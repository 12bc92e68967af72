// The YARA lowering on hand-built ASTs: independent of the parser, and able
// to build shapes the grammar would refuse before sema sees them.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/sema/yara_testlib.h"

namespace ward::sema::testing {
namespace {

ast::Decl Detection(std::string name) {
  ast::Decl decl;
  decl.kind = ast::Decl::Kind::kDetection;
  decl.name.text = std::move(name);
  decl.detection_kind = ast::Name{"yara", {}};
  return decl;
}

ast::Member Strings(std::vector<ast::YaraString> strings) {
  ast::Member m;
  m.kind = ast::Member::Kind::kStrings;
  m.detail().strings = std::move(strings);
  return m;
}

ast::Member Condition(ast::YaraExprPtr expr) {
  ast::Member m;
  m.kind = ast::Member::Kind::kCondition;
  m.detail().yara = std::move(expr);
  return m;
}

ast::YaraString Text(std::string id, std::string text) {
  ast::YaraString s;
  s.kind = ast::YaraString::Kind::kText;
  s.id.text = std::move(id);
  s.text = std::move(text);
  return s;
}

ast::YaraString Hex(std::string id, std::vector<ast::HexItem> items) {
  ast::YaraString s;
  s.kind = ast::YaraString::Kind::kHex;
  s.id.text = std::move(id);
  s.hex = std::move(items);
  return s;
}

ast::HexItem Byte(uint8_t value) {
  ast::HexItem item;
  item.value = value;
  return item;
}

ast::HexItem Jump(uint32_t low, std::optional<uint32_t> high) {
  ast::HexItem item;
  item.kind = ast::HexItem::Kind::kJump;
  item.jump_low = low;
  item.jump_high = high;
  return item;
}

ast::YaraExprPtr Expr(ast::YaraExpr::Kind kind) {
  auto e = std::make_unique<ast::YaraExpr>();
  e->kind = kind;
  return e;
}

ast::YaraExprPtr Match(std::string id) {
  auto e = Expr(ast::YaraExpr::Kind::kStringMatch);
  e->id.text = std::move(id);
  return e;
}

ast::YaraExprPtr AnyOfThem() {
  auto e = Expr(ast::YaraExpr::Kind::kOf);
  e->quant = ast::YaraExpr::Quant::kAny;
  e->them = true;
  return e;
}

TEST(YaraHandBuilt, LowersStringsAndCondition) {
  HandBuilt h;
  ast::Decl decl = Detection("r");
  std::vector<ast::YaraString> strings;
  strings.push_back(Text("$a", "alpha"));
  strings.push_back(Hex("$h", {Byte(0x4D), Byte(0x5A), Jump(2, 4), Byte(0x90), Byte(0x91)}));
  decl.body.members.push_back(Strings(std::move(strings)));
  auto both = Expr(ast::YaraExpr::Kind::kAnd);
  both->children.push_back(Match("$a"));
  both->children.push_back(AnyOfThem());
  decl.body.members.push_back(Condition(std::move(both)));
  LowerHandBuilt(h, std::move(decl));

  EXPECT_TRUE(h.diags.diagnostics().empty());
  ASSERT_NE(h.yara(), nullptr);
  ASSERT_EQ(h.yara()->strings.size(), 2u);
  EXPECT_TRUE(h.yara()->strings[0].used);
  EXPECT_TRUE(h.yara()->strings[1].used);
  ASSERT_EQ(h.yara()->strings[1].hex.size(), 5u);
  EXPECT_EQ(h.yara()->strings[1].hex[2].jump_high, 4u);
  EXPECT_EQ(Dump(*h.yara()->condition), "and($a, any of them)");
}

TEST(YaraHandBuilt, HexShapesTheParserLetsThrough) {
  HandBuilt h;
  ast::Decl decl = Detection("r");
  ast::HexItem not_byte = Byte(0x00);
  not_byte.kind = ast::HexItem::Kind::kNot;
  ast::HexItem empty_alternation;
  empty_alternation.kind = ast::HexItem::Kind::kAlternation;
  empty_alternation.alternatives = {{Byte(0x01), Byte(0x02)}, {}};
  std::vector<ast::YaraString> strings;
  strings.push_back(Hex("$a", {Jump(1, 2), Byte(0x4D), Byte(0x5A)}));
  strings.push_back(Hex("$b", {Byte(0x4D), not_byte, Byte(0x5A)}));
  strings.push_back(Hex("$c", {Byte(0x4D), Byte(0x5A), empty_alternation}));
  strings.push_back(Hex("$d", {Byte(0x4D), Jump(7, 3), Byte(0x5A)}));
  strings.push_back(Hex("$e", {}));
  decl.body.members.push_back(Strings(std::move(strings)));
  decl.body.members.push_back(Condition(AnyOfThem()));
  LowerHandBuilt(h, std::move(decl));

  EXPECT_TRUE(h.HasCode("E0603"));  // leading jump, empty alternative, [7-3]
  EXPECT_TRUE(h.HasCode("E0606"));  // ~00
  EXPECT_TRUE(h.HasCode("E0609"));  // empty pattern
  size_t malformed = 0;
  for (const Diagnostic& d : h.diags.diagnostics()) {
    malformed += d.code == DiagCode::kMalformedHex ? 1 : 0;
  }
  EXPECT_EQ(malformed, 3u);
  // The ~00 is kept as a wildcard so the shape survives for later checks.
  EXPECT_EQ(h.yara()->strings[1].hex[1].mask, 0u);
}

TEST(YaraHandBuilt, MissingConditionStillLowersStrings) {
  HandBuilt h;
  ast::Decl decl = Detection("r");
  std::vector<ast::YaraString> strings;
  strings.push_back(Text("$a", "alpha"));
  decl.body.members.push_back(Strings(std::move(strings)));
  LowerHandBuilt(h, std::move(decl));
  EXPECT_TRUE(h.HasCode("E0304"));
  ASSERT_NE(h.yara(), nullptr);
  EXPECT_EQ(h.yara()->strings.size(), 1u);
  EXPECT_EQ(h.yara()->condition, nullptr);
}

}  // namespace
}  // namespace ward::sema::testing
