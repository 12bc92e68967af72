#include "compiler/support/source_manager.h"

#include <gtest/gtest.h>

namespace ward {
namespace {

TEST(SourceManagerTest, LocateCountsCodePointsPerLine) {
  SourceManager sm;
  FileId f = sm.Add("a.ward", "ab\n\xC3\xA9x\r\nlast");
  const SourceFile* file = sm.Get(f);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->LineCount(), 3u);
  EXPECT_EQ(file->Locate(0).line, 1u);
  EXPECT_EQ(file->Locate(5).line, 2u);
  EXPECT_EQ(file->Locate(5).column, 2u);  // after the two-byte é
  EXPECT_EQ(file->Locate(8).line, 3u);
  EXPECT_EQ(file->Locate(8).column, 1u);
  EXPECT_EQ(file->Locate(999).column, 5u);    // clamped to the end of the file
  EXPECT_EQ(file->LineText(2), "\xC3\xA9x");  // without the \r\n
  EXPECT_EQ(file->LineText(3), "last");
  EXPECT_EQ(file->LineText(0), "");
  EXPECT_EQ(file->LineText(4), "");
}

TEST(SourceManagerTest, TextOfSpansIsClamped) {
  SourceManager sm;
  FileId f = sm.Add("a.ward", "hello");
  EXPECT_EQ(sm.Text(Span{f, 1, 3}), "el");
  EXPECT_EQ(sm.Text(Span{f, 3, 99}), "lo");
  EXPECT_EQ(sm.Text(Span{f, 9, 12}), "");
  EXPECT_EQ(sm.Text(Span{f, 3, 1}), "");  // reversed span
  EXPECT_EQ(sm.Text(Span{}), "");
  EXPECT_EQ(sm.Get(kNoFile), nullptr);
  EXPECT_EQ(sm.Get(2), nullptr);
}

}  // namespace
}  // namespace ward
