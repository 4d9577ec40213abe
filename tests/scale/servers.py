"""The real Redis and NATS servers the scale-out tests talk to: the machine's own (127.0.0.1:6379, :4222),
started with the machine's commands when down; with CI=true a server that cannot be had fails the test
instead of skipping it. A test that restarts Redis starts a private redis-server on a free port."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import httpx
import pytest

REDIS_PORT, NATS_PORT = 6379, 4222
# This run's own names: the SQLite and PostgreSQL halves of `make test` run side by side on one Redis and
# one NATS, and must not see each other's keys or streams.
RUN = uuid.uuid4().hex[:10]

_START = {
    "redis": ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
              "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"],
    "nats": ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/nats-server", "--",
             "-a", "127.0.0.1", "-p", "4222", "-js", "-sd", "/var/lib/nats-server", "-l", "/var/log/nats-server.log"],
}


def listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def need(name: str, port: int) -> None:
    """The machine's server `name` on `port`, started if down; skip (fail with CI=true) when impossible."""
    if listening(port):
        return
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):  # judged by the port below
        subprocess.run(_START[name], check=False, capture_output=True, timeout=20)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if listening(port):
            return
        time.sleep(0.2)
    message = f"no {name} server on 127.0.0.1:{port} and it could not be started"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a free port, without persistence: restarting it loses the state,
    as a Redis without AOF does."""

    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            if os.environ.get("CI") == "true":
                pytest.fail("redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="pingan-redis-")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not listening(self.port):
            if time.monotonic() > deadline:
                raise AssertionError("the private redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """One `pingan serve` process on the test database, with its preparer and store processes, and the
    environment given (shared state, bus)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = {**os.environ, "PINGAN_ENVIRONMENT": "test", "PINGAN_ANTIFRAUD_STORE_PROCESS": "true",
                    "PINGAN_ANTIFRAUD_PREPARE_PROCESS": "true", **env}
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="pingan-server-", suffix=".log", delete=False)  # noqa: SIM115

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.proc = subprocess.Popen([sys.executable, "-m", "pingan.cli", "serve", "--port", str(self.port),
                                      "--no-scheduler"], env=self.env, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=self.log)
        return self

    def wait_ready(self, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server on {self.port} not ready: {self.tail()}")

    def tail(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()[-3000:]

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        os.unlink(self.log.name)


def start_all(*servers: Server) -> None:
    """Start servers side by side (each boots its engine), then wait for every one to be ready."""
    for server in servers:
        server.start()
    for server in servers:
        server.wait_ready()
