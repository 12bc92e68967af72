#!/usr/bin/env python3
"""`ward hunt` throughput: events per second per core, with the bundled rules,
with 1,000 generated broad rules (3.5 matches per event) and with 1,000
generated selective rules (each matching 0.1-1% of the events, as real
hunts' rules do), over a generated stream of 1,000,000 events.

  python3 bench/hunt_bench.py build/bin/ward [WORKDIR] [EVENTS]

Reports wall time and the CPU time (user + system) of the ward process per
event, and events per CPU-second (the machine may be shared: CPU time is the
figure that load does not inflate much; wall-clock events/s/core is printed
too). The `--no-prefilter` rows run the reference path (an nlohmann::json DOM
per event, every rule on every event), to show what the flat parser and the
routing buy; they run on the first 100,000 events only.
"""
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(HERE, "hunt_bench_gen.py")


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr))
    summary = [l for l in proc.stderr.splitlines() if l.startswith("ward hunt:")]
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime, summary[-1]


def main():
    ward = os.path.abspath(sys.argv[1])
    work = sys.argv[2] if len(sys.argv) > 2 else "/tmp/ward-bench"
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
    os.makedirs(work, exist_ok=True)
    events = os.path.join(work, "events-%d.jsonl" % count)
    small = os.path.join(work, "events-100000.jsonl")
    rules = os.path.join(work, "rules-1000")
    sparse = os.path.join(work, "sparse-rules-1000")
    for path, args in ((events, ["events", events, str(count)]),
                       (small, ["events", small, "100000"]),
                       (rules, ["rules", rules, "1000"]),
                       (sparse, ["sparse-rules", sparse, "1000"])):
        if not os.path.exists(path):
            subprocess.run([sys.executable, GEN] + args, check=True)
    bundled = os.path.join(ROOT, "rulesets")
    print("load average at start: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    print("%-28s %7s %8s %9s %12s %14s %12s %14s" % (
        "rules", "threads", "events", "wall s", "events/s", "events/s/core", "cpu us/ev",
        "events/cpu-s"))
    cases = [("bundled", bundled, events, [], (1, 2)),
             ("1000 generated", rules, events, [], (1, 2)),
             ("1000 selective (0.1-1%)", sparse, events, [], (1, 2)),
             ("1000, --no-prefilter", rules, small, ["--no-prefilter"], (1,))]
    for label, ruleset, stream, extra, thread_counts in cases:
        n = count if stream == events else 100000
        for threads in thread_counts:
            cmd = [ward, "hunt", ruleset, "--events", stream, "-o", "/dev/null", "-v",
                   "--threads", str(threads)] + extra
            wall, user, sys_t, summary = run(cmd)
            cpu = user + sys_t
            print("%-28s %7d %8d %9.2f %12.0f %14.0f %12.2f %14.0f" % (
                label, threads, n, wall, n / wall, n / wall / threads, cpu * 1e6 / n, n / cpu))
            print("    " + summary)


if __name__ == "__main__":
    main()
