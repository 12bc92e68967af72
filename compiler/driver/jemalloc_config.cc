// jemalloc's options for the `ward` binary, read by jemalloc at start-up
// (the MALLOC_CONF environment variable still overrides them). Compiled only
// when the binary links jemalloc (compiler/driver/CMakeLists.txt).
//
// percpu_arena: one arena per CPU instead of jemalloc's default of four per
// CPU handed out per thread. A build allocates its ASTs on the parsing
// threads and frees them on the main thread; with per-thread arenas those
// frees land in arenas that purge and fault the pages back in, and a 10,000-
// detection build with `--jobs 2` took 3.3 times the minor page faults, 1.2
// times the peak memory and 2.5 times the system time of `--jobs 1`
// (docs/performance.md). With per-CPU arenas both figures match `--jobs 1`.
extern "C" {
// The name and type are jemalloc's interface.
const char* malloc_conf = "percpu_arena:percpu";
}
