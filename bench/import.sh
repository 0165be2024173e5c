#!/bin/sh
# make bench (import part): purpose import measures and purpose import ae into a new demo database
# (SQLite): the rate of a first import (every measure and point new), and of the same file again
# (every point read and found as it was: nothing written).
#   MEASURES=N POINTS=P  the long CSV's size (default 2000 measures of 50 weekly points: 100,000 rows)
set -eu
cd "$(dirname "$0")/.."
PURPOSE=build/purpose
TOOLS=build/bench
MEASURES=${MEASURES:-2000}
POINTS=${POINTS:-50}
[ -x "$PURPOSE" ] || { echo "bench/import.sh: $PURPOSE is missing: run make first" >&2; exit 1; }
mkdir -p "$TOOLS"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && "$OLDPWD/$PURPOSE" init --demo --db "$dir/bench.db" >/dev/null)

csv=$TOOLS/import_measures.csv
awk -v m="$MEASURES" -v p="$POINTS" 'BEGIN {
  print "measure,date,value,denominator,unit,direction,target,chart"
  srand(19)
  for (i = 1; i <= m; i++)
    for (j = 0; j < p; j++) {
      t = 1735689600 + j * 7 * 86400  # weekly from 2025-01-01
      den = 900 + int(rand() * 200)
      printf "Measure %d,%s,%d,%d,%%,increase,95,p\n", i, strftime("%Y-%m-%d", t, 1), int(den * (0.85 + rand() * 0.1)), den
    }
}' >"$csv"
rows=$((MEASURES * POINTS))

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" -v what="$4" 'BEGIN { s = b - a; printf "  %-34s %8.3f s  %9.0f rows/s\n", what, s, n / s }'; }

echo
echo "purpose import into a new demo database (SQLite):"
a=$(now); "$PURPOSE" import measures "$csv" --db "$dir/bench.db" >/dev/null; b=$(now)
rate "$rows" "$a" "$b" "measures, $MEASURES x $POINTS, new"
a=$(now); "$PURPOSE" import measures "$csv" --db "$dir/bench.db" >/dev/null; b=$(now)
rate "$rows" "$a" "$b" "measures, the same file again"
ae=examples/ae_attendances.csv
aerows=$(($(wc -l <"$ae") - 1))
a=$(now); "$PURPOSE" import ae "$ae" --db "$dir/bench.db" >/dev/null; b=$(now)
rate "$aerows" "$a" "$b" "ae ($aerows rows, 274 providers)"
