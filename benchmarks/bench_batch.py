"""Batch screening benchmark: `pingan antifraud screen` replays a month of a simulated county into a fresh
database and prints the rate the command reports (boot included) and the wall time.

The month is `pingan antifraud simulate` with its defaults (20,000 customers, 30 days: about 150,000
remittances) and seed 202, which the shipped model was not trained on; the county's organisation and the
intel the police held before day 0 are loaded first, as an operator would.
"""

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

BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=202)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pingan-batch-"))
    try:
        env = {**os.environ, "PINGAN_DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'batch.sqlite3'}"}
        county = tmp / "county"
        for cmd in (["antifraud", "simulate", "--out", str(county), "--customers", str(args.customers),
                     "--days", str(args.days), "--seed", str(args.seed)],
                    ["db", "upgrade"], ["org", "load", str(county / "org.yaml")],
                    ["antifraud", "intel", "import", str(county / "intel.csv")]):
            subprocess.run([str(BIN / "pingan"), *cmd], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run([str(BIN / "pingan"), "antifraud", "screen", "--input", str(county / "requests.jsonl"),
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
