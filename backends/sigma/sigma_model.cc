#include "backends/sigma/sigma_model.h"

namespace ward::backends::sigma {

std::string DetectionItem::Key() const {
  std::string key = field;
  for (const std::string& m : modifiers) {
    key += '|';
    key += m;
  }
  return key;
}

}  // namespace ward::backends::sigma
