#include "compiler/eval/cidr.h"

#include <arpa/inet.h>

#include <string>

namespace ward::eval {

std::optional<IpAddress> ParseIp(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (size_t zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string address(text);
  IpAddress out;
  out.v6 = address.find(':') != std::string::npos;
  if (inet_pton(out.v6 ? AF_INET6 : AF_INET, address.c_str(), out.bytes.data()) != 1) {
    return std::nullopt;
  }
  if (out.v6) {
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    bool mapped = true;
    for (size_t i = 0; i < 12; ++i) mapped = mapped && out.bytes[i] == kMapped[i];
    if (mapped) {
      IpAddress v4;
      for (size_t i = 0; i < 4; ++i) v4.bytes[i] = out.bytes[12 + i];
      return v4;
    }
  }
  return out;
}

std::optional<Network> ParseNetwork(std::string_view text) {
  Network out;
  std::string_view address = text;
  std::optional<unsigned> prefix;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    unsigned value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    prefix = value;
  }
  // Parse the network without the IPv4-mapped folding: `::ffff:0:0/96` is
  // an IPv6 network.
  std::string base(address);
  out.base.v6 = base.find(':') != std::string::npos;
  if (inet_pton(out.base.v6 ? AF_INET6 : AF_INET, base.c_str(), out.base.bytes.data()) != 1) {
    return std::nullopt;
  }
  unsigned bits = out.base.v6 ? 128 : 32;
  out.prefix = prefix.value_or(bits);
  if (out.prefix > bits) return std::nullopt;
  return out;
}

bool Network::Contains(const IpAddress& address) const {
  if (address.v6 != base.v6) return false;
  unsigned full = prefix / 8;
  for (unsigned i = 0; i < full; ++i) {
    if (address.bytes[i] != base.bytes[i]) return false;
  }
  unsigned rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xFFu << (8 - rest));
  return (address.bytes[full] & mask) == (base.bytes[full] & mask);
}

}  // namespace ward::eval
