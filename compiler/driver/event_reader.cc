#include "compiler/driver/event_reader.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace ward::driver {
namespace {
constexpr size_t kBlock = 1 << 18;
}

EventReader::~EventReader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
}

bool EventReader::Open(const std::string& path, std::string& error) {
  int fd = path == "-" ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  gzFile gz = gzdopen(fd, "rb");
  if (!gz) {
    ::close(fd);
    error = "out of memory";
    return false;
  }
  gzbuffer(gz, kBlock);
  gz_ = gz;
  return true;
}

uint64_t EventReader::bytes_read() const {
  return gz_ ? static_cast<uint64_t>(gzoffset(static_cast<gzFile>(gz_))) : 0;
}

bool EventReader::Fill() {
  if (eof_ || !gz_) return false;
  buffer_.erase(0, begin_);
  begin_ = 0;
  size_t old = buffer_.size();
  buffer_.resize(old + kBlock);
  int n = gzread(static_cast<gzFile>(gz_), buffer_.data() + old, kBlock);
  if (n < 0) {
    int code = 0;
    const char* message = gzerror(static_cast<gzFile>(gz_), &code);
    error_ = code == Z_ERRNO ? std::strerror(errno) : (message ? message : "read error");
    buffer_.resize(old);
    eof_ = true;
    return false;
  }
  buffer_.resize(old + static_cast<size_t>(n));
  if (n == 0) {
    // gzread returns 0 at the end and for a truncated gzip member.
    int code = 0;
    const char* message = gzerror(static_cast<gzFile>(gz_), &code);
    if (code != Z_OK && code != Z_STREAM_END) error_ = message ? message : "read error";
    eof_ = true;
    return false;
  }
  return true;
}

bool EventReader::NextLine(std::string& line) {
  for (;;) {
    size_t nl = buffer_.find('\n', begin_);
    if (nl != std::string::npos) {
      size_t end = nl;
      if (end > begin_ && buffer_[end - 1] == '\r') --end;
      line.assign(buffer_, begin_, end - begin_);
      begin_ = nl + 1;
      return true;
    }
    if (!Fill()) {
      if (begin_ < buffer_.size()) {
        line.assign(buffer_, begin_, std::string::npos);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        begin_ = buffer_.size();
        return true;
      }
      return false;
    }
  }
}

}  // namespace ward::driver
