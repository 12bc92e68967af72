// ward.lock and `ward build --check`, as a user and a CI job see them: which
// rules get a new version and `modified` date, what is reported and deleted
// when rules go away, and when the CI gate passes or fails.
#include "compiler/driver/version_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compiler/driver/cli.h"
#include "compiler/support/uuid.h"
#include "tests/testing/ward_cli.h"

namespace ward::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kNamespace = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
constexpr const char* kDay1 = "1793491200";  // 2026-11-01
constexpr const char* kDay2 = "1794700800";  // 2026-11-15

// Two Sigma rules, a meta filter and two YARA rules that share one file.
constexpr const char* kRules = R"(package demo

threat t "Prompt injection" { severity: high }

detection sigma alpha_phrase "Alpha phrase" {
  detects: t
  date: 2026-10-01
  logsource { product: gen_ai  category: inference }
  when: gen_ai.input.messages contains "ignore previous"
}

detection sigma bravo_phrase "Beta phrase" {
  detects: t
  date: 2026-10-01
  logsource { product: gen_ai  category: inference }
  when: gen_ai.input.messages contains "developer mode"
}

filter quiet_harness "Ignore the evaluation harness" {
  date: 2026-10-01
  logsource { product: gen_ai }
  rules: alpha_phrase
  let harness = service.name == "llm-eval-harness"
  when: not harness
}

detection yara gamma_marker "Gamma marker" {
  detects: t
  date: 2026-10-01
  strings { $a = "gamma-marker" }
  condition: $a
}

detection yara delta_marker "Delta marker" {
  detects: t
  date: 2026-10-01
  strings { $a = "delta-marker" }
  condition: $a
}
)";

using test_support::CliRun;

std::string Id(const std::string& qualified_name) { return *UuidV5(kNamespace, qualified_name); }

class VersionLockTest : public test_support::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    Write("rules/ward.yaml", std::string("name: demo\nnamespace: ") + kNamespace + "\n");
    Write("rules/demo.ward", kRules);
    ::setenv("SOURCE_DATE_EPOCH", kDay1, 1);
  }
  void TearDown() override {
    ::unsetenv("SOURCE_DATE_EPOCH");
    ScratchDirTest::TearDown();
  }

  bool Exists(const std::string& rel) const { return fs::exists(dir_ / rel); }
  // Replaces the first `from` in the ruleset source with `to`.
  void Edit(const std::string& from, const std::string& to) {
    std::string text = Read("rules/demo.ward");
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    Write("rules/demo.ward", text.replace(at, from.size(), to));
  }

  static CliRun Ward(std::vector<std::string> args) { return test_support::Ward(std::move(args)); }
  // Builds with --lock (which only matters for the first build: later ones
  // keep the ward.lock they find) unless `lock_flag_` is off.
  CliRun Build(std::vector<std::string> extra = {}) {
    if (lock_flag_) extra.push_back("--lock");
    std::vector<std::string> args = {"build",
                                     (dir_ / "rules").string(),
                                     "-o",
                                     (dir_ / "out").string(),
                                     "--emit",
                                     "sigma,yara",
                                     "--color",
                                     "never",
                                     "--no-coverage-warnings"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Ward(args);
  }
  CliRun Check() { return Build({"--check"}); }

  nlohmann::json Lock() const { return nlohmann::json::parse(Read("rules/ward.lock")); }
  nlohmann::json Entry(const std::string& name) const {
    return Lock()["rules"][Id("demo." + name)];
  }

  // Every file under out/ with its content.
  std::map<std::string, std::string> Snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / "out")) {
      if (!entry.is_regular_file()) continue;
      std::string rel = fs::relative(entry.path(), dir_).generic_string();
      // The incremental build's state records times: a cache, not an output.
      if (rel == "out/.ward-cache/build-state") continue;
      files[rel] = Read(rel);
    }
    files["rules/ward.lock"] = Read("rules/ward.lock");
    return files;
  }

  bool lock_flag_ = true;
};

