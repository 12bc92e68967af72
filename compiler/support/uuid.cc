#include "compiler/support/uuid.h"

#include <openssl/evp.h>

#include <array>
#include <cctype>

namespace ward {

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::optional<std::string> UuidV5(std::string_view namespace_uuid, std::string_view name) {
  if (!IsUuid(namespace_uuid)) return std::nullopt;
  std::string hex;
  for (char c : namespace_uuid) {
    if (c != '-') hex += c;
  }
  std::string input;
  for (size_t i = 0; i < hex.size(); i += 2) {
    input += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  input.append(name);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
    return std::nullopt;
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

}  // namespace ward
