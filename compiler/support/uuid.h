#ifndef WARD_COMPILER_SUPPORT_UUID_H_
#define WARD_COMPILER_SUPPORT_UUID_H_

#include <optional>
#include <string>
#include <string_view>

namespace ward {

// True for the canonical 8-4-4-4-12 hexadecimal form (either case).
bool IsUuid(std::string_view text);

// RFC 9562 UUIDv5 (SHA-1) of `name` in `namespace_uuid`, lowercase canonical.
// nullopt if the namespace is not a UUID.
std::optional<std::string> UuidV5(std::string_view namespace_uuid, std::string_view name);

// Ward's built-in namespace, used when ward.yaml does not set one.
inline constexpr std::string_view kDefaultNamespace = "6f1d2b8e-4c1a-5b7e-9a43-3e2d1c0b9a87";

}  // namespace ward

#endif  // WARD_COMPILER_SUPPORT_UUID_H_
