#include <gtest/gtest.h>

#include <iostream>

#include "tests/syntax/parse_helpers.h"

namespace ward::syntax {
namespace {

TEST(Smoke, Tour) {
  auto p = testing::Parse(testing::ReadTestData("tour.ward"));
  for (auto& m : p->Messages()) std::cout << m << "\n";
  ASSERT_TRUE(p->file.has_value());
}

}  // namespace
}  // namespace ward::syntax
