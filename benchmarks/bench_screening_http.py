"""HTTP screening benchmark: a real server process, wrk as the banks (another process), fixed offered rates.

The requests are a simulated county month (`pingan antifraud simulate`, seed 202, which the shipped model
was not trained on) replayed in time order, each bank with its own API key, after the county's organisation
and intel are loaded. Prints screenings/s with p50/p99 latency at each offered rate, the best sustained
throughput, and the same server's trivial endpoint (GET /healthz, before and after the screening runs; the
ratio uses their mean). The fixed-rate runs start after a pause (`SETTLE_SECONDS`) that lets the machine
recover from the flat-out ones. Usage:
    python benchmarks/bench_screening_http.py [--rates 1000,2000,2500,3000] [--seconds 10] [--database-url URL]
A PostgreSQL --database-url must be a database of the benchmark's own: its schema is dropped first
(`make bench` uses pingan_scale_bench, see scripts/bench.sh).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LUA = ROOT / "benchmarks" / "screening_load.lua"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base: str, seconds: float = 180) -> None:
    """Until the server at `base` answers /readyz (its engine booted)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server at {base} did not become ready in {seconds:.0f} s")


# After seconds of both cores flat out, the next seconds measure slow on this shared virtual machine: a fixed-rate
# run straight after a 10 s CPU burn by two unrelated processes had p99 59 ms at 1,000/s, then 27 ms, against
# 10 ms after a 10 s pause (and 44 ms after a 3 s one). Fixed-rate runs after a flat-out one wait this long.
SETTLE_SECONDS = 10


def settle() -> None:
    time.sleep(SETTLE_SECONDS)


def run(cmd: list[str], env: dict) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def wrk(url: str, env: dict, *, seconds: int, connections: int, script: Path | None = None) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], env=env, capture_output=True, text=True, check=True).stdout
    if script:
        m = re.search(r"RESULT (.*)", out)
        return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return {"rps": rps, "p50_ms": _ms(lat["50"]), "p99_ms": _ms(lat["99"])}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def fresh_database(url: str) -> None:
    """A PostgreSQL database of the benchmark's own starts empty each run (its schema dropped); SQLite files
    are new anyway."""
    if url.startswith("postgresql"):
        with sqlalchemy.create_engine(url).begin() as db:
            db.execute(sqlalchemy.text("DROP SCHEMA public CASCADE"))
            db.execute(sqlalchemy.text("CREATE SCHEMA public"))


def simulated_county(tmp: Path, env: dict) -> dict:
    """Simulate the county month (seed 202) into `tmp`, load its organisation and intel into the (migrated)
    database, make an API key per bank; returns the environment `screening_load.lua` reads."""
    county = tmp / "county"
    run([str(BIN / "pingan"), "antifraud", "simulate", "--out", str(county), "--seed", "202"], env)
    run([str(BIN / "pingan"), "org", "load", str(county / "org.yaml")], env)
    run([str(BIN / "pingan"), "antifraud", "intel", "import", str(county / "intel.csv")], env)
    banks = [b["code"] for b in yaml.safe_load((county / "org.yaml").read_text(encoding="utf-8"))["banks"]]
    keys = {bank: run([str(BIN / "pingan"), "apikeys", "create", "--bank", bank], env).splitlines()[-1]
            for bank in banks}
    return {"BENCH_REQUESTS": str(county / "requests.jsonl"),
            "BENCH_KEYS": ",".join(f"{bank}={key}" for bank, key in keys.items())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="1000,2000,2500,3000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian package wrk): apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-"))
    db_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {**os.environ, "PINGAN_DATABASE_URL": db_url, "PINGAN_RUN_SCHEDULER": "false"}
    fresh_database(db_url)
    run([str(BIN / "pingan"), "db", "upgrade"], env)
    county = simulated_county(tmp, env)
    port = free_port()
    server = subprocess.Popen([str(BIN / "pingan"), "serve", "--port", str(port), "--no-scheduler"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        wenv = {**env, **county}
        sent = 0  # each run goes on where the last stopped, so the county's month is replayed once, in order
        print(f"database={db_url.split(':')[0]} connections={args.connections} seconds={args.seconds}")
        sent += int(wrk(f"{base}/api/v1/antifraud/screenings", {**wenv, "RUN_TAG": "warm", "START": "0"},
                        seconds=3, connections=args.connections, script=LUA)["requests"])
        trivial = []  # measured before and after the screening runs: the machine's speed drifts meanwhile

        def measure_trivial() -> None:
            t = wrk(f"{base}/healthz", wenv, seconds=args.seconds, connections=args.connections)
            trivial.append(t["rps"])
            print(f"http.trivial rps={t['rps']:.0f} p50_ms={t['p50_ms']:.2f} p99_ms={t['p99_ms']:.2f}")

        measure_trivial()
        settle()
        best = 0.0
        for rate in [int(r) for r in args.rates.split(",")]:
            r = wrk(f"{base}/api/v1/antifraud/screenings",
                    {**wenv, "RUN_TAG": f"r{rate}", "RATE": str(rate), "START": str(sent)},
                    seconds=args.seconds, connections=args.connections, script=LUA)
            sent += int(r["requests"])
            ok = r["non2xx"] == 0 and r["errors"] == 0
            print(f"http.screening offered={rate} achieved_rps={r['rps']:.0f} p50_ms={r['p50_ms']:.2f} "
                  f"p99_ms={r['p99_ms']:.2f} errors={int(r['errors'] + r['non2xx'])}")
            if ok and r["p99_ms"] <= 35:
                best = max(best, r["rps"])
        top = wrk(f"{base}/api/v1/antifraud/screenings", {**wenv, "RUN_TAG": "max", "START": str(sent)},
                  seconds=args.seconds, connections=args.connections, script=LUA)
        print(f"http.screening offered=max achieved_rps={top['rps']:.0f} p50_ms={top['p50_ms']:.2f} "
              f"p99_ms={top['p99_ms']:.2f} errors={int(top['errors'] + top['non2xx'])}")
        measure_trivial()
        with sqlalchemy.create_engine(db_url).connect() as db:
            mix = {decision: count for decision, count in db.execute(
                sqlalchemy.text("SELECT decision, count(*) FROM antifraud_screening GROUP BY decision"))}
        print("http.decisions " + " ".join(f"{k}={v}" for k, v in sorted(mix.items())))
        print(f"http.summary best_rps_with_p99_le_35ms={best:.0f} max_rps={top['rps']:.0f} "
              f"ratio_to_trivial={top['rps'] / (sum(trivial) / len(trivial)):.2f} "
              "(target: >=2500/s, p99<=35ms, ratio>=0.50)")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
