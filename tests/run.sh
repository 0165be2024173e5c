#!/bin/sh
# Runs every test suite and ends with "N passed, N failed, N skipped". Each suite prints TAP lines
# ("ok ..." / "not ok ..."); this script counts them and fails if any failed or a suite crashed.
# A line with TAP's "# SKIP" directive (a test that does not apply to an engine) counts as skipped.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
crashed=0

# A throwaway PostgreSQL server: the store and HTTP suites run on it as well as on SQLite.
pgdir=""
if pgdir=$(tests/pg.sh start); then
  export PURPOSE_TEST_PG_DIR="$pgdir"
  PURPOSE_TEST_PG=$(tests/pg.sh newdb "$pgdir")
  export PURPOSE_TEST_PG
  echo "# engines: sqlite, postgresql (server in $pgdir)"
else
  pgdir=""
  echo "not ok - could not start the PostgreSQL test server (tests/pg.sh start)"
  crashed=$((crashed + 1))
fi
trap 'rm -f "$log"; [ -z "$pgdir" ] || tests/pg.sh stop "$pgdir"' EXIT

run_suite() {
  name=$1; shift
  echo "# suite: $name"
  if ! "$@" >"$log.out" 2>&1; then
    if ! grep '^not ok' "$log.out" | grep -vq '# SKIP'; then
      echo "not ok - $name exited with an error"
      crashed=$((crashed + 1))
    fi
  fi
  cat "$log.out" | tee -a "$log" | grep -E '^(not ok|#)' || true
  rm -f "$log.out"
}

# Sizes first: no C file under src/ over 600 lines, no function over 80, but those listed with a reason.
run_suite "structure" tests/structure.sh

export CMOCKA_MESSAGE_OUTPUT=TAP
# Fontconfig (under cairo) keeps its configuration for the life of the process.
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for variant in release san; do
  for t in build/$variant/tests/test_*; do
    case "$t" in *.d) continue ;; esac
    [ -x "$t" ] || continue
    run_suite "unit $variant $(basename "$t")" "$t"
  done
done
for variant in release san; do
  for t in build/$variant/tests/replay_fuzz_*; do
    case "$t" in *.d) continue ;; esac
    [ -x "$t" ] || continue
    name=$(basename "$t"); name=${name#replay_fuzz_}
    run_suite "fuzz corpus $variant $name" "$t" tests/fuzz/corpus/"$name"/*
  done
done
for t in tests/golden/run.mjs tests/cli/run.mjs tests/cli/handovers.mjs tests/opinion/run.mjs; do
  [ -f "$t" ] || continue
  run_suite "$t (release)" node "$t" build/release/purpose
  run_suite "$t (sanitized)" node "$t" build/san/purpose
done
for t in tests/http/*.test.mjs; do
  [ -f "$t" ] || continue
  run_suite "$t (release, sqlite)" node "$t" build/release/purpose
  run_suite "$t (sanitized, sqlite)" node "$t" build/san/purpose
  [ -n "$pgdir" ] || continue
  run_suite "$t (release, postgresql)" env PURPOSE_TEST_ENGINE=postgresql node "$t" build/release/purpose
  run_suite "$t (sanitized, postgresql)" env PURPOSE_TEST_ENGINE=postgresql node "$t" build/san/purpose
done
# Browser suites on a database run on both engines, as the HTTP suites do.
for t in tests/browser/*.test.mjs; do
  [ -f "$t" ] || continue
  run_suite "$t (sqlite)" node "$t"
  if [ -n "$pgdir" ] && grep -q demoDb "$t"; then
    run_suite "$t (postgresql)" env PURPOSE_TEST_ENGINE=postgresql node "$t"
  fi
done

passed=$(grep '^ok' "$log" | grep -vc '# SKIP')
skipped=$(grep -c '^\(not \)\{0,1\}ok.*# SKIP' "$log")
failed=$(( $(grep '^not ok' "$log" | grep -vc '# SKIP') + crashed ))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
