#!/usr/bin/env bash
# Runs every benchmark under benchmarks/ and prints their figures.
set -euo pipefail
BIN=${BIN:-.venv/bin}
shopt -s nullglob
benches=(benchmarks/bench_*.py)
if [ ${#benches[@]} -eq 0 ]; then echo "no benchmarks yet"; exit 0; fi
for bench in "${benches[@]}"; do
  echo "=== $bench ==="
  "$BIN/python" "$bench" ${BENCH_ARGS:-}
done
