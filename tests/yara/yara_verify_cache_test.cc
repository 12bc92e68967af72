// The YARA check's cache (VerifyOptions::cache): an exact set of texts that
// libyara accepted without a word in an earlier build is not compiled again,
// a clean compile is recorded, one with a warning or an error never is, and
// a file is checked after its dependencies with them in the key.
#include <gtest/gtest.h>

#include "backends/yara/yara_verify.h"
#include "compiler/support/content_hash.h"

namespace ward::backends::yara {
namespace {

FileOutline File(std::string path, std::vector<std::string> depends_on = {}) {
  FileOutline file;
  file.path = std::move(path);
  file.depends_on = std::move(depends_on);
  return file;
}

PrintedFile Printed(std::string text) {
  PrintedFile printed;
  printed.text = std::move(text);
  return printed;
}

// The key of compiling `texts` in order (yara_verify.cc's ChunksKey).
std::string Key(const std::vector<std::string>& texts) {
  std::string all;
  for (const std::string& text : texts) all += std::to_string(text.size()) + ":" + text;
  return Sha256Hex(all);
}

const char* const kClean = "rule clean { strings: $a = \"a long enough needle\" condition: $a }\n";
const char* const kUser = "rule user { condition: clean }\n";
const char* const kRefused = "rule refused { condition: no_such_rule }\n";
const char* const kWarned = "rule warned { strings: $a = /a.*b/ condition: $a }\n";

TEST(YaraVerifyCacheTest, RecordsOnlyCleanCompilesWithTheirDependencies) {
  std::vector<FileOutline> files;
  files.push_back(File("a.yar"));
  files.push_back(File("b.yar", {"a.yar"}));
  files.push_back(File("c.yar"));
  files.push_back(File("d.yar"));
  std::vector<PrintedFile> printed = {Printed(kClean), Printed(kUser), Printed(kRefused),
                                      Printed(kWarned)};
  CheckCache cache;
  DiagnosticEngine diags;
  VerifyOptions options;
  options.cache = &cache;
  EXPECT_FALSE(VerifyWithLibyara(files, printed, diags, options));  // c.yar is refused
  std::set<std::string> expected = {Key({kClean}), Key({kClean, kUser})};
  EXPECT_EQ(cache.accepted, expected);
  size_t warnings = 0, errors = 0;
  for (const Diagnostic& d : diags.diagnostics()) {
    if (d.code == DiagCode::kYaraCompileWarning) ++warnings;
    if (d.code == DiagCode::kYaraCompileError) ++errors;
  }
  EXPECT_EQ(errors, 1u);
  EXPECT_GE(warnings, 1u);  // d.yar: not recorded, so reported again next time
}

TEST(YaraVerifyCacheTest, KnownTextsAreNotCompiledAgain) {
  // A refused text whose key is in the cache is taken as accepted: the proof
  // that a cached compile is skipped (a real cache only holds clean ones).
  std::vector<FileOutline> files;
  files.push_back(File("c.yar"));
  std::vector<PrintedFile> printed = {Printed(kRefused)};
  CheckCache cache;
  cache.known = {Key({kRefused})};
  DiagnosticEngine diags;
  VerifyOptions options;
  options.cache = &cache;
  EXPECT_TRUE(VerifyWithLibyara(files, printed, diags, options));
  EXPECT_TRUE(diags.diagnostics().empty());
  EXPECT_EQ(cache.accepted, cache.known);  // kept for the next build

  // Without the cache, or with another text's key, it is compiled and refused.
  DiagnosticEngine uncached;
  EXPECT_FALSE(VerifyWithLibyara(files, printed, uncached));
  CheckCache other;
  other.known = {Key({kClean})};
  DiagnosticEngine with_other;
  options.cache = &other;
  EXPECT_FALSE(VerifyWithLibyara(files, printed, with_other, options));
  EXPECT_TRUE(other.accepted.empty());
}

TEST(YaraVerifyCacheTest, SameMessagesOnOneThreadAndMany) {
  std::vector<FileOutline> files;
  std::vector<PrintedFile> printed;
  const char* const texts[] = {kClean, kRefused, kWarned};
  for (int i = 0; i < 24; ++i) {
    files.push_back(File("f" + std::to_string(i) + ".yar"));
    printed.push_back(Printed(texts[i % 3]));
  }
  files.push_back(File("user.yar", {"f0.yar"}));
  printed.push_back(Printed(kUser));
  auto run = [&](unsigned jobs) {
    DiagnosticEngine diags;
    VerifyOptions options;
    options.jobs = jobs;
    bool ok = VerifyWithLibyara(files, printed, diags, options);
    std::vector<std::string> out = {ok ? "ok" : "refused"};
    for (const Diagnostic& d : diags.diagnostics()) {
      out.push_back(std::string(Info(d.code).id) + " " + d.message);
      for (const std::string& note : d.notes) out.back() += " | " + note;
    }
    return out;
  };
  std::vector<std::string> one = run(1);
  EXPECT_GT(one.size(), 16u);
  EXPECT_EQ(run(2), one);
  EXPECT_EQ(run(4), one);
}

}  // namespace
}  // namespace ward::backends::yara
