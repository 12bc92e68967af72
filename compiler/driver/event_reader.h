#ifndef WARD_COMPILER_DRIVER_EVENT_READER_H_
#define WARD_COMPILER_DRIVER_EVENT_READER_H_

// Reads JSON Lines events from a file or stdin, plain or gzip-compressed
// (zlib recognises the gzip magic bytes and reads anything else as is), one
// line at a time, in large blocks.

#include <cstdint>
#include <string>
#include <string_view>

namespace ward::driver {

class EventReader {
 public:
  EventReader() = default;
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // `path` "-" reads stdin. False, with `error` set, when it cannot be opened.
  bool Open(const std::string& path, std::string& error);
  // The next line without its line break (a final line without one counts);
  // false at the end of the input or after a read error (see error()).
  bool NextLine(std::string& line);
  const std::string& error() const { return error_; }
  // Bytes read from the input so far (compressed bytes for gzip).
  uint64_t bytes_read() const;

 private:
  bool Fill();
  void* gz_ = nullptr;  // gzFile
  std::string buffer_;
  size_t begin_ = 0;
  bool eof_ = false;
  std::string error_;
};

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_EVENT_READER_H_
