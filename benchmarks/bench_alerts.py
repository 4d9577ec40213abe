"""Alert benchmark: a real server (scheduler on) screening a fixed background rate with wrk, while a probe sends
a hold every 0.2 s and an SSE client (the duty officer's live feed) times each hold from the POST's answer to the
``antifraud.alert.created`` event's arrival. The probes are left unacknowledged with a short acknowledge time, so
the same run measures how long after its due time each escalation fires. Usage:
    python benchmarks/bench_alerts.py [--rate 1000] [--seconds 20] [--ack-seconds 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_screening_http import BIN, LUA, free_port, run, simulated_county, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOLD = {  # an elderly customer told by "the police" to move her savings: held every time
    "bank_code": "TZB", "branch_code": "TZB-01", "channel": "counter", "amount": "180000.00",
    "customer": {"id_number": "331003194802140326", "name": "王阿婆", "account_no": "6222020000000011",
                 "balance": "200000.00"},
    "payee": {"account_no": "6217000000009999", "name": "李某", "region_code": "510104"},
    "purpose": "公安局说我的账户涉嫌洗钱，要转到安全账户资金审查",
    "signals": ["on_phone", "caller_instructing", "keeps_secret_from_family", "fixed_deposit_early_withdrawal"],
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


class FeedListener(threading.Thread):
    """The duty officer's SSE feed: when each alert's ``antifraud.alert.created`` event arrived."""

    def __init__(self, base: str, key: str) -> None:
        super().__init__(daemon=True)
        self.base, self.key = base, key
        self.arrived: dict[int, float] = {}
        self.ready = threading.Event()
        self.client = httpx.Client(timeout=None)

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        try:
            with self.client.stream("GET", f"{self.base}/api/v1/events/stream", headers=headers) as response:
                self.ready.set()
                topic = None
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        topic = line[7:]
                    elif line.startswith("data: ") and topic == "antifraud.alert.created":
                        self.arrived.setdefault(orjson.loads(line[6:])["alert_id"], time.perf_counter())
        except httpx.HTTPError:
            return  # closed at the end of the run

    def close(self) -> None:
        self.client.close()  # an open stream would hold the server's graceful shutdown


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--ack-seconds", type=int, default=3)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian package wrk): apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-alerts-"))
    db_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {**os.environ, "PINGAN_DATABASE_URL": db_url, "PINGAN_RUN_SCHEDULER": "true",
           "PINGAN_DEADLINE_SCAN_SECONDS": "1", "PINGAN_ANTIFRAUD_ACK_SECONDS": str(args.ack_seconds)}
    run([str(BIN / "pingan"), "db", "upgrade"], env)
    run([str(BIN / "pingan"), "demo", "--no-month"], env)  # the county and users; its own month below
    county = simulated_county(tmp, env)  # the background: the simulated month over the demo county's banks
    bank_key = run([str(BIN / "pingan"), "apikeys", "create", "--bank", "TZB"], env).splitlines()[-1]
    duty_key = run([str(BIN / "pingan"), "apikeys", "create", "--user", "duty_toutuo"], env).splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([str(BIN / "pingan"), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    load = feed = None
    try:
        wait_ready(base)
        feed = FeedListener(base, duty_key)
        feed.start()
        feed.ready.wait(10)
        load = subprocess.Popen(
            ["wrk", "-t1", "-c64", f"-d{args.seconds + 2}s", "--latency", "--timeout", "5s", "-s", str(LUA),
             f"{base}/api/v1/antifraud/screenings"],
            env={**env, **county, "RUN_TAG": "alerts", "RATE": str(args.rate)},
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(1)  # the background rate is established before the first probe
        probes: list[tuple[int, float]] = []
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {bank_key}"}, timeout=10) as client:
            end = time.monotonic() + args.seconds
            n = 0
            while time.monotonic() < end:
                n += 1
                answer = client.post("/api/v1/antifraud/screenings", json={
                    **HOLD, "request_id": f"probe-{n}", "occurred_at": "2026-11-02T10:00:00+08:00"}).json()
                probes.append((answer["alert_id"], time.perf_counter()))
                time.sleep(0.2)
        background = load.communicate(timeout=60)[0]
        load = None
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline and any(a not in feed.arrived for a, _ in probes):
            time.sleep(0.05)
        delays = [max(0.0, feed.arrived[a] - t) * 1000 for a, t in probes if a in feed.arrived]
        missing = sum(1 for a, _ in probes if a not in feed.arrived)
        result = next((line for line in background.splitlines() if line.startswith("RESULT")), "RESULT n/a")
        print(f"database={db_url.split(':')[0]} background_rate={args.rate}/s seconds={args.seconds}")
        print(f"alerts.background {result[7:]}")
        print(f"alerts.hold_to_feed probes={len(probes)} received={len(delays)} missing={missing} "
              f"p50_ms={pct(delays, .5):.0f} p99_ms={pct(delays, .99):.0f} max_ms={max(delays, default=0):.0f} "
              f"(target: p99 <= 1000 ms)")
        time.sleep(args.ack_seconds + 4)  # the last probes' acknowledge clocks come due and are scanned
        _escalation_figures(env, [a for a, _ in probes])
    finally:
        if load is not None:
            load.kill()
        if feed is not None:
            feed.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def _escalation_figures(env: dict, alert_ids: list[int]) -> None:
    """How late each probe's acknowledge escalation fired after its due time (read from the database)."""
    script = (
        "import sys, json\n"
        "from sqlalchemy import select\n"
        "from pingan.core.db import unit_of_work\n"
        "from pingan.platform.deadlines.models import DeadlineClock, DeadlineEscalation\n"
        "ids = [str(i) for i in json.loads(sys.argv[1])]\n"
        "with unit_of_work() as db:\n"
        "    rows = db.execute(select(DeadlineClock.due_at, DeadlineEscalation.fired_at)\n"
        "        .join(DeadlineEscalation, DeadlineEscalation.clock_id == DeadlineClock.id)\n"
        "        .where(DeadlineClock.kind == 'antifraud.alert.acknowledged', DeadlineClock.owner_id.in_(ids))).all()\n"
        "print(json.dumps([(f - d).total_seconds() for d, f in rows]))\n"
    )
    out = subprocess.run([str(BIN / "python"), "-c", script, orjson.dumps(alert_ids).decode()], env=env,
                         check=True, capture_output=True, text=True).stdout
    lags = orjson.loads(out.strip().splitlines()[-1])
    within = sum(1 for s in lags if s <= 5)
    print(f"alerts.escalation clocks={len(alert_ids)} fired={len(lags)} within_5s={within} "
          f"p50_s={pct(lags, .5):.2f} p99_s={pct(lags, .99):.2f} max_s={max(lags, default=0):.2f} "
          f"(target: every escalation within 5 s of its due time, each once)")


if __name__ == "__main__":
    main()
