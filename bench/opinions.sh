#!/bin/sh
# `make bench`, opinion groups part: 10,000 participants x 1,000 statements with 4 planted groups
# (~1 M votes) grouped by src/opinion (op_group_votes) and by a naive dense implementation in the
# same run (bench/opinions.c: the imputed matrix held whole, 100 dense power-iteration steps per
# component, k-means and an all-pairs silhouette on the participants). Each run is its own
# process; the figures are of the grouping alone (the votes are made before the clock starts),
# peak RSS is the whole process's. Targets (issue 21): under 1 s on one core, under 100 MB.
# Then `purpose opinions DIR` on the same votes written as a pol.is export (bench/data/opinions/,
# 1 M rows of votes.csv), timed from the files with build/bench/measure (reading included).
#   RUNS=N  timed runs of each (default 5; the naive one at most 3).
set -eu
cd "$(dirname "$0")/.."

CC=${CC:-cc}
RUNS=${RUNS:-5}
TOOLS=build/bench
mkdir -p "$TOOLS"
[ -f build/release/src/opinion/group.o ] || { echo "bench: build/release is missing: run make first" >&2; exit 1; }
# shellcheck disable=SC2046
$CC -O2 -std=c17 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Isrc -Iinclude -o "$TOOLS/opinions" bench/opinions.c \
  build/release/src/opinion/*.o build/release/src/core/*.o $(pkg-config --libs libsodium) -lm

naive_runs=$RUNS
[ "$naive_runs" -le 3 ] || naive_runs=3
echo "bench: opinions: 10,000 x 1,000, planted groups; load average $(cut -d' ' -f1-3 /proc/loadavg)"
{
  i=0; while [ $i -lt "$RUNS" ]; do "$TOOLS/opinions" fast; i=$((i + 1)); done
  i=0; while [ $i -lt "$naive_runs" ]; do "$TOOLS/opinions" naive; i=$((i + 1)); done
} | tee "$TOOLS/opinions.txt" | awk '
  { cpu[$1, ++n[$1]] = $2; wall[$1, n[$1]] = $3; if ($4 > rss[$1]) rss[$1] = $4; k[$1] = $5; ari[$1] = $6; votes = $7 }
  function median(a, m, x,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[x, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((m + 1) / 2)]
  }
  END {
    printf "%d votes\n%-8s %12s %12s %12s %4s %8s\n", votes, "case", "median CPU s", "median wall s", "peak RSS MB", "k", "ARI"
    for (c = 0; c < 2; c++) {
      m = (c ? "naive" : "fast")
      mc[m] = median(cpu, n[m], m)
      printf "%-8s %12.3f %12.3f %12.1f %4d %8.3f\n", m, mc[m], median(wall, n[m], m), rss[m], k[m], ari[m]
    }
    printf "naive / fast (CPU): %.1fx\n", mc["naive"] / mc["fast"]
    printf "targets (CPU time: the machine may be shared):\n"
    printf "  grouped < 1 s on one core: %-4s (%.3f s)\n", (mc["fast"] < 1) ? "PASS" : "MISS", mc["fast"]
    printf "  peak RSS < 100 MB:         %-4s (%.1f MB)\n", (rss["fast"] < 100) ? "PASS" : "MISS", rss["fast"]
    printf "  planted groups found:      %-4s (ARI %.3f)\n", (ari["fast"] >= 0.9) ? "PASS" : "MISS", ari["fast"]
  }'

# End to end: the same votes as a pol.is export, through `purpose opinions`.
DATA=bench/data/opinions
if [ ! -s "$DATA/votes.csv" ]; then
  mkdir -p "$DATA"
  "$TOOLS/opinions" export "$DATA"
fi
if [ ! -x "$TOOLS/measure" ] || [ bench/measure.c -nt "$TOOLS/measure" ]; then
  $CC -O2 -std=c17 -Wall -Wextra -Werror -o "$TOOLS/measure" bench/measure.c
fi
for fmt in csv json; do
  "$TOOLS/measure" "$RUNS" build/purpose opinions "$DATA" --format $fmt | awk -v f=$fmt -v mb="$(($(wc -c <"$DATA/votes.csv") / 1000000))" '
    { printf "purpose opinions --format %-4s (%d MB votes.csv): %.3f s wall, %.3f s CPU, %.1f MB peak RSS\n", f, mb, $1, $3, $2 * 1024 / 1e6 }'
done
