#ifndef WARD_COMPILER_SYNTAX_NESTING_TRACKER_H_
#define WARD_COMPILER_SYNTAX_NESTING_TRACKER_H_

#include <cstddef>
#include <vector>

#include "compiler/support/source_manager.h"

namespace ward::syntax {

// Measures, token by token and before any parsing, how deeply the input
// nests. The generated parser and every tree walker recurse once per level,
// so the depth must be bounded up front: 10,000 `(` would overflow the stack.
//
// Depth counts open brackets `(`, `[`, `{` plus prefix operators (`not`,
// `defined`, unary `-` and `~`) that are still waiting for their operand:
// a chain `not not x` is two levels until `x`, and each prefix operator just
// before a bracket stays open until that bracket closes (`not (not (...))`).
class NestingTracker {
 public:
  struct Opener {
    char bracket = '(';
    Span span;
  };

  explicit NestingTracker(size_t max_depth) : max_depth_(max_depth) {}

  // Each returns false when this token takes the depth past the limit.
  bool Open(char bracket, Span span);
  void Close(char closing);  // `)`, `]` or `}`; an unmatched closer is ignored
  bool Prefix();
  void Other() { chain_ = 0; }

  size_t depth() const { return depth_ + chain_; }
  // Brackets still open, innermost last: at the end of the input these are
  // the unclosed ones.
  std::vector<Opener> Unclosed() const;

 private:
  struct Entry {
    Opener opener;
    size_t weight;  // 1 for the bracket + the prefix chain right before it
  };

  size_t max_depth_;
  size_t depth_ = 0;  // sum of the open entries' weights
  size_t chain_ = 0;  // prefix operators since the last other token
  std::vector<Entry> entries_;
};

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_NESTING_TRACKER_H_
