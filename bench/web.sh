#!/bin/sh
# make bench (web part), on each engine (SQLite, then PostgreSQL), in one run:
# 1. reads: wrk on loopback against `purpose serve` (the public "Our purpose" page and an API read
#    with a member's bearer token), then against nginx serving the same bytes as static files.
#    Prints req/s, p99, the ratio to nginx and the server's peak RSS.
#    Targets (issues 4 and 7): >= 50% of nginx, p99 < 10 ms at 64 connections, RSS < 64 MB.
# 2. writes (issue 7): 16 API clients (wrk connections, bench/writes.lua) PUT /api/v1/values/{id}
#    with a lead's bearer token for 20 s while another wrk reads the public page. Prints writes/s,
#    p99, errors (non-2xx answers and socket errors) and the reads' req/s and p99.
#    Targets: >= 1,000 writes/s, p99 < 50 ms, 0 errors; the reads' p99 < 10 ms.
# Then one summary line per engine. PostgreSQL runs with its default durability (bench/pg.sh).
# BENCH_SECONDS (default 10), BENCH_CONNECTIONS (64), BENCH_WRITE_SECONDS (20), BENCH_WRITERS (16),
# BENCH_READERS (connections reading during the writes, 8), BENCH_ENGINES ("sqlite postgresql") and
# BENCH_SERVE_ARGS (more options for `purpose serve`, e.g. "--threads 16") change the run. It exits 0 when a target is missed (it is a report), nonzero when a step fails.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
wsecs=${BENCH_WRITE_SECONDS:-20}
writers=${BENCH_WRITERS:-16}
readers=${BENCH_READERS:-8}
engines=${BENCH_ENGINES:-sqlite postgresql}
threads=$(nproc)
[ "$threads" -gt 4 ] && threads=4
for tool in wrk nginx node; do
  command -v "$tool" >/dev/null || { echo "bench/web.sh: $tool is missing (PURPOSE_BENCH=1 scripts/deps.sh)"; exit 1; }
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

# nginx serves $tmp/www; each engine's run writes its own bytes there first.
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
    location = /api/v1/values { default_type application/json; try_files /values.json =404; }
  }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx.conf" 2>"$tmp/nginx/stderr" &
nginx_pid=$!
sleep 0.5
kill -0 "$nginx_pid" 2>/dev/null || { echo "bench/web.sh: nginx did not start"; cat "$tmp/nginx/stderr"; exit 1; }

# start_engine ENGINE FOLDER: a new demo database on ENGINE and `purpose serve` on it, its files in
# $tmp/FOLDER; sets dir, url and pid.
start_engine() {
  e=$1; dir=$tmp/$2
  mkdir -p "$dir"
  if [ "$e" = sqlite ]; then
    db=$dir/purpose.db
  else
    [ -n "$pg_dir" ] || pg_dir=$(bench/pg.sh start)
    db=$(bench/pg.sh newdb "$pg_dir")
  fi
  # For a postgresql:// URL, init writes demo-credentials.txt in the current folder.
  (cd "$dir" && "$root/build/purpose" init --demo --db "$db" --key-file "$dir/purpose.key" >/dev/null)
  # shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a list of options
  build/purpose serve --db "$db" --key-file "$dir/purpose.key" --listen 127.0.0.1:0 --quiet ${BENCH_SERVE_ARGS:-} >"$dir/serve.out" 2>"$dir/serve.err" &
  pid=$!
  pids="$pids $pid"
  for _ in $(seq 50); do grep -q serving "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$dir/serve.out")
  [ -n "$url" ] || { echo "bench/web.sh: purpose serve on $e did not start"; cat "$dir/serve.err"; exit 1; }
}

# Prints "req/s p99_ms" for one wrk run (wrk options and URL as arguments).
run_wrk() {
  wrk --latency "$@" 2>&1 | awk '
    /Requests\/sec:/ { rps = $2 }
    /^ *99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; p99 = v }
    END { printf "%s %.2f\n", rps, p99 }'
}

# True when awk's expression over the variables a, b, c, d holds.
holds() { awk -v a="$2" -v b="${3:-0}" -v c="${4:-0}" -v d="${5:-0}" "BEGIN { exit !($1) }"; }

load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "web bench: wrk $threads threads, $conns connections, ${secs}s each, on $(nproc) cores shared with" \
  "whatever else runs (load average at start: $(load))"
