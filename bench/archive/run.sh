#!/usr/bin/env bash
# Benchmark of `lostdata archive scan` against `rg -l 'SignalName='` on the same synthetic,
# paper-sized archive (152,097 images, ~109,000 sidecars), in the same run, warm cache.
#
#   bench/archive/run.sh [WORKDIR] [IMAGES] [RUNS]
#   LOSTDATA_BIN=/path/to/lostdata bench/archive/run.sh …   (time another build on the same tree)
#
# Prints wall, user and system time (medians of RUNS interleaved rounds) and peak memory of:
#   full scan (empty index) · no-change rescan · rg -l 'SignalName=' · grep -rl 'SignalName='
#   · the system-call floor (bench/archive/syscall-floor.c, built with gcc)
# and the ratios the issue sets as targets (full ≤ 1.0× rg, rescan ≤ 0.5× rg, peak ≤ 300 MB).
# Every row also gets its ratio to the floor, measured in the same rounds: the floor is
# this machine's own cost of the walk's system calls, so when a new machine moves rg or the scan,
# the floor's lines (beside the reference machine's, printed under the table) show whether the
# machine changed (floor ÷ rg moves) or lostdata did (full scan ÷ floor moves).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-/tmp/lostdata-bench-archive}"
images="${2:-152097}"
runs="${3:-5}"
seed=2024

cd "$root"
# LOSTDATA_BIN=path runs another build (say, the previous commit's) on the same tree.
bin="${LOSTDATA_BIN:-}"
if [ -z "$bin" ]; then swift build -c release --static-swift-stdlib >/dev/null; bin="$root/.build/release/lostdata"; fi
archive="$work/archive"
study="$work/study"
mkdir -p "$work"
if [ ! -f "$archive/lostdata-synth-manifest.json" ]; then
  rm -rf "$archive"
  "$bin" archive synth "$archive" --images "$images" --seed "$seed" -q
fi
instruments=(--instrument "SU8000=SEM:$archive/SU8000" --instrument "SU8230=SEM:$archive/SU8230" --instrument "HT7700=TEM:$archive/HT7700")
scan="$bin archive scan $archive --study $study ${instruments[*]} -q"
fresh="rm -rf $study && $bin init $study -q"

echo "archive: $archive ($(find "$archive" -type f | wc -l) files, $(grep -o '"images" : [0-9]*' "$archive/lostdata-synth-manifest.json"), $(grep -o '"sidecars" : [0-9]*' "$archive/lostdata-synth-manifest.json"))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
trap 'echo "load at the end: $(cut -d" " -f1-3 /proc/loadavg)"' EXIT
# Warm the page cache so that every contender reads from memory.
rg -l 'SignalName=' "$archive" >/dev/null || true

# The rescan runs on its own study, indexed once here, so that all the commands are timed in
# the same rounds (their ratios then share the machine's load as far as possible).
rescan_study="$work/study-rescan"
rm -rf "$rescan_study" && "$bin" init "$rescan_study" -q
rescan="$bin archive scan $archive --study $rescan_study ${instruments[*]} -q"
$rescan || true
# The system-call floor (bench/archive/syscall-floor.c): the walk's own calls — readdir, a stat of
# every image and sidecar, open/read/close of every sidecar, open/pread/close of every TIFF without
# one — on two threads, with no parsing and no index. Full scan minus floor = user-space work.
floor="$work/syscall-floor"
gcc -O2 -pthread -o "$floor" "$here/syscall-floor.c"
# Rounds, not blocks: every round runs each command once (the full scan into a fresh study), and
# the commands' order rotates from round to round. On a shared machine the load moves within
# seconds; hyperfine's blocks (all runs of one command, then the next) gave each command a
# different load and ratios that swung with it. Each run's wall time (monotonic clock), user and
# system time and peak RSS are its own; medians over the rounds (peak: the largest).
python3 - "$runs" "$bin" "$archive" "$study" "$rescan_study" "$floor" "${instruments[@]}" <<'PY'
import os, shutil, statistics as st, subprocess, sys, time
runs, bin, archive, study, rescan_study, floor = int(sys.argv[1]), *sys.argv[2:7]
instruments = sys.argv[7:]
scan = lambda s: [bin, "archive", "scan", archive, "--study", s, *instruments, "-q"]
def fresh():
    shutil.rmtree(study, ignore_errors=True)
    subprocess.run([bin, "init", study, "-q"], check=True)
