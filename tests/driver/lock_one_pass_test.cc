// A ward.lock build runs the rule backends once, with sentinel dates cut out
// for hashing and patched to the lock's dates afterwards
// (compiler/driver/lock_sentinels.h). Its promise is the two-pass build's
// exact result: the same files, rule texts, lock and diagnostics, whatever
// the lock says (fresh, missing, stale hashes, dates equal to a rule's own
// `date`), with and without a build date, under both Sigma profiles.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compiler/driver/lock_build.h"
#include "compiler/driver/lock_sentinels.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

struct Result {
  bool ok = false;
  std::map<std::string, std::string> files;
  std::vector<std::string> rules;  // id, kind, path and text of each
  std::string lock;
  std::vector<std::string> diagnostics;
  bool one_pass = false;
};

Result BuildOnce(const fs::path& project, const std::map<std::string, std::string>& backend_options,
                 bool two_passes) {
  Result result;
  DiagnosticEngine diags;
  CompileOptions options;
  options.paths = {project.string()};
  options.jobs = 1;
  std::unique_ptr<Compilation> compilation = Compile(options, diags);
  EXPECT_TRUE(compilation && compilation->program && !diags.has_errors()) << project;
  if (!compilation || !compilation->program) return result;
  LockedBuildOptions lock_options;
  lock_options.backends = {"sigma", "yara", "mapping"};
  lock_options.backend_options = backend_options;
  lock_options.create_lock = true;
  LockedBuild build;
  result.ok = two_passes ? BuildWithLockInTwoPasses(*compilation, lock_options, diags, build)
                         : BuildWithLock(*compilation, lock_options, diags, build);
  result.files = build.out.files();
  for (const backends::EmittedRule& rule : build.out.rules()) {
    result.rules.push_back(rule.id + " " + rule.kind + " " + rule.path + "\n" +
                           std::string(build.out.TextOf(rule)));
  }
  result.lock = build.new_lock_text;
  result.one_pass = build.one_pass;
  for (const Diagnostic& d : diags.diagnostics()) result.diagnostics.push_back(d.message);
  return result;
}

void ExpectSame(const fs::path& project, const std::map<std::string, std::string>& options,
                const std::string& what) {
  Result one = BuildOnce(project, options, false);
  Result two = BuildOnce(project, options, true);
  EXPECT_TRUE(one.one_pass) << what << ": fell back to two passes, nothing was compared";
  EXPECT_FALSE(two.one_pass) << what;
  EXPECT_EQ(one.ok, two.ok) << what;
  EXPECT_EQ(one.lock, two.lock) << what;
  EXPECT_EQ(one.rules, two.rules) << what;
  EXPECT_EQ(one.diagnostics, two.diagnostics) << what;
  ASSERT_EQ(one.files.size(), two.files.size()) << what;
  for (const auto& [path, text] : two.files)
    EXPECT_EQ(one.files[path], text) << what << ": " << path;
}

class LockOnePassTest : public ::testing::TestWithParam<bool> {  // param: a build date is set
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ward-lock1-" + std::to_string(::getpid()) + "-" + std::to_string(GetParam()));
    fs::remove_all(dir_);
    ASSERT_TRUE(fs::exists("rulesets/ward.yaml")) << "run from the repository root";
    fs::copy("rulesets", dir_, fs::copy_options::recursive);
    if (GetParam()) {
      ::setenv("SOURCE_DATE_EPOCH", "1793491200", 1);  // 2026-11-01
    } else {
      ::unsetenv("SOURCE_DATE_EPOCH");
    }
  }
  void TearDown() override {
    ::unsetenv("SOURCE_DATE_EPOCH");
    fs::remove_all(dir_);
  }

  // Runs every lock state through both profiles.
  void ExpectSameForEveryLockState() {
    for (const std::string profile : {"", "sigmahq"}) {
      std::map<std::string, std::string> options;
      if (!profile.empty()) options["sigma-profile"] = profile;
      fs::remove(dir_ / "ward.lock");
      ExpectSame(dir_, options, "no lock, profile " + profile);

      // A fresh lock, then one where every third rule's hash is stale (it is
      // bumped to today's date) and the others' `modified` is 2025-06-01, a
      // date many bundled rules declare as their `date` (Sigma then leaves
      // `modified` out).
      Result first = BuildOnce(dir_, options, true);
      std::ofstream(dir_ / "ward.lock", std::ios::binary) << first.lock;
      ExpectSame(dir_, options, "fresh lock, profile " + profile);
      nlohmann::json lock = nlohmann::json::parse(first.lock);
      size_t i = 0;
      for (auto& [id, entry] : lock["rules"].items()) {
        if (i++ % 3 == 0) {
          entry["sha256"] = std::string(64, '0');
        } else {
          entry["modified"] = "2025-06-01";
        }
      }
      std::ofstream(dir_ / "ward.lock", std::ios::binary | std::ios::trunc) << lock.dump(2) << "\n";
      ExpectSame(dir_, options, "edited lock, profile " + profile);
    }
  }

  fs::path dir_;
};

TEST_P(LockOnePassTest, BundledRulesetsGiveTheTwoPassResult) { ExpectSameForEveryLockState(); }

INSTANTIATE_TEST_SUITE_P(BuildDate, LockOnePassTest, ::testing::Bool());

TEST(LockSentinelsTest, CutsAndPatchesOnlyWholeDateLines) {
  std::string sigma =
      "title: modified: 1000-01-01\ndate: 2025-06-01\nmodified: 1000-01-01\n"
      "description: |-\n    modified: 1000-01-01\ndetection:\n    modified: 1000-01-01\n";
  std::string cut = sigma;
  EXPECT_EQ(CutDateLine(cut, false, "modified", "1000-01-01"), 1u);
  EXPECT_EQ(cut,
            "title: modified: 1000-01-01\ndate: 2025-06-01\n"
            "description: |-\n    modified: 1000-01-01\ndetection:\n    modified: 1000-01-01\n");
  std::string patched = sigma;
  EXPECT_EQ(PatchSentinelLines(patched, false, {{"1000-01-01", "2026-12-01"}}), 1u);
  EXPECT_NE(patched.find("\nmodified: 2026-12-01\n"), std::string::npos);
  std::string removed = sigma;
  EXPECT_EQ(PatchSentinelLines(removed, false, {{"1000-01-01", ""}}), 1u);
  EXPECT_EQ(removed, cut);

  std::string yara =
      "rule r {\n  meta:\n    date = \"2025-06-01\"\n    modified = \"1000-01-02\"\n"
      "  strings:\n    $modified = \"1000-01-02\"\n  condition:\n    $modified\n}\n";
  std::string yara_patched = yara;
  EXPECT_EQ(PatchSentinelLines(yara_patched, true, {{"1000-01-02", "2026-12-01"}}), 1u);
  EXPECT_NE(yara_patched.find("    modified = \"2026-12-01\"\n"), std::string::npos);
  EXPECT_NE(yara_patched.find("$modified = \"1000-01-02\""), std::string::npos);
  EXPECT_EQ(CutDateLine(yara, true, "date", "2025-06-01"), 1u);
  EXPECT_EQ(yara.find("date = \"2025-06-01\""), std::string::npos);
}

TEST(LockSentinelsTest, SentinelsAreUniqueAndSkipTakenDates) {
  SentinelDates dates({"1000-01-02"});
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string date = dates.Next().str();
    EXPECT_NE(date, "1000-01-02");
    EXPECT_TRUE(seen.insert(date).second) << date;
  }
}

}  // namespace
}  // namespace ward::driver
