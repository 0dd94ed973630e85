#!/usr/bin/env bash
# Benchmark: `lostdata bib inspect` beside metaknowledge (WoS plain text) and litstudy's
# load_scopus_csv (Scopus CSV), on >= 20,000 records built from the shared real exports, plus
# deduplication of >= 100,000 records. Release build; wall time and peak memory from
# /usr/bin/time -v, the fastest of RUNS (default 3) runs each; prints the ratios. Usage (from the
# package root):
#   bench/bibliography/run.sh            # peers from bench/.venv (created if missing)
#   RUNS=5 bench/bibliography/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out/bibliography
mkdir -p "$OUT"
VENV=bench/.venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q metaknowledge litstudy "bibtexparser<2"
fi
swift build -c release --static-swift-stdlib --product lostdata >/dev/null
LOSTDATA=.build/release/lostdata
python3 bench/bibliography/make_corpus.py "$OUT"

RUNS=${RUNS:-3}
measure() {  # label, command... -> "label wallSeconds peakKB cpuSeconds", the fastest of $RUNS runs
  local label=$1; shift
  local best=""
  for run in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" >"$OUT/$label.stdout" 2>"$OUT/$label.$run.time" || true
    local secs kb cpu
    secs=$(grep "Elapsed (wall clock)" "$OUT/$label.$run.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    kb=$(grep "Maximum resident set size" "$OUT/$label.$run.time" | awk '{print $NF}')
    cpu=$(grep -E "(User|System) time" "$OUT/$label.$run.time" | awk '{s+=$NF} END {print s}')
    if [ -z "$best" ] || awk "BEGIN {exit !($secs < ${best%% *})}"; then best="$secs $kb $cpu"; cp "$OUT/$label.$run.time" "$OUT/$label.time"; fi
  done
  echo "$label $best"
}

results=$(
  measure lostdata_wos     $LOSTDATA bib inspect --json --timings "$OUT/wos_20k.txt"
  measure metaknowledge    "$VENV/bin/python" -c "import metaknowledge as mk, sys; RC = mk.RecordCollection(sys.argv[1]); print(len(RC))" "$OUT/wos_20k.txt"
  measure lostdata_scopus  $LOSTDATA bib inspect --json --timings "$OUT/scopus_20k.csv"
  measure litstudy         "$VENV/bin/python" -c "import litstudy, sys; docs = litstudy.load_scopus_csv(sys.argv[1]); print(len(docs))" "$OUT/scopus_20k.csv"
  measure lostdata_100k    $LOSTDATA bib inspect --json --timings "$OUT/scopus_100k.csv"
)
echo "$results" | python3 -c '
import sys
rows = {l.split()[0]: (float(l.split()[1]), int(l.split()[2]), float(l.split()[3])) for l in sys.stdin if l.strip()}
def line(a, b):
    (ta, ma, ca), (tb, mb, cb) = rows[a], rows[b]
    print(f"{a:16s} {ta:6.2f} s wall {ca:6.2f} s cpu {ma/1024:7.1f} MB | {b:14s} {tb:6.2f} s wall {cb:6.2f} s cpu {mb/1024:7.1f} MB"
          f" | {tb/ta:5.1f}x faster (wall), {cb/ca:5.1f}x (cpu), {ma/mb:5.3f} of its peak memory")
line("lostdata_wos", "metaknowledge")
line("lostdata_scopus", "litstudy")
t, m, c = rows["lostdata_100k"]
print(f"lostdata_100k    {t:6.2f} s wall {c:6.2f} s cpu {m/1024:7.1f} MB (whole run)")
'
for f in lostdata_wos lostdata_scopus lostdata_100k; do grep "timings:" "$OUT/$f.time" | sed "s/^/$f: /"; done
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "peer record counts: metaknowledge $(tail -1 $OUT/metaknowledge.stdout), litstudy $(tail -1 $OUT/litstudy.stdout)"
