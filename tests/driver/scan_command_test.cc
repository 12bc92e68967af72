// `ward scan`: the ruleset's YARA detections over files and trees, text
// and JSON Lines output, threads, and the antivirus-style exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compiler/driver/cli.h"
#include "tests/testing/ward_cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using test_support::CliRun;
using test_support::Ward;

// A protocol-2 pickle that calls posix.system, and two harmless files.
constexpr char kEvil[] =
    "\x80\x02"
    "cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.";
constexpr char kBenign[] =
    "\x80\x02"
    "ccollections\nOrderedDict\nq\x00)Rq\x01.";
const std::string kEvilPickle(kEvil, sizeof(kEvil) - 1);
const std::string kBenignPickle(kBenign, sizeof(kBenign) - 1);

class ScanCommandTest : public test_support::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    Write("tree/models/evil.pkl", kEvilPickle);
    Write("tree/models/ok.pkl", kBenignPickle);
    Write("tree/readme.txt", "just text\n");
    Write("tree/empty.bin", "");
  }
  static std::string Bundled() { return (fs::path(WARD_SOURCE_DIR) / "rulesets").string(); }
  std::string Tree() const { return (dir_ / "tree").string(); }
};

TEST_F(ScanCommandTest, ReportsMatchesAndExitsOne) {
  CliRun r = Ward({"scan", Bundled(), Tree()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out,
            (dir_ / "tree/models/evil.pkl").string() + ": cosai.supply_chain.pickle_code_exec\n");
  EXPECT_THAT(r.err, HasSubstr("ward scan: 4 files scanned, 1 matched (1 match), 0 errors"));
}

TEST_F(ScanCommandTest, NothingMatchedExitsZero) {
  CliRun r = Ward({"scan", Bundled(), (dir_ / "tree/models/ok.pkl").string(),
                   (dir_ / "tree/readme.txt").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(ScanCommandTest, JsonLinesAndThreadsGiveTheSameAnswer) {
  for (int i = 0; i < 40; ++i)
    Write("tree/many/f" + std::to_string(i) + ".bin", i % 10 ? "x" : kEvilPickle);
  CliRun one = Ward({"scan", Bundled(), Tree(), "--format", "jsonl", "--threads", "1"});
  CliRun four = Ward({"scan", Bundled(), Tree(), "--format", "jsonl", "--threads", "4"});
  EXPECT_EQ(one.code, 1);
  EXPECT_EQ(one.out, four.out);  // deterministic, in path order
  std::istringstream lines(one.out);
  size_t count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["rule"], "cosai.supply_chain.pickle_code_exec");
    EXPECT_EQ(j["yara_rule"], "cosai_supply_chain__pickle_code_exec");
    EXPECT_EQ(j["level"], "critical");
    EXPECT_FALSE(j["title"].get<std::string>().empty());
  }
  EXPECT_EQ(count, 5u);  // evil.pkl and f0, f10, f20, f30
}

TEST_F(ScanCommandTest, ErrorsExitTwo) {
  EXPECT_EQ(Ward({"scan", Bundled()}).code, 2);
  CliRun missing = Ward({"scan", Bundled(), (dir_ / "nope").string()});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no such file or directory"));
  Write("bad/a.ward", "package demo\nthreat t \"T\" { severity: hgh }\n");
  CliRun bad = Ward({"scan", (dir_ / "bad").string(), Tree()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("E0301"));
  Write("noyara/a.ward", "package demo\nthreat t \"T\" { severity: low }\n");
  CliRun none = Ward({"scan", (dir_ / "noyara").string(), Tree()});
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("has no YARA detection"));
}

}  // namespace
}  // namespace ward::driver
