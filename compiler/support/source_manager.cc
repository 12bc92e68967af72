#include "compiler/support/source_manager.h"

#include <algorithm>

namespace ward {

SourceFile::SourceFile(FileId id, std::string path, std::string text)
    : id_(id), path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

Location SourceFile::Locate(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  uint32_t start = line_starts_[line - 1];
  // Columns count code points: skip UTF-8 continuation bytes.
  uint32_t column = 1;
  for (uint32_t i = start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

std::string_view SourceFile::LineText(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                            : static_cast<uint32_t>(text_.size());
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

FileId SourceManager::Add(std::string path, std::string text) {
  FileId id = static_cast<FileId>(files_.size() + 1);
  files_.push_back(std::make_unique<SourceFile>(id, std::move(path), std::move(text)));
  return id;
}

const SourceFile* SourceManager::Get(FileId id) const {
  if (id == kNoFile || id > files_.size()) return nullptr;
  return files_[id - 1].get();
}

std::string_view SourceManager::Text(Span span) const {
  const SourceFile* file = Get(span.file);
  if (!file) return {};
  std::string_view text = file->text();
  if (span.begin > text.size() || span.end < span.begin) return {};
  return text.substr(span.begin, std::min<size_t>(span.end, text.size()) - span.begin);
}

}  // namespace ward
