#pragma once

// `--time-report`: wall time per build phase, printed after the build (like
// clang's -ftime-report). A detection engineer whose rebuild got slow sees
// which phase grew without a profiler. Phases are added from several
// threads; nothing is recorded unless the report was switched on.

#include <chrono>
#include <string>

namespace ward {

class TimeReport {
 public:
  // Enable clears what an earlier report recorded; Disable stops recording.
  static void Enable();
  static void Disable();
  static bool enabled();
  // Adds `seconds` to the phase named `phase` (same name: summed).
  static void Add(const std::string& phase, double seconds);
  // One line per phase in the order first recorded, then the total.
  static std::string Render();
};

// Times its own lifetime as one phase.
class PhaseTimer {
 public:
  explicit PhaseTimer(const char* phase)
      : phase_(TimeReport::enabled() ? phase : nullptr), start_(std::chrono::steady_clock::now()) {}
  ~PhaseTimer() { Stop(); }
  void Stop() {
    if (phase_ == nullptr) return;
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    TimeReport::Add(phase_, elapsed.count());
    phase_ = nullptr;
  }
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

 private:
  const char* phase_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ward
