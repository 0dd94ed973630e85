#!/usr/bin/env bash
# Benchmark of `lostdata bib import` into a study (what `run`'s bibliography stage does), for one
# or more lostdata binaries side by side — a before/after check of the article-list rebuild:
#   (a) the demo's Scopus export (5 records) into a copy of a study that already holds a
#       literature search of PAGES OpenAlex-shaped pages (Fixtures/http/replay_server.py
#       --synthetic, 25–200 works a page; 2,000 pages = 229,578 records): every import rebuilds
#       the article list from every stored record;
#   (b) scopus_20k.csv (bench/bibliography/make_corpus.py, 20,240 rows; needs ../shared) into a
#       fresh study.
#
#   bench/bibliography/import_into_study.sh PAGES WORKDIR BIN [BIN…]
#   RUNS=3 (default): rounds, the binaries alternating within each round.
#
# Prints per binary and case the median wall seconds, CPU seconds and peak RSS (GNU time), and
# each binary's ratio to the first. The searched study is made once, with the first binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 3 ] || { sed -n 2,15p "$0"; exit 2; }
pages=$1 work=$2; shift 2
bins=("$@")
runs=${RUNS:-3}
mkdir -p "$work"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# The searched study, once.
searched="$work/searched"
if [ ! -f "$searched/study.sqlite" ]; then
  rm -rf "$searched"; "${bins[0]}" init "$searched" -q
  rm -f "$work/port"
  python3 "$root/Fixtures/http/replay_server.py" --synthetic "$pages" > "$work/port" &
  server=$!
  for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.1; done
  "${bins[0]}" literature search --study "$searched" --source openalex --affiliation bench \
      --endpoint "openalex=http://127.0.0.1:$(cat "$work/port")" -q > /dev/null
  kill "$server"; wait "$server" 2>/dev/null || true
fi
echo "searched study: $(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM bibRecord").fetchone()[0])' "$searched/study.sqlite") stored records"

big=""
if [ -d "$root/../shared/corpora/bibliography" ]; then
  python3 "$here/make_corpus.py" "$work/corpus" >/dev/null
  big="$work/corpus/scopus_20k.csv"
else
  echo "case (b) skipped: ../shared/corpora is absent (scopus_20k.csv is made from it)"
fi

timed() {  # timed KEY COMMAND… → appends "wall cpu kb" to $work/KEY.times
  local key=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" > /dev/null 2> "$work/stderr.out" \
    || { echo "failed: $*"; cat "$work/stderr.out"; exit 1; }
  awk '{print $1, $2 + $3, $4}' "$work/time.out" >> "$work/$key.times"
}
rm -f "$work"/*.times
for round in $(seq "$runs"); do
  for i in "${!bins[@]}"; do
    rm -rf "$work/s"; cp -a "$searched" "$work/s"
    timed "a$i" "${bins[$i]}" bib import "$root/corpora/demo/exports/scopus.csv" --study "$work/s" -q
    if [ -n "$big" ]; then
      rm -rf "$work/f"; "${bins[$i]}" init "$work/f" -q
      timed "b$i" "${bins[$i]}" bib import "$big" --study "$work/f" -q
    fi
  done
done
rm -rf "$work/s" "$work/f"

python3 - "$work" "${#bins[@]}" "${bins[@]}" <<'PY'
import statistics, sys, os
work, n, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cases = {"a": "(a) 5 records into the searched study", "b": "(b) scopus_20k.csv into a fresh study"}
for case, title in cases.items():
    if not os.path.exists(f"{work}/{case}0.times"):
        continue
    print(title)
    base = None
    for i in range(n):
        rows = [list(map(float, l.split())) for l in open(f"{work}/{case}{i}.times")]
        wall, cpu, kb = (statistics.median(r[k] for r in rows) for k in range(3))
        ratio = "" if base is None else f"  ×{wall / base[0]:.2f} wall, ×{cpu / base[1]:.2f} CPU, ×{kb / base[2]:.2f} memory vs the first"
        base = base or (wall, cpu, kb)
        print(f"  {bins[i]}: wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {kb / 1024:.0f} MB (median of {len(rows)}; walls {', '.join(f'{r[0]:.2f}' for r in rows)}){ratio}")
PY
