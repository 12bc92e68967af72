#!/usr/bin/env python3
"""Checks the quality bar that issue 6 sets for the bundled rulesets.

  - `ward check RULESETS --deny-warnings` is clean;
  - every threat has at least one mitigation;
  - every detection has at least two tests that expect a match and two that
    expect no match (a correlation's tests count for the correlation).

The threat model is read from the IR that `ward build --emit ir` writes, so the
check sees exactly what the compiler resolved (links declared on either side).

Usage: check_quality_bar.py WARD RULESETS
Exit 0 when the bar is met, 1 with one line per shortfall otherwise.
"""

import json
import os
import subprocess
import sys
import tempfile

MIN_MATCHING = 2
MIN_NON_MATCHING = 2


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def load_ir(ward, rulesets):
    with tempfile.TemporaryDirectory(prefix="ward-quality-") as tmp:
        out = os.path.join(tmp, "out")
        result = run([ward, "build", rulesets, "--emit", "ir", "-o", out, "-q", "--no-lock"])
        if result.returncode != 0:
            sys.exit(f"ward build --emit ir failed:\n{result.stdout}")
        with open(os.path.join(out, "ir.json"), encoding="utf-8") as f:
            return json.load(f)


def where(entity):
    # The IR spells a location as "file:line:col".
    return entity.get("location") or "?"


def shortfalls(ir):
    problems = []
    for threat in ir["threats"]:
        if not threat.get("mitigations"):
            problems.append(f"{where(threat)}: threat {threat['name']} has no mitigation")
    for detection in ir["detections"]:
        tests = detection.get("tests") or []
        matching = sum(1 for t in tests if t.get("expect") == "match")
        non_matching = len(tests) - matching
        if matching < MIN_MATCHING or non_matching < MIN_NON_MATCHING:
            problems.append(
                f"{where(detection)}: detection {detection['name']} has {matching} matching and "
                f"{non_matching} non-matching tests; it needs at least {MIN_MATCHING} of each")
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ward, rulesets = sys.argv[1], sys.argv[2]
    problems = []
    check = run([ward, "check", rulesets, "--deny-warnings"])
    if check.returncode != 0:
        # The diagnostics' own summary line ends the output; show it and the first few.
        lines = check.stdout.splitlines()
        shown = "\n".join(lines[:40] + (["...", lines[-1]] if len(lines) > 40 else []))
        problems.append(f"ward check {rulesets} --deny-warnings is not clean:\n{shown}")
    ir = load_ir(ward, rulesets)
    problems += shortfalls(ir)
    for line in problems:
        print(line)
    print(f"quality bar: {len(ir['threats'])} threats, {len(ir['mitigations'])} mitigations, "
          f"{len(ir['detections'])} detections; {len(problems)} shortfall(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
