#!/bin/sh
# `make bench`, handovers part: `purpose handovers generate` of about 10 M rows (1 GB of CSV) and
# `purpose handovers report --input` over it, timed with build/bench/measure (median wall time,
# peak RSS, CPU). Targets: generate > 2 M rows/s; the file report under 256 MB peak RSS.
# Then `purpose handovers import` of the same file plus the stored daily report, against the
# sqlite3 shell's .import into a table plus a GROUP BY of the same daily metrics, and on
# PostgreSQL (a server from bench/pg.sh, default durability) against psql \copy plus the same
# GROUP BY. Targets: import + report at least 2x faster than the sqlite3 path and faster than the
# psql path, peak RSS < 256 MB, the stored report < 1 s.
#   RUNS=N         timed runs per case (default 3).
#   IMPORT_RUNS=N  timed runs of each import case (default 1; each starts from an empty database).
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

# ---- import: purpose vs the sqlite3 shell, and vs psql ----
IMPORT_RUNS=${IMPORT_RUNS:-1}
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/purpose-bench-ho-XXXXXX)
PGDIR=""
trap 'rm -rf "$WORK"; [ -z "$PGDIR" ] || bench/pg.sh stop "$PGDIR"' EXIT
P=$(pwd)/$PURPOSE
IN=$(pwd)/$CSV
# The same daily metrics as the report, by site and Europe/London day of arrival (SQLite has no
# percentiles: median and p95 are left out there; PostgreSQL computes them, type 7, as we do).
SQ_DAILY="SELECT site, date(arrival, 'localtime') AS day, count(*), count(d),
  100.0 * avg(d <= 15), 100.0 * avg(d <= 30), 100.0 * avg(d <= 60), sum(d > 45), sum(d > 60), avg(d),
  sum(max(d - 15, 0)) / 60, sum(max(d - 60, 0)) / 60,
  100.0 * sum(c <= 15) / count(c)
  FROM (SELECT site, arrival, handover, (julianday(handover) - julianday(arrival)) * 1440 AS d,
               (julianday(clear) - julianday(handover)) * 1440 AS c FROM h)
  GROUP BY site, day ORDER BY site, day"
PG_DAILY="SELECT site, (arrival::timestamptz AT TIME ZONE 'Europe/London')::date AS day, count(*), count(d),
  100.0 * avg((d <= 15)::int), 100.0 * avg((d <= 30)::int), 100.0 * avg((d <= 60)::int),
  sum((d > 45)::int), sum((d > 60)::int), avg(d),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.95) WITHIN GROUP (ORDER BY d),
  sum(greatest(d - 15, 0)) / 60, sum(greatest(d - 60, 0)) / 60, 100.0 * avg((c <= 15)::int)
  FROM (SELECT site, arrival,
          extract(epoch FROM nullif(handover, '')::timestamptz - arrival::timestamptz) / 60 AS d,
          extract(epoch FROM nullif(clear, '')::timestamptz - nullif(handover, '')::timestamptz) / 60 AS c FROM h) x
  GROUP BY site, day ORDER BY site, day"
cat >"$WORK/sq_import.sh" <<EOS
rm -f "$WORK/p.db" "$WORK/p.db-wal" "$WORK/p.db-shm" "$WORK/p.db.key"
"$P" init --db "$WORK/p.db" >/dev/null && exec "$P" handovers import "$IN" --db "$WORK/p.db"
EOS
cat >"$WORK/sq_shell.sh" <<EOS
rm -f "$WORK/s.db"
exec sqlite3 "$WORK/s.db" -cmd ".mode csv" ".import $IN h"
EOS
echo "$SQ_DAILY" >"$WORK/sq_daily.sql"
r_imp=$("$TOOLS/measure" "$IMPORT_RUNS" sh "$WORK/sq_import.sh")
r_rep=$("$TOOLS/measure" "$RUNS" "$P" handovers report --db "$WORK/p.db" --by day)
r_shi=$("$TOOLS/measure" "$IMPORT_RUNS" sh "$WORK/sq_shell.sh")
r_shq=$("$TOOLS/measure" "$RUNS" sh -c "TZ=Europe/London sqlite3 '$WORK/s.db' <'$WORK/sq_daily.sql'")
ours_rows=$(( $("$P" handovers report --db "$WORK/p.db" --by day | wc -l) - 1 ))
theirs_rows=$(TZ=Europe/London sqlite3 "$WORK/s.db" <"$WORK/sq_daily.sql" | wc -l)
echo "sqlite: daily rows: purpose $ours_rows (sites + all), sqlite3 GROUP BY $theirs_rows (sites)"

