#ifndef WARD_COMPILER_YARA_IMPORT_YARA_VALUES_H_
#define WARD_COMPILER_YARA_IMPORT_YARA_VALUES_H_

// The parts of reading YARA that need no parse tree: text escapes, numbers,
// and meta fields mapped onto Ward's metadata.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace ward::yara_import {

// The bytes of a YARA text literal, quotes included: \" \\ \t \n \r \xNN.
std::string DecodeYaraText(std::string_view literal);

// A YARA regular expression with each `{` that does not open a repeat
// (`{2}`, `{2,}`, `{,4}`, `{2,4}`) escaped as `\{`: libyara reads such a
// brace literally, Ward requires it escaped (E0604); the meaning is the same.
std::string EscapeLiteralBraces(std::string_view regex);

// A YARA integer literal: decimal, 0x hex, 0o octal, or a KB/MB size.
std::optional<int64_t> ParseYaraInteger(std::string_view text);

struct MetaField {
  std::string key;
  enum class Kind { kText, kInteger, kBool } kind = Kind::kText;
  std::string text;  // kText: decoded
  int64_t integer = 0;
  bool boolean = false;
  std::string written;  // as it appears in the rule, for comments
};

// Moves the meta fields Ward has properties for into `detection` (author,
// description, date, modified, references, a UUID id, a level) and returns
// the others as comment lines `meta: key = value`; `not_kept` gets their keys.
std::vector<std::string> ApplyMeta(const std::vector<MetaField>& fields, ir::Detection& detection,
                                   std::vector<std::string>& not_kept);

}  // namespace ward::yara_import

#endif  // WARD_COMPILER_YARA_IMPORT_YARA_VALUES_H_
