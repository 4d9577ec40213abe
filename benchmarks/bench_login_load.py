"""Screening latency while clients hammer the log-in: a real server process, wrk as the banks at a fixed rate.

The screening p99 is measured idle, then while four clients send wrong passwords as fast as they are
answered (each check is an Argon2 hash of about a fifth of a second; the log-in throttle is raised for this
run so that every attempt is hashed). Prints both p99s and their ratio (target: at most 2). Usage:
    python benchmarks/bench_login_load.py [--rate 300] [--seconds 10] [--clients 4] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_screening_http import BIN, LUA, free_port, run, simulated_county, wait_ready, wrk  # noqa: E402


def _hammer(base: str, username: str, until: float, statuses: Counter, lock: threading.Lock) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        while time.monotonic() < until:
            response = client.post("/login", data={"username": username, "password": "wrong-password",
                                                   "csrf_token": token}, follow_redirects=False)
            with lock:
                statuses[response.status_code] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url", default="")
    args, _ = parser.parse_known_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian package wrk): apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-"))
    db_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {**os.environ, "PINGAN_DATABASE_URL": db_url, "PINGAN_RUN_SCHEDULER": "false",
           "PINGAN_LOGIN_MAX_FAILURES": "1000000000", "PINGAN_LOGIN_ADDRESS_MAX_FAILURES": "1000000000"}
    run([str(BIN / "pingan"), "db", "upgrade"], env)
    county = simulated_county(tmp, env)
    username = f"bench-login-{secrets.token_hex(3)}"
    run([str(BIN / "pingan"), "users", "create", "--username", username, "--password", secrets.token_urlsafe(12),
         "--role", "analyst", "--unit", _bureau(tmp)], env)
    port = free_port()
    server = subprocess.Popen([str(BIN / "pingan"), "serve", "--port", str(port), "--no-scheduler"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/api/v1/antifraud/screenings"
    wenv = {**env, **county, "RATE": str(args.rate)}
    try:
        wait_ready(base)
        sent = int(wrk(url, {**wenv, "RUN_TAG": "warm", "START": "0", "RATE": "0"}, seconds=3,
                       connections=args.connections, script=LUA)["requests"])

        def screen(tag: str) -> dict:
            nonlocal sent
            result = wrk(url, {**wenv, "RUN_TAG": tag, "START": str(sent)}, seconds=args.seconds,
                         connections=args.connections, script=LUA)
            sent += int(result["requests"])
            print(f"login_load.screening.{tag} offered={args.rate} achieved_rps={result['rps']:.0f} "
                  f"p50_ms={result['p50_ms']:.2f} p99_ms={result['p99_ms']:.2f} "
                  f"errors={int(result['errors'] + result['non2xx'])}")
            return result

        idle = screen("idle")
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        until = time.monotonic() + args.seconds + 2
        hammers = [threading.Thread(target=_hammer, args=(base, username, until, statuses, lock))
                   for _ in range(args.clients)]
        for thread in hammers:
            thread.start()
        time.sleep(1)  # the log-ins under way before the screenings start
        loaded = screen("login")
        for thread in hammers:
            thread.join()
        print(f"login_load.logins clients={args.clients} " + " ".join(f"{k}={v}" for k, v in sorted(statuses.items())))
        print(f"login_load.summary idle_p99_ms={idle['p99_ms']:.2f} login_p99_ms={loaded['p99_ms']:.2f} "
              f"ratio={loaded['p99_ms'] / idle['p99_ms']:.2f} (target: ratio <= 2)")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def _bureau(tmp: Path) -> str:
    """The simulated county's bureau code (the unit of the analyst who logs in)."""
    text = (tmp / "county" / "org.yaml").read_text(encoding="utf-8")
    return re.search(r'code:\s*"?([0-9]+)"?', text).group(1)


if __name__ == "__main__":
    main()
