// The hand-written lexer must give exactly the tokens of the ANTLR-generated
// WardLexer (type, channel, code-point start/stop, line, column): the parser,
// its error recovery and every diagnostic position depend on them.

#include "compiler/syntax/ward_lexer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/support/text_util.h"

namespace ward::syntax {
namespace {

namespace fs = std::filesystem;

std::string Describe(const LexedToken& t) {
  return "type " + std::to_string(static_cast<long long>(t.type)) + " channel " +
         std::to_string(t.channel) + " [" + std::to_string(t.start) + "," +
         std::to_string(static_cast<long long>(t.stop)) + "] at " + std::to_string(t.line) +
         ":" + std::to_string(t.column);
}

// Empty when both lexers agree, else the first difference.
std::string Difference(std::string_view text) {
  std::vector<LexedToken> ours = LexAll(text);
  std::vector<LexedToken> antlr = LexAllWithAntlr(text);
  size_t n = std::min(ours.size(), antlr.size());
  for (size_t i = 0; i < n; ++i) {
    if (!(ours[i] == antlr[i])) {
      return "token " + std::to_string(i) + ": ours " + Describe(ours[i]) + ", ANTLR's " +
             Describe(antlr[i]);
    }
  }
  if (ours.size() != antlr.size()) {
    return "ours has " + std::to_string(ours.size()) + " tokens, ANTLR's " +
           std::to_string(antlr.size());
  }
  return "";
}

std::string Escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

TEST(WardLexerTest, AgreesWithTheGeneratedLexerOnEveryWardFileOfTheProject) {
  size_t files = 0;
  for (const char* root : {"rulesets", "tests/golden", "tests/syntax/testdata"}) {
    fs::path dir = fs::path(WARD_SOURCE_DIR) / root;
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".ward") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      std::string text = buffer.str();
      while (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // as the parser does
      if (FindInvalidUtf8(text) || text.find('\0') != std::string::npos) continue;
      ++files;
      EXPECT_EQ(Difference(text), "") << entry.path();
    }
  }
  EXPECT_GT(files, 50u);
}

TEST(WardLexerTest, AgreesOnTheTrickyCases) {
  const char* cases[] = {
      "",
      "package a.b\nimport c.*\n",
      "\"\"\"a\"\"\" \"\"\"\"\"\" \"\"\"\"\"\"\" \"\"\"\"\" \"\"\"open",
      "\"a\\\"b\" \"unterminated\n\"esc\\\n\"x\\",
      "/re/i /a\\/b/ /*c*/ /**/ /*/ x */ // line\n/ /x /*open",
      "/* a ** b *", "/*", "/", "//", "/\\", "/a\\\n/",
      "= { 4D 5A ?? } == = x =\n\t{ }= {",
      "2024-01-31 2024-1-31 12024-01-01 10KB 10MB 10M 10K 5s 5m 5h 5d 5w 5y 0x1F 0x 0xg 1.5 1. 1..2",
      "$a $a* $* $ #a # @a @ !a ! != !=x <= << < >= >> > .. . -1",
      "`cs-uri` `` `a\nb` `open",
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \"\xC3\xA9\" /\xC3\xA9/ `\xC3\xA9` \xC3\xA9",
      "packages package_ _x utf16le utf16 base64offset base64wide icontains iequals NULL null",
      "a\r\nb\rc\fd\te ; ' \\ % & | ^ ~ + * ( ) [ ] { } : ,",
      "detection sigma d \"t\" {\n  when: a == 1 and b contains \"x\"\n}\n",
  };
  for (const char* text : cases) EXPECT_EQ(Difference(text), "") << Escaped(text);
}

// Random inputs built from fragments that start, end or break tokens.
TEST(WardLexerTest, AgreesOnRandomInputs) {
  const std::vector<std::string> pieces = {
      "\"", "\"\"\"", "/", "*", "\\", "\n", "\r", "\t", " ", "\f", "0", "7", "2024-01-01",
      "KB", "MB", "M", "s", "x", "0x", "F", ".", "..", "=", "==", "{", "}", "(", ")", "[", "]",
      "!", "!=", "$", "#", "@", "`", "-", "<", ">", "a", "_", "Z", "package", "when", "and",
      "utf16", "le", "\xC3\xA9", "\xF0\x9F\x98\x80", ";", "'", "//", "/*", "*/", ":", ",",
      "i", "%", "~", "+"};
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = length(rng); n > 0; --n) text += pieces[pick(rng)];
    std::string diff = Difference(text);
    ASSERT_EQ(diff, "") << Escaped(text);
  }
}

}  // namespace
}  // namespace ward::syntax
