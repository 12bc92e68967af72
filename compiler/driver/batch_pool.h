#ifndef WARD_COMPILER_DRIVER_BATCH_POOL_H_
#define WARD_COMPILER_DRIVER_BATCH_POOL_H_

// A persistent pool that runs one job at a time, split into numbered chunks
// that the workers (and the caller, in Help) take in turn. `ward hunt`
// submits a batch of events, writes the previous batch's matches while the
// workers match this one, then helps and waits: the ordered output stage
// overlaps the parallel matching instead of idling the workers.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ward::driver {

class BatchPool {
 public:
  // `workers` threads besides the caller (0: the caller does everything in Help).
  explicit BatchPool(unsigned workers);
  ~BatchPool();
  BatchPool(const BatchPool&) = delete;
  BatchPool& operator=(const BatchPool&) = delete;

  // Starts `chunks` calls of `run(chunk)`; the previous job must be finished
  // (Wait). `run` must stay valid until Wait returns.
  void Submit(size_t chunks, std::function<void(size_t)> run);
  // Runs chunks of the current job on the calling thread, then waits until
  // every chunk is done.
  void HelpAndWait();

 private:
  void WorkerLoop();
  bool RunOne();  // one chunk of the current job; false when none is left

  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::function<void(size_t)> run_;
  size_t chunks_ = 0;
  size_t next_ = 0;  // the next chunk to take
  size_t done_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ward::driver

#endif  // WARD_COMPILER_DRIVER_BATCH_POOL_H_
