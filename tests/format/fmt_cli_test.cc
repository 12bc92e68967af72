// `ward fmt` as a user and a CI job run it: what it rewrites, what --check
// lists and exits with, stdin, and files it must leave alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "compiler/driver/cli.h"
#include "compiler/driver/fmt_command.h"
#include "tests/testing/ward_cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using test_support::CliRun;
using test_support::Ward;

constexpr const char* kCanonical = "package demo\n\nasset a \"A\" {\n  kind: model\n}\n";
constexpr const char* kMessy = "package demo\nasset b \"B\" {\n      kind :model\n}\n\n\n";
constexpr const char* kMessyFormatted = "package demo\n\nasset b \"B\" {\n  kind: model\n}\n";
constexpr const char* kBroken = "package demo\nasset c \"C\" {\n  kind: \n";

class FmtCliTest : public test_support::ScratchDirTest {
 protected:
  std::string Path(const std::string& rel) const { return (dir_ / rel).string(); }
};

TEST_F(FmtCliTest, CheckOnCanonicalFilesExitsZeroAndWritesNothing) {
  Write("rules/a.ward", kCanonical);
  CliRun r = Ward({"fmt", "--check", Path("rules")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("0 of 1 file would be reformatted"));
}

TEST_F(FmtCliTest, CheckListsTheFilesThatWouldChangeInOrderAndExitsOne) {
  std::string b = Write("rules/z/b.ward", kMessy);
  std::string d = Write("rules/d.ward", kMessy);
  Write("rules/a.ward", kCanonical);
  Write("rules/notes.txt", "not ward");
  CliRun r = Ward({"fmt", "--check", Path("rules")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, d + "\n" + b + "\n");
  EXPECT_EQ(Read("rules/z/b.ward"), kMessy) << "--check must not write";
  EXPECT_THAT(r.err, HasSubstr("2 of 3 files would be reformatted"));
}

TEST_F(FmtCliTest, CheckDiffPrintsAUnifiedDiff) {
  std::string b = Write("b.ward", kMessy);
  CliRun r = Ward({"fmt", "--check", "--diff", b});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("--- a/" + b + "\n+++ b/" + b + "\n@@ -1,6 +1,5 @@\n"));
  EXPECT_THAT(r.out, HasSubstr("\n-      kind :model\n+  kind: model\n"));
  EXPECT_EQ(Read("b.ward"), kMessy);
}

TEST_F(FmtCliTest, RewritesOnlyTheFilesThatChange) {
  std::string a = Write("rules/a.ward", kCanonical);
  std::string b = Write("rules/b.ward", kMessy);
  auto a_time = fs::last_write_time(a);
  CliRun r = Ward({"fmt", Path("rules")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Read("rules/b.ward"), kMessyFormatted);
  EXPECT_EQ(Read("rules/a.ward"), kCanonical);
  EXPECT_EQ(fs::last_write_time(a), a_time) << "an unchanged file was rewritten";
  EXPECT_THAT(r.err, HasSubstr("reformatted " + b + "\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("reformatted " + a)));
  // No temporary file is left beside them.
  auto entries = std::distance(fs::directory_iterator(Path("rules")), fs::directory_iterator());
  EXPECT_EQ(entries, 2);
  // A second run finds nothing to do.
  CliRun again = Ward({"fmt", "--check", Path("rules")});
  EXPECT_EQ(again.code, 0) << again.out;
}

TEST_F(FmtCliTest, QuietPrintsNothing) {
  Write("b.ward", kMessy);
  CliRun r = Ward({"fmt", "-q", Path("b.ward")});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(Read("b.ward"), kMessyFormatted);
}

TEST_F(FmtCliTest, KeepsTheFileMode) {
  std::string b = Write("b.ward", kMessy);
  fs::permissions(b, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  CliRun r = Ward({"fmt", b});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fs::status(b).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

TEST_F(FmtCliTest, ASymlinkedFileIsFormattedThroughTheLink) {
  std::string real = Write("real/b.ward", kMessy);
  fs::create_directories(dir_ / "rules");
  fs::create_symlink(real, dir_ / "rules" / "b.ward");
  CliRun r = Ward({"fmt", Path("rules/b.ward")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir_ / "rules" / "b.ward")) << "the link was replaced";
  EXPECT_EQ(Read("real/b.ward"), kMessyFormatted);
}

TEST_F(FmtCliTest, AFileWithSyntaxErrorsIsReportedAndLeftUntouched) {
  std::string broken = Write("rules/broken.ward", kBroken);
  Write("rules/messy.ward", kMessy);
  CliRun r = Ward({"fmt", "--color", "never", Path("rules")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error[E0100]"));
  EXPECT_THAT(r.err, HasSubstr("broken.ward:4:1"));
  EXPECT_EQ(Read("rules/broken.ward"), kBroken);
  // The other files are still formatted.
  EXPECT_EQ(Read("rules/messy.ward"), kMessyFormatted);

  CliRun check = Ward({"fmt", "--check", "--color", "never", broken});
  EXPECT_EQ(check.code, 1);
  EXPECT_EQ(check.out, "");
  EXPECT_THAT(check.err, HasSubstr("error[E0100]"));
}

TEST_F(FmtCliTest, MissingPathsAndEmptyDirectoriesAreErrors) {
  CliRun missing = Ward({"fmt", "--color", "never", Path("nothing-here")});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("error[E0001]"));
  fs::create_directories(dir_ / "empty");
  CliRun empty = Ward({"fmt", "--color", "never", Path("empty")});
  EXPECT_EQ(empty.code, 2);
  EXPECT_THAT(empty.err, HasSubstr("error[E0003]"));
}

TEST_F(FmtCliTest, UsageErrors) {
  EXPECT_EQ(Ward({"fmt"}).code, 2);
  EXPECT_EQ(Ward({"fmt", "--diff", Write("a.ward", kCanonical)}).code, 2);
  EXPECT_EQ(Ward({"fmt", "-", Path("a.ward")}).code, 2);
}

int RunStdin(std::vector<std::string> paths, bool check, const std::string& input, std::string& out,
             std::string& err) {
  FmtCommandOptions options;
  options.paths = std::move(paths);
  options.check = check;
  options.color = "never";
  std::istringstream in(input);
  std::ostringstream o, e;
  CliStreams streams{o, e, false};
  int code = RunFmtCommand(options, streams, in);
  out = o.str();
  err = e.str();
  return code;
}

TEST_F(FmtCliTest, StdinIsFormattedToStdout) {
  std::string out, err;
  EXPECT_EQ(RunStdin({"-"}, false, kMessy, out, err), 0) << err;
  EXPECT_EQ(out, kMessyFormatted);
  EXPECT_EQ(RunStdin({"-"}, false, kCanonical, out, err), 0);
  EXPECT_EQ(out, kCanonical);
  EXPECT_EQ(RunStdin({"-"}, true, kMessy, out, err), 1);
  EXPECT_EQ(out, "");
  EXPECT_EQ(RunStdin({"-"}, true, kCanonical, out, err), 0);
}

TEST_F(FmtCliTest, StdinWithSyntaxErrorsPrintsNothingToStdout) {
  std::string out, err;
  EXPECT_EQ(RunStdin({"-"}, false, kBroken, out, err), 1);
  EXPECT_EQ(out, "");
  EXPECT_THAT(err, HasSubstr("<stdin>:4:1"));
  EXPECT_THAT(err, HasSubstr("error[E0100]"));
}

}  // namespace
}  // namespace ward::driver
