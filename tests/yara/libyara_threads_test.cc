// CompileRules runs on several threads at once (the YARA check compiles
// independent files in parallel, backends/yara/yara_verify.cc): each thread
// gets the messages and verdict it would get alone, for clean texts, texts
// libyara warns about and texts it refuses, with regexps and hex strings
// (whose parsers recover from errors through thread-local storage).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_verify.h"

namespace ward::backends::yara {
namespace {

std::vector<std::string> Texts() {
  std::vector<std::string> texts;
  for (int i = 0; i < 12; ++i) {
    std::string n = std::to_string(i);
    texts.push_back("rule clean_" + n + " { strings: $a = \"needle number " + n +
                    "\" $r = /ab+c[0-9]{2," + n + "}/ $h = { 4D 5A ?? [2-4] 0" +
                    std::to_string(i % 10) + " } condition: any of them }\n");
    texts.push_back("rule slow_" + n + " { strings: $a = /a.*" + n +
                    "/ condition: $a }\n");  // libyara warns: slow regexp
    texts.push_back("rule broken_" + n + " { strings: $a = { 4D 5A [" + n +
                    "-1] } condition: $a }\n");  // refused: bad jump range
    texts.push_back("rule unknown_" + n + " { condition: no_such_rule_" + n + " }\n");
  }
  return texts;
}

std::vector<std::string> Describe(const CompileResult& result) {
  std::vector<std::string> out = {result.ok() ? "ok" : "refused"};
  for (const CompileMessage& m : result.messages) {
    out.push_back((m.is_error ? "error " : "warning ") + std::to_string(m.chunk) + ":" +
                  std::to_string(m.line) + " " + m.rule + " " + m.text);
  }
  return out;
}

TEST(LibyaraThreadsTest, ParallelCompilesGiveEachThreadItsOwnResult) {
  const std::vector<std::string> texts = Texts();
  std::vector<std::vector<std::string>> alone;
  size_t refused = 0, warned = 0;
  for (const std::string& text : texts) {
    CompileResult result = CompileRules(text);
    alone.push_back(Describe(result));
    if (!result.ok()) ++refused;
    if (result.ok() && result.warning_count() > 0) ++warned;
  }
  ASSERT_GT(refused, 0u);
  ASSERT_GT(warned, 0u);

  constexpr int kThreads = 4, kRounds = 4;
  std::vector<std::vector<std::vector<std::string>>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = 0; i < texts.size(); ++i) {
          // Each thread walks the texts from a different place, so that
          // clean, warned and refused compiles overlap.
          size_t k = (i + static_cast<size_t>(t) * 7) % texts.size();
          CompileResult result = CompileRules({texts[k], texts[(k + 1) % texts.size()]});
          (void)result;
          seen[t].push_back(Describe(CompileRules(texts[k])));
          if (seen[t].back() != alone[k]) return;  // reported below
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(seen[t].size(), static_cast<size_t>(kRounds) * texts.size()) << "thread " << t;
    for (size_t n = 0; n < seen[t].size(); ++n) {
      size_t k = (n % texts.size() + static_cast<size_t>(t) * 7) % texts.size();
      EXPECT_EQ(seen[t][n], alone[k]) << "thread " << t << ", compile " << n;
    }
  }
}

}  // namespace
}  // namespace ward::backends::yara