commands = [
    ("full scan", scan(study), fresh),
    ("no-change rescan", scan(rescan_study), None),
    ("rg -l SignalName=", ["rg", "-l", "SignalName=", archive], None),
    ("grep -rl SignalName=", ["grep", "-rl", "SignalName=", archive], None),
    ("system calls only", [floor, archive], None),
]
# CPU times and peak RSS from GNU time around the command (wait4 from this Python process would
# count the forked interpreter's own ~15 MB as the child's peak); wall time from the monotonic
# clock here, to the microsecond (time's %e has 10 ms steps).
measure = os.path.join(os.path.dirname(floor), "run-measure.txt")
def once(argv):
    start = time.perf_counter()
    code = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", measure, *argv],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - start
    if code not in (0, 1, 3):  # rg/grep: 1 = no match; lostdata: 3 = findings
        sys.exit(f"exit {code}: {' '.join(argv)}")
    user, system, kb = open(measure).read().split()[-3:]
    return wall, float(user), float(system), int(kb) / 1024
results = {name: [] for name, _, _ in commands}
for r in range(runs):
    for k in range(len(commands)):
        name, argv, prepare = commands[(r + k) % len(commands)]
        if prepare: prepare()
        results[name].append(once(argv))
med = {name: [st.median(x[i] for x in v) for i in range(3)] + [max(x[3] for x in v)] for name, v in results.items()}
t = {name: m[0] for name, m in med.items()}
cpu_of = lambda name: med[name][1] + med[name][2]
rg, floor_t = t["rg -l SignalName="], t["system calls only"]
print(f"{runs} rounds, medians")
print(f"{'command':24} {'median s':>9} {'user s':>7} {'sys s':>6} {'× rg':>6} {'CPU × rg':>9} {'× floor':>8} {'peak MB':>8}")
for name, _, _ in commands:
    m = med[name]
    print(f"{name:24} {m[0]:9.3f} {m[1]:7.2f} {m[2]:6.2f} {m[0]/rg:6.2f} {cpu_of(name)/cpu_of('rg -l SignalName='):9.2f} {m[0]/floor_t:8.2f} {m[3]:8.1f}")
print()
# The floor of this run against the reference machine's (2026-11-25, round 6 of
# docs/performance-archive.md, load 1.0–1.3): if floor ÷ rg or the floor's own time moved, the
# machine changed and old absolute numbers no longer compare; full scan ÷ floor is the part
# lostdata answers for.
print(f"this machine's floor: system calls only {floor_t:.3f} s wall, {cpu_of('system calls only'):.2f} CPU s; floor ÷ rg {floor_t/rg:.2f}")
print("reference machine:    system calls only 0.36–0.39 s wall, ~0.73 CPU s; floor ÷ rg 0.56; rg 0.65–0.66 s; full scan ÷ rg 0.92–0.98, ÷ floor ~1.7")
print(f"above the floor:      full scan {t['full scan'] - floor_t:+.3f} s wall, {cpu_of('full scan') - cpu_of('system calls only'):+.2f} CPU s "
      f"(parsing, deriving, indexing); full scan ÷ floor {t['full scan']/floor_t:.2f}")
print()
peak = max(med["full scan"][3], med["no-change rescan"][3])
print(f"targets: full scan ≤ 1.0× rg: {t['full scan']/rg:.2f}×  |  rescan ≤ 0.5× rg: {t['no-change rescan']/rg:.2f}×  |  peak ≤ 300 MB: {peak:.0f} MB")
PY
