"""What the screening hot path remembers — customer and payee-account histories and the intel lists —
behind `StateStore`, the interface a Redis implementation will also satisfy; `InMemoryStateStore` is
the single-process one."""

from __future__ import annotations

import datetime as dt
import functools
import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b
from typing import Literal, Protocol, get_args

from pingan.antifraud.engine.contract import TYPOLOGIES, normalize_account_no
from pingan.core.identity import normalize_phone, parse_resident_id

IntelKind = Literal["account", "phone", "id_number", "device"]
_NAN = math.nan
INTEL_KINDS: tuple[str, ...] = get_args(IntelKind)

HOUR = 3600
PROTECTED_NO_END = 2**53  # a protection without an end (exact in Lua's doubles and in JSON)
DAY = 86400
WEEK = 7 * DAY
# Rings keep the most recent transfers only, so a busy mule account cannot grow without bound; window
# counts and sums saturate there (more than 32 payments in a week read as the latest 32), far above
# the default rule thresholds.
CUSTOMER_RING = 32
PAYEE_RING = 32


@functools.lru_cache(maxsize=1 << 17)
def stable_key(kind: str, value: str) -> int:
    """A signed 64-bit key, the same in every process (unlike `hash()`), so Redis can share it.

    Remembered for the most recent keys: a county's customers and payees come back again and again, and a
    hash is most of what preparing their facts costs."""
    digest = blake2b(f"{kind}\x1f{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def normalize_intel_value(kind: str, value: str) -> str:
    """Bring a listed value to the form requests carry, so a listing and a request always meet."""
    if kind == "account":
        return normalize_account_no(value)
    if kind == "phone":
        return normalize_phone(value)
    if kind == "id_number":
        return parse_resident_id(value).number
    if kind == "device":
        device = value.strip()
        if not device:
            raise ValueError("device.empty")
        return device
    raise ValueError(f"unknown intel kind {kind!r}")


@dataclass(slots=True)
class Transfer:
    """One screened remittance as the state remembers it: keys, epoch seconds and fen, nothing else."""

    customer_key: int
    payee_key: int
    at: int
    amount_fen: int
    payee_region: int = 0  # administrative division code of the payee account, 0 when unknown
    payee_opened_day: int = 0  # date.toordinal() of the payee account's opening, 0 when unknown
    payee_org: int = 0  # 1 when the bank named the payee as an organisation (name or credit code)


@dataclass(slots=True)
class IntelEntry:
    kind: str
    value: str
    typology: str | None
    source: str
    listed_on: dt.date
    expires_on: dt.date | None = None  # no longer counts from this day on
    status: Literal["active", "removed"] = "active"
    removed_reason: str | None = None
    removed_on: dt.date | None = None

    def counts_on(self, day: dt.date) -> bool:
        return (
            self.status == "active"
            and self.listed_on <= day
            and (self.expires_on is None or day < self.expires_on)
        )


@dataclass(slots=True)
class KnownPayee:
    """A merchant or organisation account analysts vouch for (a school, the water company, a landlord's
    rent account): fan-in rules never fire on it. Not an allow list — every other rule and the model still
    judge transfers to it."""

    account_no: str
    name: str | None
    source: str
    reason: str
    listed_on: dt.date
    expires_on: dt.date | None = None
    status: Literal["active", "removed"] = "active"

    def counts_on(self, day: dt.date) -> bool:
        return (self.status == "active" and self.listed_on <= day
                and (self.expires_on is None or day < self.expires_on))


@dataclass(frozen=True, slots=True)
class IntelHit:
    kind: str
    typology: str | None
    source: str


# Not frozen: a frozen dataclass pays for object.__setattr__ per field, and this is built per screening.
@dataclass(slots=True)
class Snapshot:
    """Everything known before a transfer, as of its time `at`; NaN where there is no history.

    A window such as "last 24 h" holds the recorded transfers timed after `at` minus 24 h, including any
    timed after `at` itself: banks' clocks differ by seconds, and a rapid second transfer must not be
    missed because its bank's clock ran behind.
    """

    customer_count: int
    customer_first_seen: int  # epoch seconds, 0 when never seen
    customer_last_at: int  # epoch seconds, 0 when never seen
    customer_mean_fen: float
    customer_max_fen: int
    customer_log_mean: float  # mean of ln(amount in yuan)
    customer_log_std: float
    customer_n_1h: int
    customer_n_24h: int
    customer_sum_24h_fen: int
    payee_known_to_customer: bool
    payee_count: int
    payee_first_seen: int
    payee_region: int
    payee_opened_day: int
    payee_payers_24h: int
    payee_payers_7d: int
    payee_received_24h_fen: int
    payee_received_7d_fen: int
    intel: tuple[IntelHit | None, ...]  # aligned with the `intel_keys` asked for
    # The payee's profile over its whole history (not only the ring): days with inflows, round amounts,
    # inflows from payers who had paid it before, spread of ln(amounts), named as an organisation.
    payee_days: int = 0
    payee_round: int = 0
    payee_repeat: int = 0
    payee_log_mean: float = _NAN
    payee_log_std: float = _NAN
    payee_org: bool = False
    payee_vouched: bool = False  # on the known-payee list that day
    observed_since: int = 0  # epoch seconds of the earliest transfer this state has seen, 0 for none
    # A protected person (dissuaded recently): the end of their protection in epoch seconds
    # (`PROTECTED_NO_END` without one); 0 when the customer is not protected.
    protected_until: int = 0


class Claimed(Exception):  # noqa: N818 - an answer (the first claimant's value), not a failure
    """A bank's request id already claimed in a shared store: `value` is what its first screening left."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


class StateStore(Protocol):
    """The calls the hot path makes: one read before deciding, one write after.

    Keys are `stable_key` values. Implementations are not required to be thread-safe; the Engine
    serialises its calls.
    """

    def snapshot(
        self,
        customer_key: int,
        payee_key: int,
        *,
        at: int,
        intel_keys: Sequence[int],
        on: dt.date,
    ) -> Snapshot: ...

    def record(self, transfer: Transfer) -> None: ...

    def observe(
        self,
        customer_key: int,
        payee_key: int,
        *,
        at: int,
        intel_keys: Sequence[int],
        on: dt.date,
        transfer: Transfer | None,
        claim: tuple[str, str] | None = None,
    ) -> Snapshot:
        """`snapshot`, then `record(transfer)` when given, as one step: one round trip for a shared store,
        atomic against other processes. A shared store also claims `claim` (request key, value) in that
        step, and raises `Claimed` with the first value when another screening claimed it before."""
        ...

    def list_entry(
        self,
        kind: str,
        value: str,
        *,
        typology: str | None,
        source: str,
        listed_on: dt.date,
        expires_on: dt.date | None = None,
    ) -> IntelEntry: ...

    def delist_entry(self, kind: str, value: str, *, reason: str, on: dt.date) -> IntelEntry | None: ...

    def is_listed(self, kind: str, value: str, on: dt.date) -> bool: ...

    def vouch_payee(self, entry: KnownPayee) -> None: ...

    def unvouch_payee(self, account_no: str) -> None: ...

    def protect(self, customer_key: int, until: int) -> None:
        """The customer is a protected person until `until` (epoch seconds, or `PROTECTED_NO_END`): their
        snapshots say so (`Snapshot.protected_until`)."""
        ...

    def unprotect(self, customer_key: int) -> None: ...


# Customer record: one array('q') per customer — arrays are not tracked by the garbage collector, so a
# million of them cost no collection pauses. Header, then a ring of (at, amount_fen, payee_key).
_C_FIRST, _C_LAST, _C_COUNT, _C_SUM, _C_MAX, _C_LOG_MEAN, _C_LOG_M2, _C_POS = range(8)
_C_HEAD = 8
# Payee record: header, then a ring of (at, amount_fen, payer_key). Days are counted from the epoch in
# local time; ln(yuan) sums in millionths.
(_P_FIRST, _P_COUNT, _P_REGION, _P_OPENED, _P_POS, _P_LAST_DAY, _P_DAYS, _P_ROUND, _P_REPEAT, _P_LOG_SUM,
 _P_LOG_SQ, _P_ORG) = range(12)
_P_HEAD = 12
_LOCAL_OFFSET = 8 * HOUR
# A round amount: a whole hundred yuan, as people choose and bills rarely are.
ROUND_FEN = 10_000
# ln(yuan) statistics are kept as integers in millionths so the whole record stays one int array.
_MICRO = 1_000_000


# The window helpers take whole columns sliced out of a ring: when every entry is inside the window
# (the usual case) the answer comes from C-level len/sum/set without a Python loop.
def _window_counts(times: array, amounts: array, hour_ago: int, day_ago: int) -> tuple[int, int, int]:
    """Transfers in the last hour, in the last day, and the day's sum."""
    if min(times) > hour_ago:
        return len(times), len(times), sum(amounts)
    if max(times) <= day_ago:  # most customers: nothing sent since yesterday
        return 0, 0, 0
    day = [a for t, a in zip(times, amounts, strict=True) if t > day_ago]
    return sum(1 for t in times if t > hour_ago), len(day), sum(day)


def _window_payers(
    times: array, amounts: array, payers: array, day_ago: int, week_ago: int
) -> tuple[int, int, int, int]:
    """Distinct payers in the last day and week, and the money received in each."""
    if min(times) > day_ago:
        distinct, total = len(set(payers)), sum(amounts)
        return distinct, distinct, total, total
    if max(times) <= week_ago:
        return 0, 0, 0, 0
    if min(times) > week_ago:  # every entry inside the week: only the day needs a loop
        day = [(a, q) for t, a, q in zip(times, amounts, payers, strict=True) if t > day_ago]
        return len({q for _, q in day}), len(set(payers)), sum(a for a, _ in day), sum(amounts)
    week = [(t, a, q) for t, a, q in zip(times, amounts, payers, strict=True) if t > week_ago]
    day = [(a, q) for t, a, q in week if t > day_ago]
    return (
        len({q for _, q in day}),
        len({q for _, _, q in week}),
        sum(a for a, _ in day),
        sum(a for _, a, _ in week),
    )


def _push(ring: array, head: int, pos_slot: int, cap: int, entry: tuple[int, int, int]) -> None:
    if len(ring) < head + 3 * cap:
        ring.extend(entry)
        return
    i = head + 3 * ring[pos_slot]
    ring[i], ring[i + 1], ring[i + 2] = entry
    ring[pos_slot] = (ring[pos_slot] + 1) % cap


def snapshot_of(c: array | None, p: array | None, payee_key: int, at: int, intel: tuple[IntelHit | None, ...],
                vouched: bool, observed_since: int, protected_until: int = 0) -> Snapshot:
    """A snapshot from a customer record and a payee record (the layouts above, None when never seen): the
    one computation every store shares, so a shared store decides exactly as the in-memory one."""
    hour_ago, day_ago, week_ago = at - HOUR, at - DAY, at - WEEK

    if c is None:
        c_count = c_first = c_last = c_max = n_1h = n_24h = sum_24h = 0
        c_mean = log_mean = log_std = _NAN
        known = False
    else:
        c_count, c_first, c_last, c_max = c[_C_COUNT], c[_C_FIRST], c[_C_LAST], c[_C_MAX]
        c_mean = c[_C_SUM] / c_count
        log_mean = c[_C_LOG_MEAN] / _MICRO
        log_std = math.sqrt(c[_C_LOG_M2] / _MICRO / (c_count - 1)) if c_count > 1 else _NAN
        known = payee_key in c[_C_HEAD + 2 :: 3]
        n_1h, n_24h, sum_24h = _window_counts(c[_C_HEAD::3], c[_C_HEAD + 1 :: 3], hour_ago, day_ago)

    if p is None:
        p_count = p_first = p_region = p_opened = recv_24h = recv_7d = 0
        payers_24h = payers_7d = p_days = p_round = p_repeat = p_org = 0
        p_log_mean = p_log_std = _NAN
    else:
        p_count, p_first, p_region, p_opened = p[_P_COUNT], p[_P_FIRST], p[_P_REGION], p[_P_OPENED]
        payers_24h, payers_7d, recv_24h, recv_7d = _window_payers(
            p[_P_HEAD::3], p[_P_HEAD + 1 :: 3], p[_P_HEAD + 2 :: 3], day_ago, week_ago
        )
        p_days, p_round, p_repeat, p_org = p[_P_DAYS], p[_P_ROUND], p[_P_REPEAT], p[_P_ORG]
        p_log_mean = p[_P_LOG_SUM] / _MICRO / p_count
        p_log_std = (math.sqrt(max(0.0, p[_P_LOG_SQ] / _MICRO / p_count - p_log_mean * p_log_mean))
                     if p_count > 2 else _NAN)

    return Snapshot(
        c_count, c_first, c_last, c_mean, c_max, log_mean, log_std, n_1h, n_24h, sum_24h, known,
        p_count, p_first, p_region, p_opened, payers_24h, payers_7d, recv_24h, recv_7d,
        intel,
        p_days, p_round, p_repeat, p_log_mean, p_log_std, bool(p_org),
        vouched, observed_since, protected_until,
    )  # fmt: skip


class InMemoryStateStore:
    """State in this process's memory: about 260 bytes per customer or payee account on average with a
    month of history (1.55 GB for 1,000,000 customers and 5,000,000 accounts, benchmarks/bench_engine.py).

    Not thread-safe by itself; the Engine serialises calls."""

    def __init__(self) -> None:
        self._customers: dict[int, array] = {}
        self._payees: dict[int, array] = {}
        self._intel: dict[int, IntelEntry] = {}
        self._vouched: dict[int, KnownPayee] = {}
        self._protected: dict[int, int] = {}  # customer key → end of protection (epoch seconds)
        self._observed_since = 0

    def __len__(self) -> int:
        return len(self._customers) + len(self._payees)

    @property
    def customer_count(self) -> int:
        return len(self._customers)

    @property
    def payee_count(self) -> int:
        return len(self._payees)

    def snapshot(
        self,
        customer_key: int,
        payee_key: int,
        *,
        at: int,
        intel_keys: Sequence[int],
        on: dt.date,
    ) -> Snapshot:
        """`intel_keys` are `stable_key(kind, normalized value)`; the hits come back in their order."""
        vouched = self._vouched.get(payee_key) if self._vouched else None
        intel = self._intel
        # Nearly every key is on no list: one C-level look-up each, and `_hit` only for a listed one.
        hits = tuple(None if intel.get(key) is None else self._hit(key, on) for key in intel_keys) \
            if any(map(intel.__contains__, intel_keys)) else (None,) * len(intel_keys)
        return snapshot_of(self._customers.get(customer_key), self._payees.get(payee_key), payee_key, at, hits,
                           vouched is not None and vouched.counts_on(on), self._observed_since,
                           self._protected.get(customer_key, 0) if self._protected else 0)

    def observe(
        self,
        customer_key: int,
        payee_key: int,
        *,
        at: int,
        intel_keys: Sequence[int],
        on: dt.date,
        transfer: Transfer | None,
        claim: tuple[str, str] | None = None,
    ) -> Snapshot:
        """The snapshot, then `transfer` recorded (when given). `claim` is for shared stores: this process
        keeps its own request ids (the screening runtime)."""
        snap = self.snapshot(customer_key, payee_key, at=at, intel_keys=intel_keys, on=on)
        if transfer is not None:
            self.record(transfer)
        return snap

    def record(self, transfer: Transfer) -> None:
        at, amount, ck, pk = transfer.at, transfer.amount_fen, transfer.customer_key, transfer.payee_key
        log_amount = math.log(amount / 100)
        log_micro = round(log_amount * _MICRO)
        if not self._observed_since or at < self._observed_since:
            self._observed_since = at

        c = self._customers.get(ck)
        if c is None:
            self._customers[ck] = array(
                "q", (at, at, 1, amount, amount, log_micro, 0, 0, at, amount, pk)
            )
        else:
            count = c[_C_COUNT] + 1
            # Welford's update, so the spread of usual amounts needs no stored history.
            mean = c[_C_LOG_MEAN] / _MICRO
            delta = log_amount - mean
            mean += delta / count
            c[_C_LOG_M2] += round(delta * (log_amount - mean) * _MICRO)
            c[_C_LOG_MEAN] = round(mean * _MICRO)
            c[_C_COUNT] = count
            c[_C_SUM] += amount
            if amount > c[_C_MAX]:
                c[_C_MAX] = amount
            if at < c[_C_FIRST]:
                c[_C_FIRST] = at
            if at > c[_C_LAST]:
                c[_C_LAST] = at
            _push(c, _C_HEAD, _C_POS, CUSTOMER_RING, (at, amount, pk))

        p = self._payees.get(pk)
        day = (at + _LOCAL_OFFSET) // DAY
        is_round = 1 if amount % ROUND_FEN == 0 else 0
        if p is None:
            self._payees[pk] = array(
                "q", (at, 1, transfer.payee_region, transfer.payee_opened_day, 0, day, 1, is_round, 0, log_micro,
                      round(log_amount * log_amount * _MICRO), transfer.payee_org, at, amount, ck)
            )
        else:
            if ck in p[_P_HEAD + 2 :: 3]:
                p[_P_REPEAT] += 1
            p[_P_COUNT] += 1
            if at < p[_P_FIRST]:
                p[_P_FIRST] = at
            if day > p[_P_LAST_DAY]:
                p[_P_LAST_DAY] = day
                p[_P_DAYS] += 1
            p[_P_ROUND] += is_round
            p[_P_LOG_SUM] += log_micro
            p[_P_LOG_SQ] += round(log_amount * log_amount * _MICRO)
            # The bank's latest word on region and opening date wins; absent means "not told". Once named
            # an organisation, an account stays one.
            if transfer.payee_region:
                p[_P_REGION] = transfer.payee_region
            if transfer.payee_opened_day:
                p[_P_OPENED] = transfer.payee_opened_day
            if transfer.payee_org:
                p[_P_ORG] = 1
            _push(p, _P_HEAD, _P_POS, PAYEE_RING, (at, amount, ck))

    def _hit(self, key: int, on: dt.date) -> IntelHit | None:
        entry = self._intel.get(key)
        if entry is None or not entry.counts_on(on):
            return None
        return IntelHit(entry.kind, entry.typology, entry.source)

    def list_entry(
        self,
        kind: str,
        value: str,
        *,
        typology: str | None,
        source: str,
        listed_on: dt.date,
        expires_on: dt.date | None = None,
    ) -> IntelEntry:
        """List (or re-list) a value; it takes effect for the next screening of every bank."""
        if kind not in INTEL_KINDS:
            raise ValueError(f"unknown intel kind {kind!r}")
        if typology is not None and typology not in TYPOLOGIES:
            raise ValueError(f"unknown typology {typology!r}")
        if expires_on is not None and expires_on <= listed_on:
            raise ValueError("expires_on must be after listed_on")
        normalized = normalize_intel_value(kind, value)
        entry = IntelEntry(kind, normalized, typology, source, listed_on, expires_on)
        self._intel[stable_key(kind, normalized)] = entry
        return entry

    def delist_entry(self, kind: str, value: str, *, reason: str, on: dt.date) -> IntelEntry | None:
        """Mark an entry removed, keeping it with the reason (a wrongly locked account is delisted)."""
        entry = self._intel.get(stable_key(kind, normalize_intel_value(kind, value)))
        if entry is None:
            return None
        entry.status, entry.removed_reason, entry.removed_on = "removed", reason, on
        return entry

    def vouch_payee(self, entry: KnownPayee) -> None:
        """Put (or keep) an account on the known-payee list; fan-in rules skip it from its listing day."""
        entry.account_no = normalize_account_no(entry.account_no)
        self._vouched[stable_key("account", entry.account_no)] = entry

    def unvouch_payee(self, account_no: str) -> None:
        self._vouched.pop(stable_key("account", normalize_account_no(account_no)), None)

    def is_vouched(self, account_no: str, on: dt.date) -> bool:
        entry = self._vouched.get(stable_key("account", normalize_account_no(account_no)))
        return entry is not None and entry.counts_on(on)

    def protect(self, customer_key: int, until: int) -> None:
        self._protected[customer_key] = until

    def unprotect(self, customer_key: int) -> None:
        self._protected.pop(customer_key, None)

    def is_listed(self, kind: str, value: str, on: dt.date) -> bool:
        """True only for an active entry already listed and not yet expired on `on`."""
        try:
            normalized = normalize_intel_value(kind, value)
        except ValueError:
            return False
        return self._hit(stable_key(kind, normalized), on) is not None
