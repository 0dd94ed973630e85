#!/usr/bin/env python3
"""bench/figures: `lostdata figures count` beside pubmed_parser and `xmllint --noout`.

Builds the release binary, makes ≥ 1,000 JATS files by copying the shared real articles
(../shared/corpora/jats, never into the project: into a temporary directory), then times each
tool several times with /usr/bin/time -v and prints the best wall time, peak memory, and the
ratios. A last pair of rows is the floor: libxml2's SAX2 parse alone (sax_floor.c, built when
cc and pkg-config are there). Usage:  python3 bench/figures/run.py [--copies 78] [--runs 3] [--jobs 2] [--no-build]
"""
import argparse
import os
import re
import shutil
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


def best(cmd, runs, **kw):
    """Best wall time and CPU time of `runs` runs (the machine is shared), largest peak RSS."""
    results = [timed(cmd, **kw) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results), max(r[2] for r in results)


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
        subprocess.run(["swift", "build", "-c", "release", "--product", "lostdata"], cwd=ROOT, check=True)
    lostdata = os.path.join(ROOT, ".build", "release", "lostdata")
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
        rows = [
            ("lostdata figures count --json", best([lostdata, "figures", "count", "--json", "--quiet", work], args.runs)),
            ("pubmed_parser, 1 process", best(peer + ["1", listing], args.runs)),
            (f"pubmed_parser, {args.jobs} processes", best(peer + [str(args.jobs), listing], args.runs)),
            (f"xmllint --noout, {args.jobs} processes", best(["sh", "-c", f"xargs -a '{listing}' -n 64 -P {args.jobs} xmllint --noout"], args.runs)),
        ]
        if floor:
            rows += [
                ("bare SAX parse (floor), 1 process", best(["sh", "-c", f"xargs -a '{listing}' '{floor}'"], args.runs)),
                (f"bare SAX parse (floor), {args.jobs} processes",
                 best(["sh", "-c", f"xargs -a '{listing}' -n 64 -P {args.jobs} '{floor}'"], args.runs)),
            ]
        ours = rows[0][1]
        print(f"{'tool':38} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} {'wall ratio':>11} {'CPU ratio':>10} {'memory ratio':>13}")
        for name, (sec, cpu, mb) in rows:
            print(f"{name:38} {sec:7.2f} {cpu:6.2f} {mb:8.1f} {sec / ours[0]:10.2f}x {cpu / ours[1]:9.2f}x {mb / ours[2]:12.2f}x")
        print("ratios are tool / lostdata: above 1 means lostdata is faster or smaller. On a shared machine")
        print("wall time depends on what else runs; CPU time (user + system) is the steadier measure.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