TEST_F(VersionLockTest, FirstBuildWritesLockNextToManifestAtVersionOne) {
  CliRun r = Build();
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(Exists("rules/ward.lock"));
  nlohmann::json lock = Lock();
  EXPECT_EQ(lock["lock_version"], 1);
  ASSERT_EQ(lock["rules"].size(), 5u)
      << lock.dump(2);  // alpha_phrase, bravo_phrase, quiet_harness, gamma_marker, delta_marker
  nlohmann::json alpha_phrase = Entry("alpha_phrase");
  EXPECT_EQ(alpha_phrase["name"], "demo.alpha_phrase");
  EXPECT_EQ(alpha_phrase["kind"], "sigma");
  EXPECT_EQ(alpha_phrase["paths"], nlohmann::json::array({"sigma/demo/alpha_phrase.yml"}));
  EXPECT_EQ(alpha_phrase["version"], 1);
  EXPECT_EQ(alpha_phrase["modified"], "2026-11-01");
  EXPECT_EQ(alpha_phrase["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(Entry("quiet_harness")["kind"], "sigma_filter");
  EXPECT_EQ(Entry("gamma_marker")["kind"], "yara");
  EXPECT_EQ(Entry("gamma_marker")["paths"], nlohmann::json::array({"yara/demo.yar"}));
  // The backends write the lock's date.
  EXPECT_THAT(Read("out/sigma/demo/alpha_phrase.yml"), HasSubstr("modified: 2026-11-01"));
  EXPECT_THAT(Read("out/yara/demo.yar"), HasSubstr("modified = \"2026-11-01\""));
}

TEST_F(VersionLockTest, ChangedSigmaRuleIsTheOnlyOneBumped) {
  ASSERT_EQ(Build().code, 0);
  std::map<std::string, std::string> before = Snapshot();
  nlohmann::json lock_before = Lock();

  ::setenv("SOURCE_DATE_EPOCH", kDay2, 1);
  Edit("\"ignore previous\"", "\"ignore all previous\"");
  CliRun r = Build();
  ASSERT_EQ(r.code, 0) << r.err;

  nlohmann::json alpha_phrase = Entry("alpha_phrase");
  EXPECT_EQ(alpha_phrase["version"], 2);
  EXPECT_EQ(alpha_phrase["modified"], "2026-11-15");
  EXPECT_NE(alpha_phrase["sha256"], lock_before["rules"][Id("demo.alpha_phrase")]["sha256"]);
  EXPECT_THAT(Read("out/sigma/demo/alpha_phrase.yml"), HasSubstr("modified: 2026-11-15"));
  for (const char* name : {"bravo_phrase", "quiet_harness", "gamma_marker", "delta_marker"}) {
    EXPECT_EQ(Entry(name), lock_before["rules"][Id(std::string("demo.") + name)]) << name;
  }
  // Untouched rules' files are byte-identical, old date included.
  EXPECT_EQ(Read("out/sigma/demo/bravo_phrase.yml"), before["out/sigma/demo/bravo_phrase.yml"]);
  EXPECT_EQ(Read("out/sigma/demo/mf_quiet_harness.yml"),
            before["out/sigma/demo/mf_quiet_harness.yml"]);
  EXPECT_EQ(Read("out/yara/demo.yar"), before["out/yara/demo.yar"]);
}

TEST_F(VersionLockTest, ChangedYaraRuleIsBumpedNotItsNeighbourInTheSameFile) {
  ASSERT_EQ(Build().code, 0);
  nlohmann::json delta_before = Entry("delta_marker");
  ::setenv("SOURCE_DATE_EPOCH", kDay2, 1);
  Edit("\"gamma-marker\"", "\"gamma-marker-2\"");
  ASSERT_EQ(Build().code, 0);
  EXPECT_EQ(Entry("gamma_marker")["version"], 2);
  EXPECT_EQ(Entry("gamma_marker")["modified"], "2026-11-15");
  EXPECT_EQ(Entry("delta_marker"), delta_before);
  std::string yar = Read("out/yara/demo.yar");
  EXPECT_THAT(yar, HasSubstr("modified = \"2026-11-15\""));  // gamma_marker
  EXPECT_THAT(yar, HasSubstr("modified = \"2026-11-01\""));  // delta_marker keeps its date
}

TEST_F(VersionLockTest, RebuildWithoutChangesKeepsEverythingAndIsDeterministic) {
  ASSERT_EQ(Build().code, 0);
  std::map<std::string, std::string> first = Snapshot();
  ::setenv("SOURCE_DATE_EPOCH", kDay2, 1);  // a later day changes nothing
  ASSERT_EQ(Build().code, 0);
  EXPECT_EQ(Snapshot(), first);

  // A fresh checkout (no lock) built on the same day gives the same bytes.
  ::setenv("SOURCE_DATE_EPOCH", kDay1, 1);
  fs::remove(dir_ / "rules/ward.lock");
  fs::remove_all(dir_ / "out");
  ASSERT_EQ(Build().code, 0);
  EXPECT_EQ(Snapshot(), first);
}

TEST_F(VersionLockTest, LockKeysAreSortedAndTheTextIsCanonical) {
  ASSERT_EQ(Build().code, 0);
  std::string text = Read("rules/ward.lock");
  EXPECT_EQ(text, Lock().dump(2) + "\n");
  std::vector<std::string> ids;
  for (const auto& [id, _] : Lock()["rules"].items()) ids.push_back(id);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  // The file is ordered by ID (nlohmann's object is a sorted map): check the
  // text order too, so a merge-friendly diff stays stable.
  size_t last = 0;
  for (const std::string& id : ids) {
    size_t at = text.find("\"" + id + "\"");
    ASSERT_NE(at, std::string::npos);
    EXPECT_GT(at, last);
    last = at;
  }
}

TEST_F(VersionLockTest, RemovedRuleIsReportedAndItsFileDeleted) {
  ASSERT_EQ(Build().code, 0);
  ASSERT_TRUE(Exists("out/sigma/demo/bravo_phrase.yml"));
  std::string text = Read("rules/demo.ward");
  size_t begin = text.find("detection sigma bravo_phrase");
  size_t end = text.find("filter quiet_harness");
  Write("rules/demo.ward", text.erase(begin, end - begin));

  CliRun r = Build();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("note[W0902]"));
  EXPECT_THAT(r.err, HasSubstr("rule `demo.bravo_phrase`"));
  EXPECT_THAT(r.err, HasSubstr("deleted `sigma/demo/bravo_phrase.yml`"));
  EXPECT_FALSE(Exists("out/sigma/demo/bravo_phrase.yml"));
  EXPECT_FALSE(Lock()["rules"].contains(Id("demo.bravo_phrase")));
  EXPECT_EQ(Lock()["rules"].size(), 4u);
  // Reported once: the next build has nothing to say about it.
  EXPECT_THAT(Build().err, Not(HasSubstr("W0902")));
}

TEST_F(VersionLockTest, RemovedYaraRuleIsReportedAndLeavesItsFile) {
  ASSERT_EQ(Build().code, 0);
  std::string text = Read("rules/demo.ward");
  size_t begin = text.find("detection yara delta_marker");
  Write("rules/demo.ward", text.substr(0, begin));
  CliRun r = Build();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("rule `demo.delta_marker`"));
  EXPECT_THAT(r.err, HasSubstr("removed from `yara/demo.yar`"));
  EXPECT_THAT(Read("out/yara/demo.yar"), Not(HasSubstr("delta_marker")));
}

