#!/bin/sh
# A throwaway PostgreSQL server for the benchmarks: like tests/pg.sh (Debian's postgresql, initdb in
# a temporary folder, a Unix socket in that folder, no TCP port), but with PostgreSQL's default
# durability: fsync and synchronous_commit stay on, so every commit waits for its WAL flush.
# The folder is under /tmp (on this machine the same disk as everything else, not a tmpfs).
#   bench/pg.sh start        starts one; prints its folder
#   bench/pg.sh newdb DIR    creates an empty database; prints its postgresql:// URL
#   bench/pg.sh show DIR     prints the settings that make commits durable
#   bench/pg.sh standby DIR  starts a hot standby of it (pg_basebackup -R, streaming replication) on the
#                            socket folder DIR/standby; prints that folder
#   bench/pg.sh stop DIR     stops the server (and its standby) and removes the folder
set -eu
bin=""
for b in /usr/lib/postgresql/*/bin; do [ -x "$b/initdb" ] && bin=$b; done
[ -n "$bin" ] || { echo "bench/pg.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/purpose-bench-pg-XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  # --no-sync only skips initdb's own final flush; the server below runs with the defaults.
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-k $dir -c listen_addresses=''" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "$dir"
  ;;
newdb)
  dir=$2
  name="bench$(date +%s)_$$"
  as_owner "$bin/createdb" -h "$dir" -U postgres "$name"
  echo "postgresql://postgres@/$name?host=$dir"
  ;;
show)
  dir=$2
  as_owner "$bin/psql" -h "$dir" -U postgres -d postgres -At -c \
    "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync') ||
            ', synchronous_commit=' || current_setting('synchronous_commit') ||
            ', wal_sync_method=' || current_setting('wal_sync_method')"
  ;;
standby)
  dir=$2
  as_owner mkdir -m 700 "$dir/standby"
  as_owner "$bin/pg_basebackup" -h "$dir" -U postgres -D "$dir/standby/data" -R -X stream -c fast \
    >"$dir/standby.log" 2>&1 || { cat "$dir/standby.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/standby/data" -l "$dir/standby/server.log" -w -o "-k $dir/standby -c listen_addresses=''" \
    start >/dev/null || { cat "$dir/standby/server.log" >&2; exit 1; }
  echo "$dir/standby"
  ;;
stop)
  dir=$2
  [ -d "$dir/standby/data" ] && as_owner "$bin/pg_ctl" -D "$dir/standby/data" -m fast stop >/dev/null 2>&1
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: bench/pg.sh start | newdb DIR | show DIR | standby DIR | stop DIR" >&2
  exit 2
  ;;
esac