echo "  sqlite: WAL, synchronous=NORMAL (Purpose's setting: a commit is not flushed to disk by itself)"
case " $engines " in
*" postgresql "*) pg_dir=$(bench/pg.sh start); echo "  postgresql: $(bench/pg.sh show "$pg_dir"), over a Unix socket" ;;
esac
printf '%-11s %-24s %11s %8s %11s %8s %6s %7s\n' engine target purpose_rps p99_ms nginx_rps p99_ms ratio rss_mb

for e in $engines; do
  start_engine "$e" "$e-reads"
  node bench/web-setup.mjs "$url" "$dir/demo-credentials.txt" "$tmp/www" >"$dir/setup.out"
  chmod 644 "$tmp/www/"*
  member=$(sed -n 's/^member //p' "$dir/setup.out")
  ok=1
  for case in "public page|/|" "API read (bearer token)|/api/v1/values|Authorization: Bearer $member"; do
    name=${case%%|*}; rest=${case#*|}; path=${rest%%|*}; hdr=${rest#*|}
    set -- -t"$threads" -c"$conns" -d"${secs}s"
    [ -n "$hdr" ] && set -- "$@" -H "$hdr"
    p=$(run_wrk "$@" "$url$path"); n=$(run_wrk "$@" "http://127.0.0.1:$nport$path")
    prps=${p% *}; pp99=${p#* }; nrps=${n% *}; np99=${n#* }
    ratio=$(awk -v a="$prps" -v b="$nrps" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
    rss=$(($(awk '/VmHWM/ { print $2 }' "/proc/$pid/status") / 1024))
    printf '%-11s %-24s %11s %8s %11s %8s %6s %7s\n' "$e" "$name" "$prps" "$pp99" "$nrps" "$np99" "$ratio" "$rss"
    holds 'a >= 0.5 * b && c < 10' "$prps" "$nrps" "$pp99" || ok=0
  done
  [ "$rss" -lt 64 ] || ok=0
  echo "$ok" >"$tmp/$e.web.ok"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

echo
echo "write bench: $writers API clients PUT /api/v1/values/{id} (lead's bearer token, wrk $threads threads)" \
  "for ${wsecs}s; $readers connections read / at the same time (wrk 1 thread)"
printf '%-11s %9s %8s %7s %7s %10s %8s %7s  %s\n' engine writes/s p99_ms non2xx socket read_rps p99_ms rss_mb "load before"
for e in $engines; do
  start_engine "$e" "$e-writes"
  node bench/web-setup.mjs "$url" "$dir/demo-credentials.txt" "$tmp/www" >"$dir/setup.out"
  lead=$(sed -n 's/^lead //p' "$dir/setup.out")
  before=$(load)
  run_wrk -t1 -c"$readers" -d"${wsecs}s" "$url/" >"$dir/reads" &
  rpid=$!
  wrk -t"$threads" -c"$writers" -d"${wsecs}s" -s bench/writes.lua "$url" -- "$lead" "$dir/setup.out" \
    >"$dir/writes" 2>&1 || { cat "$dir/writes"; exit 1; }
  wait "$rpid"
  line=$(grep '^WRITES ' "$dir/writes") || { cat "$dir/writes"; exit 1; }
  field() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
  good=$(field ok); bad=$(field bad); sock=$(field socket)
  wps=$(awk -v n="$good" -v us="$(field duration_us)" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
  wp99=$(awk -v us="$(field p99_us)" 'BEGIN { printf "%.2f", us / 1000 }')
  r=$(cat "$dir/reads"); rrps=${r% *}; rp99=${r#* }
  rss=$(($(awk '/VmHWM/ { print $2 }' "/proc/$pid/status") / 1024))
  printf '%-11s %9s %8s %7s %7s %10s %8s %7s  %s\n' "$e" "$wps" "$wp99" "$bad" "$sock" "$rrps" "$rp99" "$rss" "$before"
  [ "$bad" = 0 ] || echo "  first non-2xx answer: ${line#* first_bad=}"
  ok=1
  holds 'a >= 1000 && b < 50 && c == 0 && d < 10' "$wps" "$wp99" "$((bad + sock))" "$rp99" || ok=0
  holds 'a > 0' "${rrps:-0}" || ok=0
  echo "$ok" >"$tmp/$e.write.ok"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

echo "load average at the end: $(load) (p99s include what else runs; nginx's p99 above is the yardstick)"
verdict() { if [ "$(cat "$1")" = 1 ]; then echo met; else echo "NOT met"; fi; }
for e in $engines; do
  echo "$e: reads (>= 50% of nginx, p99 < 10 ms, RSS < 64 MB): $(verdict "$tmp/$e.web.ok");" \
    "writes (>= 1,000/s, p99 < 50 ms, 0 errors, page reads p99 < 10 ms): $(verdict "$tmp/$e.write.ok")"
done
