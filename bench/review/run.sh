#!/usr/bin/env bash
# Review-page benchmark (issue 15): a study of N articles (default 10,000), `lostdata review
# serve` from a release build, then p50/p95 latency over loopback of the queue page, a filtered
# queue, a search, an article page (scripted client, sequential, keep-alive) and of decision
# saves; and, when Debian's wrk is installed, the queue and article pages under 4 connections.
# Targets: pages < 50 ms p95, saves < 20 ms p95.
#
#   bench/review/run.sh [N] [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
REQ=${2:-300}
WORK=${BENCH_DIR:-/tmp/lostdata-bench-review}
BIN=.build/release/lostdata
[ -x "$BIN" ] || swift build -c release --static-swift-stdlib --product lostdata
rm -rf "$WORK"; mkdir -p "$WORK"
python3 bench/review/make_study.py "$WORK" "$N"
STUDY="$WORK/study"
"$BIN" init "$STUDY" -q
"$BIN" bib import -q --study "$STUDY" "$WORK/articles.ris"
sqlite3 "$STUDY/study.sqlite" < "$WORK/figures.sql"
"$BIN" classify -q --study "$STUDY"
printf 'name: bench\nsources:\n  - {name: Own, techniques: [SEM, STEM, TEM], acquired: {SEM: 100000, STEM: 10000, TEM: 100000}, articles: figures}\n' > "$STUDY/study.yaml"

"$BIN" review serve --study "$STUDY" --reviewer bench > "$WORK/serve.out" 2> "$WORK/serve.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
URL=$(head -1 "$WORK/serve.out")
echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg); $N articles; $REQ requests per kind"
python3 bench/review/latency.py "$URL" --requests "$REQ" --saves "$REQ" --articles "$N"
if command -v wrk >/dev/null; then
  PORT=$(echo "$URL" | sed 's|.*:\([0-9]*\)/.*|\1|'); TOKEN=${URL##*token=}
  for path in "/" "/?state=pending&category=catalysis&flag=no-full-text" "/article?id=doi%3A10.5555%2Fbench.4242"; do
    echo "wrk -t2 -c4 -d10s --latency http://127.0.0.1:$PORT$path"
    wrk -t2 -c4 -d10s --latency -H "Cookie: lostdata_review=$TOKEN" "http://127.0.0.1:$PORT$path" | grep -E "Latency|50%|90%|99%|Requests/sec"
  done
fi
kill -TERM $PID; wait $PID || true
trap - EXIT
