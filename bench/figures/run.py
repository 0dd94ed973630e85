#!/usr/bin/env python3
"""bench/figures: `lostdata figures count` beside pubmed_parser and `xmllint --noout`.

Builds the release binary, makes ≥ 1,000 JATS files by copying the shared real articles
(../shared/corpora/jats, never into the project: into a temporary directory), then times each
tool several times with /usr/bin/time -v and prints the best and the median wall time, peak
memory, and the ratios. A last pair of rows is the floor: libxml2's SAX2 parse alone
(sax_floor.c, built when cc and pkg-config are there); the summary gives every tool's ratio to it
beside the reference machine's, so that a change of machine shows in the same run.
The tools run in rounds (each tool once per round, the order rotating), not one tool's runs in a
block: on a shared machine the load moves within seconds, and blocks gave each tool another load.
Usage:  [LOSTDATA_BIN=path] python3 bench/figures/run.py [--copies 78] [--runs 3] [--jobs 2] [--no-build]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpora", "jats"))
HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, **kw):
    """(wall seconds, peak RSS in MB) of one run, via /usr/bin/time -v."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode not in (0, 3):
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) / 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", r.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", r.stderr).group(1))
    return seconds, user + system, rss


def rounds(commands, runs):
    """Runs every command once per round, the order rotating between rounds; per command the
    best wall time, best CPU time, largest peak RSS and median wall time."""
    results = [[] for _ in commands]
    for r in range(runs):
        for k in range(len(commands)):
            i = (r + k) % len(commands)
            results[i].append(timed(commands[i]))
    return [(min(x[0] for x in v), min(x[1] for x in v), max(x[2] for x in v), statistics.median(x[0] for x in v))
            for v in results]


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    return f"{os.cpu_count()} cores, {model}, kernel {os.uname().release}, load {load}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=78, help="copies of each shared article (14 × 78 = 1,092 files)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="processes for the peers (lostdata uses every core)")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()

    if not os.path.isdir(CORPUS):
        sys.exit(f"../shared is absent: {CORPUS}")
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "lostdata"], cwd=ROOT, check=True)
    # LOSTDATA_BIN=path times another build (say, the previous commit's) on the same files.
    lostdata = os.environ.get("LOSTDATA_BIN") or os.path.join(ROOT, ".build", "release", "lostdata")
    for tool in ("xmllint", "python3"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed (apt-get install libxml2-utils / python3)")

    work = tempfile.mkdtemp(prefix="lostdata-bench-figures-")
    try:
        articles = sorted(f for f in os.listdir(CORPUS) if f.endswith(".xml"))
        files = []
        for i in range(args.copies):
            for name in articles:
                dest = os.path.join(work, f"{i:03d}-{name}")
                shutil.copyfile(os.path.join(CORPUS, name), dest)
                files.append(dest)
        listing = os.path.join(work, "files.txt")
        with open(listing, "w") as f:
            f.write("\n".join(files) + "\n")
        # The copies are 138 MB of dirty pages: write them back before timing, or the first tool
        # (lostdata) shares the cores with the kernel's writeback.
        os.sync()
        size = sum(os.path.getsize(p) for p in files) / 1e6
        print(f"{len(files)} JATS files, {size:.0f} MB, {args.jobs} jobs, best of {args.runs} runs")

        # The floor: libxml2's SAX2 parse alone, handlers that do nothing (sax_floor.c), built
        # into the temporary directory when a C compiler and pkg-config are there.
        floor = os.path.join(work, "sax_floor")
        cflags = subprocess.run(["sh", "-c", f"cc -O2 '{os.path.join(HERE, 'sax_floor.c')}' "
                                 f"$(pkg-config --cflags --libs libxml-2.0) -o '{floor}'"], capture_output=True)
        if cflags.returncode != 0:
            floor = None

        peer = [sys.executable, os.path.join(HERE, "pubmed_parser_captions.py")]
        names_commands = [
            ("lostdata figures count --json", [lostdata, "figures", "count", "--json", "--quiet", work]),
            ("pubmed_parser, 1 process", peer + ["1", listing]),
            (f"pubmed_parser, {args.jobs} processes", peer + [str(args.jobs), listing]),
            (f"xmllint --noout, {args.jobs} processes", ["sh", "-c", f"xargs -a '{listing}' -n 64 -P {args.jobs} xmllint --noout"]),
        ]
        if floor:
            names_commands += [
                ("bare SAX parse (floor), 1 process", ["sh", "-c", f"xargs -a '{listing}' '{floor}'"]),
                (f"bare SAX parse (floor), {args.jobs} processes", ["sh", "-c", f"xargs -a '{listing}' -n 64 -P {args.jobs} '{floor}'"]),
            ]
        print(f"machine: {machine()}")
        measured = rounds([c for _, c in names_commands], args.runs)
        rows = [(name, m) for (name, _), m in zip(names_commands, measured)]
        ours = rows[0][1]
        print(f"{'tool':38} {'wall s':>7} {'median':>7} {'CPU s':>6} {'peak MB':>8} {'wall ratio':>11} {'CPU ratio':>10} {'memory ratio':>13}")
        for name, (sec, cpu, mb, med) in rows:
            print(f"{name:38} {sec:7.2f} {med:7.2f} {cpu:6.2f} {mb:8.1f} {sec / ours[0]:10.2f}x {cpu / ours[1]:9.2f}x {mb / ours[2]:12.2f}x")
        print("ratios are tool / lostdata: above 1 means lostdata is faster or smaller. On a shared machine")
        print("wall time depends on what else runs; CPU time (user + system) is the steadier measure.")
        print()
        pp = rows[1][1]
        print(f"goal: lostdata ≥ 3× faster than pubmed_parser (1 process), wall: {pp[0] / ours[0]:.2f}× best, "
              f"{pp[3] / ours[3]:.2f}× median (CPU {pp[1] / ours[1]:.2f}×)")
        if floor:
            # The floor of this run against the reference machine's (2026-11-25, runs whose session
            # had both cores, docs/performance-figures.md): if the floor or pubmed_parser ÷ floor
            # moved, the machine changed; lostdata ÷ floor is the part lostdata answers for.
            f2 = rows[5][1]
            print(f"this machine's floor: bare SAX parse, {args.jobs} processes {f2[0]:.2f} s wall, {rows[4][1][1]:.2f} CPU s (1 process); "
                  f"lostdata ÷ floor {ours[0] / f2[0]:.2f}, pubmed_parser ÷ floor {pp[0] / f2[0]:.2f} (wall)")
            print("reference machine:    bare SAX parse, 2 processes 0.17–0.19 s wall, 0.25 CPU s (1 process); "
                  "lostdata ÷ floor 2.1–2.5, pubmed_parser ÷ floor 6.2–6.8; quiet: lostdata 0.33 s, pubmed_parser 1.08–1.14 s (3.24–3.45×)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
