#include "compiler/syntax/hex_pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace ward::syntax {
namespace {

using Kind = ast::HexItem::Kind;
constexpr FileId kFile = 3;
constexpr uint32_t kBegin = 50;  // file offset of the `{`

struct Result {
  std::optional<std::vector<ast::HexItem>> items;
  DiagnosticEngine diags;
};

std::unique_ptr<Result> Hex(std::string_view text, size_t max_nesting = 200) {
  auto r = std::make_unique<Result>();
  r->items = ParseHexPattern(text, kFile, kBegin, r->diags, max_nesting);
  return r;
}

// The one diagnostic of a failed parse, as "E0603 [begin,end) message" with
// offsets relative to the `{`.
std::string Error(const Result& r) {
  if (r.diags.diagnostics().size() != 1) return "expected one diagnostic";
  const Diagnostic& d = r.diags.diagnostics()[0];
  return std::string(Info(d.code).id) + " [" + std::to_string(d.primary.span.begin - kBegin) +
         "," + std::to_string(d.primary.span.end - kBegin) + ") " + d.message;
}

TEST(HexPattern, BytesAndWildcards) {
  auto r = Hex("{ 4D 5a ?? 4? ?A }");
  ASSERT_TRUE(r->items.has_value());
  const auto& items = *r->items;
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].kind, Kind::kByte);
  EXPECT_EQ(items[0].value, 0x4D);
  EXPECT_EQ(items[0].mask, 0xFF);
  EXPECT_EQ(items[0].span, (Span{kFile, kBegin + 2, kBegin + 4}));
  EXPECT_EQ(items[1].value, 0x5A);
  EXPECT_EQ(items[2].mask, 0x00);
  EXPECT_EQ(items[3].value, 0x40);
  EXPECT_EQ(items[3].mask, 0xF0);
  EXPECT_EQ(items[4].value, 0x0A);
  EXPECT_EQ(items[4].mask, 0x0F);
  EXPECT_FALSE(r->diags.has_errors());
}

TEST(HexPattern, BytesNeedNoSpaces) {
  auto r = Hex("{4D5A9000}");
  ASSERT_TRUE(r->items.has_value());
  ASSERT_EQ(r->items->size(), 4u);
  EXPECT_EQ((*r->items)[3].value, 0x00);
  EXPECT_EQ((*r->items)[3].span, (Span{kFile, kBegin + 7, kBegin + 9}));
}

TEST(HexPattern, Jumps) {
  auto r = Hex("{ 4D [4] 5A [2-8] 90 [3-] 91 [-] 92 [ 1 - 2 ] 93 }");
  ASSERT_TRUE(r->items.has_value()) << Error(*r);
  const auto& items = *r->items;
  ASSERT_EQ(items.size(), 11u);
  EXPECT_EQ(items[1].kind, Kind::kJump);
  EXPECT_EQ(items[1].jump_low, 4u);
  EXPECT_EQ(items[1].jump_high, 4u);
  EXPECT_EQ(items[1].span, (Span{kFile, kBegin + 5, kBegin + 8}));
  EXPECT_EQ(items[3].jump_low, 2u);
  EXPECT_EQ(items[3].jump_high, 8u);
  EXPECT_EQ(items[5].jump_low, 3u);
  EXPECT_FALSE(items[5].jump_high.has_value());
  EXPECT_FALSE(items[7].jump_low.has_value());
  EXPECT_FALSE(items[7].jump_high.has_value());
  EXPECT_EQ(items[9].jump_low, 1u);
  EXPECT_EQ(items[9].jump_high, 2u);
}

TEST(HexPattern, NestedAlternatives) {
  auto r = Hex("{ 8C ( 6F 73 | 70 ( 6F | 61 ) ) 8C }");
  ASSERT_TRUE(r->items.has_value()) << Error(*r);
  const auto& items = *r->items;
  ASSERT_EQ(items.size(), 3u);
  const ast::HexItem& alt = items[1];
  EXPECT_EQ(alt.kind, Kind::kAlternation);
  EXPECT_EQ(alt.span, (Span{kFile, kBegin + 5, kBegin + 31}));
  ASSERT_EQ(alt.alternatives.size(), 2u);
  EXPECT_EQ(alt.alternatives[0].size(), 2u);
  ASSERT_EQ(alt.alternatives[1].size(), 2u);
  const ast::HexItem& inner = alt.alternatives[1][1];
  EXPECT_EQ(inner.kind, Kind::kAlternation);
  ASSERT_EQ(inner.alternatives.size(), 2u);
  EXPECT_EQ(inner.alternatives[1][0].value, 0x61);
}