TEST_F(VersionLockTest, RenameWithPinnedIdKeepsIdAndVersion) {
  ASSERT_EQ(Build().code, 0);
  nlohmann::json before = Entry("alpha_phrase");
  Edit("detection sigma alpha_phrase \"Alpha phrase\" {",
       "detection sigma alpha_renamed \"Alpha phrase\" {\n  id: \"" + Id("demo.alpha_phrase") +
           "\"");
  Edit("rules: alpha_phrase", "rules: alpha_renamed");
  ::setenv("SOURCE_DATE_EPOCH", kDay2, 1);
  CliRun r = Build();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("W0902")));
  nlohmann::json after = Entry("alpha_phrase");  // the same ID
  EXPECT_EQ(after["name"], "demo.alpha_renamed");
  EXPECT_EQ(after["paths"], nlohmann::json::array({"sigma/demo/alpha_renamed.yml"}));
  EXPECT_EQ(after["version"], before["version"]);  // the emitted rule did not change
  EXPECT_EQ(after["modified"], before["modified"]);
  EXPECT_FALSE(Exists("out/sigma/demo/alpha_phrase.yml"));
  EXPECT_TRUE(Exists("out/sigma/demo/alpha_renamed.yml"));
  EXPECT_FALSE(Lock()["rules"].contains(Id("demo.alpha_renamed")));
}

