"""Fixtures of the scale-out tests: the real Redis and NATS (see servers.py), with names of this run's own."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator

import nats
import nats.js.errors
import pytest

from pingan.antifraud.engine.shared_state import RedisStateStore
from tests.scale import servers


@pytest.fixture
def redis_url() -> str:
    servers.need("redis", servers.REDIS_PORT)
    return f"redis://127.0.0.1:{servers.REDIS_PORT}/0"


@pytest.fixture
def nats_url() -> str:
    servers.need("nats", servers.NATS_PORT)
    return f"nats://127.0.0.1:{servers.NATS_PORT}"


@pytest.fixture
def prefix() -> Iterator[str]:
    """Redis keys and NATS streams (the prefix in capitals) of this test alone; both are deleted after."""
    name = f"t{servers.RUN}{uuid.uuid4().hex[:6]}"
    yield name
    if servers.listening(servers.REDIS_PORT):
        RedisStateStore(f"redis://127.0.0.1:{servers.REDIS_PORT}/0", prefix=name).clear()
    if servers.listening(servers.NATS_PORT):
        asyncio.run(_delete_stream(f"nats://127.0.0.1:{servers.NATS_PORT}", name.upper()))


async def _delete_stream(url: str, stream: str) -> None:
    nc = await nats.connect(url)
    try:
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await nc.jetstream().delete_stream(stream)
    finally:
        await nc.close()


@pytest.fixture
def redis_store(redis_url: str, prefix: str) -> Iterator[RedisStateStore]:
    store = RedisStateStore(redis_url, prefix=prefix)
    store.mark_ready()
    yield store
    store.clear()
    store.close()


@pytest.fixture
def private_redis() -> Iterator[servers.PrivateRedis]:
    server = servers.PrivateRedis()
    server.start()
    yield server
    server.close()
