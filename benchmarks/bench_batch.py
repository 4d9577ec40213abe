"""Batch screening benchmark: `pingan antifraud screen` replays a month of a simulated county into a fresh
database and prints the rate the command reports (boot included) and the wall time.

The month is `pingan antifraud simulate` with its defaults (20,000 customers, 30 days: about 208,000
remittances) and seed 202, which the shipped model was not trained on; the county's organisation and the
intel the police held before day 0 are loaded first, as an operator would. The month is replayed
``--repeat`` times, each into a fresh copy of that database (this machine's speed drifts from run to run):
each run's rate, their median, and the CPU the command and its helper processes spent per remittance.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import statistics
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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pingan-batch-"))
    try:
        loaded = tmp / "loaded.sqlite3"
        env = {**os.environ, "PINGAN_DATABASE_URL": args.database_url or f"sqlite:///{loaded}"}
        county = tmp / "county"
        for cmd in (["antifraud", "simulate", "--out", str(county), "--customers", str(args.customers),
                     "--days", str(args.days), "--seed", str(args.seed)],
                    ["db", "upgrade"], ["org", "load", str(county / "org.yaml")],
                    ["antifraud", "intel", "import", str(county / "intel.csv")]):
            subprocess.run([str(BIN / "pingan"), *cmd], env=env, check=True, capture_output=True)
        if not args.database_url:  # the loaded database as one file, copied afresh for each run
            conn = sqlite3.connect(loaded)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        rates = []
        for run in range(1, (1 if args.database_url else args.repeat) + 1):  # a server database: one run
            if not args.database_url:
                for stale in tmp.glob("run.sqlite3*"):  # the last run's database, with its log
                    stale.unlink()
                shutil.copyfile(loaded, tmp / "run.sqlite3")
                env["PINGAN_DATABASE_URL"] = f"sqlite:///{tmp / 'run.sqlite3'}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([str(BIN / "pingan"), "antifraud", "screen", "--input",
                                   str(county / "requests.jsonl"), "--output", str(tmp / "decisions.jsonl")],
                                  env=env, check=True, capture_output=True, text=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and the helpers it joined
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            summary = re.search(r"screened (\d+) lines in ([\d.]+) s \(([\d,]+)/s\): (.*)", done.stderr)
            lines = sum(1 for _ in (tmp / "decisions.jsonl").open("rb"))
            rate = int(summary.group(3).replace(",", ""))
            rates.append(rate)
            print(f"batch.screen run={run} remittances={summary.group(1)} seconds={summary.group(2)} per_s={rate} "
                  f"wall_s={wall:.1f} cpu_us_per_remittance={cpu / int(summary.group(1)) * 1e6:.0f} "
                  f"cores_busy={cpu / wall:.2f} output_lines={lines} ({summary.group(4)})")
        print(f"batch.summary runs={len(rates)} median_per_s={statistics.median(rates):.0f} "
              f"(target: >=10000/s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