TEST_F(VersionLockTest, RenameWithoutPinnedIdIsARemovalAndANewRule) {
  ASSERT_EQ(Build().code, 0);
  Edit("detection sigma bravo_phrase ", "detection sigma bravo_phrase2 ");
  CliRun r = Build();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("rule `demo.bravo_phrase`"));
  EXPECT_EQ(Entry("bravo_phrase2")["version"], 1);
  EXPECT_FALSE(Lock()["rules"].contains(Id("demo.bravo_phrase")));
}

TEST_F(VersionLockTest, DeclaredModifiedWinsOverTheLock) {
  Edit("detection sigma bravo_phrase \"Beta phrase\" {",
       "detection sigma bravo_phrase \"Beta phrase\" {\n  modified: 2026-02-02");
  ASSERT_EQ(Build().code, 0);
  EXPECT_EQ(Entry("bravo_phrase")["modified"], "2026-02-02");
  EXPECT_THAT(Read("out/sigma/demo/bravo_phrase.yml"), HasSubstr("modified: 2026-02-02"));
}

TEST_F(VersionLockTest, PartialEmitKeepsOtherBackendsEntries) {
  ASSERT_EQ(Build().code, 0);
  nlohmann::json gamma_marker = Entry("gamma_marker");
  CliRun r = Ward({"build", (dir_ / "rules").string(), "-o", (dir_ / "sigma-only").string(),
                   "--emit", "sigma", "--no-coverage-warnings"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("W0902")));
  EXPECT_EQ(Entry("gamma_marker"), gamma_marker);
}

TEST_F(VersionLockTest, NoLockFlagNeitherReadsNorWrites) {
  Write("rules/ward.lock", "not json");
  CliRun r = Build({"--no-lock"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Read("rules/ward.lock"), "not json");
  EXPECT_THAT(Read("out/sigma/demo/alpha_phrase.yml"), Not(HasSubstr("modified:")));
}

TEST_F(VersionLockTest, ProjectWithoutManifestHasNoLock) {
  fs::remove(dir_ / "rules/ward.yaml");
  lock_flag_ = false;
  ASSERT_EQ(Build().code, 0);
  EXPECT_FALSE(Exists("rules/ward.lock"));
  lock_flag_ = true;
  CliRun r = Build();
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("has no ward.yaml"));
}

TEST_F(VersionLockTest, LockIsStartedByTheFlagAndKeptWithoutIt) {
  lock_flag_ = false;
  ASSERT_EQ(Build().code, 0);
  EXPECT_FALSE(Exists("rules/ward.lock"));  // not every project wants one
  EXPECT_THAT(Read("out/sigma/demo/alpha_phrase.yml"), Not(HasSubstr("modified:")));
  lock_flag_ = true;
  ASSERT_EQ(Build().code, 0);
  ASSERT_TRUE(Exists("rules/ward.lock"));
  // From now on a plain `ward build` keeps it.
  lock_flag_ = false;
  ::setenv("SOURCE_DATE_EPOCH", kDay2, 1);
  Edit("\"ignore previous\"", "\"ignore all previous\"");
  ASSERT_EQ(Build().code, 0);
  EXPECT_EQ(Entry("alpha_phrase")["version"], 2);
  EXPECT_EQ(Entry("bravo_phrase")["version"], 1);
}

TEST_F(VersionLockTest, CheckPassesWhenFreshAndWritesNothing) {
  ASSERT_EQ(Build().code, 0);
  std::map<std::string, std::string> before = Snapshot();
  auto lock_time = fs::last_write_time(dir_ / "rules/ward.lock");
  ::setenv("SOURCE_DATE_EPOCH", kDay2, 1);
  CliRun r = Check();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("up to date"));
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(fs::last_write_time(dir_ / "rules/ward.lock"), lock_time);
}

