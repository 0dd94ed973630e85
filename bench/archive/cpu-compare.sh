#!/usr/bin/env bash
# Compares lostdata builds on fresh full scans, interleaved run by run (so that they share the
# machine's load), with rg -l 'SignalName=' in every round: medians of wall, user, sys and
# user+sys. For judging one change: on a busy machine CPU time is steadier than wall time.
#
#   bench/archive/cpu-compare.sh ARCHIVE RUNS "LABEL|ENV=VALUE …|/path/to/lostdata" "LABEL2||/other/lostdata" …
#
# ARCHIVE is a synthetic archive (`lostdata archive synth`, as bench/archive/run.sh makes one);
# its three instrument folders are passed as run.sh passes them. Studies go to /tmp/cpu-compare-LABEL.
set -euo pipefail
archive="$1"; runs="$2"; shift 2
out=$(mktemp); trap 'rm -f "$out"' EXIT
echo "load at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  for spec in "$@"; do
    IFS='|' read -r label envs bin <<< "$spec"
    study="/tmp/cpu-compare-$label"; rm -rf "$study"; "$bin" init "$study" -q
    # shellcheck disable=SC2086  # ENV may hold several assignments
    env $envs /usr/bin/time -f "$label %e %U %S" -a -o "$out" "$bin" archive scan "$archive" --study "$study" \
      --instrument "SU8000=SEM:$archive/SU8000" --instrument "SU8230=SEM:$archive/SU8230" --instrument "HT7700=TEM:$archive/HT7700" -q || true
  done
  /usr/bin/time -f "rg %e %U %S" -a -o "$out" rg -l 'SignalName=' "$archive" > /dev/null || true
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import collections, statistics as st, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 4 and p[1][0].isdigit():
        runs[p[0]].append(tuple(map(float, p[1:])))
for label, v in runs.items():
    med = lambda f: st.median(f(x) for x in v)
    print(f"{label:14} n={len(v):2}  wall {med(lambda x: x[0]):.3f}  user {med(lambda x: x[1]):.3f}  "
          f"sys {med(lambda x: x[2]):.3f}  user+sys {med(lambda x: x[1] + x[2]):.3f}")
PY
