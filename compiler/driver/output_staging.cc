#include "compiler/driver/output_staging.h"

#include "compiler/driver/build_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

// True if the regular file at `path` holds exactly `content`.
bool SameBytes(const fs::path& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  struct stat st {};
  bool same = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<size_t>(st.st_size) == content.size();
  char buffer[1 << 16];
  size_t offset = 0;
  while (same && offset < content.size()) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || offset + static_cast<size_t>(n) > content.size() ||
        std::memcmp(buffer, content.data() + offset, static_cast<size_t>(n)) != 0) {
      same = false;
      break;
    }
    offset += static_cast<size_t>(n);
  }
  ::close(fd);
  return same && offset == content.size();
}

// The relative paths of the regular files under `root`, found without
// following symbolic links (a link planted in an output directory must not
// make a build reuse a file from outside it).
std::unordered_set<std::string> RegularFiles(const fs::path& root) {
  std::unordered_set<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) {
      files.insert(it->path().lexically_relative(root).generic_string());
    }
  }
  return files;
}

}  // namespace

bool WriteFileBytes(const fs::path& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return false;
  size_t offset = 0;
  while (offset < content.size()) {
    ssize_t n = ::write(fd, content.data() + offset, content.size() - offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    offset += static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

bool StageFiles(const backends::OutputSet& out, const fs::path& previous, const fs::path& staging,
                std::string& failed_path) {
  std::vector<const std::pair<const std::string, std::string>*> files;
  std::set<fs::path> directories;
  for (const auto& entry : out.files()) {
    files.push_back(&entry);
    fs::path parent = (staging / entry.first).parent_path();
    if (parent != staging) directories.insert(parent);
  }
  for (const fs::path& directory : directories) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) {
      failed_path = directory.lexically_relative(staging).generic_string();
      return false;
    }
  }
  std::unordered_set<std::string> reusable;
  if (!previous.empty()) reusable = RegularFiles(previous);

  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex failure_mutex;
  auto work = [&] {
    for (size_t i = next++; i < files.size() && !failed; i = next++) {
      const auto& [relative, content] = *files[i];
      fs::path target = staging / relative;
      if (reusable.count(relative) != 0) {
        fs::path old = previous / relative;
        if (SameBytes(old, content) && ::link(old.c_str(), target.c_str()) == 0) continue;
      }
      if (!WriteFileBytes(target, content)) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failed.exchange(true)) failed_path = relative;
      }
    }
  };
  // Creating files is kernel work that overlaps well on two cores; a small
  // output is not worth a thread.
  constexpr size_t kFilesPerThread = 64;
  std::thread helper;
  if (files.size() >= 2 * kFilesPerThread && std::thread::hardware_concurrency() > 1) {
    helper = std::thread(work);
  }
  work();
  if (helper.joinable()) helper.join();
  return !failed;
}

void StageCache(const fs::path& previous, const fs::path& staging,
                const std::map<std::string, std::string>& cache_files) {
  const fs::path cache = staging / kCacheDirName;
  std::error_code ec;
  std::unordered_set<std::string> carried;
  if (!previous.empty()) {
    const fs::path old_cache = previous / kCacheDirName;
    // Only a real directory: a planted link must not pull files in.
    if (!fs::is_symlink(old_cache, ec) && fs::is_directory(old_cache, ec)) {
      carried = RegularFiles(old_cache);
    }
    for (const std::string& relative : carried) {
      if (cache_files.count(relative) != 0) continue;
      fs::path target = cache / relative;
      fs::create_directories(target.parent_path(), ec);
      if (!ec) (void)::link((old_cache / relative).c_str(), target.c_str());
    }
  }
  for (const auto& [relative, content] : cache_files) {
    fs::path target = cache / relative;
    fs::create_directories(target.parent_path(), ec);
    if (!ec) (void)WriteFileBytes(target, content);
  }
}

}  // namespace ward::driver
