#include "compiler/support/time_report.h"

#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <utility>
#include <vector>

namespace ward {
namespace {

std::atomic<bool> g_enabled{false};
std::mutex g_mutex;
std::vector<std::pair<std::string, double>>& Phases() {
  static std::vector<std::pair<std::string, double>> phases;
  return phases;
}

std::string Line(const std::string& name, double seconds) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "ward: time: %-22s %8.3f s\n", name.c_str(), seconds);
  return buf;
}

}  // namespace

void TimeReport::Enable() {
  std::lock_guard<std::mutex> lock(g_mutex);
  Phases().clear();
  g_enabled = true;
}
void TimeReport::Disable() { g_enabled = false; }
bool TimeReport::enabled() { return g_enabled.load(std::memory_order_relaxed); }

void TimeReport::Add(const std::string& phase, double seconds) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto& [name, total] : Phases()) {
    if (name == phase) {
      total += seconds;
      return;
    }
  }
  Phases().emplace_back(phase, seconds);
}

std::string TimeReport::Render() {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::string out;
  for (const auto& [name, seconds] : Phases()) out += Line(name, seconds);
  // CPU time and peak memory of the whole process so far: with the wall
  // times above they show how well the phases used the cores.
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  out += Line("CPU (user + system)", cpu);
  char buf[128];
  std::snprintf(buf, sizeof buf, "ward: time: %-22s %8ld MB\n", "peak memory",
                static_cast<long>(usage.ru_maxrss / 1024));
  out += buf;
  return out;
}

}  // namespace ward
