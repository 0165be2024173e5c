#!/bin/sh
# Installs the Debian packages Purpose builds and tests with, when any is missing: as root it runs
# apt-get; otherwise it prints the exact command and stops. Then installs the npm packages.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="gcc make pkg-config libcmocka-dev chromium fonts-liberation libsqlite3-dev sqlite3 libmicrohttpd-dev libsodium-dev libjansson-dev libpq-dev postgresql libcairo2-dev zlib1g-dev poppler-utils"
[ "${PURPOSE_BENCH:-}" = 1 ] && PACKAGES="$PACKAGES hyperfine wrk nginx-light"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $p"
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root:  apt-get update && apt-get install -y$missing" >&2
    exit 1
  fi
fi

if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
