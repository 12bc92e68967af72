#include "compiler/driver/batch_pool.h"

namespace ward::driver {

BatchPool::BatchPool(unsigned workers) {
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

BatchPool::~BatchPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void BatchPool::Submit(size_t chunks, std::function<void(size_t)> run) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    run_ = std::move(run);
    chunks_ = chunks;
    next_ = 0;
    done_ = 0;
    ++generation_;
  }
  wake_.notify_all();
}

bool BatchPool::RunOne() {
  size_t chunk = 0;
  {
    // A few dozen chunks per batch: the lock costs nothing next to a chunk,
    // and a worker late from the previous job can only take a chunk of the
    // new one once it is fully set up.
    std::lock_guard<std::mutex> lock(mutex_);
    if (next_ >= chunks_) return false;
    chunk = next_++;
  }
  run_(chunk);  // run_ is not replaced before every chunk is done
  std::lock_guard<std::mutex> lock(mutex_);
  if (++done_ == chunks_) finished_.notify_all();
  return true;
}

void BatchPool::HelpAndWait() {
  while (RunOne()) {
  }
  std::unique_lock<std::mutex> lock(mutex_);
  finished_.wait(lock, [this] { return done_ >= chunks_; });
}

void BatchPool::WorkerLoop() {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    while (RunOne()) {
    }
  }
}

}  // namespace ward::driver
