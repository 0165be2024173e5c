#!/bin/sh
# make run: creates the demo database if missing, then serves it until Ctrl-C.
set -eu
cd "$(dirname "$0")/.."
db=${PURPOSE_DB:-data/purpose.db}
creds="$(dirname "$db")/demo-credentials.txt"
if [ ! -f "$db" ]; then
  build/purpose init --demo --db "$db"
fi
echo "purpose: the database's key file is ${PURPOSE_KEY_FILE:-$db.key} (keep it apart from the database's backups)"
if [ -f "$creds" ]; then
  echo "purpose: demo sign-ins (one per role) are in $creds"
else
  echo "purpose: add a sign-in with: build/purpose user add NAME --role admin --db $db"
fi
exec build/purpose serve --db "$db" --listen "${PURPOSE_LISTEN:-127.0.0.1:8080}"
