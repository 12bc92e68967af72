// ward_bench: end-to-end build speed of the `ward` binary on synthetic
// rulesets (ruleset_generator.h). For each size it reports throughput
// (detections per second of wall time), CPU time, peak memory, the time to
// rebuild after one file changed, and yarac's time on the emitted YARA.
// docs/performance.md has the figures measured on the project machine.
//
//   ward_bench [--sizes 1000,10000] [--full] [--repeat 3] [--ward PATH]
//              [--yarac PATH] [--work DIR]
//   ward_bench generate N DIR     (only write a ruleset, e.g. for profiling)

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "process_timer.h"
#include "ruleset_generator.h"

namespace ward::bench {
namespace {

namespace fs = std::filesystem;

struct Flags {
  std::vector<size_t> sizes = {1000, 10000};
  int repeat = 3;
  std::string ward, yarac = "/usr/bin/yarac", work;
};

std::string SelfDir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
}

std::vector<size_t> ParseSizes(const std::string& text) {
  std::vector<size_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoul(item));
  return out;
}

// The best (lowest wall time) of `repeat` runs; `before` runs before each.
template <typename Before>
ProcessResult Best(int repeat, const std::vector<std::string>& argv, const std::string& log,
                   Before before) {
  ProcessResult best;
  for (int i = 0; i < repeat; ++i) {
    before(i);
    ProcessResult r = RunProcess(argv, log);
    if (r.exit_code != 0) {
      std::fprintf(stderr, "ward_bench: `%s` failed (exit %d), see %s\n", argv[0].c_str(),
                   r.exit_code, log.c_str());
      std::exit(1);
    }
    if (i == 0 || r.wall_seconds < best.wall_seconds) best = r;
  }
  return best;
}

std::vector<std::string> BuildArgs(const Flags& flags, const fs::path& rules, const fs::path& out,
                                   const std::string& emit, bool lock) {
  std::vector<std::string> args = {flags.ward, "build",      rules.string(),
                                   "-o",       out.string(), "--emit",
                                   emit,       "-q",         "--no-coverage-warnings"};
  args.push_back(lock ? "--lock" : "--no-lock");
  return args;
}

// Rewrites one file so that one detection's emitted content changes.
void TouchOneFile(const fs::path& rules, size_t size, int round) {
  GeneratorOptions options;
  options.detections = size;
  size_t index = size / 2;
  size_t file = index / options.per_file;
  size_t first = file * options.per_file;
  std::string text = GenerateFile(file, first, std::min(options.per_file, size - first), options);
  std::string from = fmt::format("variant {})", index);
  size_t at = text.find(from);
  if (at != std::string::npos) {
    text.replace(at, from.size(), fmt::format("variant {}, edit {})", index, round));
  }
  std::ofstream(rules / FileOfDetection(first, options), std::ios::binary) << text;
}

double Mb(long kb) { return static_cast<double>(kb) / 1024.0; }

