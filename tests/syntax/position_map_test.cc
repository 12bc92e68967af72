#include "compiler/syntax/position_map.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace ward::syntax {
namespace {

constexpr FileId kFile = 7;

TEST(PositionMap, AsciiIsIdentity) {
  PositionMap map("package a");
  EXPECT_EQ(map.code_points(), 9u);
  // ANTLR's [start, stop] is inclusive; spans are half-open.
  EXPECT_EQ(map.ToSpan(kFile, 0, 6), (Span{kFile, 0, 7}));
  EXPECT_EQ(map.ToSpan(kFile, 8, 8), (Span{kFile, 8, 9}));
}

TEST(PositionMap, MultiByteCharactersBeforeAToken) {
  // é is 2 bytes, € 3, 😀 4, 中 3: the token `x` is code point 4 but byte 12.
  PositionMap map("é€😀中x");
  EXPECT_EQ(map.code_points(), 5u);
  EXPECT_EQ(map.ByteOffset(0), 0u);
  EXPECT_EQ(map.ByteOffset(1), 2u);
  EXPECT_EQ(map.ByteOffset(2), 5u);
  EXPECT_EQ(map.ByteOffset(3), 9u);
  EXPECT_EQ(map.ByteOffset(4), 12u);
  EXPECT_EQ(map.ToSpan(kFile, 4, 4), (Span{kFile, 12, 13}));
  // A token made of the emoji alone covers all four bytes.
  EXPECT_EQ(map.ToSpan(kFile, 2, 2), (Span{kFile, 5, 9}));
  // A token spanning é through 中.
  EXPECT_EQ(map.ToSpan(kFile, 0, 3), (Span{kFile, 0, 12}));
}

TEST(PositionMap, EofTokenIsEmptyAtTheEnd) {
  PositionMap map("ab€");
  // ANTLR gives EOF start = size, stop = size - 1.
  EXPECT_EQ(map.ToSpan(kFile, 3, 2), (Span{kFile, 5, 5}));
}

TEST(PositionMap, OutOfRangeIndicesClampToTheEnd) {
  PositionMap map("abc");
  EXPECT_EQ(map.ToSpan(kFile, SIZE_MAX, SIZE_MAX), (Span{kFile, 3, 3}));
  EXPECT_EQ(map.ByteOffset(100), 3u);
}

TEST(PositionMap, BaseShiftsEveryOffset) {
  // What follows a skipped byte-order mark starts at byte 3 of the file.
  PositionMap ascii("ab", 3);
  EXPECT_EQ(ascii.ToSpan(kFile, 1, 1), (Span{kFile, 4, 5}));
  PositionMap wide("éb", 3);
  EXPECT_EQ(wide.ToSpan(kFile, 1, 1), (Span{kFile, 5, 6}));
}

}  // namespace
}  // namespace ward::syntax
