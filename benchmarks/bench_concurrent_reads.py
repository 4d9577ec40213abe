"""Concurrent audited reads and writes over real HTTP: 8 readers of one dispute (every read writes an audit row)
and 2 writers listing intel entries, against a real server process, for ~15 s.

Runs on SQLite, and on PostgreSQL too when a PostgreSQL URL is given (`--postgres-url`, or the environment's
PINGAN_DATABASE_URL when it is one). Prints the answers per status and the latency median and p99 of readers
and writers; exits non-zero if any answer was a 5xx (or a connection failed). Usage:
    python benchmarks/bench_concurrent_reads.py [--seconds 15] [--readers 8] [--writers 2] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from pingan.core.identity import make_resident_id

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_screening_http import BIN, free_port, run, wait_ready  # noqa: E402

ORG = """
units:
  - code: "331003"
    name: 黄岩分局
    kind: bureau
    children:
      - code: "331003-01"
        name: 头陀派出所
        kind: station
        children: [{code: "331003-01-01", name: 头陀社区, kind: community}]
banks:
  - {code: TZB, name: 台州银行, branches: [{code: TZB-01, name: 台州银行头陀支行, station: "331003-01"}]}
"""


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.latencies: dict[str, list[float]] = {"read": [], "write": []}

    def add(self, kind: str, status: str, seconds: float) -> None:
        with self.lock:
            self.statuses[f"{kind}.{status}"] += 1
            self.latencies[kind].append(seconds * 1000)


def _prepare(env: dict, tag: str, tmp: Path) -> tuple[str, str]:
    """Organisation, a duty officer (the readers) and an analyst (the writers), each with an API key."""
    org = tmp / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    run([str(BIN / "pingan"), "db", "upgrade"], env)
    run([str(BIN / "pingan"), "org", "load", str(org)], env)
    keys = []
    for role, unit in (("duty_officer", "331003-01"), ("analyst", "331003")):
        username = f"bench-{role}-{tag}"
        run([str(BIN / "pingan"), "users", "create", "--username", username, "--password", secrets.token_urlsafe(12),
             "--role", role, "--unit", unit], env)
        keys.append(run([str(BIN / "pingan"), "apikeys", "create", "--user", username], env).splitlines()[-1])
    return keys[0], keys[1]


def _dispute(base: str, key: str) -> int:
    body = {"source": "walk_in", "category": "neighbour", "summary": "邻里噪音纠纷", "station_code": "331003-01",
            "community_code": "331003-01-01",
            "parties": [{"name": "王大山", "id_number": make_resident_id("331003", dt.date(1970, 5, 1), 1, "M"),
                         "phone": "13905760001"}]}
    response = httpx.post(f"{base}/api/v1/mediation/disputes", json=body,
                          headers={"Authorization": f"Bearer {key}"}, timeout=30)
    response.raise_for_status()
    return response.json()["id"]


def _loop(kind: str, call, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            status = str(call().status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        tally.add(kind, status, time.perf_counter() - started)


def measure(database_url: str, *, seconds: float, readers: int, writers: int) -> bool:
    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-"))
    tag = secrets.token_hex(3)
    env = {**os.environ, "PINGAN_DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
           "PINGAN_RUN_SCHEDULER": "false"}
    reader_key, writer_key = _prepare(env, tag, tmp)
    port = free_port()
    server = subprocess.Popen([str(BIN / "pingan"), "serve", "--port", str(port), "--no-scheduler"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    try:
        wait_ready(base, seconds=120)  # a loaded machine boots slowly
        dispute_url = f"{base}/api/v1/mediation/disputes/{_dispute(base, reader_key)}"
        until = time.monotonic() + seconds
        serial = iter(range(10**9))
        threads = []
        for _ in range(readers):
            client = httpx.Client(headers={"Authorization": f"Bearer {reader_key}"}, timeout=30)
            threads.append(threading.Thread(target=_loop, args=("read", lambda c=client: c.get(dispute_url),
                                                                 until, tally)))
        for w in range(writers):
            client = httpx.Client(headers={"Authorization": f"Bearer {writer_key}"}, timeout=30)

            def write(c=client, w=w):
                value = f"62{int(tag, 16) % 10**6:06d}{w}{next(serial):09d}"
                return c.post(f"{base}/api/v1/antifraud/intel", json={"rows": [
                    {"kind": "account", "value": value, "typology": "investment", "source": "反诈中心",
                     "listed_on": "2025-01-01"}]})

            threads.append(threading.Thread(target=_loop, args=("write", write, until, tally)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    name = env["PINGAN_DATABASE_URL"].split(":")[0].split("+")[0]
    print(f"concurrent.{name} readers={readers} writers={writers} seconds={seconds:.0f} "
          + " ".join(f"{k}={v}" for k, v in sorted(tally.statuses.items())))
    for kind, values in tally.latencies.items():
        if values:
            p99 = statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]
            print(f"concurrent.{name}.{kind} answers={len(values)} p50_ms={statistics.median(values):.1f} "
                  f"p99_ms={p99:.1f}")
    failed = sum(n for k, n in tally.statuses.items() if not k.split(".")[1].startswith(("2", "4")))
    answered = all(tally.latencies.values())
    print(f"concurrent.{name}.summary failed={failed} readers_and_writers_answered={answered} "
          "(target: 0 answers 5xx, 0 failed connections)")
    return failed == 0 and answered


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--postgres-url", default="")
    args, _ = parser.parse_known_args()
    postgres = args.postgres_url or (os.environ.get("PINGAN_DATABASE_URL", "")
                                     if os.environ.get("PINGAN_DATABASE_URL", "").startswith("postgresql") else "")
    ok = all([measure(url, seconds=args.seconds, readers=args.readers, writers=args.writers)
              for url in ["", *([postgres] if postgres else [])]])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
