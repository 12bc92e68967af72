#include "compiler/sema/sigma_like.h"

#include <vector>

namespace ward::sema {
namespace {

// One element of a Ward pattern after its brackets are resolved.
struct Piece {
  enum class Kind { kAnyRun, kAnyOne, kLiteral };
  Kind kind;
  char ch = 0;  // kLiteral
};

std::vector<Piece> Split(std::string_view pattern) {
  std::vector<Piece> pieces;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '[' && i + 2 < pattern.size() && pattern[i + 2] == ']' &&
        (pattern[i + 1] == '*' || pattern[i + 1] == '?')) {
      pieces.push_back({Piece::Kind::kLiteral, pattern[i + 1]});
      i += 2;
    } else if (c == '*') {
      pieces.push_back({Piece::Kind::kAnyRun});
    } else if (c == '?') {
      pieces.push_back({Piece::Kind::kAnyOne});
    } else {
      pieces.push_back({Piece::Kind::kLiteral, c});
    }
  }
  return pieces;
}

// True if Sigma would read a backslash written right before `next` as an
// escape (or, at the end, as ambiguous).
bool NeedsDoubling(const Piece* next) {
  if (next == nullptr) return true;
  if (next->kind != Piece::Kind::kLiteral) return true;
  return next->ch == '*' || next->ch == '?' || next->ch == '\\';
}

}  // namespace

std::string LikeToSigmaPattern(std::string_view ward_pattern) {
  std::vector<Piece> pieces = Split(ward_pattern);
  std::string out;
  out.reserve(ward_pattern.size() + 4);
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& piece = pieces[i];
    switch (piece.kind) {
      case Piece::Kind::kAnyRun: out += '*'; break;
      case Piece::Kind::kAnyOne: out += '?'; break;
      case Piece::Kind::kLiteral:
        if (piece.ch == '*' || piece.ch == '?') {
          out += '\\';
          out += piece.ch;
        } else if (piece.ch == '\\') {
          out += NeedsDoubling(i + 1 < pieces.size() ? &pieces[i + 1] : nullptr) ? "\\\\" : "\\";
        } else {
          out += piece.ch;
        }
        break;
    }
  }
  return out;
}

}  // namespace ward::sema
