#!/usr/bin/env bash
# Benchmark of the catalogue (issue 17) against a PostgreSQL server on the same machine:
#
#   bench/catalogue/run.sh [WORKDIR] [IMAGES] [RUNS]
#   LOSTDATA_BIN=/path/to/lostdata bench/catalogue/run.sh …
#
# Starts a throwaway cluster (initdb + pg_ctl in WORKDIR, 127.0.0.1, a free port; as user postgres
# when root; fsync on — a real server's durability), synthesises a paper-sized facility
# (`archive synth --images 152097`, scanned into a study with 300 articles' counts), then times:
#   push (fresh catalogue) · unchanged re-push · a push over the same rows that stages and compares
#   them all · ten facilities (1.5 M image rows) ·
#   cross-facility Table 1 · a GROUP BY facility, technique, year over all images ·
#   the floor: psql \copy of the same facility's image rows from CSV into a table of the same shape
# and prints medians of RUNS, peak client memory of a push, and the ratios the issue targets:
#   push < 3 s and within 2x of \copy · re-push < 1 s · Table 1 < 0.5 s · client < 200 MB.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-/tmp/lostdata-bench-catalogue}"
images="${2:-152097}"
runs="${3:-3}"
seed=2024

cd "$root"
bin="${LOSTDATA_BIN:-}"
if [ -z "$bin" ]; then swift build -c release --static-swift-stdlib >/dev/null; bin="$root/.build/release/lostdata"; fi
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)"; exit 1; }
mkdir -p "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- the facility study -------------------------------------------------------------------
archive="$work/archive"; study="$work/study"
if [ ! -f "$archive/lostdata-synth-manifest.json" ]; then
  rm -rf "$archive"; "$bin" archive synth "$archive" --images "$images" --seed "$seed" -q
fi
if [ ! -f "$study/study.sqlite" ]; then
  rm -rf "$study"; "$bin" init "$study" -q
  python3 - "$study/counts.csv" <<'EOF'
import random, sys
random.seed(2024)
with open(sys.argv[1], "w") as f:
    f.write("id,SEM,STEM,TEM\n")
    for i in range(300):
        f.write(f"A{i:04d},{random.randint(0,12)},{random.randint(0,3)},{random.randint(0,6)}\n")
EOF
  cat > "$study/study.yaml" <<EOF
name: Bench facility
sources:
  - name: Bench facility
    techniques: [SEM, TEM]
    fold: {STEM: SEM}
    acquired: archive
    articles: counts.csv
EOF
  "$bin" archive scan "$archive" --study "$study" -q \
    --instrument "SU8000=SEM:$archive/SU8000" --instrument "SU8230=SEM:$archive/SU8230" --instrument "HT7700=TEM:$archive/HT7700" || true
fi

