#!/usr/bin/env bash
# Runs the whole suite on SQLite and on PostgreSQL. Each database's half runs its tests, then its slow tests
# (a server killed under load, the demo month, the published-API fuzzing); the two halves run side by side,
# each on its own database. Last and alone, the tests that time what they measure (several processes on
# Redis and NATS: a listing reaching the other process within 100 ms) run on PostgreSQL, the database they
# need. Without PostgreSQL its half is skipped (and said so plainly); with CI=true a missing PostgreSQL is a
# failure.
set -uo pipefail
BIN=${BIN:-.venv/bin}
PG_URL=${PINGAN_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
status=0
summary=()
mkdir -p reports

postgres_up() {
  "$BIN/python" - "$PG_URL" <<'PY' >/dev/null 2>&1
import sys, psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
psycopg.connect(url, connect_timeout=3).close()
PY
}

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "PostgreSQL is not installed: installing Debian's postgresql"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || return 1
  fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | head -1)
  [ -n "$version" ] || return 1
  local hba=/etc/postgresql/$version/main/pg_hba.conf
  # The suite connects over TCP without a password, as on the machines it is meant for.
  if [ -f "$hba" ] && ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  for _ in $(seq 1 20); do postgres_up && break; sleep 1; done
  su postgres -c "createdb test" >/dev/null 2>&1 || true
}

# run LABEL PHASE [pytest args...]: the log goes to reports/test-<label>-<phase>.log; prints the exit code.
run() {
  local label=$1 phase=$2; shift 2
  local log="reports/test-${label,,}-$phase.log"
  if [ "$label" = PostgreSQL ]; then
    PINGAN_DATABASE_URL=$PG_URL "$BIN/python" -m pytest -p no:cacheprovider --durations=15 "$@" >"$log" 2>&1
  else  # the suite makes a SQLite file of its own when no URL is set
    env -u PINGAN_DATABASE_URL "$BIN/python" -m pytest -p no:cacheprovider --durations=15 "$@" >"$log" 2>&1
  fi
  echo $?
}

# settle LABEL PHASE RC: counts the phase's result; no test collected (exit 5) fails the first phase only.
settle() {
  local label=$1 phase=$2 rc=$3 log="reports/test-${1,,}-$2.log"
  echo "=== $label, $phase tests ==="
  cat "$log"
  if [ "$rc" -eq 5 ] && [ "$phase" = main ]; then echo "no test ran on $label: failing"; rc=1; fi
  [ "$rc" -eq 5 ] && rc=0
  [ "$rc" -eq 0 ] || status=1
  # Every phase's result again at the end, so that the tail of a long log says what failed and why.
  summary+=("$label, $phase: $(grep -E '[0-9]+ (passed|failed|errors?|skipped|deselected).* in [0-9.]+s' "$log" \
    | tail -1 | tr -d '=' | xargs) (exit $rc)")
  while IFS= read -r line; do summary+=("  $line"); done < <(grep -E '^(FAILED|ERROR) ' "$log")
}

if ! postgres_up; then start_postgres; fi
databases=(SQLite)
if postgres_up; then
  databases+=(PostgreSQL)
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL did not answer at $PG_URL: failing (CI=true requires both halves)"
  status=1
else
  echo "SKIPPED the PostgreSQL half: no PostgreSQL answered at $PG_URL"
fi

echo "=== the suite on ${databases[*]}, side by side (logs in reports/) ==="
pids=()
for label in "${databases[@]}"; do
  ( run "$label" main -m "not slow" "$@" >"reports/.rc-$label-main"
    run "$label" slow -m "slow and not timed" "$@" >"reports/.rc-$label-slow" ) &
  pids+=($!)
done
wait "${pids[@]}"
for label in "${databases[@]}"; do
  settle "$label" main "$(cat "reports/.rc-$label-main")"
  settle "$label" slow "$(cat "reports/.rc-$label-slow")"
done
if [[ " ${databases[*]} " == *" PostgreSQL "* ]]; then
  echo "=== timed tests on PostgreSQL, alone ==="
  settle PostgreSQL timed "$(run PostgreSQL timed -m timed "$@")"
fi
rm -f reports/.rc-*

echo "=== summary ==="
printf '%s\n' "${summary[@]}"
exit $status
