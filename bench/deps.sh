#!/bin/sh
# make bench: the rows of issue 22 that the one caching rule answers (route_cache.c), each as a ratio
# measured in one run, with its goal and PASS or MISS:
#   /                          purpose vs nginx serving the same bytes       goal >= 1.0
#   a programme's page         purpose vs nginx, the same bytes              goal >= 0.5
#   API read with a token      GET /api/v1/values, member's bearer token     goal >= 0.8
#   reads of / while 16 write  8 connections reading / while 16 API clients change projects (bench/
#                              project-writes.lua: the topic "work", which / does not show), vs the
#                              same readers without writers, just before      goal >= 0.5
# wrk on loopback; BENCH_SECONDS (default 10), BENCH_CONNECTIONS (64), BENCH_WRITERS (16),
# BENCH_READERS (8), BENCH_ENGINES ("sqlite"; add postgresql) and BENCH_SERVE_ARGS (more options for
# `purpose serve`, e.g. "--threads 16") change the run. The machine is shared:
# the load average is printed at the start and the end. Exits 0 when a goal is missed (a report),
# nonzero when a step fails.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
writers=${BENCH_WRITERS:-16}
readers=${BENCH_READERS:-8}
engines=${BENCH_ENGINES:-sqlite}
threads=$(nproc)
[ "$threads" -gt 4 ] && threads=4
for tool in wrk nginx node; do
  command -v "$tool" >/dev/null || { echo "bench/deps.sh: $tool is missing (PURPOSE_BENCH=1 scripts/deps.sh)"; exit 1; }
done

tmp=$(mktemp -d)
nginx_pid=""; pg_dir=""; pids=""
cleanup() {
  for p in $pids $nginx_pid; do kill "$p" 2>/dev/null || true; done
  [ -n "$pg_dir" ] && bench/pg.sh stop "$pg_dir"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp"
mkdir -p "$tmp/www" "$tmp/nginx"
nport=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cat >"$tmp/nginx.conf" <<CONF
worker_processes $(nproc);
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
  uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
  types { text/html html; application/json json; }
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
    location = / { try_files /index.html =404; }
    location ~ ^/programmes/ { default_type text/html; try_files /programme.html =404; }
    location = /api/v1/values { default_type application/json; try_files /values.json =404; }
  }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx.conf" 2>"$tmp/nginx/stderr" &
nginx_pid=$!
sleep 0.5
kill -0 "$nginx_pid" 2>/dev/null || { echo "bench/deps.sh: nginx did not start"; cat "$tmp/nginx/stderr"; exit 1; }

# Prints "req/s p99_ms" for one wrk run (wrk options and URL as arguments).
run_wrk() {
  wrk --latency "$@" 2>&1 | awk '
    /Requests\/sec:/ { rps = $2 }
    /^ *99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; p99 = v }
    END { printf "%s %.2f\n", rps, p99 }'
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
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
  dir=$tmp/$engine
  mkdir -p "$dir"
  if [ "$engine" = sqlite ]; then
    db=$dir/purpose.db
  else
    [ -n "$pg_dir" ] || pg_dir=$(bench/pg.sh start)
    db=$(bench/pg.sh newdb "$pg_dir")
  fi
  (cd "$dir" && "$root/build/purpose" init --demo --db "$db" --key-file "$dir/purpose.key" >/dev/null)
  # shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a list of options
  build/purpose serve --db "$db" --key-file "$dir/purpose.key" --listen 127.0.0.1:0 --quiet ${BENCH_SERVE_ARGS:-} \
    >"$dir/serve.out" 2>"$dir/serve.err" &
  pid=$!
  pids="$pids $pid"
  for _ in $(seq 50); do grep -q serving "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$dir/serve.out")
  [ -n "$url" ] || { echo "bench/deps.sh: purpose serve on $engine did not start"; cat "$dir/serve.err"; exit 1; }
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
  run_wrk -t1 -c"$readers" -d"${secs}s" "$url/" >"$dir/reads" &
  rpid=$!
  wrk -t"$threads" -c"$writers" -d"${secs}s" -s bench/project-writes.lua "$url" -- "$lead" "$dir/deps.out" \
    >"$dir/writes" 2>&1 || { cat "$dir/writes"; exit 1; }
  wait "$rpid"
  line=$(grep '^WRITES ' "$dir/writes") || { cat "$dir/writes"; exit 1; }
  busy=$(cat "$dir/reads")
  row "/ while $writers write vs without" "${busy% *}" "${quiet% *}" 0.5
  echo "            (writes: $line; reads' p99 ${busy#* } ms while writing, ${quiet#* } ms without)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "load average at the end: $(load)"