# --- the server ---------------------------------------------------------------------------
pgdir="$work/pg"; rm -rf "$pgdir"; mkdir -p "$pgdir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdir"
as_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir" -l "$pgdir/server.log" -w start >/dev/null
trap 'as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null; echo "load at the end: $(cut -d" " -f1-3 /proc/loadavg)"' EXIT
url="postgres://postgres@127.0.0.1:$port/bench?sslmode=disable"
psql() { command psql -X -q -A -t -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE bench"

echo "server: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_cmd LABEL CMD…: wall seconds of one run (and peak RSS into $rss_kb).
time_cmd() { /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>/dev/null; local out; out="$(tail -1 "$work/time.txt")"; echo "${out% *}"; }
peak_kb() { local out; out="$(tail -1 "$work/time.txt")"; echo "${out#* }"; }

# push into a fresh catalogue, RUNS times (the facility's rows dropped between runs)
push_times=(); push_rss=0
for _ in $(seq "$runs"); do
  psql -d bench -c "DROP SCHEMA IF EXISTS lostdata CASCADE" 2>/dev/null
  "$bin" catalogue init --to "$url" -q
  t="$(time_cmd "$bin" catalogue push --study "$study" --to "$url" -q)"; push_times+=("$t")
  kb="$(peak_kb)"; [ "$kb" -gt "$push_rss" ] && push_rss="$kb"
done
push="$(printf '%s\n' "${push_times[@]}" | median)"
rows="$(psql -d bench -c "SELECT count(*) FROM lostdata.image")"

repush_times=()
for _ in $(seq "$runs"); do repush_times+=("$(time_cmd "$bin" catalogue push --study "$study" --to "$url" -q)"); done
repush="$(printf '%s\n' "${repush_times[@]}" | median)"

# a push into a catalogue that already holds the facility's rows but not its hash (the facility
# row deleted): the study's memory cannot vouch, so every row is staged and compared (none
# differs); the path of any push after a change in the study
staged_times=(); staged_rss=0
for _ in $(seq "$runs"); do
  psql -d bench -c "DELETE FROM lostdata.facility WHERE name = 'Bench facility'"
  staged_times+=("$(time_cmd "$bin" catalogue push --study "$study" --to "$url" -q)")
  kb="$(peak_kb)"; [ "$kb" -gt "$staged_rss" ] && staged_rss="$kb"
done
staged="$(printf '%s\n' "${staged_times[@]}" | median)"

# the floor: the same rows as CSV, \copy into a table of the same shape (primary key included)
psql -d bench -c "\\copy (SELECT * FROM lostdata.image) TO '$work/image.csv' CSV"
copy_times=()
for _ in $(seq "$runs"); do
  psql -d bench -c "DROP TABLE IF EXISTS floor_image; CREATE TABLE floor_image (LIKE lostdata.image INCLUDING ALL)"
  s=$(date +%s.%N); psql -d bench -c "\\copy floor_image FROM '$work/image.csv' CSV"; e=$(date +%s.%N)
  copy_times+=("$(echo "$e - $s" | bc)")
done
copy="$(printf '%s\n' "${copy_times[@]}" | median)"

# ten facilities: the same study under ten names (1.5 M image rows)
s=$(date +%s.%N)
for i in 2 3 4 5 6 7 8 9 10; do "$bin" catalogue push --study "$study" --to "$url" --facility "Facility $i" -q; done
e=$(date +%s.%N); ten="$(echo "($e - $s) / 9" | bc -l | xargs printf '%.3f')"
total_rows="$(psql -d bench -c "SELECT count(*) FROM lostdata.image")"
psql -d bench -c "ANALYZE"

t1_times=(); for _ in $(seq "$runs"); do t1_times+=("$(time_cmd "$bin" catalogue table1 --from "$url" --format json)"); done
t1="$(printf '%s\n' "${t1_times[@]}" | median)"
gb_times=()
for _ in $(seq "$runs"); do
  s=$(date +%s.%N); psql -d bench -c "SELECT facility, technique, year, count(*) FROM lostdata.image GROUP BY 1, 2, 3" >/dev/null; e=$(date +%s.%N)
  gb_times+=("$(echo "$e - $s" | bc)")
done
gb="$(printf '%s\n' "${gb_times[@]}" | median)"

printf '%-48s %10s\n' "what (median of $runs)" "seconds"
printf '%-48s %10s\n' "push, fresh catalogue ($rows images)" "$push"
printf '%-48s %10s\n' "psql \\copy of the same rows (floor)" "$copy"
printf '%-48s %10s\n' "re-push, nothing changed" "$repush"
printf '%-48s %10s\n' "push over the same rows, staged and compared" "$staged"
printf '%-48s %10s\n' "push of one more facility (mean of 9)" "$ten"
printf '%-48s %10s\n' "catalogue table1, 10 facilities ($total_rows rows)" "$t1"
printf '%-48s %10s\n' "GROUP BY facility, technique, year (psql)" "$gb"
echo "push / \\copy = $(echo "$push / $copy" | bc -l | xargs printf '%.2f')x (target ≤ 2); push < 3 s: $(echo "$push < 3" | bc); re-push < 1 s: $(echo "$repush < 1" | bc); table1 < 0.5 s: $(echo "$t1 < 0.5" | bc)"
echo "client peak memory of a push: $((push_rss / 1024)) MB, of a staged push: $((staged_rss / 1024)) MB (target < 200)"
echo "staged push / \\copy = $(echo "$staged / $copy" | bc -l | xargs printf '%.2f')x"
