#include "backends/sigma/sigma_paths.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <vector>

namespace ward::backends::sigma {
namespace {

constexpr size_t kMinStem = 10;
constexpr size_t kMaxStem = 90;

std::string ToFileAlphabet(std::string_view text) {
  std::string out;
  for (char c : text) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_';
    out += ok ? l : '_';
  }
  return out;
}

std::vector<std::string> Segments(std::string_view package) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= package.size() && !package.empty()) {
    size_t dot = package.find('.', start);
    std::string_view part =
        package.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!part.empty()) segments.push_back(ToFileAlphabet(part));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return segments;
}

uint32_t Fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

std::string PackageDir(std::string_view package) {
  std::string dir;
  for (const std::string& segment : Segments(package)) {
    if (!dir.empty()) dir += '/';
    dir += segment;
  }
  return dir;
}

std::string FileStem(std::string_view name, std::string_view package, std::string_view prefix) {
  std::string body = ToFileAlphabet(name);
  if (body.empty()) body = "rule";
  std::vector<std::string> segments = Segments(package);
  auto good = [&](const std::string& b) {
    std::string stem = std::string(prefix) + b;
    return stem.size() >= kMinStem && stem.find('_') != std::string::npos;
  };
  for (auto it = segments.rbegin(); it != segments.rend() && !good(body); ++it) {
    body = *it + "_" + body;
  }
  if (!good(body)) body += "_sigma_rule";
  std::string stem = std::string(prefix) + body;
  if (stem.size() > kMaxStem) {
    stem = fmt::format("{}_{:08x}", stem.substr(0, kMaxStem - 9), Fnv1a(stem));
  }
  return stem;
}

std::string OutputPath(std::string_view package, std::string_view stem) {
  std::string dir = PackageDir(package);
  return dir.empty() ? fmt::format("sigma/{}.yml", stem)
                     : fmt::format("sigma/{}/{}.yml", dir, stem);
}

bool IsValidSigmaFileName(std::string_view file_name) {
  constexpr std::string_view kExt = ".yml";
  if (file_name.size() <= kExt.size() || file_name.substr(file_name.size() - kExt.size()) != kExt) {
    return false;
  }
  std::string_view stem = file_name.substr(0, file_name.size() - kExt.size());
  if (stem.size() < kMinStem || stem.size() > kMaxStem) return false;
  bool underscore = false;
  for (char c : stem) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
    underscore |= c == '_';
  }
  return underscore;
}

}  // namespace ward::backends::sigma
