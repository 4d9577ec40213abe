#!/usr/bin/env bash
# Runs every benchmark under benchmarks/ and prints their figures; the HTTP screening benchmark runs again on
# PostgreSQL, in a database of the benchmarks' own (PINGAN_BENCH_POSTGRES_URL, default pingan_scale_bench,
# created when missing; its schema is dropped at each run). bench_scale.py uses the same database.
set -euo pipefail
BIN=${BIN:-.venv/bin}
PG_BENCH=${PINGAN_BENCH_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/pingan_scale_bench}
export PINGAN_BENCH_POSTGRES_URL=$PG_BENCH
shopt -s nullglob
benches=(benchmarks/bench_*.py)
if [ ${#benches[@]} -eq 0 ]; then echo "no benchmarks yet"; exit 0; fi
"$BIN/python" - "$PG_BENCH" <<'PY' || echo "PostgreSQL benchmark database unavailable: its runs will fail"
import sys, psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
base, _, name = url.rpartition("/")
with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PY
for bench in "${benches[@]}"; do
  echo "=== $bench ==="
  "$BIN/python" "$bench" ${BENCH_ARGS:-}
done
echo "=== benchmarks/bench_screening_http.py on PostgreSQL ==="
"$BIN/python" benchmarks/bench_screening_http.py --database-url "$PG_BENCH" ${BENCH_ARGS:-}
