#!/usr/bin/env bash
# Benchmark of literature acquisition: `lostdata literature search` walking an OpenAlex-shaped
# cursor walk served on 127.0.0.1 by Fixtures/http/replay_server.py --synthetic (PAGES pages of
# 25–200 works each, seeded), parsed and stored in a fresh study; then the rate limit; then the
# peer pyalex (PyPI) walking the same pages (fetch + parse, no storage).
#
#   bench/acquisition/run.sh [PAGES] [WORKDIR]
#   LOSTDATA_BIN=/path/to/lostdata bench/acquisition/run.sh …
#
# Prints the server's own rate (curl alone); records, wall seconds, records/s, CPU µs per record
# and peak RSS (measure.py: wait4's rusage) for PAGES and PAGES/10 (memory must stay flat), each
# split into the walk (fetch, parse, store) and what follows it (article-list rebuild, dedup);
# the same for 4 queries walked with 1 and with 4 transfers in flight (`--in-flight`); the
# achieved request rate against a 20/s setting; and the peer's records/s with the ratio.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pages="${1:-2000}"
work="${2:-/tmp/lostdata-bench-acquisition}"
cd "$root"
bin="${LOSTDATA_BIN:-}"
if [ -z "$bin" ]; then swift build -c release --static-swift-stdlib >/dev/null; bin="$root/.build/release/lostdata"; fi
mkdir -p "$work"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

serve() {  # serve PAGES LOGFILE [MIN MAX] [--lanes N] → sets server_pid, port
  rm -f "$work/port"
  # The server makes every page before it prints its port (a few seconds for 2,000 pages).
  REPLAY_LOG="$2" python3 "$root/Fixtures/http/replay_server.py" --synthetic "$1" "${@:3}" > "$work/port" &
  server_pid=$!
  for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.1; done
  port="$(cat "$work/port")"
}
stop() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
trap stop EXIT

report() {  # report LABEL → one line from measure.py's JSON ($work/measure.json)
  python3 - "$1" "$work/measure.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[2]))
n = m["records"]
print(f"{sys.argv[1]}: {n} records in {m['wall']:.2f} s = {n / m['wall']:,.0f} records/s; CPU {m['cpu']:.2f} s = {m['cpu'] / n * 1e6:.1f} µs/record; peak RSS {m['rss_mb']} MB")
print(f"    the walk (fetch, parse, store): {m['walk_wall']:.2f} s = {n / m['walk_wall']:,.0f} records/s; CPU {m['walk_cpu']:.2f} s = {m['walk_cpu'] / n * 1e6:.1f} µs/record"
      f" | after it (article list rebuild, dedup): {m['after_wall']:.2f} s, CPU {m['after_cpu']:.2f} s = {m['after_cpu'] / n * 1e6:.1f} µs/record")
PY
}

walk() {  # walk PAGES RATE → numbers for the whole command and for the walk alone
  local n="$1" rate="$2" study="$work/study-$1"
  rm -rf "$study" "$work/log"; "$bin" init "$study" -q
  printf 'literature:\n  rates: {openalex: %s}\n' "$rate" >> "$study/study.yaml"
  serve "$n" "$work/log"
  python3 "$here/measure.py" "$study" -- "$bin" literature search --study "$study" --source openalex --affiliation bench \
      --endpoint "openalex=http://127.0.0.1:$port" --json -q > "$work/measure.json"
  stop
  report "pages $n, 1 in flight"
  cp "$work/measure.json" "$work/walk-$n.json"
}

echo "== the server alone: curl fetching the $pages pages over one kept-alive connection (it must not be what bounds the walk)"
serve "$pages" /dev/null
{ for i in $(seq 0 "$pages"); do
    c='*'; [ "$i" -gt 0 ] && c="page$i"
    printf 'url = "http://127.0.0.1:%s/works?filter=raw_affiliation_strings.search:bench&per-page=200&cursor=%s"\noutput = /dev/null\n' "$port" "$c"
  done; } > "$work/curl.cfg"
