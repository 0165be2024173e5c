#!/bin/sh
# A throwaway PostgreSQL server for the tests: Debian's postgresql, initdb in a temporary folder,
# listening on a Unix socket in that folder only (no TCP port). PostgreSQL refuses to run as root,
# so as root the server runs as the postgres user.
#   tests/pg.sh start        starts one; prints its folder (keep it for the other commands)
#   tests/pg.sh newdb DIR    creates a new empty database; prints its postgresql:// URL
#   tests/pg.sh stop DIR     stops the server and removes the folder
#   tests/pg.sh down DIR     stops the server as an outage would (fast: clients are cut off), keeps it
#   tests/pg.sh up DIR       starts a server stopped by down again; returns once it accepts connections
#   tests/pg.sh standby DIR  starts a hot standby of DIR's server (pg_basebackup -R: streaming
#                            replication) on the socket folder DIR/standby; prints that folder. A
#                            database's URL on it is its newdb URL with host=DIR/standby
#   tests/pg.sh standby-down DIR / standby-up DIR   stops the standby as an outage would / starts it again
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  as_owner "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -o \
    "-k $1 -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    start >/dev/null || { cat "$1/server.log" >&2; exit 1; }
}

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/purpose-pg-XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync off: a test server's data is thrown away; it makes the suites several times faster.
  pg_start "$dir"
  echo "$dir"
  ;;
down)
  as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
  ;;
up)
  pg_start "$2"
  ;;
newdb)
  dir=$2
  n=$(ls "$dir" | grep -c '^db-' || true)
  name="t$(date +%s)_$$_$n"
  touch "$dir/db-$name" 2>/dev/null || as_owner touch "$dir/db-$name"
  as_owner "$bin/createdb" -h "$dir" -U postgres "$name"
  echo "postgresql://postgres@/$name?host=$dir"
  ;;
standby)
  dir=$2
  as_owner mkdir -m 700 "$dir/standby"
  as_owner "$bin/pg_basebackup" -h "$dir" -U postgres -D "$dir/standby/data" -R -X stream -c fast --no-sync \
    >"$dir/standby.log" 2>&1 || { cat "$dir/standby.log" >&2; exit 1; }
  pg_start "$dir/standby"
  echo "$dir/standby"
  ;;
standby-down)
  as_owner "$bin/pg_ctl" -D "$2/standby/data" -m fast -w stop >/dev/null
  ;;
standby-up)
  pg_start "$2/standby"
  ;;
stop)
  dir=$2
  [ -d "$dir/standby/data" ] && as_owner "$bin/pg_ctl" -D "$dir/standby/data" -m immediate stop >/dev/null 2>&1
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: tests/pg.sh start | newdb DIR | stop DIR | down DIR | up DIR | standby DIR | standby-down DIR | standby-up DIR" >&2
  exit 2
  ;;
esac
