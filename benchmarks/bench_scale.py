"""Scale-out benchmark: two server processes on Redis + NATS JetStream + PostgreSQL against one in-memory
process on the same PostgreSQL, on this machine; what Redis adds per decision; Redis round trips counted.

1. Engine only (no HTTP, no database): the county month's first requests decided by the engine with the
   in-memory store and with `RedisStateStore` (a private redis-server on a free port): µs per decision of
   each and the difference, the cost Redis adds; round trips per decision counted by the client's
   connection; the script's own time in Redis (`INFO commandstats`) and the bytes per record.
2. HTTP with wrk as the banks (as bench_screening_http.py): one `pingan serve` with the in-memory store,
   then `pingan serve --workers 2` with the shared state in (another private) Redis and events on NATS, at
   a fixed offered rate and as fast as possible: screenings/s, p50, p99; and screening scripts Redis ran
   per screening (its command counts).

Usage: python benchmarks/bench_scale.py [--postgres-url URL] [--rate 2000] [--seconds 10] [--nats-url URL]
The PostgreSQL database must be the benchmark's own (its schema is dropped): default pingan_scale_bench.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_screening_http import BIN, LUA, free_port, fresh_database, run, settle, simulated_county, wait_ready, wrk  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/pingan_scale_bench"
ENGINE_REQUESTS = 20_000


class CountingConnection(redis.Connection):
    """Counts what the client sends to Redis: one packed send per command (or per pipeline) — a round trip."""

    sends = 0

    def send_packed_command(self, command, check_health=True):
        CountingConnection.sends += 1
        return super().send_packed_command(command, check_health)


class PrivateRedis:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(tmp)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)

    def script_calls(self) -> int:
        """Screening scripts Redis has run (each a round trip of its own; Redis counts the commands the
        script runs inside as calls too, so those are left out)."""
        stats = self.client.info("commandstats")
        return sum(stats.get(k, {}).get("calls", 0) for k in ("cmdstat_evalsha", "cmdstat_eval"))

    def reset(self) -> None:
        self.client.config_resetstat()

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def engine_costs(requests_file: Path, tmp: Path) -> None:
    from pingan.antifraud.engine import Engine, InMemoryStateStore
    from pingan.antifraud.engine.shared_state import RedisStateStore
    from pingan.antifraud.screening.prepared import prepare_body

    lines = requests_file.read_bytes().splitlines()[:ENGINE_REQUESTS]
    facts = [prepare_body(line).facts for line in lines]
    server = PrivateRedis(tmp)
    try:
        timings = {}
        for name in ("memory", "redis", "memory ", "redis "):  # twice each, alternating: the machine drifts
            if name.strip() == "memory":
                store = InMemoryStateStore()
            else:
                store = RedisStateStore(server.url, prefix=f"b{uuid.uuid4().hex[:6]}",
                                        connection_class=CountingConnection)
                store.mark_ready()
                server.reset()
                CountingConnection.sends = 0
            engine = Engine(store)
            started = time.perf_counter()
            for f in facts:
                engine.screen_facts(f)
            elapsed = time.perf_counter() - started
            timings.setdefault(name.strip(), []).append(elapsed / len(facts) * 1e6)
            if name.strip() == "redis":
                trips = CountingConnection.sends / len(facts)
                script = server.client.info("commandstats").get("cmdstat_evalsha", {}).get("usec_per_call", 0.0)
                keys = sum(1 for _ in server.client.scan_iter(match=f"{store.prefix}:[cp]:*", count=1000))
                store.close()
        used = server.client.info("memory")["used_memory"] - server.client.info("memory").get("used_memory_startup", 0)
        memory, shared = min(timings["memory"]), min(timings["redis"])
        print(f"scale.engine decisions={len(facts)} memory_us={memory:.1f} redis_us={shared:.1f} "
              f"redis_adds_us={shared - memory:.1f} redis_round_trips_per_decision={trips:.2f} "
              f"redis_script_us={script:.1f} redis_bytes_per_record={used / 2 / keys:.0f}")
    finally:
        server.close()


def http_run(label: str, cmd: list[str], env: dict, wenv: dict, *, rate: int, seconds: int, start: int,
             connections: int, redis_server: PrivateRedis | None = None) -> int:
    port = free_port()
    server = subprocess.Popen(cmd + ["--port", str(port), "--no-scheduler"], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    sent = start
    try:
        wait_ready(base, seconds=300)
        if "--workers" in cmd:
            time.sleep(20)  # the first worker answers /readyz; the others may still be booting
        url = f"{base}/api/v1/antifraud/screenings"
        sent += int(wrk(url, {**wenv, "RUN_TAG": f"{label}w", "START": str(sent)}, seconds=3,
                        connections=connections, script=LUA)["requests"])
        if redis_server is not None:
            redis_server.reset()
        settle()
        screened = 0
        for offered in (rate, 0):
            r = wrk(url, {**wenv, "RUN_TAG": f"{label}{offered}", "RATE": str(offered), "START": str(sent)},
                    seconds=seconds, connections=connections, script=LUA)
            sent += int(r["requests"])
            screened += int(r["requests"])
            print(f"scale.http setup={label} offered={offered or 'max'} achieved_rps={r['rps']:.0f} "
                  f"p50_ms={r['p50_ms']:.2f} p99_ms={r['p99_ms']:.2f} errors={int(r['errors'] + r['non2xx'])}")
        if redis_server is not None:
            print(f"scale.http setup={label} redis_scripts_per_screening={redis_server.script_calls() / screened:.2f}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return sent


async def _delete_stream(url: str, stream: str) -> None:
    """The benchmark's stream goes with it."""
    import nats  # lazy: only this step needs the client

    nc = await nats.connect(url)
    try:
        await nc.jetstream().delete_stream(stream)
    finally:
        await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres-url", default=os.environ.get("PINGAN_BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--nats-url", default=os.environ.get("PINGAN_BENCH_NATS_URL", "nats://127.0.0.1:4222"))
    parser.add_argument("--rate", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=200)
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed (Debian package {tool.split('-')[0]})")
    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-scale-"))
    env = {**os.environ, "PINGAN_DATABASE_URL": args.postgres_url, "PINGAN_RUN_SCHEDULER": "false"}
    try:
        fresh_database(args.postgres_url)
        run([str(BIN / "pingan"), "db", "upgrade"], env)
        county = simulated_county(tmp, env)
        os.environ["PINGAN_DATABASE_URL"] = args.postgres_url
        engine_costs(Path(county["BENCH_REQUESTS"]), tmp)
        wenv = {**env, **county}
        # This machine is shared: the load average says how much of it the figures had.
        print(f"database=postgresql connections={args.connections} seconds={args.seconds} rate={args.rate} "
              f"loadavg_1m={os.getloadavg()[0]:.1f} cores={os.cpu_count()}")
        sent = http_run("one", [str(BIN / "pingan"), "serve"], env, wenv, rate=args.rate, seconds=args.seconds,
                        start=0, connections=args.connections)
        shared = PrivateRedis(tmp)
        try:
            stream = f"BENCH{uuid.uuid4().hex[:6].upper()}"
            shared_env = {**env, "PINGAN_ANTIFRAUD_STATE_URL": shared.url, "PINGAN_EVENTS_URL": args.nats_url,
                          "PINGAN_EVENTS_STREAM": stream, "PINGAN_ANTIFRAUD_STATE_PREFIX": "bench"}
            http_run("two", [str(BIN / "pingan"), "serve", "--workers", "2"], shared_env, wenv, rate=args.rate,
                     seconds=args.seconds, start=sent, connections=args.connections, redis_server=shared)
        finally:
            shared.close()
            asyncio.run(_delete_stream(args.nats_url, stream))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
