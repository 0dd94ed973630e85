#!/usr/bin/env bash
# Fuzzes every lostdata reader with libFuzzer (one harness per reader, see fuzz/Harness).
#
#   fuzz/run.sh [--seconds N] [--jobs J] [--only a,b] [--seed N|random] [--no-build]
#
# Builds `lostdata-fuzz` with -sanitize=fuzzer,address into .build-fuzz (apart from the normal
# build), seeds each harness from the project's own Fixtures/ and corpora/demo (and from
# ../shared/corpora when that folder exists), runs each harness N seconds (default 30, what CI
# runs), J at a time (default 2), and prints one line per harness: executions, exec/s, coverage,
# features, peak memory, result. Exit 1 when any harness found a crash, a leak, a timeout or
# ran out of memory; the input is kept in fuzz/out/crashes/ to become a regression fixture.
# --seed N (default 1) makes a run repeatable: libFuzzer's mutations follow the seed and every
# harness starts from its seed files alone, so CI's red means the same crash on every machine
# that runs as many inputs, and a green local run of the same command at least as long covers
# what CI tries. --seed random explores: a new random seed, and the corpus grown by earlier runs
# in fuzz/out/corpus is kept (use it for the long runs that look for new bugs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=30 jobs=2 only="" build=1 seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "fuzz/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

scratch=.build-fuzz
if [ "$build" = 1 ]; then
  start=$(date +%s)
  swift build --scratch-path "$scratch" --product lostdata-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DLOSTDATA_FUZZ >&2
  echo "fuzz build: $(( $(date +%s) - start )) s" >&2
fi
bin="$root/$scratch/debug/lostdata-fuzz"
[ -x "$bin" ] || { echo "fuzz/run.sh: $bin is missing; run without --no-build" >&2; exit 2; }

shared="$root/../shared/corpora"
out="$root/fuzz/out"
mkdir -p "$out/logs" "$out/crashes"

# Seeds per harness: files and folders (folders are taken whole, not recursively).
seeds_of() {
  case "$1" in
    export-*)     echo Fixtures/bibliography Fixtures/classification/demo-articles.ris Fixtures/jats/bibliography.ris Fixtures/jats/review-record.ris corpora/demo/exports Fixtures/review "$shared/bibliography" ;;
    jats)         echo Fixtures/jats Fixtures/jats/supplements corpora/demo/jats/articles corpora/demo/jats/baseline "$shared/jats" ;;
    sidecar|hitachi|fei-text|tescan|jeol) echo Fixtures/em fuzz/seeds/text "$shared/em" ;;
    tiff)         echo Fixtures/em "$shared/em/tiff" ;;
    dm)           echo Fixtures/em ;;
    zeiss)        echo fuzz/seeds/zeiss "$shared/em" ;;
    fei-xml)      echo fuzz/seeds/fei-xml "$shared/em" ;;
    study-yaml)   echo fuzz/seeds/study-yaml corpora/demo/study.yaml corpora/lost-data-2024/study.yaml ;;
    rules-yaml)   echo Sources/Classification/Resources Fixtures/review ;;
    openalex)     echo corpora/demo/http/openalex "$shared/http/openalex" ;;
    crossref)     echo corpora/demo/http/crossref "$shared/http/crossref" ;;
    europepmc)    echo corpora/demo/http/europepmc "$shared/http/europepmc" ;;
  esac
}
# Longest input per harness: big enough for a real record set, small enough to keep exec/s up.
max_len_of() {
  case "$1" in
    jats|tiff) echo 262144 ;;
    openalex|crossref|europepmc) echo 131072 ;;
    *) echo 65536 ;;
  esac
}

# Per-input time limit: the shipped rules.yaml alone takes 10.7 s to read in this ASan debug
# build (regexes compiled per rule), and timed out at 35 s under load; a hang is still > 120 s.
timeout_of() {
  case "$1" in
    rules-yaml) echo 120 ;;
    *) echo 25 ;;
  esac
}

run_one() {
  local t=$1
  local seeddir="$out/seeds/$t" corpus="$out/corpus/$t" log="$out/logs/$t.log"
  rm -rf "$seeddir"; [ "$seed" = random ] || rm -rf "$corpus"; mkdir -p "$seeddir" "$corpus"
  local seedflag=""; [ "$seed" = random ] || seedflag="-seed=$seed"
  for s in $(seeds_of "$t"); do
    if [ -d "$s" ]; then find "$s" -maxdepth 1 -type f -size -4M -exec cp {} "$seeddir/" \; 2>/dev/null || true
    elif [ -f "$s" ]; then cp "$s" "$seeddir/"; fi
  done
  local status=0
  LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0" LOSTDATA_FUZZ_TARGET=$t nice -n 19 "$bin" -max_total_time="$seconds" -timeout="$(timeout_of "$t")" -rss_limit_mb=2048 $seedflag \
    -max_len="$(max_len_of "$t")" -print_final_stats=1 -artifact_prefix="$out/crashes/$t-" \
    "$corpus" "$seeddir" > "$log" 2>&1 || status=$?
  local execs rate cov ft rss result
  execs=$(awk -F: '/stat::number_of_executed_units/ {gsub(/ /,"",$NF); print $NF}' "$log" | tail -1)
  rate=$(awk -F: '/stat::average_exec_per_sec/ {gsub(/ /,"",$NF); print $NF}' "$log" | tail -1)
  rss=$(awk -F: '/stat::peak_rss_mb/ {gsub(/ /,"",$NF); print $NF}' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  if [ "$status" = 0 ]; then result=ok
  else result="FAILED ($(grep -m1 -oE 'ERROR: (libFuzzer|AddressSanitizer): [a-z-]+|deadly signal|Fatal error: [^\n]{0,80}' "$log" | head -1), see $log)"; fi
  printf '%-20s %12s execs %8s exec/s  cov %6s  ft %7s  rss %5s MB  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${rss:-?}" "$result"
  [ "$status" = 0 ]
}
export -f run_one seeds_of max_len_of timeout_of
export bin out seconds shared root seed

if [ -n "$only" ]; then targets=$(echo "$only" | tr ',' '\n')
else targets=$(LOSTDATA_FUZZ_TARGET=list "$bin" 2>/dev/null | grep -v '^INFO' | grep -E '^[a-z][a-z0-9-]+$'); fi
echo "fuzzing $(echo "$targets" | wc -l) harnesses, ${seconds} s each, ${jobs} at a time ($(date -u +%FT%TZ), $(nproc) cores)"
if echo "$targets" | xargs -P "$jobs" -I{} bash -c 'run_one {}'; then
  echo "fuzz: no crash"
else
  echo "fuzz: a harness failed; inputs in fuzz/out/crashes/" >&2
  exit 1
fi
