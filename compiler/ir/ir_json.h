#ifndef WARD_COMPILER_IR_IR_JSON_H_
#define WARD_COMPILER_IR_IR_JSON_H_

#include <nlohmann/json.hpp>

#include "compiler/ir/ir.h"
#include "compiler/support/source_manager.h"

namespace ward::ir {

// The whole program as JSON (`ward build --emit ir` writes it to ir.json).
// References are written as qualified names, spans as "path:line:col" so the
// document is readable and stable across machines (paths relative to root).
nlohmann::ordered_json ToJson(const Program& program, const SourceManager& sources);

}  // namespace ward::ir

#endif  // WARD_COMPILER_IR_IR_JSON_H_
