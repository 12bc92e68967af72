#include "compiler/driver/build_state.h"

#include <sys/stat.h>

#include <charconv>
#include <chrono>
#include <string_view>

namespace ward::driver {
namespace {

constexpr std::string_view kHeader = "ward build state 1";
constexpr std::string_view kEnd = "end";

bool Clean(std::string_view field) {
  return field.find_first_of("\t\n\r") == std::string_view::npos;
}

std::string Join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string JoinSet(const std::set<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

template <typename T>
bool Number(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

std::string SerializeBuildState(const BuildState& state) {
  std::string out(kHeader);
  out += '\n';
  bool clean = Clean(state.key);
  auto line = [&](std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view field : fields) {
      clean = clean && Clean(field);
      if (!first) out += '\t';
      out += field;
      first = false;
    }
    out += '\n';
  };
  line({"key", state.key});
  line({"lock", state.lock_sha256.empty() ? "-" : state.lock_sha256});
  line({"recorded", std::to_string(state.recorded_at_ns)});
  for (const BuildState::File& f : state.files) {
    for (const std::string& import : f.imports)
      clean = clean && import.find(',') == std::string::npos;
    line({"file", f.path, std::to_string(f.size), std::to_string(f.mtime_ns),
          std::to_string(f.ctime_ns), f.sha256, f.package, Join(f.imports, ',')});
  }
  for (const BuildState::Output& o : state.outputs) {
    line({"output", o.path, o.package, std::to_string(o.size), o.sha256,
          std::to_string(o.mtime_ns)});
  }
  for (const auto& [name, p] : state.packages) {
    std::vector<std::string> kinds;
    for (const auto& [kind, count] : p.detections) {
      clean = clean && kind.find_first_of(",=") == std::string::npos;
      kinds.push_back(kind + "=" + std::to_string(count));
    }
    line({"package", name, std::to_string(p.threats), std::to_string(p.mitigations),
          Join(kinds, ','), p.catalogs_only ? "catalogs" : "-"});
    for (const auto* ids : {&p.ids, &p.rule_ids}) {
      for (const std::string& id : *ids)
        clean = clean && id.find_first_of(",\t\n\r") == std::string::npos;
    }
    // One line per set (100,000 IDs read back in a few milliseconds).
    out += "ids\t" + name + "\t" + JoinSet(p.ids) + "\n";
    out += "rules\t" + name + "\t" + JoinSet(p.rule_ids) + "\n";
  }
  out += kEnd;
  out += '\n';
  // A field that would break the format is not recorded: no state at all
  // (a full build next time) rather than a state that reads back wrong.
  return clean ? out : std::string();
}

std::optional<BuildState> ParseBuildState(const std::string& text) {
  BuildState state;
  std::vector<std::string_view> lines = Split(text, '\n');
  // The last element is what follows the final newline: it must be empty.
  if (lines.size() < 3 || lines.front() != kHeader || !lines.back().empty() ||
      lines[lines.size() - 2] != kEnd) {
    return std::nullopt;
  }
  bool have_key = false, have_lock = false, have_recorded = false;
  for (size_t i = 1; i + 2 < lines.size(); ++i) {
    std::vector<std::string_view> f = Split(lines[i], '\t');
    std::string_view tag = f.front();
    if (tag == "key" && f.size() == 2) {
      state.key = f[1];
      have_key = true;
    } else if (tag == "lock" && f.size() == 2) {
      state.lock_sha256 = f[1] == "-" ? "" : std::string(f[1]);
      have_lock = true;
    } else if (tag == "recorded" && f.size() == 2) {
      if (!Number(f[1], state.recorded_at_ns)) return std::nullopt;
      have_recorded = true;
    } else if (tag == "file" && f.size() == 8) {
      BuildState::File& file = state.files.emplace_back();
      file.path = f[1];
      if (!Number(f[2], file.size) || !Number(f[3], file.mtime_ns) ||
          !Number(f[4], file.ctime_ns)) {
        return std::nullopt;
      }
      file.sha256 = f[5];
      file.package = f[6];
      if (!f[7].empty()) {
        for (std::string_view import : Split(f[7], ',')) file.imports.emplace_back(import);
      }
    } else if (tag == "output" && f.size() == 6) {
      BuildState::Output& output = state.outputs.emplace_back();
      output.path = f[1];
      output.package = f[2];
      if (!Number(f[3], output.size) || !Number(f[5], output.mtime_ns)) return std::nullopt;
      output.sha256 = f[4];
    } else if (tag == "package" && f.size() == 6) {
      BuildState::Package& package = state.packages[std::string(f[1])];
      package.catalogs_only = f[5] == "catalogs";
      if (!Number(f[2], package.threats) || !Number(f[3], package.mitigations)) {
        return std::nullopt;
      }
      if (!f[4].empty()) {
        for (std::string_view pair : Split(f[4], ',')) {
          size_t eq = pair.find('=');
          size_t count = 0;
          if (eq == std::string_view::npos || !Number(pair.substr(eq + 1), count)) {
            return std::nullopt;
          }
          package.detections[std::string(pair.substr(0, eq))] = count;
        }
      }
    } else if ((tag == "ids" || tag == "rules") && f.size() == 3) {
      auto package = state.packages.find(std::string(f[1]));
      if (package == state.packages.end()) return std::nullopt;
      std::set<std::string>& ids = tag == "ids" ? package->second.ids : package->second.rule_ids;
      if (!f[2].empty()) {
        for (std::string_view id : Split(f[2], ',')) ids.emplace_hint(ids.end(), id);
      }
    } else {
      return std::nullopt;
    }
  }
  if (!have_key || !have_lock || !have_recorded) return std::nullopt;
  return state;
}

bool StatFile(const std::string& path, uint64_t& size, int64_t& mtime_ns, int64_t& ctime_ns) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  size = static_cast<uint64_t>(st.st_size);
  mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return true;
}

bool StatFile(const std::string& path, uint64_t& size, int64_t& mtime_ns) {
  int64_t ctime_ns = 0;
  return StatFile(path, size, mtime_ns, ctime_ns);
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ward::driver
