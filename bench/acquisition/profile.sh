#!/usr/bin/env bash
# One `literature search` walk of PAGES synthetic pages (release build), with /usr/bin/time; with
# `perf` as second argument under `perf record -g` (read with `perf report -i WORK/perf.data`).
#   bench/acquisition/profile.sh PAGES [perf] [WORKDIR]      (run under flock /work/bench.lock)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
W="${3:-/tmp/lostdata-bench-profile}"
rm -rf "$W/study" "$W/port"; mkdir -p "$W"
bin="${LOSTDATA_BIN:-$root/.build/release/lostdata}"
"$bin" init "$W/study" -q && printf 'literature:\n  rates: {openalex: 100000}\n' >> "$W/study/study.yaml"
python3 "$root/Fixtures/http/replay_server.py" --synthetic "$1" > "$W/port" & spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
for _ in $(seq 600); do [ -s "$W/port" ] && break; sleep 0.1; done
port=$(cat "$W/port")
pre=(); [ "${2:-}" = perf ] && pre=(perf record -F 999 -g -o "$W/perf.data")
/usr/bin/time -v "${pre[@]}" "$bin" literature search --study "$W/study" --source openalex --affiliation bench \
  --endpoint "openalex=http://127.0.0.1:$port" --json -q > "$W/out.json" 2> "$W/time.txt"
grep -E "Elapsed|User time|System time|Maximum resident" "$W/time.txt"
python3 -c "import json;print('records', json.load(open('$W/out.json'))['queries'][0]['found'])"
