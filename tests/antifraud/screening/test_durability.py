"""Kill the server (SIGKILL) while banks are screening, restart it: every answer a bank received is stored,
a retry of it returns the same answer, and no hold has two alerts."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from pingan.antifraud.alert.opening import OWNER_TYPE
from pingan.antifraud.models import Alert, Screening
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform import jobs
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock, DeadlineEscalation, EscalationLevel
from tests.antifraud.engine.factories import body
from tests.antifraud.factories import RISKY, seed_county

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pingan.cli", "serve", "--port", str(port), "--no-scheduler"],
        env={**os.environ, "PINGAN_ENVIRONMENT": "test", "PINGAN_ANTIFRAUD_STORE_PROCESS": "true",
             "PINGAN_ANTIFRAUD_PREPARE_PROCESS": "true"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"server did not start: {proc.stderr.read().decode()[-2000:]}")


def _request(i: int) -> dict:
    if i % 10 == 0:
        return body(**{**RISKY, "request_id": f"load-{i}"})
    return body(request_id=f"load-{i}", amount=f"{100 + i}.00")


def test_kill_under_load_loses_no_answered_decision(committed_db):
    keys = seed_county()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api/v1/antifraud/screenings"
    headers = {"Authorization": f"Bearer {keys['TZB']}"}
    server = _start(port)
    answered: dict[str, dict] = {}
    counter = iter(range(100_000))
    lock = threading.Lock()
    stop = threading.Event()

    def bank() -> None:
        with httpx.Client(headers=headers, timeout=10) as client:
            while not stop.is_set():
                with lock:
                    i = next(counter)
                try:
                    response = client.post(url, json=_request(i))
                except httpx.HTTPError:
                    if server.poll() is not None:
                        return  # the server is gone
                    continue  # too slow on a busy machine: not answered, so not counted
                if response.status_code == 200:
                    with lock:
                        answered[f"load-{i}"] = response.json()

    threads = [threading.Thread(target=bank) for _ in range(8)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(answered) < 300 and time.monotonic() < deadline:  # let the load build up, even on a busy machine
        time.sleep(0.1)
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(answered) > 50, "the load did not get going"

    server = _start(port)
    try:
        with httpx.Client(headers=headers, timeout=5) as client:
            for request_id, answer in answered.items():
                stored = client.get(f"{url}/{answer['screening_id']}")
                assert stored.status_code == 200, request_id
                assert (stored.json()["decision"], stored.json()["score"]) == (answer["decision"], answer["score"])
                i = int(request_id.split("-")[1])
                if i % 7 == 0:  # a bank retrying after the crash gets the first answer again
                    assert client.post(url, json=_request(i)).json() == answer
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    with unit_of_work() as db:
        holds = db.scalar(select(func.count()).select_from(Screening).where(Screening.decision == "hold"))
        alerts = db.scalar(select(func.count()).select_from(Alert))
        held_with_alert = db.scalar(select(func.count(func.distinct(Alert.screening_id))))
        clocks = db.scalar(select(func.count()).select_from(DeadlineClock).where(
            DeadlineClock.owner_type == OWNER_TYPE, DeadlineClock.status == ClockStatus.RUNNING))
    assert alerts == holds == held_with_alert > 0
    # Every alert's clocks survived the crash with it and still run: past their due time, a scanner in a
    # fresh process fires each breach exactly once, however often it runs.
    assert clocks == 3 * alerts
    clock.shift(dt.timedelta(hours=2))
    jobs.run_once("deadlines.scan")
    jobs.run_once("deadlines.scan")
    with unit_of_work() as db:
        breaches = db.scalar(select(func.count()).select_from(DeadlineEscalation).where(
            DeadlineEscalation.level == EscalationLevel.BREACH))
    assert breaches == clocks
