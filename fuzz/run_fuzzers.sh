#!/usr/bin/env bash
# Builds every libFuzzer target in build-fuzz/ (clang, ASan+UBSan; only the
# fuzzers and the libraries they link) and runs each for FUZZ_SECONDS,
# starting from seeds made from the repository's own inputs. Fails if any
# fuzzer finds a crash, a leak, undefined behaviour, a hang (-timeout) or runs
# out of memory (-rss_limit_mb); the input that did it is left in
# build-fuzz/findings/<fuzzer>/ and printed.
#   FUZZ_SECONDS   seconds per fuzzer (default 60)
#   FUZZERS        which to run (default: all five)
#   FUZZ_BUILD_DIR build directory (default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
build="${FUZZ_BUILD_DIR:-build-fuzz}"
fuzzers="${FUZZERS:-parse_fuzzer pipeline_fuzzer eval_fuzzer yara_import_fuzzer sigma_reader_fuzzer}"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  # -O1 with line tables and assertions on: quick to compile on a CI
  # machine, fast enough to fuzz, and every assert is a check.
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DWARD_BUILD_FUZZERS=ON -DWARD_BUILD_TESTS=OFF -DWARD_BUILD_BENCH=OFF "${launcher[@]}"
fi
# shellcheck disable=SC2086
cmake --build "$build" -j "$jobs" --target $fuzzers

corpus="$build/corpus"
rm -rf "$build/seeds"
fuzz/make_corpus.sh "$build/seeds"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
failed=()
for fuzzer in $fuzzers; do
  dict=fuzz/ward.dict
  case "$fuzzer" in
    yara_import_fuzzer) dict=fuzz/yara.dict ;;
    sigma_reader_fuzzer) dict=fuzz/sigma.dict ;;
  esac
  findings="$build/findings/$fuzzer"
  mkdir -p "$corpus/$fuzzer" "$findings"
  echo "== $fuzzer: ${seconds}s (dictionary $dict)"
  # The corpus dir is kept between runs (it only grows with new coverage);
  # the seeds are read but never written.
  if ! "$build/bin/$fuzzer" "$corpus/$fuzzer" "$build/seeds/$fuzzer" \
      -dict="$dict" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/" 2>"$build/$fuzzer.log"; then
    failed+=("$fuzzer")
    tail -n 60 "$build/$fuzzer.log"
    echo "!! $fuzzer failed; reproduce with: $build/bin/$fuzzer $findings/<file>"
    ls -1 "$findings"
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' \
      "$build/$fuzzer.log" || true
  fi
done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzzing failed: ${failed[*]}"
  exit 1
fi
echo "fuzzing: every fuzzer ran ${seconds}s without a finding"
