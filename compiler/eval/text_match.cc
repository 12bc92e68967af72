#include "compiler/eval/text_match.h"

#include <cstdint>

#include "compiler/support/text_util.h"

namespace ward::eval {
namespace {

// Decodes one code point at `i`; returns its length (1 for invalid bytes,
// with `cp` set to the byte itself and `valid` false).
size_t Decode(std::string_view s, size_t i, uint32_t& cp, bool& valid) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  valid = true;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t len = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    valid = false;
    cp = b0;
    return 1;
  }
  uint32_t value = b0 & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      valid = false;
      cp = b0;
      return 1;
    }
    value = (value << 6) | (b & 0x3Fu);
  }
  cp = value;
  return len;
}

uint32_t SimpleFold(uint32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x100 && cp <= 0x17F) {
    if ((cp <= 0x137 && cp != 0x130) || (cp >= 0x14A && cp <= 0x177)) return cp | 1u;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
      return (cp & 1u) ? cp + 1 : cp;
    }
    if (cp == 0x178) return 0xFF;
    return cp;
  }
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;
  if (cp == 0x386) return 0x3AC;
  if (cp >= 0x388 && cp <= 0x38A) return cp + 37;
  if (cp == 0x38C) return 0x3CC;
  if (cp == 0x38E || cp == 0x38F) return cp + 63;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
  return cp;
}

bool IsDashStart(std::string_view s, size_t i) {
  char c = s[i];
  return c == '-' || c == '/' || c == '\xE2';
}

// The byte length of a windash character at `i`, or 0.
size_t DashLength(std::string_view s, size_t i) {
  if (s[i] == '-' || s[i] == '/') return 1;
  if (i + 3 <= s.size() && s[i] == '\xE2' && s[i + 1] == '\x80' &&
      (s[i + 2] == '\x93' || s[i + 2] == '\x94' || s[i + 2] == '\x95')) {
    return 3;
  }
  return 0;
}

size_t CodePointLength(std::string_view s, size_t i) {
  uint32_t cp = 0;
  bool valid = true;
  return Decode(s, i, cp, valid);
}

bool IsBoundary(std::string_view s, size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

}  // namespace

void AppendFolded(std::string_view text, std::string& out) {
  // ASCII fast path: fold in place in one pass, no per-character appends.
  const size_t base = out.size();
  out.resize(base + text.size());
  char* dst = out.data() + base;
  size_t ascii = 0;
  for (; ascii < text.size(); ++ascii) {
    const auto b = static_cast<unsigned char>(text[ascii]);
    if (b >= 0x80) break;
    dst[ascii] = static_cast<char>(static_cast<unsigned>(b - 'A') < 26u ? b + 32 : b);
  }
  if (ascii == text.size()) return;
  out.resize(base + ascii);
  for (size_t i = ascii; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    uint32_t cp = 0;
    bool valid = true;
    size_t len = Decode(text, i, cp, valid);
    if (valid) {
      AppendUtf8(out, SimpleFold(cp));
    } else {
      out.push_back(text[i]);
    }
    i += len;
  }
}

std::string Folded(std::string_view text) {
  std::string out;
  AppendFolded(text, out);
  return out;
}

Pattern ParseWildcards(std::string_view text) {
  Pattern out;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) out.push_back({Token::Kind::kLiteral, std::move(literal)});
    literal.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() &&
        (text[i + 1] == '*' || text[i + 1] == '?' || text[i + 1] == '\\')) {
      literal.push_back(text[++i]);
    } else if (c == '*') {
      flush();
      if (out.empty() || out.back().kind != Token::Kind::kAnyRun) {
        out.push_back({Token::Kind::kAnyRun, {}});
      }
    } else if (c == '?') {
      flush();
      out.push_back({Token::Kind::kAnyOne, {}});
    } else {
      literal.push_back(c);
    }
  }
  flush();
  return out;
}

Pattern LiteralPattern(std::string_view text) {
  Pattern out;
  if (!text.empty()) out.push_back({Token::Kind::kLiteral, std::string(text)});
  return out;
}

void AppendPattern(Pattern& head, const Pattern& tail) {
  for (const Token& token : tail) {
    if (token.kind == Token::Kind::kLiteral && !head.empty() &&
        head.back().kind == Token::Kind::kLiteral) {
      head.back().text += token.text;
    } else if (token.kind == Token::Kind::kAnyRun && !head.empty() &&
               head.back().kind == Token::Kind::kAnyRun) {
      continue;
    } else {
      head.push_back(token);
    }
  }
}

bool PatternText(const Pattern& pattern, std::string* out) {
  std::string text;
  for (const Token& token : pattern) {
    if (token.kind != Token::Kind::kLiteral) return false;
    text += token.text;
  }
  if (out) *out = std::move(text);
  return true;
}

Pattern WithDashClasses(const Pattern& pattern) {
  Pattern out;
  for (const Token& token : pattern) {
    if (token.kind != Token::Kind::kLiteral) {
      out.push_back(token);
      continue;
    }
    std::string literal;
    const std::string& s = token.text;
    for (size_t i = 0; i < s.size();) {
      size_t dash = IsDashStart(s, i) ? DashLength(s, i) : 0;
      if (dash == 0) {
        literal.push_back(s[i++]);
        continue;
      }
      if (!literal.empty()) out.push_back({Token::Kind::kLiteral, std::move(literal)});
      literal.clear();
      out.push_back({Token::Kind::kDash, {}});
      i += dash;
    }
    if (!literal.empty()) out.push_back({Token::Kind::kLiteral, std::move(literal)});
  }
  return out;
}

