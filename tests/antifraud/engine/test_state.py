import datetime as dt
import math

import pytest

from pingan.antifraud.engine.state import (
    CUSTOMER_RING,
    DAY,
    HOUR,
    PAYEE_RING,
    InMemoryStateStore,
    Transfer,
    stable_key,
)
from pingan.core.identity import InvalidIdentity

from .factories import ADULT_MAN

T0 = 1_740_967_200  # 2025-03-03 10:00 Asia/Shanghai
TODAY = dt.date(2025, 3, 3)
PAYEE = stable_key("account", "6222020000000002")
CUSTOMER_X = -1670402175383644426


def snap(store, customer=1, payee=PAYEE, at=T0, intel_keys=(), on=TODAY):
    return store.snapshot(customer, payee, at=at, intel_keys=intel_keys, on=on)


def test_stable_key_is_64_bit_and_does_not_depend_on_the_process():
    key = stable_key("account", "6222020000000002")
    assert -(2**63) <= key < 2**63
    assert key == stable_key("account", "6222020000000002")
    assert key != stable_key("phone", "6222020000000002")
    # Pinned: the Redis implementation and stored state rely on keys never changing.
    assert stable_key("customer", "x") == CUSTOMER_X


def test_unknown_customer_and_payee_have_no_history():
    s = snap(InMemoryStateStore())
    assert s.customer_count == 0 and s.payee_count == 0
    assert math.isnan(s.customer_mean_fen) and math.isnan(s.customer_log_std)
    assert not s.payee_known_to_customer
    assert (s.payee_payers_24h, s.payee_payers_7d, s.payee_received_24h_fen) == (0, 0, 0)


def test_payee_distinct_payers_and_money_follow_the_windows():
    store = InMemoryStateStore()
    store.record(Transfer(1, PAYEE, T0, 100_000))
    store.record(Transfer(2, PAYEE, T0 + HOUR, 200_000))
    store.record(Transfer(2, PAYEE, T0 + 2 * HOUR, 50_000))  # same payer again: still two payers

    s = snap(store, at=T0 + 3 * HOUR)
    assert (s.payee_payers_24h, s.payee_payers_7d) == (2, 2)
    assert (s.payee_received_24h_fen, s.payee_received_7d_fen) == (350_000, 350_000)

    store.record(Transfer(3, PAYEE, T0 + 2 * DAY, 300_000))

    s = snap(store, at=T0 + 2 * DAY + 60)
    assert (s.payee_payers_24h, s.payee_payers_7d) == (1, 3)
    assert (s.payee_received_24h_fen, s.payee_received_7d_fen) == (300_000, 650_000)

    s = snap(store, at=T0 + 8 * DAY)
    assert (s.payee_payers_24h, s.payee_payers_7d) == (0, 1)
    assert s.payee_received_7d_fen == 300_000

    s = snap(store, at=T0 + 10 * DAY)
    assert (s.payee_payers_24h, s.payee_payers_7d, s.payee_received_7d_fen) == (0, 0, 0)
    assert s.payee_count == 4 and s.payee_first_seen == T0


def test_customer_counts_usual_amounts_and_known_payees():
    store = InMemoryStateStore()
    other = stable_key("account", "other")
    for i, yuan in enumerate((100, 200, 300)):
        store.record(Transfer(1, other, T0 + i * DAY, yuan * 100))
    store.record(Transfer(1, PAYEE, T0 + 3 * DAY, 400 * 100))
    store.record(Transfer(1, other, T0 + 3 * DAY + 30 * 60, 500 * 100))

    s = snap(store, at=T0 + 3 * DAY + 45 * 60)
    assert s.customer_count == 5
    assert s.customer_mean_fen == 30_000
    assert s.customer_max_fen == 50_000
    assert (s.customer_n_1h, s.customer_n_24h, s.customer_sum_24h_fen) == (2, 2, 90_000)
    assert s.payee_known_to_customer
    logs = [math.log(y) for y in (100, 200, 300, 400, 500)]
    mean = sum(logs) / 5
    assert s.customer_log_mean == pytest.approx(mean, abs=1e-6)
    assert s.customer_log_std == pytest.approx(math.sqrt(sum((v - mean) ** 2 for v in logs) / 4), abs=1e-5)
    assert s.customer_first_seen == T0 and s.customer_last_at == T0 + 3 * DAY + 30 * 60

    later = snap(store, at=T0 + 5 * DAY)
    assert (later.customer_n_1h, later.customer_n_24h, later.customer_sum_24h_fen) == (0, 0, 0)


def test_rings_are_bounded_and_keep_the_latest():
    store = InMemoryStateStore()
    first_payee = stable_key("account", "first")
    store.record(Transfer(1, first_payee, T0, 100))
    for i in range(1, CUSTOMER_RING + 5):
        store.record(Transfer(1, PAYEE, T0 + i, 100))
    s = snap(store, customer=1, payee=first_payee, at=T0 + 100)
    assert not s.payee_known_to_customer  # pushed out of the ring by later payees
    assert s.customer_count == CUSTOMER_RING + 5  # the totals keep counting
    assert s.customer_n_1h == CUSTOMER_RING  # windows saturate at the ring size

    for payer in range(100, 100 + PAYEE_RING + 10):
        store.record(Transfer(payer, PAYEE, T0 + 50, 100))
    assert snap(store, at=T0 + 60).payee_payers_24h == PAYEE_RING


