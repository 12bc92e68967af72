#include "backends/common/backend.h"

namespace ward::backends {

bool OutputSet::Add(std::string relative_path, std::string content) {
  return files_.emplace(std::move(relative_path), std::move(content)).second;
}

bool OutputSet::Contains(std::string_view path) const {
  return files_.find(std::string(path)) != files_.end();
}

}  // namespace ward::backends
