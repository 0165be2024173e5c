#!/bin/sh
# `make bench`, handovers part: `purpose handovers generate` of about 10 M rows (1 GB of CSV) and
# `purpose handovers report --input` over it, timed with build/bench/measure (median wall time,
# peak RSS, CPU). Targets: generate > 2 M rows/s; the file report under 256 MB peak RSS. The
# import and stored-report benchmark (against sqlite3 .import and psql \copy) comes with the store.
#   RUNS=N  timed runs per case (default 3).
set -eu
cd "$(dirname "$0")/.."

CC=${CC:-cc}
RUNS=${RUNS:-3}
TOOLS=build/bench
DATA=bench/data
PURPOSE=build/purpose
CSV=$DATA/handovers_10m.csv
GEN="handovers generate --sites 20 --days 3700 --seed 3"

[ -x "$PURPOSE" ] || { echo "bench: $PURPOSE is missing: run make first" >&2; exit 1; }
mkdir -p "$TOOLS" "$DATA"
if [ ! -x "$TOOLS/measure" ] || [ bench/measure.c -nt "$TOOLS/measure" ]; then
  $CC -O2 -std=c17 -Wall -Wextra -Werror -o "$TOOLS/measure" bench/measure.c
fi
# The aggregate path of the stored report (blobs out and back, reports from them), in CPU time.
OBJS="build/release/src/handover/*.o build/release/src/core/*.o"
# shellcheck disable=SC2086
$CC -O2 -std=c17 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Isrc -Iinclude -o "$TOOLS/ho_agg" bench/ho_agg.c $OBJS \
  $(pkg-config --libs libsodium) -lm
if [ ! -s "$CSV" ]; then
  # shellcheck disable=SC2086
  "$PURPOSE" $GEN -o "$CSV.tmp"
  mv "$CSV.tmp" "$CSV"
fi
rows=$(($(wc -l <"$CSV") - 1))

echo "bench: handovers: $rows rows, $(($(wc -c <"$CSV") / 1000000)) MB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
gen=$("$TOOLS/measure" "$RUNS" "$PURPOSE" $GEN)
day=$("$TOOLS/measure" "$RUNS" "$PURPOSE" handovers report --input "$CSV" --by day)
hour=$("$TOOLS/measure" "$RUNS" "$PURPOSE" handovers report --input "$CSV" --by hour)
printf '%s\n' "generate $gen" "report:day $day" "report:hour $hour" | awk -v rows="$rows" '
  { printf "%-12s %8.3f s %8.2f M rows/s %8.1f MB peak RSS %8.3f CPU s %8.2f M rows/CPU s\n", $1, $2,
           rows / $2 / 1e6, $3 * 1024 / 1e6, $4, rows / $4 / 1e6
    if ($1 == "generate") { g = rows / $2 / 1e6; gc = rows / $4 / 1e6 }
    if ($1 != "generate" && ($3 * 1024 / 1e6) > rss) rss = $3 * 1024 / 1e6 }
  END {
    printf "targets (wall time; the machine may be shared, so CPU time is shown too):\n"
    printf "  generate > 2 M rows/s:        %-4s (%.2f wall, %.2f CPU)\n", (g > 2) ? "PASS" : "MISS", g, gc
    printf "  report --input RSS < 256 MB: %-4s (%.1f MB)\n", (rss < 256) ? "PASS" : "MISS", rss
  }'
"$TOOLS/ho_agg" "$CSV"
