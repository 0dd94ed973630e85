#!/usr/bin/env bash
# Runs two lostdata builds side by side on a small synthetic archive — full scan, then deletes,
# appends, touches, adds a file, drops a folder and rescans, then a no-change rescan — and
# compares their indexes after each step (bench/archive/dump-index.sh). Exits 1 on a difference.
#
#   bench/archive/compare-index.sh OLD_LOSTDATA NEW_LOSTDATA [WORKDIR] [IMAGES]
#   WITHOUT_SETTINGS=1 bench/archive/compare-index.sh …   (builds with different derivation versions)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
old="$1"; new="$2"; work="${3:-/tmp/lostdata-compare-index}"; images="${4:-6000}"
rm -rf "$work"; mkdir -p "$work"; archive="$work/archive"
"$old" archive synth "$archive" --images "$images" --seed 9 -q
instruments=(--instrument "SU8000=SEM:$archive/SU8000" --instrument "SU8230=SEM:$archive/SU8230" --instrument "HT7700=TEM:$archive/HT7700")
"$old" init "$work/old" -q; "$new" init "$work/new" -q
scan() { "$old" archive scan "$archive" --study "$work/old" "${instruments[@]}" -q || true
         "$new" archive scan "$archive" --study "$work/new" "${instruments[@]}" -q || true; }
same() {
  a=$("$here/dump-index.sh" "$work/old/study.sqlite" | md5sum); b=$("$here/dump-index.sh" "$work/new/study.sqlite" | md5sum)
  if [ "$a" = "$b" ]; then echo "$1: same index"; else echo "$1: the indexes differ"; exit 1; fi
}
scan; same "full scan"
set +o pipefail   # `find | sort | head` ends sort with SIGPIPE
image=$(find "$archive" -name '*.tif' | sort | head -1); rm "$image"
echo "X=1" >> "$(find "$archive" -name '*.txt' | sort | sed -n 5p)"
touch -d '2015-01-01' "$(find "$archive" -name '*.jpg' | sort | sed -n 3p)"
cp "$(find "$archive" -name '*.tif' | sort | sed -n 7p)" "$(dirname "$image")/new_copy.tif"
rm -rf "$(find "$archive" -mindepth 3 -type d | sort | sed -n 4p)"
scan; same "after changes"
scan; same "no-change rescan"