TEST(HexPattern, CommentsAndNewlines) {
  auto r = Hex("{\n  4D 5A  // MZ header\n  /* then */ 90\n}");
  ASSERT_TRUE(r->items.has_value()) << Error(*r);
  EXPECT_EQ(r->items->size(), 3u);
}

TEST(HexPattern, NotByteIsKeptForSemaToRefuse) {
  auto r = Hex("{ 4D ~00 ~4? }");
  ASSERT_TRUE(r->items.has_value()) << Error(*r);
  ASSERT_EQ(r->items->size(), 3u);
  EXPECT_EQ((*r->items)[1].kind, Kind::kNot);
  EXPECT_EQ((*r->items)[1].value, 0x00);
  EXPECT_EQ((*r->items)[1].span, (Span{kFile, kBegin + 5, kBegin + 8}));
  EXPECT_EQ((*r->items)[2].kind, Kind::kNot);
  EXPECT_EQ((*r->items)[2].mask, 0xF0);
}

TEST(HexPattern, Errors) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"{ 4D 5 }", "E0603 [5,6) incomplete byte `5` in hex pattern: a byte has two hex digits"},
      {"{ 4D5 }", "E0603 [4,5) incomplete byte `5` in hex pattern: a byte has two hex digits"},
      {"{ 4D GG }", "E0603 [5,6) invalid character `G` in hex pattern"},
      {"{ 4G }", "E0603 [3,4) invalid character `G` in hex pattern"},
      {"{ 4D é }", "E0603 [5,7) invalid character `é` in hex pattern"},
      {"{ }", "E0603 [0,3) empty hex pattern"},
      {"{ // only a comment\n}", "E0603 [0,21) empty hex pattern"},
      {"{ 4D ( 5A | 90 }", "E0603 [5,6) unclosed `(` in hex pattern"},
      {"{ 4D 5A ) }", "E0603 [8,9) unmatched `)` in hex pattern"},
      {"{ 4D | 5A }", "E0603 [5,6) `|` outside of an alternative"},
      {"{ ( | 5A ) }", "E0603 [4,5) empty alternative before `|`"},
      {"{ ( 5A | ) }", "E0603 [9,10) empty alternative before `)`"},
      {"{ 4D [ 5A }", "E0603 [8,9) malformed jump: unexpected `A`"},
      {"{ 4D [x] 5A }", "E0603 [6,7) malformed jump: unexpected `x`"},
      {"{ 4D [] 5A }", "E0603 [5,7) empty jump `[]`"},
      {"{ 4D [8-2] 5A }", "E0603 [5,10) jump `[8-2]` has a lower bound above its upper bound"},
      {"{ 4D [-4] 5A }", "E0603 [5,9) a jump range needs a lower bound"},
      {"{ 4D [99999999999] 5A }", "E0603 [6,17) jump size `99999999999` is too large"},
      {"{ 4D ] }", "E0603 [5,6) unmatched `]` in hex pattern"},
      {"{ 4D [2 }", "E0603 [5,6) unclosed `[` in hex pattern"},
      {"{ 4D ~?? }", "E0603 [5,8) `~??` is not allowed: `~` cannot negate a full wildcard"},
      {"{ 4D ~ 5A }", "E0603 [5,6) `~` must be followed by a byte, as in `~4D`"},
      {"{ 4D /* open }", "E0603 [5,7) unterminated comment in hex pattern"},
      {"{ 4D / 5A }", "E0603 [5,6) invalid character `/` in hex pattern"},
  };
  for (const Case& c : cases) {
    auto r = Hex(c.text);
    EXPECT_FALSE(r->items.has_value()) << c.text;
    EXPECT_EQ(Error(*r), c.error) << c.text;
  }
}

TEST(HexPattern, MalformedJumpPointsAtTheUnexpectedCharacter) {
  // The jump help shows every jump form.
  auto r = Hex("{ 4D [ 5A }");
  ASSERT_EQ(r->diags.diagnostics().size(), 1u);
  ASSERT_TRUE(r->diags.diagnostics()[0].help.has_value());
  EXPECT_NE(r->diags.diagnostics()[0].help->find("[2-8]"), std::string::npos);
}

TEST(HexPattern, DeeplyNestedAlternativesAreBounded) {
  std::string text = "{ ";
  for (int i = 0; i < 10000; ++i) text += "( 4D | ";
  text += "5A }";
  auto r = Hex(text, 200);
  EXPECT_FALSE(r->items.has_value());
  ASSERT_EQ(r->diags.diagnostics().size(), 1u);
  EXPECT_EQ(r->diags.diagnostics()[0].code, DiagCode::kNestingTooDeep);
  // The 201st `(` is where the limit is exceeded.
  EXPECT_EQ(r->diags.diagnostics()[0].primary.span.begin, kBegin + 2 + 200 * 7);
}

}  // namespace
}  // namespace ward::syntax
