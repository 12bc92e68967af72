#ifndef WARD_COMPILER_EVAL_CIDR_H_
#define WARD_COMPILER_EVAL_CIDR_H_

// IPv4 and IPv6 networks for the `cidr` modifier.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ward::eval {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4
};

// "10.1.2.3", "fe80::1", "::ffff:10.1.2.3" (an IPv4-mapped IPv6 address
// reads as IPv4); an IPv6 zone ("%eth0") and surrounding brackets are
// ignored.
std::optional<IpAddress> ParseIp(std::string_view text);

struct Network {
  IpAddress base;
  unsigned prefix = 0;
  bool Contains(const IpAddress& address) const;
};
// "10.0.0.0/8", "fe80::/10"; a bare address is a /32 or /128.
std::optional<Network> ParseNetwork(std::string_view text);

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_CIDR_H_
