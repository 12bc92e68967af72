#!/usr/bin/env python3
"""Checks that rulesets/ carries the CoSAI risk map's links exactly.

Reads risks.yaml, controls.yaml and components.yaml of the risk map from
../shared/reference (next to the repository, or $WARD_SHARED_DIR/reference) and the IR that `ward build
--emit ir` writes for the ruleset, then checks:

  * every risk has exactly one threat (anywhere in the ruleset) that maps to
    its catalog entry cosai."riskX", and that threat lives in cosai.riskmap;
  * that threat's mitigations are exactly the risk's controls plus the
    controls the risk map applies to every risk (`risks: all`);
  * its other mappings include every ATLAS, OWASP and STRIDE ID the risk map
    gives (ATLAS pins are compared without the version: see
    docs/language.md 5.3);
  * every control has exactly one mitigation in cosai.riskmap implementing
    cosai."controlX", whose assets map to exactly the control's components
    (`all` is every component, `none` is none), whose personas map to exactly
    its personas, whose risk-map threats are exactly its risks, and whose
    other mappings include the control's ATLAS, OWASP and NIST AI RMF IDs.

Usage: check_riskmap.py WARD RULESETS_DIR. Exits 77 (skipped) when the risk map
or PyYAML is not available, 1 with one line per broken link otherwise.
"""

import json
import os
import subprocess
import sys
import tempfile

SKIP = 77


def skip(why):
    print(f"SKIPPED: {why}")
    sys.exit(SKIP)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    ward, rulesets = sys.argv[1], os.path.abspath(sys.argv[2])
    repo = os.path.dirname(rulesets)
    # ../shared beside the repository; WARD_SHARED_DIR overrides it (a git
    # worktree lives elsewhere than the main checkout).
    shared = os.environ.get("WARD_SHARED_DIR") or os.path.join(os.path.dirname(repo), "shared")
    yaml_dir = os.path.join(shared, "reference", "cosai", "secure-ai-tooling", "risk-map", "yaml")
    if not os.path.isdir(yaml_dir):
        skip(f"the CoSAI risk map is not at {yaml_dir} (../shared is absent in a plain clone)")
    try:
        import yaml
    except ImportError:
        skip("PyYAML is not installed (python3 -m pip install pyyaml)")

    def load(name, key):
        with open(os.path.join(yaml_dir, name), encoding="utf-8") as f:
            return yaml.safe_load(f)[key]

    risks = load("risks.yaml", "risks")
    controls = load("controls.yaml", "controls")
    components = [c["id"] for c in load("components.yaml", "components")]

    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([ward, "build", rulesets, "--emit", "ir", "--no-lock", "-o", out],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout + run.stderr)
            print("FAIL: ward build --emit ir failed")
            return 1
        with open(os.path.join(out, "ir.json"), encoding="utf-8") as f:
            program = json.load(f)

    def ids(refs, framework):
        return {r["id"] for r in refs if r["framework"] == framework}

    by_name = {}
    for kind in ("assets", "personas", "threats", "mitigations"):
        for entity in program[kind]:
            by_name[entity["name"]] = entity

    def cosai_ids(names, field):
        out = set()
        for name in names:
            out |= ids(by_name[name][field], "cosai_risk_map")
        return out

    def in_riskmap(name):
        return name.startswith("cosai.riskmap.")

    errors = []
    all_controls = {c["id"] for c in controls if c["risks"] == "all"}

    threat_of = {}
    for risk in risks:
        rid = risk["id"]
        found = [t for t in program["threats"] if rid in ids(t["maps"], "cosai_risk_map")]
        if len(found) != 1:
            errors.append(f"{rid}: {len(found)} threats map to it, expected exactly one "
                          f"({', '.join(t['name'] for t in found) or 'none'})")
            continue
        threat = found[0]
        threat_of[rid] = threat["name"]
        if not in_riskmap(threat["name"]):
            errors.append(f"{rid}: mapped by {threat['name']}, outside cosai.riskmap")
        expected = set(risk["controls"]) | all_controls
        got = cosai_ids([m for m in threat["mitigations"] if in_riskmap(m)], "implements")
        for missing in sorted(expected - got):
            errors.append(f"{rid}: {threat['name']} is not mitigated by the mitigation of {missing}")
        for extra in sorted(got - expected):
            errors.append(f"{rid}: {threat['name']} is mitigated by {extra}, which the risk map "
                          f"does not link to it")
        if cosai_ids(threat["personas"], "maps") != set(risk["personas"]):
            errors.append(f"{rid}: personas of {threat['name']} differ from the risk map's "
                          f"{sorted(risk['personas'])}")
        mappings = risk.get("mappings") or {}
        for framework, key in (("mitre_atlas", "mitre-atlas"), ("owasp_llm", "owasp-top10-llm"),
                               ("stride", "stride")):
            want = {v.split("@")[0] for v in mappings.get(key, [])}
            for missing in sorted(want - ids(threat["maps"], framework)):
                errors.append(f"{rid}: {threat['name']} does not map to {framework} {missing}")

    for control in controls:
        cid = control["id"]
        found = [m for m in program["mitigations"]
                 if in_riskmap(m["name"]) and cid in ids(m["implements"], "cosai_risk_map")]
        if len(found) != 1:
            errors.append(f"{cid}: {len(found)} mitigations in cosai.riskmap implement it, "
                          f"expected exactly one")
            continue
        mitigation = found[0]
        name = mitigation["name"]
        want = control["components"]
        want = set(components) if want == "all" else set() if want == "none" else set(want)
        got = cosai_ids(mitigation["applies_to"], "maps")
        if got != want:
            errors.append(f"{cid}: {name} applies to {sorted(got)}, the risk map says "
                          f"{sorted(want)}")
        got = cosai_ids(mitigation["personas"], "maps")
        if got != set(control["personas"]):
            errors.append(f"{cid}: personas of {name} are {sorted(got)}, the risk map says "
                          f"{sorted(control['personas'])}")
        want = set(threat_of) if control["risks"] == "all" else set(control["risks"])
        got = set()
        for t in mitigation["threats"]:
            if in_riskmap(t):
                got |= ids(by_name[t]["maps"], "cosai_risk_map")
        if got != want:
            errors.append(f"{cid}: {name} answers {sorted(got)}, the risk map says {sorted(want)}")
        mappings = control.get("mappings") or {}
        for framework, key, spell in (
                ("mitre_atlas", "mitre-atlas", lambda v: v),
                ("owasp_llm", "owasp-top10-llm", lambda v: v),
                # The risk map writes MEASURE-2.3; NIST and the catalog write MEASURE 2.3.
                ("nist_ai_rmf", "nist-ai-rmf", lambda v: v.replace("-", " ", 1))):
            want = {spell(v.split("@")[0]) for v in mappings.get(key, [])}
            for missing in sorted(want - ids(mitigation["implements"], framework)):
                errors.append(f"{cid}: {name} does not implement {framework} {missing}")

    if errors:
        for error in errors:
            print("FAIL: " + error)
        print(f"{len(errors)} broken link(s) between rulesets/ and the CoSAI risk map")
        return 1
    print(f"OK: {len(risks)} risks and {len(controls)} controls carried with the risk map's links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
