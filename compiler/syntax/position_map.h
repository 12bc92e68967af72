#ifndef WARD_COMPILER_SYNTAX_POSITION_MAP_H_
#define WARD_COMPILER_SYNTAX_POSITION_MAP_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/support/source_manager.h"

namespace ward::syntax {

// Converts ANTLR character positions into Ward spans. ANTLRInputStream decodes
// UTF-8 into code points, so a token's start/stop are *inclusive code-point*
// indices; Ward spans are *half-open byte* offsets. This is the only place
// where one becomes the other.
class PositionMap {
 public:
  // `text` is what the lexer sees (valid UTF-8); `base` is the byte offset of
  // text[0] in the file (3 when a byte-order mark was skipped).
  PositionMap(std::string_view text, uint32_t base = 0);

  // Byte offset of code point `index`; indices at or past the end give the
  // end of the text.
  uint32_t ByteOffset(size_t index) const;

  // The span of a token from ANTLR's inclusive [start, stop]. An empty token
  // (EOF has stop == start - 1) gives an empty span at `start`; out-of-range
  // indices (conjured tokens use SIZE_MAX) clamp to the end of the text.
  Span ToSpan(FileId file, size_t start, size_t stop) const;

  size_t code_points() const { return count_; }

 private:
  uint32_t base_ = 0;
  size_t count_ = 0;
  bool ascii_ = true;
  std::vector<uint32_t> offsets_;  // per code point, plus the end; empty if ascii_
};

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_POSITION_MAP_H_
