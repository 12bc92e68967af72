#include "compiler/driver/build_cache.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/output_writer.h"

#if WARD_HAVE_BACKEND_YARA
#include "backends/yara/libyara_check.h"
#endif

namespace ward::driver {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFormatLine = "ward check cache 1";

#if WARD_HAVE_BACKEND_YARA
// The header of `yara-verified`: a key is only trusted by the libyara that
// accepted it.
std::string Header() {
  return std::string(kFormatLine) + "\nlibyara " + backends::yara::LibyaraVersion() + "\n";
}

bool IsKey(const std::string& line) {
  if (line.size() != 64) return false;
  for (char c : line) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
#endif

}  // namespace

backends::CheckCache LoadCheckCache(const std::string& out_dir) {
  backends::CheckCache cache;
#if WARD_HAVE_BACKEND_YARA
  std::error_code ec;
  fs::path dir(out_dir);
  if (!fs::is_regular_file(dir / kOutputMarker, ec)) return cache;
  fs::path path = dir / kCacheDirName / kYaraVerifiedFile;
  if (fs::is_symlink(path, ec) || !fs::is_regular_file(path, ec)) return cache;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  const std::string header = Header();
  if (!in || text.compare(0, header.size(), header) != 0) return cache;
  std::istringstream lines(text.substr(header.size()));
  std::set<std::string> keys;
  for (std::string line; std::getline(lines, line);) {
    if (!IsKey(line)) return cache;  // damaged: trust none of it
    keys.insert(line);
  }
  if (!text.empty() && text.back() != '\n') return cache;  // cut short
  cache.known = std::move(keys);
#else
  (void)out_dir;
#endif
  return cache;
}

std::map<std::string, std::string> CacheFiles(const backends::CheckCache& cache) {
  std::map<std::string, std::string> files;
#if WARD_HAVE_BACKEND_YARA
  std::string text = Header();
  for (const std::string& key : cache.accepted) text += key + "\n";
  files[kYaraVerifiedFile] = std::move(text);
#else
  (void)cache;
#endif
  return files;
}

}  // namespace ward::driver
