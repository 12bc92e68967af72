#ifndef WARD_COMPILER_WRITER_WRITER_CONTEXT_H_
#define WARD_COMPILER_WRITER_WRITER_CONTEXT_H_

// Shared by the parts of the writer: the package being written, the imports
// that references to other packages need, and the error that abandons one
// declaration.

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace ward::writer {

// Thrown while printing one declaration that Ward cannot express; caught by
// WriteWardFile, which leaves that declaration out and records the reason.
class CannotWrite : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WriterContext {
  std::string package;
  std::set<std::string> imports;  // packages referred to from this file

  // How this file names `entity`: its simple name in the same package,
  // otherwise its qualified name (and its package is imported).
  std::string Ref(const ir::Entity& entity);
};

// Lines of a declaration body, each already indented.
using Lines = std::vector<std::string>;

// Sigma: logsource, taxonomy, selections and condition, or the correlation.
void WriteSigmaBody(const ir::SigmaLogic& logic, WriterContext& ctx, Lines& out);
void WriteFilterBody(const ir::Filter& filter, WriterContext& ctx, Lines& out);
// YARA: private/global, strings and condition.
void WriteYaraBody(const ir::YaraLogic& logic, WriterContext& ctx, Lines& out);

// `items` as a property value: one line when short, else one item per line.
std::string ListValue(const std::vector<std::string>& items, size_t indent, size_t room = 90);

}  // namespace ward::writer

#endif  // WARD_COMPILER_WRITER_WRITER_CONTEXT_H_
