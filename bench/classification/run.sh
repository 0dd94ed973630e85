#!/usr/bin/env bash
# Benchmark: `lostdata classify` (release build) against the peer (the same rules applied by a
# plain Python script), on the same study of N articles built from real records.
# Usage: bench/classification/run.sh [N]   (default 20000). Needs python3 with PyYAML, sqlite3.
# RULES=FILE uses that rules file (copied into the study, so lostdata uses it too) instead of the
# shipped one — e.g. an older rules.yaml, to time the same binary on the old and new rules.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
n="${1:-20000}"
out="$root/bench/out/classification"
lostdata="$root/.build/release/lostdata"
rules="${RULES:-$root/Sources/Classification/Resources/rules.yaml}"
[ -x "$lostdata" ] || (cd "$root" && swift build -c release --static-swift-stdlib)
rm -rf "$out"; mkdir -p "$out"
python3 "$here/make_study.py" "$out/study" "$n" "$lostdata"
[ -n "${RULES:-}" ] && cp "$RULES" "$out/study/rules.yaml"

measure() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v "$@" > "$out/$name.jsonl" 2> "$out/$name.time"
  local secs kb
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2,a,":"); if (length(a)==3) print a[1]*3600+a[2]*60+a[3]; else print a[1]*60+a[2]}' "$out/$name.time")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/$name.time")
  echo "$name $secs $kb"
}
echo "articles: $n   cores: $(nproc)"
l=$(measure lostdata "$lostdata" classify --study "$out/study" --json --quiet)
p=$(measure peer python3 "$here/peer_classify.py" "$rules" "$out/study")
echo "$l" | awk '{printf "lostdata classify : %6.2f s  %7.1f MB\n", $2, $3/1024}'
echo "$p" | awk '{printf "peer (python re)  : %6.2f s  %7.1f MB\n", $2, $3/1024}'
paste <(echo "$l") <(echo "$p") | awk '{printf "ratio peer/lostdata: time %.2fx, peak memory %.2fx\n", $5/$2, $6/$3}'
# Same decisions? Compare category sets per article.
python3 - "$out/lostdata.jsonl" "$out/peer.jsonl" <<'PY'
import json, sys
a = {j["id"]: sorted(j["categories"]) for j in map(json.loads, open(sys.argv[1]))}
b = {j["id"]: sorted(j["categories"]) for j in map(json.loads, open(sys.argv[2]))}
same = sum(1 for k in a if a[k] == b.get(k))
print(f"same category sets: {same}/{len(a)}")
PY