std::string PatternToSigma(const Pattern& pattern) {
  std::string out;
  for (const Token& token : pattern) {
    switch (token.kind) {
      case Token::Kind::kAnyRun:
        out += '*';
        break;
      case Token::Kind::kAnyOne:
        out += '?';
        break;
      case Token::Kind::kDash:
        out += '-';
        break;
      case Token::Kind::kLiteral:
        for (char c : token.text) {
          if (c == '*' || c == '?') out += '\\';
          out += c;
        }
        break;
    }
  }
  return out;
}

Glob::Glob(const Pattern& pattern, bool fold) : fold_(fold) {
  anchored_start_ = pattern.empty() || pattern.front().kind != Token::Kind::kAnyRun;
  anchored_end_ = pattern.empty() || pattern.back().kind != Token::Kind::kAnyRun;
  Segment current;
  bool has_star = false;
  auto flush = [&] {
    if (!current.atoms.empty()) segments_.push_back(std::move(current));
    current = Segment();
  };
  for (const Token& token : pattern) {
    if (token.kind == Token::Kind::kAnyRun) {
      has_star = true;
      flush();
      continue;
    }
    Atom atom{token.kind, {}};
    if (token.kind == Token::Kind::kLiteral) {
      atom.text = fold ? Folded(token.text) : token.text;
      current.bytes += atom.text.size();
      if (!current.atoms.empty() && current.atoms.back().kind == Token::Kind::kLiteral) {
        current.atoms.back().text += atom.text;
        continue;
      }
    } else {
      current.fixed = false;
    }
    current.atoms.push_back(std::move(atom));
  }
  flush();
  if (!has_star && segments_.empty()) {
    // The empty pattern: matches only the empty string.
    anchored_start_ = anchored_end_ = true;
  }
}

bool Glob::OneLiteral(std::string_view* text, bool* anchored_start, bool* anchored_end) const {
  if (segments_.size() != 1 || segments_[0].atoms.size() != 1 ||
      segments_[0].atoms[0].kind != Token::Kind::kLiteral || segments_[0].atoms[0].text.empty()) {
    return false;
  }
  *text = segments_[0].atoms[0].text;
  *anchored_start = anchored_start_;
  *anchored_end = anchored_end_;
  return true;
}

size_t Glob::MatchAt(const Segment& segment, std::string_view subject, size_t pos) {
  size_t start = pos;
  for (const Atom& atom : segment.atoms) {
    switch (atom.kind) {
      case Token::Kind::kLiteral:
        if (subject.size() - pos < atom.text.size() ||
            subject.compare(pos, atom.text.size(), atom.text) != 0) {
          return std::string_view::npos;
        }
        pos += atom.text.size();
        break;
      case Token::Kind::kAnyOne:
        if (pos >= subject.size()) return std::string_view::npos;
        pos += CodePointLength(subject, pos);
        break;
      case Token::Kind::kDash: {
        if (pos >= subject.size()) return std::string_view::npos;
        size_t len = DashLength(subject, pos);
        if (len == 0) return std::string_view::npos;
        pos += len;
        break;
      }
      case Token::Kind::kAnyRun:
        break;
    }
  }
  return pos - start;
}

size_t Glob::Find(const Segment& segment, std::string_view subject, size_t from, size_t* length) {
  const Atom& first = segment.atoms.front();
  for (size_t p = from; p <= subject.size();) {
    if (first.kind == Token::Kind::kLiteral) {
      p = subject.find(first.text, p);
      if (p == std::string_view::npos) return p;
    } else if (!IsBoundary(subject, p)) {
      ++p;
      continue;
    }
    size_t len = MatchAt(segment, subject, p);
    if (len != std::string_view::npos) {
      *length = len;
      return p;
    }
    ++p;
  }
  return std::string_view::npos;
}

bool Glob::Match(std::string_view subject) const {
  const size_t n = segments_.size();
  if (n == 0) return !(anchored_start_ && anchored_end_) || subject.empty();
  size_t pos = 0;
  size_t i = 0;
  if (anchored_start_) {
    size_t len = MatchAt(segments_[0], subject, 0);
    if (len == std::string_view::npos) return false;
    if (n == 1 && anchored_end_) return len == subject.size();
    pos = len;
    i = 1;
  }
  const size_t last = anchored_end_ ? n - 1 : n;
  for (; i < last; ++i) {
    size_t len = 0;
    size_t at = Find(segments_[i], subject, pos, &len);
    if (at == std::string_view::npos) return false;
    pos = at + len;
  }
  if (!anchored_end_) return true;
  const Segment& tail = segments_[n - 1];
  if (tail.fixed) {
    if (subject.size() < pos + tail.bytes) return false;
    return MatchAt(tail, subject, subject.size() - tail.bytes) != std::string_view::npos;
  }
  for (size_t q = pos; q <= subject.size(); ++q) {
    if (!IsBoundary(subject, q)) continue;
    size_t len = MatchAt(tail, subject, q);
    if (len != std::string_view::npos && q + len == subject.size()) return true;
  }
  return false;
}

}  // namespace ward::eval
