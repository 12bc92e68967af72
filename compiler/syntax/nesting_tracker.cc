#include "compiler/syntax/nesting_tracker.h"

namespace ward::syntax {
namespace {

char Matching(char closing) {
  switch (closing) {
    case ')': return '(';
    case ']': return '[';
    default: return '{';
  }
}

}  // namespace

bool NestingTracker::Open(char bracket, Span span) {
  Opener opener{bracket, span};
  size_t weight = 1 + chain_;
  chain_ = 0;
  entries_.push_back({opener, weight});
  depth_ += weight;
  return depth_ <= max_depth_;
}

void NestingTracker::Close(char closing) {
  chain_ = 0;
  char want = Matching(closing);
  // Find the innermost matching opener; brackets left open inside it are
  // abandoned (the parser reports them), an unmatched closer changes nothing.
  for (size_t i = entries_.size(); i-- > 0;) {
    if (entries_[i].opener.bracket != want) continue;
    while (entries_.size() > i) {
      depth_ -= entries_.back().weight;
      entries_.pop_back();
    }
    return;
  }
}

std::vector<NestingTracker::Opener> NestingTracker::Unclosed() const {
  std::vector<Opener> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) out.push_back(entry.opener);
  return out;
}

bool NestingTracker::Prefix() {
  ++chain_;
  return depth_ + chain_ <= max_depth_;
}

}  // namespace ward::syntax
