#!/usr/bin/env bash
# Whole process: `trucban search` over a generated store vs `fzf --filter` over the persons'
# names (not run in CI).
#
#   benches/search-vs-fzf.sh            # 1,000,000 persons (and as many guest stays)
#   SCALE=100000 benches/search-vs-fzf.sh
#   KEEP=1 benches/search-vs-fzf.sh     # keep the temp dir (store + names.txt)
#
# Builds the release binary, generates a store (`trucban gen --scale N`, seed 1) in a temp
# dir, exports the persons (CSV) and keeps the full_name column (one name per line), then
# times, best of 3 by wall time, with `/usr/bin/time -f "%e s %M KB"` (elapsed, peak RSS):
#
#   trucban --data-dir DIR search 'nguyen van hung' --limit 20 > /dev/null
#   fzf --filter 'nguyen van hung' < names.txt > /dev/null
#
# The trucban run is the whole process: open the store, read the search index file that `gen`
# saved (over every searchable record: N persons + GUESTS guest stays + establishments +
# officers), take in any change logged since, search, read the 20 hits' records. A run with
# the index file removed (a rebuild from the records, then saved) is timed once too. fzf
# reads only the N persons' names; fzf over persons + guests' names is timed too when there
# are guests. Reference (issue): fzf 0.38 ≈ 0.9 s and 213 MB for 1,000,000 lines.
#
#   GUESTS=0 benches/search-vs-fzf.sh   # 1,000,000 persons only (the issue's store)
set -euo pipefail

SCALE=${SCALE:-1000000}
GUESTS=${GUESTS:-$SCALE}
QUERY=${QUERY:-nguyen van hung}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."

if ! command -v fzf >/dev/null; then
    echo "fzf missing: trying apt-get install -y fzf" >&2
    apt-get install -y fzf >/dev/null 2>&1 || echo "fzf could not be installed: skipping fzf" >&2
fi
if [ ! -x /usr/bin/time ]; then
    echo "/usr/bin/time is missing (apt-get install -y time)" >&2
    exit 1
fi

cargo build --release --locked --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/trucban

DIR=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then
    echo "keeping $DIR"
else
    trap 'rm -rf "$DIR"' EXIT
fi

echo "== $SCALE persons, query '$QUERY', best of $RUNS (nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg))"
"$BIN" --data-dir "$DIR/data" gen --scale "$SCALE" --guests "$GUESTS"
echo "store on disk: $(du -sh "$DIR/data" | cut -f1)"

names() { # kind → full_name column of its CSV export, one per line
    "$BIN" --data-dir "$DIR/data" export "$1" | python3 -c '
import csv, sys
rows = csv.reader(sys.stdin)
header = next(rows, [])
col = header.index(sys.argv[1]) if sys.argv[1] in header else None
for row in rows:  # read to the end either way: no broken pipe for the exporter
    if col is not None:
        print(row[col])
' "$2"
}
names persons full_name >"$DIR/names.txt"
names guests full_name >"$DIR/guests.txt"
if [ -s "$DIR/guests.txt" ]; then
    cat "$DIR/names.txt" "$DIR/guests.txt" >"$DIR/all-names.txt"
fi
echo "names.txt: $(wc -l <"$DIR/names.txt") lines, $(du -h "$DIR/names.txt" | cut -f1)"

# best LABEL INPUT CMD... : runs CMD $RUNS times (stdin from INPUT, stdout to /dev/null),
# prints each run and the best by wall time.
best() {
    local label=$1 input=$2 out best_line="" best_s=""
    shift 2
    for i in $(seq "$RUNS"); do
        out=$( { /usr/bin/time -f "%e s %M KB" "$@" <"$input" >/dev/null; } 2>&1 | tail -1)
        echo "  $label run $i: $out"
        local s=${out%% s*}
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
            best_s=$s
            best_line=$out
        fi
    done
    printf '%-40s best: %s\n' "$label" "$best_line"
}

echo "-- top hits:"
"$BIN" --data-dir "$DIR/data" search "$QUERY" --limit 5
best "trucban search (whole process)" /dev/null "$BIN" --data-dir "$DIR/data" search "$QUERY" --limit 20
rm "$DIR/data/search-index"
RUNS=1 best "trucban search, index file removed" /dev/null "$BIN" --data-dir "$DIR/data" search "$QUERY" --limit 20
if command -v fzf >/dev/null; then
    echo "-- fzf $(fzf --version)"
    best "fzf --filter, persons' names" "$DIR/names.txt" fzf --filter "$QUERY"
    if [ -f "$DIR/all-names.txt" ]; then
        echo "   (all-names.txt: $(wc -l <"$DIR/all-names.txt") lines)"
        best "fzf --filter, persons' + guests' names" "$DIR/all-names.txt" fzf --filter "$QUERY"
    fi
fi
