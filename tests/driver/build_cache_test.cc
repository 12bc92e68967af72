// The build cache under <output>/.ward-cache/ (compiler/driver/build_cache.h):
// a rebuild skips the libyara compiles an earlier build accepted cleanly, and
// nothing a user sees changes. A build with the cache gives the bytes of a
// build without it; a damaged cache is ignored, not an error; a libyara
// warning is reported on every build; `build --check` neither reads the cache
// nor counts it as a stale file; the cache survives the output replacement
// and is never an output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "compiler/driver/build_cache.h"
#include "tests/testing/ward_cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using test_support::CliRun;
using test_support::ReadFile;
using test_support::Ward;

// Every regular file under `dir`, relative path -> bytes.
std::map<std::string, std::string> Tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[entry.path().lexically_relative(dir).generic_string()] = ReadFile(entry.path());
    }
  }
  return files;
}

class BuildCacheTest : public test_support::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    ASSERT_TRUE(fs::exists("rulesets/ward.yaml")) << "run from the repository root";
    fs::copy("rulesets", dir_ / "rules", fs::copy_options::recursive);
    fs::remove(dir_ / "rules" / "ward.lock");
  }
  CliRun Build(const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"build", (dir_ / "rules").string(), "-o", out,
                                     "--emit", "sigma,yara,mapping", "--no-lock"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Ward(args);
  }
  fs::path Out() const { return dir_ / "out"; }
  fs::path CacheFile() const { return Out() / kCacheDirName / kYaraVerifiedFile; }
};

TEST_F(BuildCacheTest, RebuildWithCacheIsByteIdenticalToBuildWithout) {
  CliRun first = Build(Out().string());
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_TRUE(fs::exists(CacheFile()));
  const std::string cache = ReadFile(CacheFile());
  // One key per clean libyara compile: the bundled YARA rules compile cleanly.
  EXPECT_THAT(cache, HasSubstr("libyara 4.2"));
  EXPECT_GT(std::count(cache.begin(), cache.end(), '\n'), 3);
  std::map<std::string, std::string> uncached = Tree(Out());

  CliRun again = Build(Out().string());  // every compile found in the cache
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.err, first.err);
  EXPECT_EQ(again.out, first.out);
  EXPECT_EQ(Tree(Out()), uncached);  // the cache itself included: same keys

  fs::remove_all(Out() / kCacheDirName);
  CliRun without = Build(Out().string());
  EXPECT_EQ(without.code, 0) << without.err;
  EXPECT_EQ(without.err, first.err);
  EXPECT_EQ(Tree(Out()), uncached);

  // A fresh directory (no previous output at all) gets the same tree.
  CliRun fresh = Build((dir_ / "fresh").string());
  EXPECT_EQ(fresh.code, 0) << fresh.err;
  EXPECT_EQ(Tree(dir_ / "fresh"), uncached);
}

TEST_F(BuildCacheTest, CacheIsNotAnOutput) {
  CliRun first = Build(Out().string());
  ASSERT_EQ(first.code, 0) << first.err;
  CliRun summary = Build(Out().string(), {"--summary"});
  ASSERT_EQ(summary.code, 0) << summary.err;
  EXPECT_THAT(summary.err, Not(HasSubstr(kCacheDirName)));
  size_t outputs = 0;
  for (const auto& [path, bytes] : Tree(Out())) {
    if (path.rfind(std::string(kCacheDirName) + "/", 0) != 0 && path != ".ward-output") ++outputs;
  }
  EXPECT_THAT(summary.err, HasSubstr("(" + std::to_string(outputs) + " files)"));
}

TEST_F(BuildCacheTest, CorruptCacheIsIgnored) {
  CliRun first = Build(Out().string());
  ASSERT_EQ(first.code, 0) << first.err;
  std::map<std::string, std::string> good = Tree(Out());
  const std::string valid = ReadFile(CacheFile());
  for (const std::string& damage :
       {std::string("garbage\n"), std::string(), valid.substr(0, valid.size() - 5),
        valid + "not-a-key\n",
        std::string("ward check cache 1\nlibyara 0.0.1\n") +
            valid.substr(valid.find('\n', valid.find('\n') + 1) + 1)}) {
    std::ofstream(CacheFile(), std::ios::binary | std::ios::trunc) << damage;
    CliRun run = Build(Out().string());
    EXPECT_EQ(run.code, 0) << run.err;
    EXPECT_EQ(run.err, first.err);
    EXPECT_EQ(Tree(Out()), good) << "after a cache of " << damage.size() << " bytes";
  }
  // A directory where the file should be: ignored too, and replaced.
  fs::remove(CacheFile());
  fs::create_directories(CacheFile());
  CliRun run = Build(Out().string());
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(fs::is_regular_file(CacheFile()));
}

TEST_F(BuildCacheTest, LibyaraWarningIsReportedOnEveryBuild) {
  // libyara warns about this rule (W0613); a compile with a warning is
  // never cached, so the warning comes back on the rebuild.
  fs::copy("tests/golden/yara/libyara_warning.ward", dir_ / "rules" / "warned.ward");
  CliRun first = Build(Out().string());
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_THAT(first.err, HasSubstr("W0613"));
  CliRun again = Build(Out().string());
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.err, first.err);
}

TEST_F(BuildCacheTest, CheckIgnoresTheCache) {
  ASSERT_EQ(Build(Out().string()).code, 0);
  // Damaged and unknown cache files are neither stale outputs nor read.
  std::ofstream(CacheFile(), std::ios::binary | std::ios::trunc) << "garbage\n";
  std::ofstream(Out() / kCacheDirName / "from-a-newer-ward", std::ios::binary) << "x";
  std::map<std::string, std::string> before = Tree(Out());
  CliRun check = Build(Out().string(), {"--check"});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_THAT(check.err, HasSubstr("up to date"));
  EXPECT_EQ(Tree(Out()), before);  // --check writes nothing, the cache included

  // A real build carries the unknown file over and rewrites the damaged one.
  ASSERT_EQ(Build(Out().string()).code, 0);
  EXPECT_TRUE(fs::exists(Out() / kCacheDirName / "from-a-newer-ward"));
  EXPECT_THAT(ReadFile(CacheFile()), HasSubstr("libyara"));
  CliRun check_again = Build(Out().string(), {"--check"});
  EXPECT_EQ(check_again.code, 0) << check_again.err;
}

TEST_F(BuildCacheTest, RemovedOutputIsStillDeletedWithCachePresent) {
  ASSERT_EQ(Build(Out().string()).code, 0);
  // A file the build does not produce is stale: --check names it, a build
  // drops it; the cache next to it stays.
  std::ofstream(Out() / "yara" / "stale.yar", std::ios::binary) << "rule stale { condition: true }\n";
  CliRun check = Build(Out().string(), {"--check"});
  EXPECT_NE(check.code, 0);
  EXPECT_THAT(check.err, HasSubstr("yara/stale.yar"));
  EXPECT_THAT(check.err, Not(HasSubstr(kCacheDirName)));
  ASSERT_EQ(Build(Out().string()).code, 0);
  EXPECT_FALSE(fs::exists(Out() / "yara" / "stale.yar"));
  EXPECT_TRUE(fs::exists(CacheFile()));
}

}  // namespace
}  // namespace ward::driver
