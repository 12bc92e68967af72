#ifndef WARD_COMPILER_SUPPORT_CONTENT_HASH_H_
#define WARD_COMPILER_SUPPORT_CONTENT_HASH_H_

#include <string>
#include <string_view>

namespace ward {

// SHA-256 of `data` as 64 lowercase hexadecimal digits (ward.lock's hashes).
std::string Sha256Hex(std::string_view data);

}  // namespace ward

#endif  // WARD_COMPILER_SUPPORT_CONTENT_HASH_H_
