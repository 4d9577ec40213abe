"""`RedisStateStore` against a real Redis: the same snapshots as the in-memory store on the same transfers,
intel and known-payee lists, request-id claims, one round trip per screening, and a lost state refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

import pytest
from redis.connection import Connection

from pingan.antifraud.engine.shared_state import RedisStateStore, StateUnavailable
from pingan.antifraud.engine.state import (
    CUSTOMER_RING,
    DAY,
    HOUR,
    PROTECTED_NO_END,
    Claimed,
    InMemoryStateStore,
    KnownPayee,
    Transfer,
    stable_key,
)

T0 = 1_740_967_200  # 2025-03-03 10:00 Asia/Shanghai
TODAY = dt.date(2025, 3, 3)


def _same(a, b) -> bool:
    return (a == b) or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _assert_same_snapshot(mine, theirs, step: int) -> None:
    for field in dataclasses.fields(mine):
        x, y = getattr(mine, field.name), getattr(theirs, field.name)
        assert _same(x, y), f"step {step}: {field.name} {x!r} != {y!r}"


def test_redis_gives_the_in_memory_snapshots_on_the_same_transfers(redis_store):
    rng = random.Random(20)
    memory = InMemoryStateStore()
    customers = [stable_key("customer", f"c{i}") for i in range(40)]
    payees = [stable_key("account", f"p{i}") for i in range(12)]  # few payees: rings fill and wrap
    listed = stable_key("account", "6217000000009999")
    for store in (memory, redis_store):
        store.list_entry("account", "6217000000009999", typology=None, source="反诈中心", listed_on=TODAY)
        store.vouch_payee(KnownPayee("p-vouched", None, "银行报备", "水费", TODAY))
        store.protect(customers[3], T0 + 30 * DAY)
        store.protect(customers[4], PROTECTED_NO_END)
    at = T0
    for step in range(1500):
        at += rng.choice((1, 30, 600, 3 * HOUR, DAY))
        amount = rng.choice((100, 10_000, 250_000, rng.randint(1, 5_000_000)))
        t = Transfer(rng.choice(customers), rng.choice(payees), at - rng.randint(0, 120), amount,
                     payee_region=rng.choice((0, 331003)), payee_opened_day=rng.choice((0, 739000)),
                     payee_org=int(rng.random() < 0.05))
        on = dt.date.fromtimestamp(at)
        intel_keys = (listed, t.payee_key, stable_key("phone", "13912345678"))
        mine = memory.observe(t.customer_key, t.payee_key, at=t.at, intel_keys=intel_keys, on=on, transfer=t)
        theirs = redis_store.observe(t.customer_key, t.payee_key, at=t.at, intel_keys=intel_keys, on=on,
                                     transfer=t)
        _assert_same_snapshot(mine, theirs, step)
    # The rings really wrapped, and a payee listed on the intel list is seen by both.
    assert memory.snapshot(customers[0], payees[0], at=at, intel_keys=(), on=TODAY).payee_count > 3 * CUSTOMER_RING
    hit = redis_store.snapshot(customers[0], listed, at=at, intel_keys=(listed,), on=TODAY).intel[0]
    assert hit is not None and hit.source == "反诈中心"
    # Protected persons: both stores say until when, and neither once the protection is lifted.
    for store in (memory, redis_store):
        assert store.snapshot(customers[3], listed, at=at, intel_keys=(), on=TODAY).protected_until == T0 + 30 * DAY
        assert store.snapshot(customers[4], listed, at=at, intel_keys=(), on=TODAY).protected_until == PROTECTED_NO_END
        assert store.snapshot(customers[5], listed, at=at, intel_keys=(), on=TODAY).protected_until == 0
        store.unprotect(customers[3])
        assert store.snapshot(customers[3], listed, at=at, intel_keys=(), on=TODAY).protected_until == 0


def test_intel_and_known_payees_follow_listing_delisting_and_expiry(redis_store):
    key = stable_key("account", "6217000000009999")
    redis_store.list_entry("account", "6217 0000 0000 9999", typology="impersonating_authorities", source="公安部",
                           listed_on=TODAY, expires_on=TODAY + dt.timedelta(days=10))
    assert redis_store.is_listed("account", "6217000000009999", TODAY)
    assert not redis_store.is_listed("account", "6217000000009999", TODAY - dt.timedelta(days=1))
    assert not redis_store.is_listed("account", "6217000000009999", TODAY + dt.timedelta(days=10))
    snap = redis_store.snapshot(1, 2, at=T0, intel_keys=(key, 99), on=TODAY)
    assert snap.intel[0].typology == "impersonating_authorities" and snap.intel[1] is None
    entry = redis_store.delist_entry("account", "6217000000009999", reason="误报", on=TODAY)
    assert (entry.status, entry.removed_reason) == ("removed", "误报")
    assert not redis_store.is_listed("account", "6217000000009999", TODAY)
    assert redis_store.delist_entry("phone", "13912345678", reason="x", on=TODAY) is None

    redis_store.vouch_payee(KnownPayee("6222-0200-0000-0002", "水务公司", "银行报备", "水费", TODAY))
    payee = stable_key("account", "6222020000000002")
    assert redis_store.snapshot(1, payee, at=T0, intel_keys=(), on=TODAY).payee_vouched
    redis_store.unvouch_payee("6222020000000002")
    assert not redis_store.snapshot(1, payee, at=T0, intel_keys=(), on=TODAY).payee_vouched


def test_a_request_id_claimed_by_one_screening_is_refused_to_the_next_with_the_first_value(redis_url, prefix):
    first, second = (RedisStateStore(redis_url, prefix=prefix) for _ in range(2))  # two processes' stores
    first.mark_ready()
    t = Transfer(1, 2, T0, 10_000)
    try:
        first.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t, claim=("7:req-1", "hash\x1fid-1"))
        with pytest.raises(Claimed) as refused:
            second.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t, claim=("7:req-1", "hash\x1fid-2"))
        assert refused.value.value == "hash\x1fid-1"
        # The refused screening recorded nothing: the customer has one transfer.
        assert second.snapshot(1, 2, at=T0, intel_keys=(), on=TODAY).customer_count == 1
        second.release_claim("7:req-1", "hash\x1fid-2")  # not its claim: kept
        with pytest.raises(Claimed):
            second.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t, claim=("7:req-1", "h\x1fid-3"))
        first.release_claim("7:req-1", "hash\x1fid-1")  # its screening could not be stored: the retry is new
        second.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t, claim=("7:req-1", "hash\x1fid-4"))
    finally:
        first.clear()
        first.close()
        second.close()


class CountingConnection(Connection):
    """Counts what goes to Redis: one packed send per command, or per pipeline."""

    sends = 0

    def send_packed_command(self, command, check_health=True):
        CountingConnection.sends += 1
        return super().send_packed_command(command, check_health)


def test_one_screening_is_one_round_trip(redis_url, prefix):
    store = RedisStateStore(redis_url, prefix=prefix, connection_class=CountingConnection)
    try:
        store.mark_ready()
        payees = [stable_key("account", f"p{i}") for i in range(5)]
        store.observe(1, payees[0], at=T0, intel_keys=(3,), on=TODAY, transfer=Transfer(1, payees[0], T0, 100))
        CountingConnection.sends = 0
        for i in range(200):
            t = Transfer(i % 17, payees[i % 5], T0 + i, 10_000 + i)
            store.observe(t.customer_key, t.payee_key, at=t.at, intel_keys=(3, 4, 5), on=TODAY, transfer=t,
                          claim=(f"1:r{i}", "h\x1fs"))
        assert CountingConnection.sends == 200
        CountingConnection.sends = 0
        # The replay: the pipeline checks its script is loaded, then sends every transfer at once.
        store.record_many(Transfer(i, payees[0], T0 + i, 100) for i in range(500))
        assert CountingConnection.sends == 2
    finally:
        store.clear()
        store.close()


def test_a_lost_state_and_an_unreachable_redis_are_refused_without_recording(private_redis):
    store = RedisStateStore(private_redis.url, prefix="p")
    t = Transfer(1, 2, T0, 100)
    with pytest.raises(StateUnavailable) as lost:  # no ready mark: an empty Redis, never filled
        store.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t)
    assert lost.value.lost
    assert not store.redis.exists("p:c:1")
    store.mark_ready()
    store.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t)
    private_redis.stop()
    with pytest.raises(StateUnavailable) as down:
        store.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t)
    assert not down.value.lost
    private_redis.start()  # back, empty: lost
    with pytest.raises(StateUnavailable) as emptied:
        store.observe(1, 2, at=T0, intel_keys=(), on=TODAY, transfer=t)
    assert emptied.value.lost
    store.close()
