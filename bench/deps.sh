#!/bin/sh
# make bench: the rows of issue 22 that the one caching rule answers (route_cache.c), each as a ratio
# measured in one run, with its goal and PASS or MISS:
#   /                          purpose vs nginx serving the same bytes       goal >= 1.0
#   a programme's page         purpose vs nginx, the same bytes              goal >= 0.5
#   API read with a token      GET /api/v1/values, member's bearer token     goal >= 0.8
#   reads of / while 16 write  8 connections reading / while 16 API clients change projects (bench/
#                              writes.lua on deps-setup.mjs's projects: the topic "work", which / does not show), vs the
#                              same readers without writers, just before      goal >= 0.5
# nginx, the server and wrk are set up as for bench/web.sh (bench/web-lib.sh).
# wrk on loopback; BENCH_SECONDS (default 10), BENCH_CONNECTIONS (64), BENCH_WRITERS (16),
# BENCH_READERS (8), BENCH_ENGINES ("sqlite"; add postgresql) and BENCH_SERVE_ARGS (more options for
# `purpose serve`, e.g. "--threads 16") change the run. The machine is shared:
# the load average is printed at the start and the end. Exits 0 when a goal is missed (a report),
# nonzero when a step fails.
set -eu
cd "$(dirname "$0")/.."
bench_name=bench/deps.sh
engines=${BENCH_ENGINES:-sqlite}
nginx_extra='location ~ ^/programmes/ { default_type text/html; try_files /programme.html =404; }'
. bench/web-lib.sh

# row NAME PURPOSE_RPS REFERENCE_RPS GOAL: one line of the table.
row() {
  awk -v e="$engine" -v n="$1" -v a="$2" -v b="$3" -v g="$4" 'BEGIN {
    r = b > 0 ? a / b : 0
    printf "%-11s %-34s %11.0f %11.0f %6.2f %6s  %s\n", e, n, a, b, r, ">= " g, (r >= g ? "PASS" : "MISS") }'
}

echo "deps bench (issue 22): wrk $threads threads, $conns connections, ${secs}s each, on $(nproc) cores shared" \
  "with whatever else runs (load average at start: $(load))"
printf '%-11s %-34s %11s %11s %6s %6s  %s\n' engine row purpose_rps ref_rps ratio goal verdict
for engine in $engines; do
  start_engine "$engine" "$engine"
  node bench/web-setup.mjs "$url" "$dir/demo-credentials.txt" "$tmp/www" >"$dir/setup.out"
  member=$(sed -n 's/^member //p' "$dir/setup.out")
  lead=$(sed -n 's/^lead //p' "$dir/setup.out")
  node bench/deps-setup.mjs "$url" "$lead" "$tmp/www" >"$dir/deps.out"
  programme=$(sed -n 's/^programme //p' "$dir/deps.out")
  chmod 644 "$tmp/www/"*
  for case in "/ vs nginx|/||1.0" "a programme's page vs nginx|$programme||0.5" \
              "API read (token) vs nginx|/api/v1/values|Authorization: Bearer $member|0.8"; do
    name=${case%%|*}; rest=${case#*|}; path=${rest%%|*}; rest=${rest#*|}; hdr=${rest%%|*}; goal=${rest#*|}
    set -- -t"$threads" -c"$conns" -d"${secs}s"
    [ -n "$hdr" ] && set -- "$@" -H "$hdr"
    p=$(run_wrk "$@" "$url$path"); n=$(run_wrk "$@" "http://127.0.0.1:$nport$path")
    row "$name" "${p% *}" "${n% *}" "$goal"
  done
  quiet=$(run_wrk -t1 -c"$readers" -d"${secs}s" "$url/")
  write_run "$secs" "$lead" "$dir/deps.out"
  busy=$(cat "$dir/reads")
  row "/ while $writers write vs without" "${busy% *}" "${quiet% *}" 0.5
  echo "            (writes: $line; reads' p99 ${busy#* } ms while writing, ${quiet#* } ms without)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "load average at the end: $(load)"
