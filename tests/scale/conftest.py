"""Fixtures of the scale-out tests: the real Redis and NATS (see servers.py), with names of this run's own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

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
def prefix() -> str:
    """Redis keys and NATS streams of this test alone."""
    return f"t{servers.RUN}{uuid.uuid4().hex[:6]}"


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
