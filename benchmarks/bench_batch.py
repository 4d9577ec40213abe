"""Batch screening benchmark: `pingan antifraud screen` replays a month of a county (150,000 remittances by
default) into a fresh database; prints the screening rate the command reports and the wall time."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from county_month import write_month  # noqa: E402

BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--remittances", type=int, default=150_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pingan-batch-"))
    try:
        month = write_month(tmp / "month.jsonl", remittances=args.remittances)
        env = {**os.environ, "PINGAN_DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'batch.sqlite3'}"}
        for cmd in (["db", "upgrade"], ["demo"]):
            subprocess.run([str(BIN / "pingan"), *cmd], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run([str(BIN / "pingan"), "antifraud", "screen", "--input", str(month),
                               "--output", str(tmp / "decisions.jsonl")], env=env, check=True,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
        summary = re.search(r"screened (\d+) lines in ([\d.]+) s \(([\d,]+)/s\): (.*)", done.stderr)
        lines = sum(1 for _ in (tmp / "decisions.jsonl").open("rb"))
        print(f"batch.screen remittances={summary.group(1)} seconds={summary.group(2)} "
              f"per_s={summary.group(3).replace(',', '')} wall_s={wall:.1f} output_lines={lines} "
              f"({summary.group(4)}) (target: >=10000/s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
