#ifndef WARD_COMPILER_DRIVER_LOCK_TEXT_H_
#define WARD_COMPILER_DRIVER_LOCK_TEXT_H_

// ward.lock edited as text. The incremental build (incremental_build.h)
// changes the entries of a few packages in a lock of 100,000 rules: parsing
// and printing all of it as JSON would take longer than the rest of such a
// build. The canonical text (SerializeLock) holds one block per rule, in ID
// order, so entries can be cut out and put in without reading the others.
// Each function gives exactly the bytes SerializeLock would, or nullopt for
// a text that is not in that layout (the caller then parses it whole).

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "compiler/driver/version_lock.h"

namespace ward::driver {

// The entries `ids` of the canonical lock `text`, parsed (the IDs it does
// not hold are left out).
std::optional<VersionLock> ExtractLockEntries(std::string_view text,
                                              const std::set<std::string>& ids);

// The canonical text of `text`'s lock without the entries `drop`, with the
// entries of `add` (which replace any of the same ID).
std::optional<std::string> SpliceLockText(std::string_view text, const std::set<std::string>& drop,
                                          const VersionLock& add);

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_LOCK_TEXT_H_
