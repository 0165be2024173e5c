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

# Goals (issue 22, "a lean engine"), each row against a baseline measured in the same run:
#   multi:summary   <= 0.5x awk's per-series sum of the same file, and >= 20 M points/s
#   single:summary  <= 10x cat of the same file, and peak RSS < 150 MB
#   single:csv      >= 6 M points/s, on both cores (CPU seconds / wall seconds near the core count)
#   start:help, start:spc  <= 2 ms (median of STARTS runs), and the shared libraries loaded
#   (the web server, database clients, libsodium, jansson and cairo are not)
MAX_AWK_RATIO=0.5
MIN_MPTS=20
MAX_CAT_RATIO=10
MAX_RSS_MB=150
MIN_CSV_MPTS=6
MAX_START_MS=2
STARTS=${STARTS:-101}
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
# start NAME COMMAND...: the same, STARTS runs (start-up is a millisecond: many runs, the median).
start() {
  name=$1
  shift
  if ! out=$("$TOOLS/measure" "$STARTS" "$@"); then
    echo "bench: $name failed: $*" >&2
    exit 1
  fi
  echo "$name 0 $out" >>"$results"
}

echo "bench: $RUNS timed runs per case after one warm-up ($STARTS for start-up); page cache warm"
echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (other work skews wall time)"
start start:true          /bin/true
start start:help          "$PURPOSE" help
start start:spc           "$PURPOSE" spc --format summary examples/handover_pct60.csv
measure multi:cat         1000000  cat "$MULTI"
measure multi:awk         1000000  awk -F, 'NR > 1 { s[$1] += $3 } END { for (k in s) n++; print n }' "$MULTI"
measure multi:summary     1000000  "$PURPOSE" spc --series series --format summary "$MULTI"
measure multi:csv         1000000  "$PURPOSE" spc --series series --format csv "$MULTI"
measure den:cat           1000000  cat "$MULTI_DEN"
measure den:xmr           1000000  "$PURPOSE" spc --series series --format summary "$MULTI_DEN"
measure den:p             1000000  "$PURPOSE" spc --series series --chart p --denominator n --per 100 --format summary "$MULTI_DEN"
measure den:u             1000000  "$PURPOSE" spc --series series --chart u --denominator n --per 1000 --format summary "$MULTI_DEN"
measure single:cat        10000000 cat "$SINGLE"
measure single:wc         10000000 wc -l "$SINGLE"
measure single:summary    10000000 "$PURPOSE" spc --format summary "$SINGLE"
measure single:csv        10000000 "$PURPOSE" spc --format csv "$SINGLE"

# Shared libraries each program loads (ldd counts the vdso and the loader too).
libs() { ldd "$1" 2>/dev/null | grep -c '=>\|ld-linux' || true; }
server=$(dirname "$PURPOSE")/purpose-server
echo "libs:purpose $(libs "$PURPOSE")" >>"$results"
[ -x "$server" ] && echo "libs:purpose-server $(libs "$server")" >>"$results"

awk -v max_awk="$MAX_AWK_RATIO" -v min_mpts="$MIN_MPTS" -v max_cat="$MAX_CAT_RATIO" -v max_rss="$MAX_RSS_MB" \
    -v min_csv="$MIN_CSV_MPTS" -v max_start="$MAX_START_MS" '
  $1 ~ /^libs:/ { sub(/^libs:/, "", $1); libs[$1] = $2; next }
  { n++; name[n] = $1; points[n] = $2; secs[n] = $3; rss[n] = $4 * 1024 / 1e6; cpu[n] = $5; at[$1] = n }
  function s(k) { return secs[at[k]] }
  function row(k, base, ratio, goal, pass,    i, mpts) {
    i = at[k]
    mpts = points[i] ? sprintf("%.1f", points[i] / secs[i] / 1e6) : "-"
    printf "%-15s %9.4f %9s %8.1f %8.3f  %-13s %7.2f  %-30s %s\n", k, secs[i], mpts, rss[i], cpu[i], base, ratio, goal,
           pass == "" ? "" : pass ? "PASS" : "MISS"
    if (pass != "") { total++; passed += pass }
  }
  END {
    printf "\n%-15s %9s %9s %8s %8s  %-13s %7s  %-30s %s\n", "case", "median s", "Mpts/s", "RSS MB", "CPU s",
           "baseline", "ratio", "goal (issue 22)", ""
    row("start:true", "-", 1, "", "")
    row("start:help", "/bin/true", s("start:help") / s("start:true"), "<= " max_start " ms", s("start:help") * 1e3 <= max_start)
    row("start:spc", "/bin/true", s("start:spc") / s("start:true"), "<= " max_start " ms", s("start:spc") * 1e3 <= max_start)
    row("multi:cat", "-", 1, "", "")
    row("multi:awk", "-", 1, "", "")
    m = at["multi:summary"]; mpts = points[m] / secs[m] / 1e6
    row("multi:summary", "awk", s("multi:summary") / s("multi:awk"), "<= " max_awk "x awk, >= " min_mpts " Mpts/s",
        s("multi:summary") <= max_awk * s("multi:awk") && mpts >= min_mpts)
    row("multi:csv", "summary", s("multi:csv") / s("multi:summary"), "", "")
    row("den:cat", "-", 1, "", "")
    row("den:xmr", "den:cat", s("den:xmr") / s("den:cat"), "", "")
    row("den:p", "den:xmr", s("den:p") / s("den:xmr"), "<= 1.5x XmR (issue 8)", s("den:p") <= 1.5 * s("den:xmr"))
    row("den:u", "den:xmr", s("den:u") / s("den:xmr"), "<= 1.5x XmR (issue 8)", s("den:u") <= 1.5 * s("den:xmr"))
    row("single:cat", "-", 1, "", "")
    row("single:wc", "cat", s("single:wc") / s("single:cat"), "", "")
    k = at["single:summary"]
    row("single:summary", "cat", s("single:summary") / s("single:cat"), "<= " max_cat "x cat, RSS < " max_rss " MB",
        s("single:summary") <= max_cat * s("single:cat") && rss[k] < max_rss)
    c = at["single:csv"]; cmpts = points[c] / secs[c] / 1e6
    row("single:csv", "summary", s("single:csv") / s("single:summary"), ">= " min_csv " Mpts/s, both cores", cmpts >= min_csv)
    printf "\nsingle:csv used %.2f cores (CPU s / wall s); single:summary %.2f\n", cpu[c] / secs[c],
           cpu[k] / secs[k]
    printf "shared libraries loaded: purpose %s, purpose-server %s (ldd)\n", libs["purpose"], libs["purpose-server"]
    printf "%d of %d goals met in this run (wall-time goals depend on the load; see bench/README.md)\n", passed, total
  }' "$results"