TEST_F(VersionLockTest, CheckFailsOnChangedSourceAndChangesNothing) {
  ASSERT_EQ(Build().code, 0);
  std::map<std::string, std::string> before = Snapshot();
  Edit("\"developer mode\"", "\"dev mode\"");
  CliRun r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error[E0901]"));
  EXPECT_THAT(r.err, HasSubstr("changed  sigma/demo/bravo_phrase.yml"));
  EXPECT_THAT(r.err,
              HasSubstr("lock     demo.bravo_phrase (sigma): version 1 -> 2, content changed"));
  EXPECT_THAT(r.err, Not(HasSubstr("alpha_phrase")));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(VersionLockTest, CheckFailsOnHandEditedOutput) {
  ASSERT_EQ(Build().code, 0);
  Write("out/sigma/demo/alpha_phrase.yml", Read("out/sigma/demo/alpha_phrase.yml") + "# tweak\n");
  CliRun r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("changed  sigma/demo/alpha_phrase.yml"));
  EXPECT_THAT(r.err, HasSubstr("0 lock entries would change"));
}

TEST_F(VersionLockTest, CheckFailsOnDeletedOrExtraOutput) {
  ASSERT_EQ(Build().code, 0);
  fs::remove(dir_ / "out/sigma/demo/bravo_phrase.yml");
  Write("out/sigma/demo/left_over.yml", "title: stale\n");
  CliRun r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("added    sigma/demo/bravo_phrase.yml"));
  EXPECT_THAT(r.err, HasSubstr("deleted  sigma/demo/left_over.yml"));
  EXPECT_TRUE(Exists("out/sigma/demo/left_over.yml"));  // --check deletes nothing
}

TEST_F(VersionLockTest, CheckFailsOnStaleOrMissingLock) {
  ASSERT_EQ(Build().code, 0);
  std::string good = Read("rules/ward.lock");
  nlohmann::json lock = Lock();
  // A lock from before the rule changed: its hash no longer matches.
  lock["rules"][Id("demo.gamma_marker")]["sha256"] = std::string(64, '0');
  Write("rules/ward.lock", lock.dump(2) + "\n");
  ::setenv("SOURCE_DATE_EPOCH", kDay2, 1);
  CliRun r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("lock     demo.gamma_marker (yara): version 1 -> 2, content "
                               "changed"));
  EXPECT_THAT(r.err, HasSubstr("0 files would be added, 1 changed"));  // its new `modified`
  EXPECT_THAT(r.err, HasSubstr("changed  yara/demo.yar"));

  // The same entries, written in another layout.
  Write("rules/ward.lock", nlohmann::json::parse(good).dump(4) + "\n");
  r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("lock     ward.lock is not in the form ward writes"));

  fs::remove(dir_ / "rules/ward.lock");
  r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("ward.lock would be created with 5 rules"));
  EXPECT_FALSE(Exists("rules/ward.lock"));
}

TEST_F(VersionLockTest, CheckFailsWhenOutputDirectoryIsMissing) {
  CliRun r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("added    sigma/demo/alpha_phrase.yml"));
  EXPECT_FALSE(Exists("out"));
  EXPECT_FALSE(Exists("rules/ward.lock"));
}

TEST_F(VersionLockTest, CheckReportsRemovedRule) {
  ASSERT_EQ(Build().code, 0);
  std::string text = Read("rules/demo.ward");
  Write("rules/demo.ward", text.substr(0, text.find("detection yara delta_marker")));
  CliRun r = Check();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("lock     demo.delta_marker (yara): removed"));
}

