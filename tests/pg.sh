#!/bin/sh
# A throwaway PostgreSQL server for the tests: Debian's postgresql, initdb in a temporary folder,
# listening on a Unix socket in that folder only (no TCP port). PostgreSQL refuses to run as root,
# so as root the server runs as the postgres user.
#   tests/pg.sh start        starts one; prints its folder (keep it for the other commands)
#   tests/pg.sh newdb DIR    creates a new empty database; prints its postgresql:// URL
#   tests/pg.sh stop DIR     stops the server and removes the folder
#   tests/pg.sh down DIR     stops the server as an outage would (fast: clients are cut off), keeps it
#   tests/pg.sh up DIR       starts a server stopped by down again; returns once it accepts connections
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
stop)
  dir=$2
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: tests/pg.sh start | newdb DIR | stop DIR | down DIR | up DIR" >&2
  exit 2
  ;;
esac
