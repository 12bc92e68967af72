#include "compiler/syntax/position_map.h"

namespace ward::syntax {

PositionMap::PositionMap(std::string_view text, uint32_t base) : base_(base) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii_ = false;
      break;
    }
  }
  if (ascii_) {
    // The common case needs no table: code point i is byte i.
    count_ = text.size();
    return;
  }
  offsets_.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    // Every byte that is not a continuation byte (10xxxxxx) starts a code point.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      offsets_.push_back(base + static_cast<uint32_t>(i));
    }
  }
  count_ = offsets_.size();
  offsets_.push_back(base + static_cast<uint32_t>(text.size()));
}

uint32_t PositionMap::ByteOffset(size_t index) const {
  if (index > count_) index = count_;
  return ascii_ ? base_ + static_cast<uint32_t>(index) : offsets_[index];
}

Span PositionMap::ToSpan(FileId file, size_t start, size_t stop) const {
  uint32_t begin = ByteOffset(start);
  if (start >= count_ || stop < start) return Span{file, begin, begin};
  return Span{file, begin, ByteOffset(stop + 1)};
}

}  // namespace ward::syntax
