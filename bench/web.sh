#!/bin/sh
# make bench (web part): wrk on loopback against `purpose serve` (the public "Our purpose" page and
# an API read with a bearer token), then against nginx serving the same bytes as static files, in
# the same run. Prints req/s, p99, the ratio to nginx and the server's peak RSS.
# Targets (issue 4): >= 50% of nginx, p99 < 10 ms at 64 connections, RSS < 64 MB.
# BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 64) change the run.
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
threads=$(nproc)
[ "$threads" -gt 4 ] && threads=4
for tool in wrk nginx node; do
  command -v "$tool" >/dev/null || { echo "bench/web.sh: $tool is missing (PURPOSE_BENCH=1 scripts/deps.sh)"; exit 1; }
done

tmp=$(mktemp -d)
purpose_pid=""; nginx_pid=""
cleanup() {
  [ -n "$purpose_pid" ] && kill "$purpose_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
chmod 755 "$tmp"

build/purpose init --demo --db "$tmp/purpose.db" >/dev/null
build/purpose serve --db "$tmp/purpose.db" --listen 127.0.0.1:0 --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
purpose_pid=$!
for _ in $(seq 50); do grep -q serving "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$tmp/serve.out")
[ -n "$url" ] || { echo "bench/web.sh: purpose serve did not start"; cat "$tmp/serve.err"; exit 1; }

# An admin signs in and makes a member token for the API read; the same bytes go to nginx's root.
mkdir -p "$tmp/www"
token=$(URL="$url" CREDS="$tmp/demo-credentials.txt" WWW="$tmp/www" node --input-type=module -e '
import { readFileSync, writeFileSync } from "node:fs";
const U = process.env.URL;
const creds = Object.fromEntries(readFileSync(process.env.CREDS, "utf8").split("\n")
  .filter((l) => l && !l.startsWith("#")).map((l) => { const [r, u, p] = l.trim().split(/\s+/); return [r, { u, p }]; }));
const jar = (r) => r.headers.getSetCookie().map((c) => c.split(";")[0]).filter((c) => !c.endsWith("=")).join("; ");
const page = await fetch(U + "/sign-in");
const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
const s = await fetch(U + "/sign-in", { method: "POST", redirect: "manual", headers: { Cookie: jar(page),
  "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrf, username: creds.admin.u, password: creds.admin.p }) });
const cookie = jar(s);
const me = await (await fetch(U + "/api/v1/me", { headers: { Cookie: cookie } })).json();
const users = (await (await fetch(U + "/api/v1/users", { headers: { Cookie: cookie } })).json()).users;
const t = await (await fetch(U + "/api/v1/tokens", { method: "POST", headers: { Cookie: cookie, "X-CSRF-Token": me.csrf_token,
  "Content-Type": "application/json" }, body: JSON.stringify({ name: "bench", user_id: users.find((x) => x.role === "member").id }) })).json();
writeFileSync(process.env.WWW + "/index.html", Buffer.from(await (await fetch(U + "/")).arrayBuffer()));
writeFileSync(process.env.WWW + "/values.json", Buffer.from(await (await fetch(U + "/api/v1/values", { headers: { Authorization: "Bearer " + t.token } })).arrayBuffer()));
console.log(t.token);
')
chmod 644 "$tmp/www/"*

nport=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
mkdir -p "$tmp/nginx"
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

# Prints "req/s p99_ms" for one wrk run.
run_wrk() {
  wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$@" 2>&1 | awk '
    /Requests\/sec:/ { rps = $2 }
    /^ *99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; p99 = v }
    END { printf "%s %.2f\n", rps, p99 }'
}

echo "web bench: wrk $threads threads, $conns connections, ${secs}s each, on $(nproc) cores"
printf '%-26s %12s %9s %12s %9s %7s\n' target purpose_rps p99_ms nginx_rps p99_ms ratio
ok=1
for case in "public page|/|" "API read (bearer token)|/api/v1/values|Authorization: Bearer $token"; do
  name=${case%%|*}; rest=${case#*|}; path=${rest%%|*}; hdr=${rest#*|}
  if [ -n "$hdr" ]; then
    set -- run_wrk -H "$hdr"
  else
    set -- run_wrk
  fi
  p=$("$@" "$url$path"); n=$("$@" "http://127.0.0.1:$nport$path")
  prps=${p% *}; pp99=${p#* }; nrps=${n% *}; np99=${n#* }
  ratio=$(awk -v a="$prps" -v b="$nrps" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
  printf '%-26s %12s %9s %12s %9s %7s\n' "$name" "$prps" "$pp99" "$nrps" "$np99" "$ratio"
  awk -v a="$prps" -v b="$nrps" -v l="$pp99" 'BEGIN { exit !(a >= 0.5 * b && l < 10) }' || ok=0
done
rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$purpose_pid/status")
echo "purpose peak RSS: $((rss_kb / 1024)) MB"
[ "$rss_kb" -lt 65536 ] || ok=0
if [ "$ok" = 1 ]; then
  echo "targets (>= 50% of nginx, p99 < 10 ms, RSS < 64 MB): met"
else
  echo "targets (>= 50% of nginx, p99 < 10 ms, RSS < 64 MB): NOT met"
fi
