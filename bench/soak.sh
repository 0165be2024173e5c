#!/bin/sh
# make bench: the long soak (issue 16). Every GET route of `purpose serve --routes`, thousands of
# times each as anonymous and as a signed-in member (tests/http/soak.test.mjs with
# PURPOSE_SOAK_LONG=1), on SQLite then PostgreSQL; fails if the server's VmRSS grows by more than
# the test's margin. SOAK_ENGINES ("sqlite postgresql") chooses the engines.
set -eu
cd "$(dirname "$0")/.."
status=0
for engine in ${SOAK_ENGINES:-sqlite postgresql}; do
  echo "# soak, long, $engine"
  if [ "$engine" = postgresql ]; then
    dir=$(tests/pg.sh start)
    PURPOSE_SOAK_LONG=1 PURPOSE_TEST_ENGINE=postgresql PURPOSE_TEST_PG_DIR=$dir \
      node tests/http/soak.test.mjs build/release/purpose || status=1
    tests/pg.sh stop "$dir"
  else
    PURPOSE_SOAK_LONG=1 node tests/http/soak.test.mjs build/release/purpose || status=1
  fi
done
exit $status
