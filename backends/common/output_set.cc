#include "backends/common/backend.h"

#include <algorithm>

namespace ward::backends {

bool OutputSet::Add(std::string relative_path, std::string content) {
  return files_.emplace(std::move(relative_path), std::move(content)).second;
}

bool OutputSet::Contains(std::string_view path) const {
  return files_.find(std::string(path)) != files_.end();
}

std::string_view OutputSet::TextOf(const EmittedRule& rule) const {
  auto file = files_.find(rule.path);
  if (file == files_.end()) return {};
  return std::string_view(file->second)
      .substr(std::min(rule.offset, file->second.size()), rule.length);
}

}  // namespace ward::backends