TEST_F(VersionLockTest, FailedBuildLeavesLockAndOutputsUnchanged) {
  ASSERT_EQ(Build().code, 0);
  std::map<std::string, std::string> before = Snapshot();
  Edit("detects: t\n", "detects: no_such_threat\n");
  CliRun r = Build();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("E0200"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(VersionLockTest, MalformedLockStopsTheBuildAndIsKept) {
  ASSERT_EQ(Build().code, 0);
  std::map<std::string, std::string> before = Snapshot();
  Write("rules/ward.lock", "{\"lock_version\": 1, \"rules\": {\"x\": {}}}\n");
  before["rules/ward.lock"] = Read("rules/ward.lock");
  Edit("\"ignore previous\"", "\"ignore all previous\"");
  CliRun r = Build();
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("error[E0900]"));
  EXPECT_THAT(r.err, HasSubstr("rule ID `x` is not a UUID"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(VersionLockTest, UnwritableLockLeavesOutputsUnchanged) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  ASSERT_EQ(Build().code, 0);
  std::map<std::string, std::string> before = Snapshot();
  Edit("\"ignore previous\"", "\"ignore all previous\"");
  fs::permissions(dir_ / "rules", fs::perms::owner_write, fs::perm_options::remove);
  CliRun r = Build();
  fs::permissions(dir_ / "rules", fs::perms::owner_write, fs::perm_options::add);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("E0001"));
  EXPECT_EQ(Snapshot(), before);
}

// ---- the lock model on its own ------------------------------------------------

// Sigma rules, each (ID, text) alone in its own file.
backends::OutputSet Rules(const std::vector<std::pair<std::string, std::string>>& rules) {
  backends::OutputSet out;
  for (const auto& [id, text] : rules) {
    std::string path = "sigma/demo/" + id.substr(0, 4) + ".yml";
    EXPECT_TRUE(out.Add(path, text));
    out.AddRule({id, "sigma", path, 0, text.size()});
  }
  return out;
}

TEST(UpdateLockTest, BumpsChangedKeepsSameAddsNewRemovesGone) {
  std::string a = Id("demo.a"), b = Id("demo.b"), c = Id("demo.c"), d = Id("demo.d");
  std::map<std::string, RuleSource> sources = {
      {a, {"demo.a", ""}}, {b, {"demo.b", ""}}, {c, {"demo.c", ""}}};
  LockUpdate first =
      UpdateLock({}, Rules({{a, "A"}, {b, "B"}, {d, "D"}}), sources, {"sigma"}, "2026-11-01");
  EXPECT_EQ(first.changes.size(), 3u);
  LockUpdate second = UpdateLock(first.lock, Rules({{a, "A2"}, {b, "B"}, {c, "C"}}), sources,
                                 {"sigma"}, "2026-11-15");
  EXPECT_EQ(second.lock.rules.at(a).version, 2);
  EXPECT_EQ(second.lock.rules.at(a).modified, "2026-11-15");
  EXPECT_EQ(second.lock.rules.at(b), first.lock.rules.at(b));
  EXPECT_EQ(second.lock.rules.at(c).version, 1);
  EXPECT_FALSE(second.lock.rules.count(d));
  ASSERT_EQ(second.changes.size(), 3u);  // a changed, c added, d removed; b untouched
  for (const LockChange& change : second.changes) EXPECT_NE(change.id, b);
  // A backend that did not run removes nothing.
  LockUpdate partial = UpdateLock(first.lock, Rules({}), sources, {"yara"}, "2026-11-15");
  EXPECT_EQ(partial.lock.rules.size(), 3u);
  EXPECT_TRUE(partial.changes.empty());
}

TEST(UpdateLockTest, SerializeParseRoundTrip) {
  std::string a = Id("demo.a");
  LockUpdate update =
      UpdateLock({}, Rules({{a, "A"}}), {{a, {"demo.a", ""}}}, {"sigma"}, "2026-11-01");
  std::string text = SerializeLock(update.lock);
  DiagnosticEngine diags;
  std::optional<VersionLock> parsed = ParseLock(text, "ward.lock", diags);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->rules, update.lock.rules);
  EXPECT_EQ(SerializeLock(*parsed), text);
}

TEST(UpdateLockTest, ParseRejectsMalformedLocks) {
  for (const char* text :
       {"", "[]", "{\"rules\": {}}", "{\"lock_version\": 99, \"rules\": {}}",
        "{\"lock_version\": 1, \"rules\": {\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\": "
        "{\"kind\": \"sigma\", \"name\": \"a\", \"paths\": [\"x\"], \"sha256\": \"00\", "
        "\"version\": 1, \"modified\": \"2026-11-01\"}}}"}) {
    DiagnosticEngine diags;
    EXPECT_FALSE(ParseLock(text, "ward.lock", diags)) << text;
    ASSERT_EQ(diags.diagnostics().size(), 1u) << text;
    EXPECT_EQ(diags.diagnostics()[0].code, DiagCode::kInvalidLock);
  }
}

}  // namespace
}  // namespace ward::driver
