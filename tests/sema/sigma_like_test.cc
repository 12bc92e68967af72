#include "compiler/sema/sigma_like.h"

#include <gtest/gtest.h>

namespace ward::sema {
namespace {

struct LikeCase {
  const char* ward;
  const char* sigma;
};

// Sigma escaping: `\` escapes `*`, `?` and `\`; before anything else it is
// literal. Each row pins one rule of the conversion.
const LikeCase kCases[] = {
    {"", ""},
    {"abc", "abc"},
    {"*", "*"},
    {"?", "?"},
    {"*.exe", "*.exe"},
    {"a?c*", "a?c*"},
    {"[*]", "\\*"},                      // literal star
    {"[?]", "\\?"},                      // literal question mark
    {"what[?]*", "what\\?*"},
    {"[[*]]", "[\\*]"},                  // `[` and `]` around a literal star stay literal
    {"[a]", "[a]"},                      // other brackets are literal
    {"[*", "[*"},                        // an unclosed bracket is literal, the star a wildcard
    {"[]", "[]"},
    {"C:\\Windows\\cmd.exe", "C:\\Windows\\cmd.exe"},  // backslash before a letter: single
    {"C:\\Windows\\*", "C:\\Windows\\\\*"},           // before a wildcard: doubled
    {"a\\?", "a\\\\?"},                                // before the one-char wildcard
    {"a\\[*]", "a\\\\\\*"},                            // before a literal star: `\\` then `\*`
    {"a\\[?]", "a\\\\\\?"},
    {"a\\\\b", "a\\\\\\b"},                            // two backslashes: first doubled
    {"share\\", "share\\\\"},                          // trailing backslash doubled
    {"\\", "\\\\"},
    {"%temp%", "%temp%"},                              // no placeholder meaning without expand
    {"naïve*", "naïve*"},                               // UTF-8 passes through
};

TEST(SigmaLikeTest, ConversionTable) {
  for (const LikeCase& c : kCases) {
    EXPECT_EQ(LikeToSigmaPattern(c.ward), c.sigma) << "ward pattern: " << c.ward;
  }
}

}  // namespace
}  // namespace ward::sema
