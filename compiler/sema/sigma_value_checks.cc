#include "compiler/sema/sigma_value_checks.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace ward::sema {

std::optional<RegexError> CheckSigmaRegex(std::string_view pattern, RegexFlags flags) {
  uint32_t options = PCRE2_UTF;
  if (flags.caseless) options |= PCRE2_CASELESS;
  if (flags.multiline) options |= PCRE2_MULTILINE;
  if (flags.dotall) options |= PCRE2_DOTALL;
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   options, &error_code, &error_offset, nullptr);
  if (code != nullptr) {
    pcre2_code_free(code);
    return std::nullopt;
  }
  std::array<PCRE2_UCHAR, 256> buffer{};
  int length = pcre2_get_error_message(error_code, buffer.data(), buffer.size());
  std::string message = length > 0 ? std::string(reinterpret_cast<const char*>(buffer.data()),
                                                 static_cast<size_t>(length))
                                   : fmt::format("PCRE2 error {}", error_code);
  return RegexError{std::move(message), std::min<size_t>(error_offset, pattern.size())};
}

std::optional<CidrError> CheckCidr(std::string_view text) {
  std::string address(text);
  std::optional<unsigned> prefix;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = std::string(text.substr(0, slash));
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return CidrError{fmt::format("`{}` has an invalid prefix length", text), std::nullopt};
    }
    prefix = 0;
    for (char c : digits) *prefix = *prefix * 10 + static_cast<unsigned>(c - '0');
  }
  bool v6 = address.find(':') != std::string::npos;
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), bytes.data()) != 1) {
    return CidrError{fmt::format("`{}` is not an IPv{} address", address, v6 ? 6 : 4),
                     std::nullopt};
  }
  unsigned bits = v6 ? 128 : 32;
  if (!prefix) return std::nullopt;
  if (*prefix > bits) {
    return CidrError{
        fmt::format("prefix length /{} is longer than the {} bits of an IPv{} address", *prefix,
                    bits, v6 ? 6 : 4),
        std::nullopt};
  }
  bool host_bits = false;
  for (unsigned i = 0; i < bits / 8; ++i) {
    unsigned keep = *prefix > i * 8 ? std::min(8u, *prefix - i * 8) : 0;
    auto mask = static_cast<unsigned char>(keep == 0 ? 0 : (0xFFu << (8 - keep)) & 0xFFu);
    if ((bytes[i] & ~mask & 0xFFu) != 0) {
      host_bits = true;
      bytes[i] = static_cast<unsigned char>(bytes[i] & mask);
    }
  }
  if (!host_bits) return std::nullopt;
  std::array<char, INET6_ADDRSTRLEN> network{};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), network.data(), network.size());
  return CidrError{fmt::format("`{}` has host bits set", text),
                   fmt::format("{}/{}", network.data(), *prefix)};
}

std::optional<std::string> CheckPlaceholders(std::string_view text) {
  bool found = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '%' || text[i + 1] == '\\')) {
      ++i;  // `\%` is a literal percent sign, `\\` a literal backslash
      continue;
    }
    if (text[i] != '%') continue;
    size_t close = text.find('%', i + 1);
    if (close == std::string_view::npos) {
      return std::string("the placeholder starting with `%` is not closed");
    }
    std::string_view name = text.substr(i + 1, close - i - 1);
    if (name.empty()) return std::string("`%%` is an empty placeholder");
    for (char c : name) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
        return fmt::format("`%{}%` is not a placeholder name", name);
      }
    }
    found = true;
    i = close;
  }
  if (!found) return std::string("the value has no `%placeholder%` to expand");
  return std::nullopt;
}

}  // namespace ward::sema
