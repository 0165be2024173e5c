#!/bin/sh
# `make bench`: times `purpose spc` against `cat` on generated inputs and checks the targets of
# the summary runs. See bench/README.md. Exit 0 even when a target is missed (this is a report);
# nonzero when a command fails or the tools cannot be built.
#   RUNS=N  timed runs per case (default 5; the median is reported), after one warm-up run.
set -eu
cd "$(dirname "$0")/.."

CC=${CC:-cc}
RUNS=${RUNS:-5}
TOOLS=build/bench
DATA=bench/data
PURPOSE=build/purpose
MULTI=$DATA/series_1000x1000.csv
SINGLE=$DATA/single_10m.csv
MULTI_DEN=$DATA/series_1000x1000_den.csv

# Targets (issue 8): the 1,000 x 1,000 summary at >= 30 M points/s and at least 2x faster than
# awk's per-series sum of the same file; the 10 M-point summary within 10x of cat; --format csv on
# the 10 M points at >= 10 M points/s; peak RSS under 300 MB in every format.
MIN_MPTS=30        # million points per second, multi:summary
MIN_CSV_MPTS=10    # million points per second, single:csv
MAX_RATIO=10       # times the time of cat on the same file, single:summary
MAX_RSS_MB=300     # peak RSS of every 10 M-point run, MB = 10^6 bytes

[ -x "$PURPOSE" ] || { echo "bench: $PURPOSE is missing: run make first" >&2; exit 1; }

mkdir -p "$TOOLS" "$DATA"
for tool in gen measure; do
  if [ ! -x "$TOOLS/$tool" ] || [ "bench/$tool.c" -nt "$TOOLS/$tool" ]; then
    $CC -O2 -std=c17 -Wall -Wextra -Werror -o "$TOOLS/$tool" "bench/$tool.c"
  fi
done

# Inputs come from a fixed seed, so they are made once and kept (bench/data is gitignored).
# Written to a temporary name first: an interrupted run never leaves a short file behind.
generate() {
  if [ ! -s "$2" ]; then
    echo "bench: generating $2"
    "$TOOLS/gen" "$1" "$2.tmp"
    mv "$2.tmp" "$2"
  fi
}
generate multi "$MULTI"
generate single "$SINGLE"
generate multi_den "$MULTI_DEN"

results=$TOOLS/results.txt # kept for a look afterwards
: >"$results"

# measure NAME POINTS COMMAND...: appends "name points seconds rss_kib cpu_seconds" to $results.
measure() {
  name=$1 points=$2
  shift 2
  if ! out=$("$TOOLS/measure" "$RUNS" "$@"); then
    echo "bench: $name failed: $*" >&2
    exit 1
  fi
  echo "$name $points $out" >>"$results"
}

echo "bench: $RUNS timed runs per case after one warm-up; page cache warm"
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (other work skews wall time)"
measure multi:cat         1000000  cat "$MULTI"
measure multi:awk         1000000  awk -F, 'NR > 1 { s[$1] += $3 } END { for (k in s) n++; print n }' "$MULTI"
measure multi:summary     1000000  "$PURPOSE" spc --series series --format summary "$MULTI"
measure multi:csv         1000000  "$PURPOSE" spc --series series --format csv "$MULTI"
measure den:cat           1000000  cat "$MULTI_DEN"
measure den:xmr           1000000  "$PURPOSE" spc --series series --format summary "$MULTI_DEN"
measure den:p             1000000  "$PURPOSE" spc --series series --chart p --denominator n --per 100 --format summary "$MULTI_DEN"
measure den:u             1000000  "$PURPOSE" spc --series series --chart u --denominator n --per 1000 --format summary "$MULTI_DEN"
measure single:cat        10000000 cat "$SINGLE"
measure single:summary    10000000 "$PURPOSE" spc --format summary "$SINGLE"
measure single:csv        10000000 "$PURPOSE" spc --format csv "$SINGLE"

awk -v min_mpts="$MIN_MPTS" -v min_csv="$MIN_CSV_MPTS" -v max_ratio="$MAX_RATIO" -v max_rss="$MAX_RSS_MB" '
  { name[NR] = $1; points[NR] = $2; secs[NR] = $3; rss[NR] = $4 * 1024 / 1e6; cpu[NR] = $5
    split($1, part, ":"); if (part[2] == "cat") cat[part[1]] = $3 }
  END {
    printf "\n%-16s %10s %12s %10s %14s %12s\n", "case", "median s", "Mpoints/s", "x cat", "peak RSS MB", "median CPU s"
    for (i = 1; i <= NR; i++) {
      split(name[i], part, ":")
      printf "%-16s %10.3f %12.1f %10.1f %14.1f %12.3f\n", name[i], secs[i], points[i] / secs[i] / 1e6,
             secs[i] / cat[part[1]], rss[i], cpu[i]
    }
    print "\nP and U charts (1,000 series x 1,000 points with denominators, summary) beside XmR on the same file:"
    for (i = 1; i <= NR; i++) {
      if (name[i] == "den:xmr") xmr = secs[i]
      if (name[i] == "den:p" || name[i] == "den:u")
        printf "  %-16s <= 1.5x XmR:      %-4s (%.2fx)\n", name[i], (secs[i] <= 1.5 * xmr) ? "PASS" : "MISS", secs[i] / xmr
    }
    print "\ntargets (issue 8, on median wall time):"
    for (i = 1; i <= NR; i++) {
      if (name[i] == "multi:awk") awk_s = secs[i]
    }
    for (i = 1; i <= NR; i++) {
      split(name[i], part, ":")
      mpts = points[i] / secs[i] / 1e6; ratio = secs[i] / cat[part[1]]
      if (name[i] == "multi:summary") {
        printf "  %-16s >= %d Mpoints/s: %-4s (%.1f)\n", name[i], min_mpts, (mpts >= min_mpts) ? "PASS" : "MISS", mpts
        printf "  %-16s >= 2x awk:        %-4s (%.1fx faster than awk per-series sum)\n", name[i],
               (2 * secs[i] <= awk_s) ? "PASS" : "MISS", awk_s / secs[i]
      }
      if (name[i] == "single:summary")
        printf "  %-16s <= %dx cat:       %-4s (%.1fx)\n", name[i], max_ratio, (ratio <= max_ratio) ? "PASS" : "MISS", ratio
      if (name[i] == "single:csv")
        printf "  %-16s >= %d Mpoints/s: %-4s (%.1f)\n", name[i], min_csv, (mpts >= min_csv) ? "PASS" : "MISS", mpts
      if (part[1] == "single" && part[2] != "cat")
        printf "  %-16s RSS < %d MB:     %-4s (%.1f MB)\n", name[i], max_rss, (rss[i] < max_rss) ? "PASS" : "MISS", rss[i]
    }
  }' "$results"
