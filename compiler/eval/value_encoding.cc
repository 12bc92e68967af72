#include "compiler/eval/value_encoding.h"

#include <algorithm>
#include <cstdint>

namespace ward::eval {
namespace {

constexpr std::string_view kDashes[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};

size_t DashAt(std::string_view s, size_t i) {
  for (std::string_view dash : kDashes) {
    if (s.substr(i, dash.size()) == dash) return dash.size();
  }
  return 0;
}

}  // namespace

std::string EncodeUtf16(std::string_view utf8, bool big_endian, bool byte_order_mark) {
  std::string out;
  auto unit = [&](uint32_t u) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>((u >> 8) & 0xFF);
    if (big_endian) {
      out.push_back(hi);
      out.push_back(lo);
    } else {
      out.push_back(lo);
      out.push_back(hi);
    }
  };
  if (byte_order_mark) unit(0xFEFF);
  for (size_t i = 0; i < utf8.size();) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = b0;
    size_t len = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : 4;
    if (len > 1 && i + len <= utf8.size()) {
      cp = b0 & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
      for (size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
    } else {
      len = 1;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::vector<std::string> EncodeBase64Offsets(std::string_view bytes) {
  // Characters at the start that depend on the `offset` unknown bytes
  // before the text, and at the end that depend on the bytes after it.
  static constexpr size_t kSkipStart[] = {0, 2, 3};
  static constexpr size_t kSkipEnd[] = {0, 3, 2};  // by (length + offset) % 3
  std::vector<std::string> out;
  for (size_t offset = 0; offset < 3; ++offset) {
    std::string shifted(offset, ' ');
    shifted.append(bytes);
    std::string encoded = EncodeBase64(shifted);
    size_t skip_end = kSkipEnd[(bytes.size() + offset) % 3];
    if (encoded.size() <= kSkipStart[offset] + skip_end) continue;
    std::string trimmed =
        encoded.substr(kSkipStart[offset], encoded.size() - kSkipStart[offset] - skip_end);
    if (std::find(out.begin(), out.end(), trimmed) == out.end()) out.push_back(trimmed);
  }
  return out;
}

bool WindashPermutations(std::string_view text, size_t limit, std::vector<std::string>& out) {
  std::vector<std::string> variants = {""};
  for (size_t i = 0; i < text.size();) {
    size_t dash = DashAt(text, i);
    if (dash == 0) {
      for (std::string& v : variants) v.push_back(text[i]);
      ++i;
      continue;
    }
    i += dash;
    if (variants.size() * std::size(kDashes) > limit) return false;
    std::vector<std::string> next;
    next.reserve(variants.size() * std::size(kDashes));
    for (const std::string& v : variants) {
      for (std::string_view d : kDashes) next.push_back(v + std::string(d));
    }
    variants = std::move(next);
  }
  out.insert(out.end(), variants.begin(), variants.end());
  return true;
}

}  // namespace ward::eval
