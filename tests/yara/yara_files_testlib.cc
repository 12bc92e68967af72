#include "tests/yara/yara_files_testlib.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "compiler/driver/cli.h"

namespace ward::yara_test {

namespace fs = std::filesystem;

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<YaraFile> LoadIndex(const fs::path& yara_dir, std::string* error) {
  std::vector<YaraFile> files;
  const fs::path index = yara_dir / "all.yar";
  if (!fs::exists(index)) {
    *error = index.string() + " does not exist";
    return files;
  }
  std::istringstream lines(ReadWholeFile(index));
  static const std::regex kInclude(R"re(^include "([^"\\]+)"$)re");
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.rfind("//", 0) == 0) continue;
    std::smatch m;
    if (!std::regex_match(line, m, kInclude)) {
      *error = "unexpected line in all.yar: " + line;
      return files;
    }
    const fs::path file = yara_dir / m[1].str();
    if (!fs::exists(file)) {
      *error = "all.yar includes " + m[1].str() + ", which does not exist";
      return files;
    }
    files.push_back({m[1].str(), ReadWholeFile(file)});
  }
  return files;
}

std::vector<std::string> DeclaredDependencies(const std::string& text) {
  static const std::regex kUses(R"(// Uses rules from ([^:\n]+): compile after them)");
  std::smatch m;
  std::vector<std::string> out;
  if (!std::regex_search(text, m, kUses)) return out;
  std::istringstream names(m[1].str());
  for (std::string name; std::getline(names, name, ',');) {
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    out.push_back(name);
  }
  return out;
}

WardResult RunWard(std::vector<std::string> args) {
  args.insert(args.begin(), "ward");
  std::ostringstream out, err;
  driver::CliStreams streams{out, err, false};
  WardResult result;
  result.code = driver::RunCli(args, streams);
  result.out = out.str();
  result.err = err.str();
  return result;
}

fs::path SourceDir() { return fs::path(WARD_SOURCE_DIR); }

}  // namespace ward::yara_test
