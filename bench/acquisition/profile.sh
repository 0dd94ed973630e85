#!/usr/bin/env bash
# One `literature search` walk of PAGES synthetic pages (release build), measured by measure.py; with
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
python3 "$root/bench/acquisition/measure.py" "$W/study" -- "${pre[@]}" "$bin" literature search --study "$W/study" --source openalex --affiliation bench \
  --endpoint "openalex=http://127.0.0.1:$port" --json -q > "$W/measure.json"
python3 - "$W/measure.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); n = m["records"]
print(f"{n} records in {m['wall']:.2f} s = {n / m['wall']:,.0f} records/s; CPU {m['cpu']:.2f} s = {m['cpu'] / n * 1e6:.1f} µs/record; peak RSS {m['rss_mb']} MB")
print(f"walk: {m['walk_wall']:.2f} s = {n / m['walk_wall']:,.0f} records/s; CPU {m['walk_cpu']:.2f} s = {m['walk_cpu'] / n * 1e6:.1f} µs/record; after it: {m['after_wall']:.2f} s, CPU {m['after_cpu']:.2f} s")
PY
