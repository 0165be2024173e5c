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
# BENCH_SERVE_ARGS (more options for `purpose serve`, e.g. "--threads 16") change the run;
# BENCH_WRITE_SECONDS=0 leaves the writes out.
# BENCH_BASELINE=DIR, a checkout of an earlier commit built there (`make all`: DIR/build/purpose),
# adds the reads against that build in the same run: for each engine and read, BENCH_ROUNDS (default
# 3) rounds of this build then the baseline, one after the other (so both see the same load), each
# on its own demo database; then the medians and this build's ratio to the baseline (issue 18: the
# reads must not slow down). It exits 0 when a target is missed (it is a report), nonzero when a
# step fails.
set -eu
cd "$(dirname "$0")/.."
bench_name=bench/web.sh
wsecs=${BENCH_WRITE_SECONDS:-20}
engines=${BENCH_ENGINES:-sqlite postgresql}
baseline=${BENCH_BASELINE:-}
rounds=${BENCH_ROUNDS:-3}
[ -z "$baseline" ] || [ -x "$baseline/build/purpose" ] || { echo "$bench_name: $baseline/build/purpose is missing (make all there)"; exit 1; }
. bench/web-lib.sh

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

if [ -n "$baseline" ]; then
  echo
  echo "reads against the baseline $(git -C "$baseline" log -1 --format='%h %cs' 2>/dev/null || echo "$baseline"): $rounds rounds" \
    "of ${secs}s each, this build then the baseline (load average now: $(load))"
  printf '%-11s %-24s %-8s %s\n' engine target build "req/s per round (p99 ms)"
  for e in $engines; do
    start_engine "$e" "$e-main"; murl=$url
    node bench/web-setup.mjs "$murl" "$dir/demo-credentials.txt" "$dir" >"$dir/setup.out"
    mmember=$(sed -n 's/^member //p' "$dir/setup.out"); mpid=$pid
    start_engine "$e" "$e-base" "$baseline/build/purpose"; burl=$url
    node bench/web-setup.mjs "$burl" "$dir/demo-credentials.txt" "$dir" >"$dir/setup.out"
    bmember=$(sed -n 's/^member //p' "$dir/setup.out"); bpid=$pid
    for case in "public page|/|" "API read (bearer token)|/api/v1/values|1"; do
      cname=${case%%|*}; rest=${case#*|}; path=${rest%%|*}; token=${rest#*|}
      m=""; b=""
      for _ in $(seq "$rounds"); do
        set -- -t"$threads" -c"$conns" -d"${secs}s"
        [ -n "$token" ] && set -- "$@" -H "Authorization: Bearer $mmember"
        m="$m $(run_wrk "$@" "$murl$path" | tr ' ' ,)"
        set -- -t"$threads" -c"$conns" -d"${secs}s"
        [ -n "$token" ] && set -- "$@" -H "Authorization: Bearer $bmember"
        b="$b $(run_wrk "$@" "$burl$path" | tr ' ' ,)"
      done
      echo "$m" | awk -v e="$e" -v n="$cname" -v w="this" -v b="$b" '
        function med(s,   a, k, i, j, t, x) { k = split(s, a, " "); for (i = 1; i <= k; i++) { split(a[i], t, ","); a[i] = t[1] + 0 }
          for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
          return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
        function show(s,   a, k, i, t, o) { k = split(s, a, " "); o = ""; for (i = 1; i <= k; i++) { split(a[i], t, ","); o = o sprintf("%.0f (%s)  ", t[1], t[2]) } return o }
        { mm = med($0); bm = med(b)
          printf "%-11s %-24s %-8s %s\n", e, n, "this", show($0)
          printf "%-11s %-24s %-8s %s\n", e, n, "baseline", show(b)
          printf "%-11s %-24s %-8s median %.0f vs %.0f req/s: %.2f of the baseline\n", e, n, "ratio", mm, bm, (bm > 0 ? mm / bm : 0) }'
    done
    kill "$mpid" "$bpid"; wait "$mpid" "$bpid" 2>/dev/null || true
  done
  echo "load average after the baseline rounds: $(load)"
fi

if [ "$wsecs" -le 0 ]; then
  echo "load average at the end: $(load)"
  for e in $engines; do
    echo "$e: reads (>= 50% of nginx, p99 < 10 ms, RSS < 64 MB): $([ "$(cat "$tmp/$e.web.ok")" = 1 ] && echo met || echo "NOT met")"
  done
  exit 0
fi
echo
echo "write bench: $writers API clients PUT /api/v1/values/{id} (lead's bearer token, wrk $threads threads)" \
  "for ${wsecs}s; $readers connections read / at the same time (wrk 1 thread)"
printf '%-11s %9s %8s %7s %7s %10s %8s %7s  %s\n' engine writes/s p99_ms non2xx socket read_rps p99_ms rss_mb "load before"
for e in $engines; do
  start_engine "$e" "$e-writes"
  node bench/web-setup.mjs "$url" "$dir/demo-credentials.txt" "$tmp/www" >"$dir/setup.out"
  lead=$(sed -n 's/^lead //p' "$dir/setup.out")
  before=$(load)
  write_run "$wsecs" "$lead" "$dir/setup.out"
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
