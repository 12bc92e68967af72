#ifndef WARD_COMPILER_SUPPORT_SOURCE_MANAGER_H_
#define WARD_COMPILER_SUPPORT_SOURCE_MANAGER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ward {

// Identifies one loaded source file. 0 is "no file" (spans synthesised by the
// compiler, diagnostics about the command line).
using FileId = uint32_t;
inline constexpr FileId kNoFile = 0;

// A half-open byte range [begin, end) in one file. Line and column are only
// computed when a diagnostic is rendered (see SourceManager::Locate).
struct Span {
  FileId file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool valid() const { return file != kNoFile; }
  uint32_t size() const { return end - begin; }
  friend bool operator==(const Span&, const Span&) = default;
  friend auto operator<=>(const Span&, const Span&) = default;
};

// A 1-based line and a 1-based column counted in Unicode code points, the way
// editors and SARIF viewers count them.
struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
};

class SourceFile {
 public:
  SourceFile(FileId id, std::string path, std::string text);

  FileId id() const { return id_; }
  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }

  // Line/column of a byte offset (clamped to the file size).
  Location Locate(uint32_t offset) const;
  // The text of the 1-based line, without its line terminator.
  std::string_view LineText(uint32_t line) const;
  uint32_t LineCount() const { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  FileId id_;
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// Owns every file of a compilation. Files are never removed, so pointers and
// string_views into them stay valid for the manager's lifetime.
class SourceManager {
 public:
  SourceManager() = default;
  SourceManager(const SourceManager&) = delete;
  SourceManager& operator=(const SourceManager&) = delete;

  FileId Add(std::string path, std::string text);
  const SourceFile* Get(FileId id) const;
  std::string_view Text(Span span) const;
  size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace ward

#endif  // WARD_COMPILER_SUPPORT_SOURCE_MANAGER_H_