start=$(date +%s.%N)
curl -sf -K "$work/curl.cfg"
secs=$(python3 -c "import time;print(time.time()-$start)")
stop
python3 - "$pages" "$secs" <<'PY'
import json, sys
sys.path.insert(0, "Fixtures/http")
import replay_server as r
n, secs = int(sys.argv[1]), float(sys.argv[2])
records = sum(len(json.loads(r.synthetic_page(i, n))["results"]) for i in range(n + 1))
print(f"server: {n + 1} pages, {records} records in {secs:.2f} s = {records / secs:,.0f} records/s")
PY
echo "== parse and store, 1 transfer in flight (a cursor walk is sequential), no rate limit"
walk $((pages / 10)) 100000
walk "$pages" 100000
lanes() {  # lanes PAGES INFLIGHT → 4 queries (bench-0..bench-3) of PAGES/4 pages each, INFLIGHT walked at once
  local n="$1" inflight="$2" study="$work/study-lanes"
  rm -rf "$study" "$work/log"; "$bin" init "$study" -q
  { printf 'literature:\n  rates: {openalex: 100000}\n  queries:\n'
    for k in 0 1 2 3; do printf '    - {name: lane-%s, source: openalex, affiliation: bench-%s}\n' "$k" "$k"; done; } >> "$study/study.yaml"
  serve $((n / 4)) "$work/log" --lanes 4
  python3 "$here/measure.py" "$study" -- "$bin" literature search --study "$study" --endpoint "openalex=http://127.0.0.1:$port" \
      --in-flight "$inflight" --json -q > "$work/measure.json"
  stop
  report "4 queries x $((n / 4)) pages, $inflight in flight"
}
echo "== 4 queries of PAGES/4 pages each (a cursor walk is sequential: transfers in flight are queries walked at once)"
lanes "$pages" 1
lanes "$pages" 4
echo "== rate limit: 200 pages of 1 record at a setting of 20 requests/s (small pages: the walk is sequential, so parsing must not be what spaces the requests)"
rm -rf "$work/study-rate" "$work/log"; "$bin" init "$work/study-rate" -q
printf 'literature:\n  rates: {openalex: 20}\n' >> "$work/study-rate/study.yaml"
serve 200 "$work/log" 1 1
"$bin" literature search --study "$work/study-rate" --source openalex --affiliation bench --endpoint "openalex=http://127.0.0.1:$port" -q >/dev/null
stop
python3 - "$work/log" <<'PY'
import json, sys
t = sorted(json.loads(l)["time"] for l in open(sys.argv[1]))
rate = (len(t) - 1) / (t[-1] - t[0])
print(f"{len(t)} requests, achieved {rate:.2f} requests/s against 20 ({(rate / 20 - 1) * 100:+.1f} %)")
PY
echo "== peer: pyalex $(python3 -c 'import pyalex;print(pyalex.__version__)' 2>/dev/null || echo 'not installed (pip install pyalex)') on the same $pages pages (fetch + parse, no storage)"
if python3 -c 'import pyalex' 2>/dev/null; then
  serve "$pages" /dev/null
  read -r n secs cpu rss < <(python3 "$here/peer_pyalex.py" "$port")
  stop
  python3 - "$work/walk-$pages.json" "$n" "$secs" "$cpu" "$rss" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
n, secs, cpu, rss = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"pyalex: {n} records in {secs:.2f} s = {n / secs:,.0f} records/s; CPU {cpu / n * 1e6:.1f} µs/record; peak RSS {rss} MB")
rate, walk_rate = m["records"] / m["wall"], m["records"] / m["walk_wall"]
print(f"lostdata/pyalex records/s: whole search {rate / (n / secs):.2f}x, the walk alone (fetch, parse, store) {walk_rate / (n / secs):.2f}x;"
      f" CPU per record: whole search {m['cpu'] / m['records'] / (cpu / n):.2f}x, the walk {m['walk_cpu'] / m['records'] / (cpu / n):.2f}x")
PY
fi