int Run(const Flags& flags) {
  fs::create_directories(flags.work);
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  fmt::print(
      "ward_bench: `ward build` end to end ({} cores, best of {} runs; "
      "--no-coverage-warnings -q)\n",
      cores, flags.repeat);
  fmt::print("ward: {}\nwork: {}\n\n", flags.ward, flags.work);
  fmt::print(
      "{:>11} {:>6} {:>8} | {:>8} {:>9} {:>7} {:>9} {:>8} | {:>8} {:>8} | {:>8} {:>8} | "
      "{:>7}\n",
      "detections", "files", "src MB", "wall s", "det/s", "cpu s", "det/cpu-s", "peak MB", "all s",
      "all MB", "1-file s", "1f MB", "yarac s");
  for (size_t size : flags.sizes) {
    fs::path rules = fs::path(flags.work) / fmt::format("rules-{}", size);
    fs::path out = fs::path(flags.work) / fmt::format("out-{}", size);
    fs::path out_all = fs::path(flags.work) / fmt::format("out-all-{}", size);
    std::string log = (fs::path(flags.work) / fmt::format("log-{}.txt", size)).string();
    GeneratorOptions options;
    options.detections = size;
    size_t files = GenerateRuleset(rules.string(), options);
    uintmax_t bytes = 0;
    for (const auto& entry : fs::recursive_directory_iterator(rules)) {
      if (entry.is_regular_file()) bytes += entry.file_size();
    }
    int repeat = size >= 100000 ? 1 : flags.repeat;
    // Full build, Sigma and YARA (the detections), lock kept: the first run
    // creates ward.lock, the measured runs find it fresh.
    auto sigma_yara = BuildArgs(flags, rules, out, "sigma,yara", true);
    RunProcess(sigma_yara, log);
    // Without its build state a rebuild of unchanged sources is a full
    // build again (the state would make it an incremental no-op).
    auto full_build = [&](int) {
      std::error_code ignored;
      fs::remove(out / ".ward-cache" / "build-state", ignored);
    };
    ProcessResult build = Best(repeat, sigma_yara, log, full_build);
    // Every backend (mapping documents too), without the lock.
    ProcessResult all =
        Best(1, BuildArgs(flags, rules, out_all, "sigma,yara,mapping", false), log, [](int) {});
    // One changed file, then a rebuild with the lock.
    ProcessResult one =
        Best(repeat, sigma_yara, log, [&](int round) { TouchOneFile(rules, size, round + 1); });
    ProcessResult yarac = Best(1,
                               {flags.yarac, (out / "yara" / "all.yar").string(),
                                (fs::path(flags.work) / "all.yarc").string()},
                               log, [](int) {});
    fmt::print(
        "{:>11} {:>6} {:>8.1f} | {:>8.3f} {:>9.0f} {:>7.2f} {:>9.0f} {:>8.1f} | {:>8.3f} "
        "{:>8.1f} | {:>8.3f} {:>8.1f} | {:>7.3f}\n",
        size, files, static_cast<double>(bytes) / 1e6, build.wall_seconds,
        static_cast<double>(size) / build.wall_seconds, build.cpu_seconds,
        static_cast<double>(size) / build.cpu_seconds, Mb(build.peak_rss_kb), all.wall_seconds,
        Mb(all.peak_rss_kb), one.wall_seconds, Mb(one.peak_rss_kb), yarac.wall_seconds);
    std::fflush(stdout);
  }
  fmt::print(
      "\ndet/cpu-s: detections per CPU second (user + system), the figure that a busy machine "
      "does not distort.\nwall s/det/s/cpu s/peak MB: `--emit sigma,yara` with ward.lock; all: "
      "`--emit sigma,yara,mapping --no-lock`;\n1-file: rebuild after one detection in one file "
      "changed; yarac: `yarac yara/all.yar` on the emitted rules.\n");
  return 0;
}

}  // namespace
}  // namespace ward::bench

int main(int argc, char** argv) {
  using namespace ward::bench;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "generate") {
    if (args.size() != 3) {
      std::fprintf(stderr, "usage: ward_bench generate N DIR\n");
      return 2;
    }
    GeneratorOptions options;
    options.detections = std::stoul(args[1]);
    size_t files = GenerateRuleset(args[2], options);
    std::printf("wrote %zu detections in %zu files to %s\n", options.detections, files,
                args[2].c_str());
    return 0;
  }
  Flags flags;
  flags.ward = SelfDir() + "/ward";
  flags.work = SelfDir() + "/../bench-work";
  for (size_t i = 0; i < args.size(); ++i) {
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "ward_bench: %s needs a value\n", args[i].c_str());
        std::exit(2);
      }
      return args[++i];
    };
    if (args[i] == "--sizes") {
      flags.sizes = ParseSizes(value());
    } else if (args[i] == "--full") {
      flags.sizes.push_back(100000);
    } else if (args[i] == "--repeat") {
      flags.repeat = std::max(1, std::stoi(value()));
    } else if (args[i] == "--ward") {
      flags.ward = value();
    } else if (args[i] == "--yarac") {
      flags.yarac = value();
    } else if (args[i] == "--work") {
      flags.work = value();
    } else {
      std::fprintf(stderr,
                   "usage: ward_bench [--sizes 1000,10000] [--full] [--repeat N] [--ward PATH] "
                   "[--yarac PATH] [--work DIR]\n       ward_bench generate N DIR\n");
      return args[i] == "--help" || args[i] == "-h" ? 0 : 2;
    }
  }
  flags.work = std::filesystem::absolute(flags.work).lexically_normal().string();
  return Run(flags);
}
