#ifndef WARD_COMPILER_EVAL_VALUE_ENCODING_H_
#define WARD_COMPILER_EVAL_VALUE_ENCODING_H_

// Sigma's transformation modifiers on literal text: the UTF-16 encodings,
// base64 and base64offset, and windash permutations (for values that are
// encoded afterwards; unencoded values use a windash class in the pattern).

#include <string>
#include <string_view>
#include <vector>

namespace ward::eval {

std::string EncodeUtf16(std::string_view utf8, bool big_endian, bool byte_order_mark);
std::string EncodeBase64(std::string_view bytes);
// The three encodings of `bytes` at byte offsets 0, 1 and 2 inside a longer
// base64 text, trimmed to the characters that do not depend on the
// surrounding bytes. Duplicates and empty results are dropped.
std::vector<std::string> EncodeBase64Offsets(std::string_view bytes);
// Every way of writing the text with each of `-`, `/`, en dash, em dash and
// horizontal bar replaced by any of the five. Returns false when there would
// be more than `limit` variants.
bool WindashPermutations(std::string_view text, size_t limit, std::vector<std::string>& out);

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_VALUE_ENCODING_H_
