#!/usr/bin/env bash
# Benchmark of `lostdata run` on a paper-sized study (issue 14):
#   archive synth --images 152097 (seed 2024), ~1,000 export records from ../shared/corpora/bibliography,
#   300 JATS files (the 15 of ../shared/corpora/jats, 20 copies each, as own articles and a baseline).
# Measures, with /usr/bin/time -v (wall time, peak RSS):
#   run cold (empty database, no report) · run warm (nothing changed) · report alone.
# Targets on 2 cores: cold < 30 s, warm < 1 s, report < 1 s, memory < 300 MB.
#
#   bench/study/run.sh [WORKDIR] [RUNS]
#   LOSTDATA_BIN=/path/to/lostdata bench/study/run.sh …
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-/tmp/lostdata-bench-study}"
runs="${2:-3}"
shared="$root/../shared/corpora"
[ -d "$shared" ] || { echo "needs ../shared/corpora (bibliography, jats)"; exit 2; }

cd "$root"
bin="${LOSTDATA_BIN:-}"
if [ -z "$bin" ]; then swift build -c release --static-swift-stdlib >/dev/null; bin="$root/.build/release/lostdata"; fi
study="$work/study"
mkdir -p "$study/exports" "$study/jats/articles" "$study/jats/baseline"
if [ ! -f "$study/archive/lostdata-synth-manifest.json" ]; then
  rm -rf "$study/archive"
  "$bin" archive synth "$study/archive" --images 152097 --seed 2024 -q
fi
for f in wostools_bitpattern_wos_savedrecs.txt bibliometrix_mgmt_wos.txt litstudy_scopus.csv metaknowledge_savedrecs.txt \
         asreview_dino_scopus.csv bibliometrix_scopus_sample.csv bibliometrix_wos_sample.txt; do
  cp "$shared/bibliography/$f" "$study/exports/"
done
for i in $(seq -w 1 20); do
  for f in "$shared"/jats/*.xml; do
    dest=articles; [ $((10#$i)) -gt 15 ] && dest=baseline
    cp "$f" "$study/jats/$dest/$(basename "$f" .xml)_copy$i.xml"
  done
done
cat > "$study/study.yaml" <<'YAML'
name: "Paper-sized benchmark study"
period: {from: 2011, to: 2023}
sources:
  - {name: Core user facility, techniques: [SEM, TEM], fold: {STEM: SEM}, acquired: archive, articles: figures}
  - {name: Third-party facilities, techniques: [SEM, STEM, TEM], acquired: none, articles: figures}
archive:
  roots: [archive]
  instruments:
    - {name: SU8000, technique: SEM, path: archive/SU8000}
    - {name: SU8230, technique: SEM, path: archive/SU8230}
    - {name: HT7700, technique: TEM, path: archive/HT7700}
inputs:
  exports: ["exports/*"]
  articles: [jats/articles]
  baselines:
    - {source: Third-party facilities, jats: [jats/baseline]}
YAML
echo "study: $study ($(find "$study/archive" -type f | wc -l) archive files, $(ls "$study/jats/articles" "$study/jats/baseline" | grep -c xml) JATS files, $(ls "$study/exports" | wc -l) exports)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm the page cache so every measurement reads from memory.
find "$study" -type f -exec cat {} + >/dev/null

measure() { # label, command…  → "label  wall s  peak MB" (median wall of $runs)
  local label="$1"; shift
  local walls=() peak=0
  for _ in $(seq "$runs"); do
    [ "$label" = "run cold" ] && rm -rf "$study/study.sqlite" "$study/study.sqlite-wal" "$study/study.sqlite-shm" "$study/report"
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || [ $? -eq 3 ]
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2,a,":"); print (length(a)==3 ? a[1]*3600+a[2]*60+a[3] : a[1]*60+a[2])}' "$work/time.txt")")
    local kb; kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local median; median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-12s %8.2f s %8.1f MB   (runs: %s)\n' "$label" "$median" "$(echo "$peak / 1024" | bc -l)" "${walls[*]}"
}
measure "run cold" "$bin" run --study "$study"
grep -E "^(stage|archive|bibliography|figures|classification|report) " "$work/stderr.txt" || true
measure "run warm" "$bin" run --study "$study"
measure "report" "$bin" report --study "$study"
echo "targets: cold < 30 s, warm < 1 s, report < 1 s, peak < 300 MB; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
