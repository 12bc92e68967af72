#ifndef WARD_BENCH_PROCESS_TIMER_H_
#define WARD_BENCH_PROCESS_TIMER_H_

// Runs a program as a child process and measures what the benchmark
// reports: wall time, CPU time and peak resident memory (getrusage of the
// child, the figure /usr/bin/time -v prints as "Maximum resident set size").

#include <string>
#include <vector>

namespace ward::bench {

struct ProcessResult {
  int exit_code = -1;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // user + system
  long peak_rss_kb = 0;
};

// `argv[0]` is the program's path. Its stdout and stderr go to `log_path`.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& log_path);

}  // namespace ward::bench

#endif  // WARD_BENCH_PROCESS_TIMER_H_
