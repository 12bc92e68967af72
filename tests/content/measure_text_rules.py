#!/usr/bin/env python3
"""Measures the detection and false-positive rates of Ward's bundled text rules.

The bundled ruleset is built with `ward build --emit yara`, and the emitted
`all.yar` is run by the real `yara` command over a corpus this script writes:

- attack prompts (tests/content/attack_prompts.txt), each in three forms:
  bare; buried in the middle of an ordinary document (indirect injection, as
  in a RAG corpus); and smuggled as invisible Unicode tag characters behind an
  innocent sentence;
- ordinary prose: every text file under /usr/share/doc (READMEs, changelogs,
  licence texts, manuals; gzip files are decompressed), plus a few paragraphs
  kept here so that the benign side is never empty.

A malicious file counts as detected when a rule of the `cosai.content` package
matches it; a benign file is a false positive when ANY bundled rule matches it.
The script prints a Markdown report (the figures in docs/coverage.md come from
it) and exits 1 when a target is missed: at least 90% of each form detected,
no false positive on ordinary prose.

usage: measure_text_rules.py WARD RULESET_DIR [--report FILE] [--doc-root DIR]
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT_RULE_PREFIX = "cosai_content__"
DETECTION_TARGET = 0.90
SKIP = 77  # ctest's SKIP_RETURN_CODE
MAX_BENIGN_BYTES = 4 * 1024 * 1024

# Ordinary prose that is always part of the benign side.
BUILTIN_PROSE = [
    "To install the package, run the configure script and then make. The\n"
    "installer will display the instructions for your platform. Ignore the\n"
    "warnings about deprecated options; they are harmless on recent systems.\n",
    "Changes in 2.4.1: the parser now ignores previous configuration files\n"
    "left by version 1.x. The --force option overrides the earlier behaviour.\n"
    "Thanks to everyone who reported the bug about the system prompt colour in\n"
    "the interactive shell.\n",
    "Permission is hereby granted, free of charge, to any person obtaining a\n"
    "copy of this software, to deal in the Software without restriction,\n"
    "subject to the following conditions: the above copyright notice shall be\n"
    "included in all copies or substantial portions of the Software.\n",
    "The assistant manager will repeat the instructions above at the start of\n"
    "every shift. New staff should stay in character as tour guides while the\n"
    "museum is open and never refuse a visitor's question about the exhibits.\n",
]

# Used to bury prompts when /usr/share/doc is not available.
FILLER = (
    "The quarterly maintenance window starts on Saturday at 02:00 UTC. During the\n"
    "window the web interface is read-only and scheduled jobs are postponed.\n"
    "Please save your work before the window starts.\n\n"
)


def load_prompts(path):
    prompts = []
    family, title, lines = None, None, []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("# ") and family is None and not lines:
                continue
            if line.startswith("## "):
                header = line[3:]
                family, _, title = header.partition(":")
                family, title, lines = family.strip(), title.strip(), []
            elif line == "%%":
                prompts.append((family, title, "\n".join(lines).strip() + "\n"))
                family, title, lines = None, None, []
            elif family is not None:
                lines.append(line)
    if family is not None and lines:
        prompts.append((family, title, "\n".join(lines).strip() + "\n"))
    return prompts


def to_tag_characters(text):
    """Each printable ASCII character c becomes the invisible U+E0000 + c."""
    out = []
    for ch in text:
        if ch in "\r\n\t":
            ch = " "
        if 0x20 <= ord(ch) <= 0x7E:
            out.append(chr(0xE0000 + ord(ch)))
    return "".join(out)


def read_doc_file(path):
    try:
        if os.path.getsize(path) > MAX_BENIGN_BYTES:
            return None
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read(MAX_BENIGN_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read()
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if len(data) > MAX_BENIGN_BYTES or b"\0" in data[:8192]:
        return None  # binary, not prose
    return data


def collect_docs(doc_root):
    docs = []
    if not doc_root or not os.path.isdir(doc_root):
        return docs
    for dirpath, dirnames, filenames in os.walk(doc_root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            data = read_doc_file(path)
            if data is not None and data.strip():
                docs.append((os.path.relpath(path, doc_root), data))
    return docs


def bury(prompt, host):
    """Puts the prompt between two paragraphs in the middle of `host`."""
    text = host.decode("utf-8", "replace")
    middle = len(text) // 2
    cut = text.find("\n\n", middle)
    if cut < 0:
        cut = text.find("\n", middle)
    if cut < 0:
        cut = len(text)
    return (text[:cut] + "\n\n" + prompt + "\n" + text[cut:]).encode("utf-8")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def run_yara(rules, tree):
    proc = subprocess.run(["yara", "-r", "-w", rules, tree], capture_output=True)
    if proc.returncode not in (0, 1):
        sys.exit("yara failed: " + proc.stderr.decode("utf-8", "replace"))
    matches = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        rule, _, path = line.partition(" ")
        matches.setdefault(os.path.relpath(path, tree), set()).add(rule)
    return matches


def percent(n, d):
    return "-" if d == 0 else "%.1f%%" % (100.0 * n / d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ward")
    ap.add_argument("ruleset")
    ap.add_argument("--report", help="write the Markdown report here as well")
    ap.add_argument("--doc-root", default="/usr/share/doc")
    args = ap.parse_args()

    if shutil.which("yara") is None:
        print("SKIP: the yara command is not installed")
        return SKIP

    work = tempfile.mkdtemp(prefix="ward-text-corpus-")
    try:
        out = os.path.join(work, "out")
        build = subprocess.run(
            [args.ward, "build", args.ruleset, "-o", out, "--emit", "yara", "--quiet",
             "--no-coverage-warnings"],
            capture_output=True)
        if build.returncode != 0:
            sys.exit("ward build failed:\n" + build.stderr.decode("utf-8", "replace"))
        rules = os.path.join(out, "yara", "all.yar")

        prompts = load_prompts(os.path.join(HERE, "attack_prompts.txt"))
        docs = collect_docs(args.doc_root)
        hosts = [d for _, d in docs if 2000 <= len(d) <= 200000] or [FILLER.encode() * 8]

        tree = os.path.join(work, "corpus")
        forms = ("bare", "buried", "tags")
        for i, (family, title, text) in enumerate(prompts):
            write(os.path.join(tree, "bare", "%03d.txt" % i), text.encode("utf-8"))
            host = hosts[(i * 7919) % len(hosts)]
            write(os.path.join(tree, "buried", "%03d.txt" % i), bury(text, host))
            hidden = "Thanks, this review was really helpful!" + to_tag_characters(text) + "\n"
            write(os.path.join(tree, "tags", "%03d.txt" % i), hidden.encode("utf-8"))
        for i, prose in enumerate(BUILTIN_PROSE):
            write(os.path.join(tree, "benign", "builtin", "%02d.txt" % i), prose.encode("utf-8"))
        for j, (rel, data) in enumerate(docs):
            write(os.path.join(tree, "benign", "doc", "%05d" % j), data)

        matches = run_yara(rules, tree)

        def text_hit(rel):
            return any(r.startswith(TEXT_RULE_PREFIX) for r in matches.get(rel, ()))

        lines = ["| Form | Prompts | Detected | Rate |", "|---|---:|---:|---:|"]
        ok = True
        missed = []
        total_hit = 0
        for form in forms:
            hit = 0
            for i, (family, title, _) in enumerate(prompts):
                rel = os.path.join(form, "%03d.txt" % i)
                if text_hit(rel):
                    hit += 1
                else:
                    missed.append("%s: %s (%s)" % (form, title, family))
            total_hit += hit
            lines.append("| %s | %d | %d | %s |" % (form, len(prompts), hit,
                                                    percent(hit, len(prompts))))
            if hit < DETECTION_TARGET * len(prompts):
                ok = False
        lines.append("| all forms | %d | %d | %s |" % (3 * len(prompts), total_hit,
                                                       percent(total_hit, 3 * len(prompts))))

        families = sorted({f for f, _, _ in prompts})
        lines += ["", "| Family | Prompts | Detected bare | Detected buried |",
                  "|---|---:|---:|---:|"]
        for family in families:
            idx = [i for i, (f, _, _) in enumerate(prompts) if f == family]
            bare = sum(text_hit(os.path.join("bare", "%03d.txt" % i)) for i in idx)
            buried = sum(text_hit(os.path.join("buried", "%03d.txt" % i)) for i in idx)
            lines.append("| %s | %d | %d | %d |" % (family, len(idx), bare, buried))

        benign = [os.path.join("benign", "builtin", "%02d.txt" % i)
                  for i in range(len(BUILTIN_PROSE))]
        benign += [os.path.join("benign", "doc", "%05d" % j) for j in range(len(docs))]
        false_positives = [(rel, sorted(matches[rel])) for rel in benign if rel in matches]
        benign_bytes = sum(len(d) for _, d in docs) + sum(len(p) for p in BUILTIN_PROSE)
        lines += ["", "| Benign corpus | Files | Bytes | False positives |",
                  "|---|---:|---:|---:|",
                  "| ordinary prose (%s and built-in) | %d | %d | %d |" % (
                      args.doc_root, len(benign), benign_bytes, len(false_positives))]
        if false_positives:
            ok = False
        report = "\n".join(lines) + "\n"
        print(report)
        for m in missed:
            print("missed: " + m)
        for rel, rules_hit in false_positives:
            source = rel
            if rel.startswith(os.path.join("benign", "doc")):
                source = docs[int(os.path.basename(rel))][0]
            print("false positive: %s matched %s" % (source, ", ".join(rules_hit)))
        if args.report:
            with open(args.report, "w", encoding="utf-8") as f:
                f.write(report)
        if not docs:
            print("note: %s has no documents; only the built-in prose was scanned" % args.doc_root)
        print("%d passed, %d failed" % ((1, 0) if ok else (0, 1)))
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
