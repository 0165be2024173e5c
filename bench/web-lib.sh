# Shared by bench/web.sh and bench/deps.sh (sourced, after `set -eu` and `cd` to the repository):
# a temporary folder, nginx serving $tmp/www on 127.0.0.1:$nport, `purpose serve` on a new demo
# database of either engine, wrk's figures and the load average. $bench_name is the calling script's name
# for messages; $nginx_extra, if set, adds location lines to nginx's server block. Everything
# started is stopped on exit. The options both take: BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_WRITERS,
# BENCH_READERS (BENCH_ENGINES's default is the caller's).
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
writers=${BENCH_WRITERS:-16}
readers=${BENCH_READERS:-8}
root=$(pwd)
threads=$(nproc)
[ "$threads" -gt 4 ] && threads=4
for tool in wrk nginx node; do
  command -v "$tool" >/dev/null || { echo "$bench_name: $tool is missing (PURPOSE_BENCH=1 scripts/deps.sh)"; exit 1; }
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
    location = /api/v1/values { default_type application/json; try_files /values.json =404; }
    ${nginx_extra:-}
  }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx.conf" 2>"$tmp/nginx/stderr" &
nginx_pid=$!
sleep 0.5
kill -0 "$nginx_pid" 2>/dev/null || { echo "$bench_name: nginx did not start"; cat "$tmp/nginx/stderr"; exit 1; }

# start_engine ENGINE FOLDER [PROGRAM]: a new demo database on ENGINE and `purpose serve` on it (PROGRAM,
# default build/purpose: another build's, e.g. a baseline's, makes its own database), its files in
# $tmp/FOLDER; sets dir, url and pid. BENCH_SERVE_ARGS adds options to `purpose serve`.
start_engine() {
  e=$1; dir=$tmp/$2; prog=${3:-$root/build/purpose}
  mkdir -p "$dir"
  if [ "$e" = sqlite ]; then
    db=$dir/purpose.db
  else
    [ -n "$pg_dir" ] || pg_dir=$(bench/pg.sh start)
    db=$(bench/pg.sh newdb "$pg_dir")
  fi
  # A build from before key files (docs/privacy.md) takes no --key-file.
  key=""
  "$prog" help serve 2>&1 | grep -q -- --key-file && key="--key-file $dir/purpose.key"
  # For a postgresql:// URL, init writes demo-credentials.txt in the current folder.
  # shellcheck disable=SC2086 # $key is an option and its value
  (cd "$dir" && "$prog" init --demo --db "$db" $key >/dev/null)
  # shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a list of options
  "$prog" serve --db "$db" $key --listen 127.0.0.1:0 --quiet ${BENCH_SERVE_ARGS:-} >"$dir/serve.out" 2>"$dir/serve.err" &
  pid=$!
  pids="$pids $pid"
  for _ in $(seq 50); do grep -q serving "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$dir/serve.out")
  [ -n "$url" ] || { echo "$bench_name: purpose serve on $e did not start"; cat "$dir/serve.err"; exit 1; }
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

# write_run SECONDS TOKEN TARGETS: $writers API clients (bench/writes.lua over TARGETS' put lines,
# TOKEN a lead's) write for SECONDS while $readers connections read / of the server at $url; sets
# line (writes.lua's WRITES line) and leaves the reads' "req/s p99_ms" in $dir/reads.
write_run() {
  run_wrk -t1 -c"$readers" -d"$1s" "$url/" >"$dir/reads" &
  rpid=$!
  wrk -t"$threads" -c"$writers" -d"$1s" -s bench/writes.lua "$url" -- "$2" "$3" \
    >"$dir/writes" 2>&1 || { cat "$dir/writes"; exit 1; }
  wait "$rpid"
  line=$(grep '^WRITES ' "$dir/writes") || { cat "$dir/writes"; exit 1; }
}
