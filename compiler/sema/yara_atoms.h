#ifndef WARD_COMPILER_SEMA_YARA_ATOMS_H_
#define WARD_COMPILER_SEMA_YARA_ATOMS_H_

// An estimate of yarac's "string may slow down scanning" warning. libyara
// picks up to 4-byte "atoms" from every string and scores them with a
// heuristic (common bytes such as 00 and FF score low, wildcards lower, a
// repeated common byte lowest); a string whose chosen atoms score below a
// threshold is slow. This file re-derives that score from the documented
// heuristic of libyara 4.2 so Ward can warn at the string's own span, before
// any rule is generated. It is an estimate: the tests pin it against yarac
// for the cases listed in the design notes.

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/sema/yara_regex_check.h"

namespace ward::sema {

struct AtomByte {
  uint8_t value = 0;
  uint8_t mask = 0xFF;  // 0xFF exact, 0xF0/0x0F a nibble, 0 any byte
};

// Scores are relative: libyara adds a constant that cancels out against its
// warning threshold, which is 38 on this scale.
inline constexpr int kSlowAtomQuality = 38;
// The score of a string from which no atom can be taken (e.g. `/[a-z]+/`).
inline constexpr int kNoAtoms = -1000;

// The heuristic score of one atom (at most 4 bytes).
int AtomQuality(const std::vector<AtomByte>& atom);
// The best atom libyara could take from a run of consecutive bytes.
int BestAtomQuality(const std::vector<AtomByte>& run);

// The worst score over the atoms libyara searches for one string, given its
// modifiers (wide/ascii variants, every xor key, every base64 encoding).
int TextStringQuality(std::string_view bytes, const ir::YaraStringModifiers& modifiers);
int HexStringQuality(const std::vector<ir::HexItem>& items);
int RegexQuality(const RegexNode& tree, const ir::YaraStringModifiers& modifiers);

// The three base64 encodings libyara searches for `bytes` (one per alignment
// of the text within 3-byte groups), keeping only the characters that do
// not depend on the surrounding bytes. `alphabet` is 64 characters or empty
// for the standard one.
std::vector<std::string> Base64Variants(std::string_view bytes, std::string_view alphabet);

}  // namespace ward::sema

#endif  // WARD_COMPILER_SEMA_YARA_ATOMS_H_
