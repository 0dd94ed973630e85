#!/usr/bin/env bash
# Benchmark of `lostdata archive scan` against `rg -l 'SignalName='` on the same synthetic,
# paper-sized archive (152,097 images, ~109,000 sidecars), in the same run, warm cache.
#
#   bench/archive/run.sh [WORKDIR] [IMAGES] [RUNS]
#   LOSTDATA_BIN=/path/to/lostdata bench/archive/run.sh …   (time another build on the same tree)
#
# Prints wall time (median of RUNS, hyperfine) and peak memory (/usr/bin/time -v) of:
#   full scan (empty index) · no-change rescan · rg -l 'SignalName=' · grep -rl 'SignalName='
#   · the system-call floor (bench/archive/syscall-floor.c, built with gcc)
# and the ratios the issue sets as targets (full ≤ 1.0× rg, rescan ≤ 0.5× rg, peak ≤ 300 MB).
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
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
trap 'echo "load at the end: $(cut -d" " -f1-3 /proc/loadavg)"' EXIT
# Warm the page cache so that every contender reads from memory.
rg -l 'SignalName=' "$archive" >/dev/null || true

# The rescan runs on its own study, indexed once here, so that all four commands are timed in
# the same hyperfine run (their ratios then share the machine's load as far as possible).
rescan_study="$work/study-rescan"
rm -rf "$rescan_study" && "$bin" init "$rescan_study" -q
rescan="$bin archive scan $archive --study $rescan_study ${instruments[*]} -q"
$rescan || true
# The system-call floor (bench/archive/syscall-floor.c): the walk's own calls — readdir, a stat of
# every image and sidecar, open/read/close of every sidecar, open/pread/close of every TIFF without
# one — on two threads, with no parsing and no index. Full scan minus floor = user-space work.
floor="$work/syscall-floor"
gcc -O2 -pthread -o "$floor" "$here/syscall-floor.c"
json="$work/hyperfine.json"
hyperfine --style basic --runs "$runs" --ignore-failure --export-json "$json" \
  --command-name "full scan" --prepare "$fresh" "$scan" \
  --command-name "no-change rescan" "$rescan" \
  --command-name "rg -l SignalName=" "rg -l 'SignalName=' $archive" \
  --command-name "grep -rl SignalName=" "grep -rl 'SignalName=' $archive" \
  --command-name "system calls only" "$floor $archive" \
  >/dev/null 2>&1

peak() { { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F': ' '/Maximum resident/ {print $2}'; }
eval "$fresh"
mem_full=$(peak $scan)
mem_rescan=$(peak $rescan)
mem_rg=$(peak rg -l 'SignalName=' "$archive")
mem_grep=$(peak grep -rl 'SignalName=' "$archive")
mem_floor=$(peak "$floor" "$archive")

python3 - "$json" "$mem_full" "$mem_rescan" "$mem_rg" "$mem_grep" "$mem_floor" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["results"]
t = {r["command"]: r["median"] for r in a}
cpu = {r["command"]: (r["user"], r["system"]) for r in a}  # means over the runs
mem = {"full scan": int(sys.argv[2]), "no-change rescan": int(sys.argv[3]),
       "rg -l SignalName=": int(sys.argv[4]), "grep -rl SignalName=": int(sys.argv[5]),
       "system calls only": int(sys.argv[6])}
rg = t["rg -l SignalName="]
print(f"{'command':24} {'median s':>9} {'user s':>7} {'sys s':>6} {'× rg':>6} {'peak MB':>8}")
for name in ["full scan", "no-change rescan", "rg -l SignalName=", "grep -rl SignalName=", "system calls only"]:
    print(f"{name:24} {t[name]:9.3f} {cpu[name][0]:7.2f} {cpu[name][1]:6.2f} {t[name]/rg:6.2f} {mem[name]/1024:8.1f}")
print()
print(f"targets: full scan ≤ 1.0× rg: {t['full scan']/rg:.2f}×  |  rescan ≤ 0.5× rg: {t['no-change rescan']/rg:.2f}×  |  peak ≤ 300 MB: {max(mem['full scan'], mem['no-change rescan'])/1024:.0f} MB")
PY