PGDIR=$(bench/pg.sh start)
PGBIN=""
for b in /usr/lib/postgresql/*/bin; do [ -x "$b/psql" ] && PGBIN=$b; done
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bench/pg.sh show "$PGDIR"
PGURL="postgresql://postgres@/hobench?host=$PGDIR"
# A PostgreSQL database's key file is named (docs/privacy.md); each new hobench adopts this one.
PURPOSE_KEY_FILE=$WORK/pg.key
export PURPOSE_KEY_FILE
cat >"$WORK/pg_import.sh" <<EOS
PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -q -h "$PGDIR" -U postgres -d postgres -c "DROP DATABASE IF EXISTS hobench" -c "CREATE DATABASE hobench" >/dev/null
"$P" init --db "$PGURL" >/dev/null && exec "$P" handovers import "$IN" --db "$PGURL"
EOS
cat >"$WORK/pg_copy.sh" <<EOS
PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -q -h "$PGDIR" -U postgres -d postgres -c "DROP DATABASE IF EXISTS hocopy" -c "CREATE DATABASE hocopy" >/dev/null
"$PGBIN/psql" -q -h "$PGDIR" -U postgres -d hocopy -c "CREATE TABLE h(site text, arrival text, handover text, clear text, ref text)" >/dev/null
exec "$PGBIN/psql" -q -h "$PGDIR" -U postgres -d hocopy -c "\\copy h FROM '$IN' WITH (FORMAT csv, HEADER true)"
EOS
echo "$PG_DAILY" >"$WORK/pg_daily.sql"
chmod 644 "$WORK"/*.sql
p_imp=$("$TOOLS/measure" "$IMPORT_RUNS" sh "$WORK/pg_import.sh")
p_rep=$("$TOOLS/measure" "$RUNS" "$P" handovers report --db "$PGURL" --by day)
p_cpy=$("$TOOLS/measure" "$IMPORT_RUNS" sh "$WORK/pg_copy.sh")
p_qry=$("$TOOLS/measure" "$RUNS" "$PGBIN/psql" -q -h "$PGDIR" -U postgres -d hocopy -At -f "$WORK/pg_daily.sql")

printf '%s\n' "sqlite:import $r_imp" "sqlite:report $r_rep" "sqlite3:.import $r_shi" "sqlite3:group-by $r_shq" \
  "pg:import $p_imp" "pg:report $p_rep" "psql:\\copy $p_cpy" "psql:group-by $p_qry" | awk -v rows="$rows" '
  { w[$1] = $2; m[$1] = $3 * 1024 / 1e6; c[$1] = $4
    printf "%-17s %8.3f s %8.2f M rows/s %8.1f MB peak RSS %8.3f CPU s\n", $1, $2, rows / $2 / 1e6, $3 * 1024 / 1e6, $4 }
  END {
    ours = w["sqlite:import"] + w["sqlite:report"]; theirs = w["sqlite3:.import"] + w["sqlite3:group-by"]
    pours = w["pg:import"] + w["pg:report"]; ptheirs = w["psql:\\copy"] + w["psql:group-by"]
    rss = m["sqlite:import"] > m["pg:import"] ? m["sqlite:import"] : m["pg:import"]
    rep = w["sqlite:report"] > w["pg:report"] ? w["sqlite:report"] : w["pg:report"]
    printf "sqlite: purpose import + report %.2f s (%.2f M rows/s) vs sqlite3 .import + GROUP BY %.2f s: %.2fx\n", ours, rows / ours / 1e6, theirs, theirs / ours
    printf "postgresql: purpose import + report %.2f s (%.2f M rows/s) vs psql \\copy + GROUP BY %.2f s: %.2fx\n", pours, rows / pours / 1e6, ptheirs, ptheirs / pours
    printf "targets (wall time):\n"
    printf "  >= 2x the sqlite3 shell path:  %-4s (%.2fx)\n", (theirs / ours >= 2) ? "PASS" : "MISS", theirs / ours
    printf "  faster than the psql path:     %-4s (%.2fx)\n", (ptheirs / pours > 1) ? "PASS" : "MISS", ptheirs / pours
    printf "  import peak RSS < 256 MB:      %-4s (%.1f MB)\n", (rss < 256) ? "PASS" : "MISS", rss
    printf "  stored report < 1 s:           %-4s (%.3f s)\n", (rep < 1) ? "PASS" : "MISS", rep
  }'
