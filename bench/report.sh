#!/bin/sh
# make bench (report part): `purpose report` over every A&E series (428 measures, a page each
# after the cover and the summary table) as a PDF and as JSON, as XmR charts of the percentage and
# as P charts of 4-hour breaches over attendances. Target (issue 8): the PDF in under 5 s.
#   RUNS=N  timed runs (default 5; the median is reported), after one warm-up run.
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
TOOLS=build/bench
PURPOSE=build/purpose
DATA=examples/ae_4h_performance.csv
MAX_SECONDS=5

[ -x "$PURPOSE" ] || { echo "bench/report.sh: $PURPOSE is missing: run make first" >&2; exit 1; }
mkdir -p "$TOOLS"
if [ ! -x "$TOOLS/measure" ] || [ bench/measure.c -nt "$TOOLS/measure" ]; then
  ${CC:-cc} -O2 -std=c17 -Wall -Wextra -Werror -o "$TOOLS/measure" bench/measure.c
fi

# One measure per series, grouped by department type, each against the 95% standard.
measures=$TOOLS/ae_measures.csv
{
  echo "series,title,unit,chart,improvement,target,y,group"
  tail -n +2 "$DATA" | cut -d, -f1 | awk '!seen[$0]++' | awk -F: '{
    g = $2 == "1" ? "Type 1 departments" : $2 == "2" ? "Type 2 departments" : "Other departments"
    printf "%s,%s: seen within 4 hours,%%,xmr,increase,95,pct_within_4h,%s\n", $0, $0, g }'
} >"$measures"
n=$(($(wc -l <"$measures") - 1))
"$PURPOSE" report --measures "$measures" --x month -o "$TOOLS/report.pdf" "$DATA"
pages=$(grep -ac '/Type /Page ' "$TOOLS/report.pdf")

pdf=$("$TOOLS/measure" "$RUNS" "$PURPOSE" report --measures "$measures" --x month "$DATA")
json=$("$TOOLS/measure" "$RUNS" "$PURPOSE" report --measures "$measures" --x month --format json "$DATA")
echo
echo "purpose report over $n A&E series, $pages pages ($RUNS runs, median):"
echo "$pdf" | awk -v pages="$pages" -v max="$MAX_SECONDS" '{
  printf "  pdf   %8.3f s  %7.1f pages/s  peak RSS %6.1f MB  CPU %.3f s\n", $1, pages / $1, $2 * 1024 / 1e6, $3
  printf "  target: pdf < %d s: %s (%.3f s)\n", max, $1 < max ? "PASS" : "MISS", $1 }'
echo "$json" | awk '{ printf "  json  %8.3f s  peak RSS %6.1f MB\n", $1, $2 * 1024 / 1e6 }'

# The same series as P charts: 4-hour breaches per 100 attendances (limits per point).
pmeasures=$TOOLS/ae_measures_p.csv
{
  echo "series,title,unit,chart,improvement,target,y,denominator,per,group"
  tail -n +2 "$measures" | awk -F, '{ printf "%s,%s: 4-hour breaches,%%,p,decrease,5,breaches,attendances,100,%s\n", $1, $1, $8 }'
} >"$pmeasures"
ppdf=$("$TOOLS/measure" "$RUNS" "$PURPOSE" report --measures "$pmeasures" --x month "$DATA")
echo "$ppdf" | awk -v pages="$pages" -v max="$MAX_SECONDS" '{
  printf "  p pdf %8.3f s  %7.1f pages/s  peak RSS %6.1f MB  CPU %.3f s\n", $1, pages / $1, $2 * 1024 / 1e6, $3
  printf "  target: p charts pdf < %d s: %s (%.3f s)\n", max, $1 < max ? "PASS" : "MISS", $1 }'
