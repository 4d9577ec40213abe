#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL. Without PostgreSQL the second half is skipped
# (and said so plainly); with CI=true a missing PostgreSQL is a failure.
set -uo pipefail
BIN=${BIN:-.venv/bin}
PG_URL=${PINGAN_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
status=0

summary=()
mkdir -p reports

run_suite() {  # $1 = label; pytest's exit 5 (no test collected) counts as a failure
  local label=$1; shift
  local log="reports/test-${label,,}.log"
  echo "=== test suite on $label ==="
  "$BIN/python" -m pytest "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if [ $rc -eq 5 ]; then echo "no test ran on $label: failing"; rc=1; fi
  [ $rc -eq 0 ] || status=1
  # Both halves' results again at the end, so that the tail of a long log says which half failed and why.
  summary+=("$label: $(grep -E '[0-9]+ (passed|failed|errors?|skipped|deselected).* in [0-9.]+s' "$log" | tail -1 | tr -d '=' | xargs) (exit $rc)")
  while IFS= read -r line; do summary+=("  $line"); done < <(grep -E '^(FAILED|ERROR) ' "$log")
}

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

run_suite "SQLite" "$@"

if ! postgres_up; then start_postgres; fi
if postgres_up; then
  PINGAN_DATABASE_URL=$PG_URL run_suite "PostgreSQL" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL did not answer at $PG_URL: failing (CI=true requires both halves)"
  status=1
else
  echo "SKIPPED the PostgreSQL half: no PostgreSQL answered at $PG_URL"
fi
echo "=== summary ==="
printf '%s\n' "${summary[@]}"
exit $status
