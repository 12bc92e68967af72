#!/usr/bin/env python3
"""`ward scan` against `yara -r`, side by side in one run: the bundled
ruleset's YARA detections (as `ward build --emit yara` writes them, so both
tools run the same rules) over one generated tree of text, JSON and binary
files.

  python3 bench/scan_bench.py build/bin/ward [WORKDIR] [MEGABYTES]

Both tools get the same number of threads; each is run twice, alternately,
and the faster run is kept (the first run also warms the page cache).
"""
import glob
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(HERE, "hunt_bench_gen.py")


def run(cmd, ok=(0, 1)):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        sys.exit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr))
    return wall, after.ru_utime - before.ru_utime, len(proc.stdout.splitlines())


def main():
    ward = os.path.abspath(sys.argv[1])
    work = sys.argv[2] if len(sys.argv) > 2 else "/tmp/ward-bench"
    megabytes = int(sys.argv[3]) if len(sys.argv) > 3 else 256
    threads = os.cpu_count() or 1
    tree = os.path.join(work, "tree-%d" % megabytes)
    if not os.path.exists(tree):
        subprocess.run([sys.executable, GEN, "tree", tree, str(megabytes)], check=True)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs)
    files = sum(len(fs) for _, _, fs in os.walk(tree))
    out = os.path.join(work, "yara-out")
    shutil.rmtree(out, ignore_errors=True)
    rules = os.path.join(ROOT, "rulesets")
    subprocess.run([ward, "build", rules, "--emit", "yara", "-o", out, "--no-lock", "-q"],
                   check=True)
    yar = sorted(glob.glob(os.path.join(out, "**", "*.yar"), recursive=True))
    # all.yar holds every rule; the per-package files hold the same rules again.
    whole = [y for y in yar if os.path.basename(y) == "all.yar"]
    yar = whole or yar
    if not yar:
        sys.exit("ward build wrote no .yar file")
    cmds = {
        "ward scan": [ward, "scan", rules, tree, "-q", "--threads", str(threads)],
        "yara -r": ["yara", "-r", "-p", str(threads)] + yar + [tree],
    }
    best = {}
    for _ in range(2):
        for name, cmd in cmds.items():
            # yara exits 1 for an error, ward scan for a match.
            result = run(cmd, (0, 1) if name == "ward scan" else (0,))
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    print("tree: %d files, %.1f MB; %d threads; rules: %s" % (files, total / 1e6, threads,
                                                               ", ".join(os.path.relpath(y, out) for y in yar)))
    print("%-10s %9s %9s %10s %9s" % ("tool", "wall s", "MB/s", "user s", "matches"))
    for name, (wall, user, matches) in best.items():
        print("%-10s %9.2f %9.1f %10.2f %9d" % (name, wall, total / 1e6 / wall, user, matches))
    ratio = best["ward scan"][0] / best["yara -r"][0]
    print("ward scan wall time / yara -r wall time: %.2f (target <= 2)" % ratio)


if __name__ == "__main__":
    main()
