// ward.lock edited as text (lock_text.h): cutting entries out of a lock and
// splicing new ones in must give exactly the bytes of printing the merged
// lock whole, or decline.
#include "compiler/driver/lock_text.h"

#include <gtest/gtest.h>

#include <random>

#include "compiler/driver/version_lock.h"

namespace ward::driver {
namespace {

LockEntry Entry(std::mt19937& random, const std::string& name) {
  LockEntry entry;
  entry.kind = random() % 2 ? "sigma" : "yara";
  entry.name = name;
  entry.paths = {"sigma/" + name + ".yml"};
  if (random() % 3 == 0) entry.paths.push_back("sigma/" + name + "_copy.yml");
  entry.sha256 = std::string(64, "0123456789abcdef"[random() % 16]);
  entry.version = 1 + static_cast<int64_t>(random() % 9);
  entry.modified = "2026-11-0" + std::to_string(1 + random() % 9);
  return entry;
}

std::string Id(size_t n) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08zx-0000-5000-8000-000000000000", n);
  return buffer;
}

TEST(LockTextTest, SplicingGivesTheBytesOfPrintingTheMergedLock) {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    VersionLock old;
    size_t size = 1 + random() % 40;
    for (size_t i = 0; i < size; ++i)
      old.rules[Id(random() % 100)] = Entry(random, "r" + std::to_string(i));
    std::set<std::string> drop;
    for (const auto& [id, entry] : old.rules) {
      if (random() % 3 == 0) drop.insert(id);
    }
    VersionLock add;
    size_t added = random() % 10;
    for (size_t i = 0; i < added; ++i)
      add.rules[Id(random() % 100)] = Entry(random, "n" + std::to_string(i));

    VersionLock merged = old;
    for (const std::string& id : drop) merged.rules.erase(id);
    for (const auto& [id, entry] : add.rules) merged.rules[id] = entry;
    std::optional<std::string> spliced = SpliceLockText(SerializeLock(old), drop, add);
    if (merged.rules.empty()) {
      EXPECT_FALSE(spliced) << "an empty lock is printed whole";
      continue;
    }
    ASSERT_TRUE(spliced) << "round " << round;
    EXPECT_EQ(*spliced, SerializeLock(merged)) << "round " << round;

    std::optional<VersionLock> extracted = ExtractLockEntries(SerializeLock(old), drop);
    ASSERT_TRUE(extracted);
    VersionLock expected;
    for (const std::string& id : drop) expected.rules[id] = old.rules[id];
    EXPECT_EQ(extracted->rules, expected.rules);
  }
}

TEST(LockTextTest, TextNotInTheCanonicalLayoutIsDeclined) {
  VersionLock lock;
  std::mt19937 random(1);
  lock.rules[Id(1)] = Entry(random, "a");
  lock.rules[Id(2)] = Entry(random, "b");
  std::string text = SerializeLock(lock);
  VersionLock none;
  EXPECT_TRUE(SpliceLockText(text, {}, none));
  // Hand-edited: re-indented, entries out of order, cut short.
  std::string reindented = text;
  reindented.replace(reindented.find("    \""), 4, "   ");
  EXPECT_FALSE(SpliceLockText(reindented, {}, none));
  EXPECT_FALSE(ExtractLockEntries(reindented, {Id(1)}));
  EXPECT_FALSE(SpliceLockText(text.substr(0, text.size() - 3), {}, none));
  EXPECT_FALSE(SpliceLockText(SerializeLock(VersionLock{}), {}, none));
  std::string swapped = text;
  size_t first = swapped.find(Id(1)), second = swapped.find(Id(2));
  swapped.replace(second, Id(2).size(), Id(1));
  swapped.replace(first, Id(1).size(), Id(2));
  EXPECT_FALSE(SpliceLockText(swapped, {}, none));
}

}  // namespace
}  // namespace ward::driver
