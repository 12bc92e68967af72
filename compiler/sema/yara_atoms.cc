#include "compiler/sema/yara_atoms.h"

#include <algorithm>
#include <bitset>
#include <string>

namespace ward::sema {
namespace {

constexpr size_t kMaxAtomLength = 4;
// Above any real score: the neutral start of a minimum.
constexpr int kAboveAny = 1000;

bool IsCommonByte(uint8_t b) { return b == 0x00 || b == 0x20 || b == 0xCC || b == 0xFF; }
// A run of one of these repeated is penalised hardest (padding, NOP sleds).
bool IsFillerByte(uint8_t b) { return IsCommonByte(b) || b == 0x90; }
bool IsLetter(uint8_t b) { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'); }

std::vector<AtomByte> Exact(std::string_view bytes) {
  std::vector<AtomByte> out;
  out.reserve(bytes.size());
  for (char c : bytes) out.push_back({static_cast<uint8_t>(c), 0xFF});
  return out;
}

// `wide` interleaves a zero byte after every byte.
std::vector<AtomByte> Widen(const std::vector<AtomByte>& run) {
  std::vector<AtomByte> out;
  out.reserve(run.size() * 2);
  for (const AtomByte& b : run) {
    out.push_back(b);
    out.push_back({0, 0xFF});
  }
  return out;
}

// The score of each encoding the modifiers ask for, worst first.
template <typename Score>
int OverVariants(const std::vector<AtomByte>& run, const ir::YaraStringModifiers& m, Score score) {
  bool wide = m.wide;
  bool ascii = m.ascii || !m.wide;
  int worst = kAboveAny;
  if (ascii) worst = std::min(worst, score(run));
  if (wide) worst = std::min(worst, score(Widen(run)));
  return worst;
}

// libyara chooses the atom before applying xor keys, then searches for the
// atom under every key: the worst key decides.
int XorQuality(const std::vector<AtomByte>& run, int low, int high) {
  std::vector<AtomByte> best_atom;
  int best = kNoAtoms;
  for (size_t start = 0; start < run.size(); ++start) {
    size_t len = std::min(kMaxAtomLength, run.size() - start);
    std::vector<AtomByte> atom(run.begin() + static_cast<long>(start),
                               run.begin() + static_cast<long>(start + len));
    int q = AtomQuality(atom);
    if (q > best) {
      best = q;
      best_atom = atom;
    }
  }
  if (best_atom.empty()) return kNoAtoms;
  int worst = best;
  for (int key = low; key <= high; ++key) {
    std::vector<AtomByte> keyed = best_atom;
    for (AtomByte& b : keyed) b.value = static_cast<uint8_t>(b.value ^ key);
    worst = std::min(worst, AtomQuality(keyed));
  }
  return worst;
}

// Quality of a sequence of nodes; `run` collects consecutive fixed bytes.
class RegexScorer {
 public:
  explicit RegexScorer(bool wide) : wide_(wide) {}

  int Score(const RegexNode& node) {
    switch (node.kind) {
      case RegexNode::Kind::kEmpty:
      case RegexNode::Kind::kAny:
      case RegexNode::Kind::kClass:
      case RegexNode::Kind::kAnchor:
        return kNoAtoms;
      case RegexNode::Kind::kLiteral:
      case RegexNode::Kind::kConcat:
      case RegexNode::Kind::kRepeat:
        return ScoreSequence(node.kind == RegexNode::Kind::kConcat
                                 ? node.children
                                 : std::vector<RegexNode>{node});
      case RegexNode::Kind::kGroup:
        return Score(node.children[0]);
      case RegexNode::Kind::kAlternation: {
        // Every alternative must be searched for: the worst one decides.
        int worst = kAboveAny;
        for (const RegexNode& child : node.children) worst = std::min(worst, Score(child));
        return worst;
      }
    }
    return kNoAtoms;
  }

 private:
  int ScoreSequence(const std::vector<RegexNode>& nodes) {
    int best = kNoAtoms;
    std::vector<AtomByte> run;
    auto flush = [&] {
      if (!run.empty()) best = std::max(best, BestAtomQuality(run));
      run.clear();
    };
    auto push = [&](uint8_t byte) {
      run.push_back({byte, 0xFF});
      if (wide_) run.push_back({0, 0xFF});
    };
    for (const RegexNode& node : nodes) {
      switch (node.kind) {
        case RegexNode::Kind::kLiteral:
          push(node.byte);
          break;
        case RegexNode::Kind::kRepeat: {
          const RegexNode& child = node.children[0];
          if (node.min == 0) {
            flush();
          } else if (child.kind == RegexNode::Kind::kLiteral) {
            // `a{3}` is `aaa` to libyara; only the first 4 copies can matter.
            for (int i = 0; i < std::min(node.min, static_cast<int>(kMaxAtomLength)); ++i) {
              push(child.byte);
            }
            if (node.max != node.min) flush();
          } else {
            flush();
            best = std::max(best, Score(child));
          }
          break;
        }
        case RegexNode::Kind::kGroup:
        case RegexNode::Kind::kAlternation:
        case RegexNode::Kind::kConcat:
          flush();
          best = std::max(best, Score(node));
          break;
        default:
          flush();
          break;
      }
    }
    flush();
    return best;
  }

  bool wide_;
};

int HexSequenceQuality(const std::vector<ir::HexItem>& items) {
  int best = kNoAtoms;
  std::vector<AtomByte> run;
  auto flush = [&] {
    if (!run.empty()) best = std::max(best, BestAtomQuality(run));
    run.clear();
  };
  for (const ir::HexItem& item : items) {
    switch (item.kind) {
      case ir::HexItem::Kind::kByte:
        run.push_back({static_cast<uint8_t>(item.value & item.mask), item.mask});
        break;
      case ir::HexItem::Kind::kJump:
        flush();
        break;
      case ir::HexItem::Kind::kAlternation: {
        flush();
        int worst = kAboveAny;
        for (const auto& alt : item.alternatives) worst = std::min(worst, HexSequenceQuality(alt));
        best = std::max(best, worst);
        break;
      }
    }
  }
  flush();
  return best;
}

}  // namespace

namespace {

// AtomQuality over [begin, end). Atoms are at most a few bytes, so the
// distinct values are counted in a small array (a bitset of 256 and a scan
// of it were a fifth of semantic analysis); long inputs fall back to one.
int Quality(const AtomByte* begin, const AtomByte* end) {
  if (begin == end) return kNoAtoms;
  int quality = 0;
  constexpr size_t kSmall = 16;
  uint8_t values[kSmall];
  size_t unique = 0;
  std::bitset<256> seen;
  bool many = static_cast<size_t>(end - begin) > kSmall;
  for (const AtomByte* b = begin; b != end; ++b) {
    if (b->mask == 0x00) {
      quality -= 10;
    } else if (b->mask != 0xFF) {
      quality += 4;
    } else {
      if (IsCommonByte(b->value)) {
        quality += 12;
      } else if (IsLetter(b->value)) {
        quality += 18;
      } else {
        quality += 20;
      }
      if (many) {
        if (!seen.test(b->value)) {
          seen.set(b->value);
          if (unique < kSmall) values[unique] = b->value;
          ++unique;
        }
      } else if (std::find(values, values + unique, b->value) == values + unique) {
        values[unique++] = b->value;
      }
    }
  }
  bool filler = unique == 1 && IsFillerByte(values[0]);
  if (filler) {
    quality -= 10 * static_cast<int>(end - begin);
  } else {
    quality += 2 * static_cast<int>(unique);
  }
  return quality;
}

}  // namespace

int AtomQuality(const std::vector<AtomByte>& atom) {
  return Quality(atom.data(), atom.data() + atom.size());
}

int BestAtomQuality(const std::vector<AtomByte>& run) {
  int best = kNoAtoms;
  for (size_t start = 0; start < run.size(); ++start) {
    size_t end = std::min(run.size(), start + kMaxAtomLength);
    // Leading and trailing wildcards are trimmed; a window with as many
    // wildcards as known bytes shrinks to its first known byte.
    size_t b = start, e = end;
    while (b < e && run[b].mask == 0) ++b;
    while (e > b && run[e - 1].mask == 0) --e;
    if (b == e) continue;
    size_t any = 0;
    for (size_t i = b; i < e; ++i) any += run[i].mask == 0 ? 1 : 0;
    if (any >= (e - b) - any) e = b + 1;
    best = std::max(best, Quality(run.data() + b, run.data() + e));
  }
  return best;
}

std::vector<std::string> Base64Variants(std::string_view bytes, std::string_view alphabet) {
  static constexpr std::string_view kStandard =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (alphabet.size() != 64) alphabet = kStandard;
  std::vector<std::string> out;
  for (size_t shift = 0; shift < 3; ++shift) {
    std::string buffer(shift, '\0');
    buffer.append(bytes);
    buffer.append(3, '\0');
    size_t first_bit = 8 * shift;
    size_t last_bit = 8 * (shift + bytes.size());
    std::string encoded;
    for (size_t bit = 0; bit + 6 <= last_bit; bit += 6) {
      if (bit < first_bit) continue;
      unsigned value = 0;
      for (size_t i = bit; i < bit + 6; ++i) {
        unsigned byte = static_cast<uint8_t>(buffer[i / 8]);
        value = (value << 1) | ((byte >> (7 - i % 8)) & 1u);
      }
      encoded.push_back(alphabet[value]);
    }
    out.push_back(std::move(encoded));
  }
  return out;
}

int TextStringQuality(std::string_view bytes, const ir::YaraStringModifiers& m) {
  if (m.base64 || m.base64wide) {
    int worst = kAboveAny;
    std::string_view alphabet = m.base64_alphabet ? std::string_view(*m.base64_alphabet) : "";
    for (const std::string& variant : Base64Variants(bytes, alphabet)) {
      std::vector<AtomByte> run = Exact(variant);
      if (m.base64) worst = std::min(worst, BestAtomQuality(run));
      if (m.base64wide) worst = std::min(worst, BestAtomQuality(Widen(run)));
    }
    return worst;
  }
  std::vector<AtomByte> run = Exact(bytes);
  if (m.xor_) {
    int low = m.xor_range ? m.xor_range->first : 0;
    int high = m.xor_range ? m.xor_range->second : 255;
    return OverVariants(run, m, [&](const std::vector<AtomByte>& r) {
      return XorQuality(r, low, high);
    });
  }
  return OverVariants(run, m, [](const std::vector<AtomByte>& r) { return BestAtomQuality(r); });
}

int HexStringQuality(const std::vector<ir::HexItem>& items) {
  // libyara splits a hex string at every jump that is unbounded or longer
  // than YR_STRING_CHAINING_THRESHOLD (200) into chained pieces, and looks
  // for atoms of each piece on its own: the worst piece decides (verified
  // with yarac 4.2.3: `{ 8C 05 [8-] 52 }` is slow because of `52` alone).
  constexpr uint32_t kChainingThreshold = 200;
  int worst = kAboveAny;
  std::vector<ir::HexItem> piece;
  for (const ir::HexItem& item : items) {
    const bool chains = item.kind == ir::HexItem::Kind::kJump &&
                        (!item.jump_high || *item.jump_high > kChainingThreshold);
    if (!chains) {
      piece.push_back(item);
      continue;
    }
    if (!piece.empty()) worst = std::min(worst, HexSequenceQuality(piece));
    piece.clear();
  }
  if (!piece.empty()) worst = std::min(worst, HexSequenceQuality(piece));
  return worst == kAboveAny ? kNoAtoms : worst;
}

int RegexQuality(const RegexNode& tree, const ir::YaraStringModifiers& m) {
  int worst = kAboveAny;
  if (m.ascii || !m.wide) worst = std::min(worst, RegexScorer(false).Score(tree));
  if (m.wide) worst = std::min(worst, RegexScorer(true).Score(tree));
  return worst;
}

}  // namespace ward::sema