def test_payee_region_and_opening_keep_the_latest_known_value():
    store = InMemoryStateStore()
    store.record(Transfer(1, PAYEE, T0, 100, payee_region=510104, payee_opened_day=739000))
    store.record(Transfer(2, PAYEE, T0 + 1, 100))
    s = snap(store)
    assert (s.payee_region, s.payee_opened_day) == (510104, 739000)


# --- intel -------------------------------------------------------------------------------------------


def test_intel_active_removed_and_expired():
    store = InMemoryStateStore()
    store.list_entry("account", "6222 0200 0000 0002", typology="loan", source="反诈中心", listed_on=TODAY)
    assert store.is_listed("account", "6222020000000002", TODAY)
    assert not store.is_listed("account", "6222020000000002", TODAY - dt.timedelta(days=1))

    removed = store.delist_entry("account", "6222020000000002", reason="误封，已核实", on=TODAY)
    assert removed is not None and removed.status == "removed" and removed.removed_reason == "误封，已核实"
    assert not store.is_listed("account", "6222020000000002", TODAY)

    store.list_entry(
        "phone",
        "+86 170-0000-0001",
        typology=None,
        source="运营商",
        listed_on=TODAY,
        expires_on=TODAY + dt.timedelta(days=30),
    )
    assert store.is_listed("phone", "17000000001", TODAY + dt.timedelta(days=29))
    assert not store.is_listed("phone", "17000000001", TODAY + dt.timedelta(days=30))

    assert store.delist_entry("phone", "13900000000", reason="x", on=TODAY) is None


def test_relisting_a_removed_entry_makes_it_count_again():
    store = InMemoryStateStore()
    store.list_entry("id_number", ADULT_MAN, typology=None, source="s", listed_on=TODAY)
    store.delist_entry("id_number", ADULT_MAN, reason="r", on=TODAY)
    store.list_entry("id_number", ADULT_MAN, typology="other", source="s2", listed_on=TODAY)
    assert store.is_listed("id_number", ADULT_MAN, TODAY)


def test_intel_refuses_bad_entries():
    store = InMemoryStateStore()
    with pytest.raises(ValueError):
        store.list_entry("email", "a@b.c", typology=None, source="s", listed_on=TODAY)
    with pytest.raises(ValueError):
        store.list_entry("account", "6222020000000002", typology="lottery", source="s", listed_on=TODAY)
    with pytest.raises(InvalidIdentity):
        store.list_entry("phone", "123", typology=None, source="s", listed_on=TODAY)
    with pytest.raises(ValueError):
        store.list_entry(
            "account", "6222020000000002", typology=None, source="s", listed_on=TODAY, expires_on=TODAY
        )
    assert not store.is_listed("phone", "not a phone", TODAY)


def test_snapshot_returns_intel_hits_in_the_order_asked():
    store = InMemoryStateStore()
    store.list_entry("account", "6222020000000002", typology="investment", source="反诈中心", listed_on=TODAY)
    store.list_entry("device", "dev-1", typology=None, source="bank", listed_on=TODAY)
    keys = [stable_key(kind, value) for kind, value in
            (("phone", "13800138000"), ("account", "6222020000000002"), ("device", "dev-1"))]
    hits = snap(store, intel_keys=keys).intel
    assert hits[0] is None
    assert hits[1].kind == "account" and hits[1].typology == "investment" and hits[1].source == "反诈中心"
    assert hits[2].kind == "device"


def test_window_helpers_agree_with_a_plain_count_whatever_the_spread_of_times():
    # The helpers take C-level shortcuts (everything inside a window, or everything outside it); on rings
    # of every spread they must answer what counting entry by entry answers.
    import random
    from array import array

    from pingan.antifraud.engine.state import WEEK, _window_counts, _window_payers

    rng = random.Random(7)
    at = T0
    for _ in range(2_000):
        span = rng.choice((HOUR // 2, DAY // 2, 3 * DAY, 2 * WEEK, 5 * WEEK))
        n = rng.randint(1, 32)
        times = array("q", (at - rng.randrange(span) - rng.choice((0, 0, DAY, WEEK)) for _ in range(n)))
        amounts = array("q", (rng.randint(1, 10**7) for _ in range(n)))
        payers = array("q", (rng.randint(1, 6) for _ in range(n)))
        entries = list(zip(times, amounts, payers, strict=True))
        hour_ago, day_ago, week_ago = at - HOUR, at - DAY, at - WEEK
        assert _window_counts(times, amounts, hour_ago, day_ago) == (
            sum(1 for t, _, _ in entries if t > hour_ago), sum(1 for t, _, _ in entries if t > day_ago),
            sum(a for t, a, _ in entries if t > day_ago))
        assert _window_payers(times, amounts, payers, day_ago, week_ago) == (
            len({q for t, _, q in entries if t > day_ago}), len({q for t, _, q in entries if t > week_ago}),
            sum(a for t, a, _ in entries if t > day_ago), sum(a for t, a, _ in entries if t > week_ago))
