"""`RedisStateStore`: the screening state shared by every process through Redis (`PINGAN_ANTIFRAUD_STATE_URL`).

Each customer and payee account is one Redis string holding exactly the record `InMemoryStateStore` keeps
(its integers comma-separated), so both stores compute a snapshot with the same code (`state.snapshot_of`)
and decide alike. One screening is one round trip: a Lua script reads both records, the intel hits, the
known-payee entry, the customer's protection (a protected person) and the state's first time, claims the
bank's request id (`SET NX`), and appends the new transfer, all in one atomic step, so two processes
screening the same customer at the same moment see each other's transfers. Keys (`stable_key` values,
64-bit) stay strings inside the script: Lua's numbers are doubles. Every other number in a record is far
below 2**53, and the script's arithmetic is the in-memory store's, in the same order, with Python's
rounding (half to even).

A Redis that lost its data (restart without persistence, a new replica) has no ``ready`` mark: the script
then refuses (`StateUnavailable(lost=True)`) until a process has replayed the database into it
(`screening.runtime.shared`).
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections.abc import Iterable, Sequence

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from pingan.antifraud.engine.contract import TYPOLOGIES, normalize_account_no
from pingan.antifraud.engine.state import (
    INTEL_KINDS,
    Claimed,
    IntelEntry,
    IntelHit,
    KnownPayee,
    Snapshot,
    Transfer,
    normalize_intel_value,
    snapshot_of,
    stable_key,
)

_SEP = "\x1f"

# KEYS: customer, payee, intel hash, known-payee hash, meta hash, request key ('' for none), protected hash
# ARGV: mode (o: snapshot then record, s: snapshot, r: record without the ready check), customer key,
#       payee key, at, fen, payee region, payee opening day, payee org, ln(yuan), its millionths, its
#       square's millionths, claim value, claim ttl, record ttl, then the intel keys.
_SCRIPT = """
local mode = ARGV[1]
local meta = KEYS[5]
if mode ~= 'r' and redis.call('HEXISTS', meta, 'ready') == 0 then return {'NOSTATE'} end
if KEYS[6] ~= '' then
  local first = redis.call('GET', KEYS[6])
  if first then return {'CLAIMED', first} end
end
local cs = redis.call('GET', KEYS[1])
local ps = redis.call('GET', KEYS[2])
local since = redis.call('HGET', meta, 'since')
local out = {'OK'}
if mode ~= 'r' then
  out[2] = cs or false
  out[3] = ps or false
  out[4] = since or false
  out[5] = redis.call('HGET', KEYS[4], ARGV[3]) or false
  out[6] = redis.call('HGET', KEYS[7], ARGV[2]) or false
  if #ARGV > 14 then
    local hits = redis.call('HMGET', KEYS[3], unpack(ARGV, 15))
    for i = 1, #hits do out[6 + i] = hits[i] end
  end
end
if mode == 's' then return out end

local function f(x) return string.format('%.0f', x) end
local function rnd(x)  -- Python's round(): half to even
  local fl = math.floor(x)
  local d = x - fl
  if d > 0.5 then return fl + 1 elseif d < 0.5 then return fl elseif fl % 2 == 0 then return fl end
  return fl + 1
end
local function split(s)
  local t = {}
  for v in string.gmatch(s, '[^,]+') do t[#t + 1] = v end
  return t
end
local CAP = 32
local function push(t, head, pos, a, b, c)
  if #t < head + 3 * CAP then
    t[#t + 1] = a; t[#t + 1] = b; t[#t + 1] = c
    return
  end
  local p = tonumber(t[pos])
  local i = head + 3 * p + 1
  t[i] = a; t[i + 1] = b; t[i + 2] = c
  t[pos] = f((p + 1) % CAP)
end

local ck, pk, sat, samount = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local at, amount = tonumber(sat), tonumber(samount)
local la, lm, lsq = tonumber(ARGV[9]), ARGV[10], ARGV[11]
local ttl = tonumber(ARGV[14])
if (not since) or at < tonumber(since) then redis.call('HSET', meta, 'since', sat) end

local c
if not cs then
  c = {sat, sat, '1', samount, samount, lm, '0', '0', sat, samount, pk}
else
  c = split(cs)
  local count = tonumber(c[3]) + 1
  local mean = tonumber(c[6]) / 1000000
  local delta = la - mean
  mean = mean + delta / count
  c[7] = f(tonumber(c[7]) + rnd(delta * (la - mean) * 1000000))
  c[6] = f(rnd(mean * 1000000))
  c[3] = f(count)
  c[4] = f(tonumber(c[4]) + amount)
  if amount > tonumber(c[5]) then c[5] = samount end
  if at < tonumber(c[1]) then c[1] = sat end
  if at > tonumber(c[2]) then c[2] = sat end
  push(c, 8, 8, sat, samount, pk)
end
redis.call('SET', KEYS[1], table.concat(c, ','), 'EX', ttl)

local day = math.floor((at + 28800) / 86400)
local isr = 0
if amount % 10000 == 0 then isr = 1 end
local p
if not ps then
  p = {sat, '1', ARGV[6], ARGV[7], '0', f(day), '1', f(isr), '0', lm, lsq, ARGV[8], sat, samount, ck}
else
  p = split(ps)
  for i = 15, #p, 3 do
    if p[i] == ck then p[9] = f(tonumber(p[9]) + 1); break end
  end
  p[2] = f(tonumber(p[2]) + 1)
  if at < tonumber(p[1]) then p[1] = sat end
  if day > tonumber(p[6]) then p[6] = f(day); p[7] = f(tonumber(p[7]) + 1) end
  p[8] = f(tonumber(p[8]) + isr)
  p[10] = f(tonumber(p[10]) + tonumber(lm))
  p[11] = f(tonumber(p[11]) + tonumber(lsq))
  if ARGV[6] ~= '0' then p[3] = ARGV[6] end
  if ARGV[7] ~= '0' then p[4] = ARGV[7] end
  if ARGV[8] ~= '0' then p[12] = '1' end
  push(p, 12, 5, sat, samount, ck)
end
redis.call('SET', KEYS[2], table.concat(p, ','), 'EX', ttl)
if KEYS[6] ~= '' then redis.call('SET', KEYS[6], ARGV[12], 'EX', tonumber(ARGV[13])) end
return out
"""


class StateUnavailable(Exception):  # noqa: N818 - the state's condition, raised to the caller
    """Redis cannot be reached (`lost` False) or has lost the state (`lost` True): nothing was recorded."""

    def __init__(self, message: str, *, lost: bool) -> None:
        super().__init__(message)
        self.lost = lost


def _entry_text(e: IntelEntry) -> str:
    return _SEP.join((e.kind, e.value, e.typology or "", e.source, str(e.listed_on.toordinal()),
                      str(e.expires_on.toordinal()) if e.expires_on else "0", e.status, e.removed_reason or "",
                      str(e.removed_on.toordinal()) if e.removed_on else "0"))


def _entry_of(raw: bytes) -> IntelEntry:
    kind, value, typology, source, listed, expires, status, reason, removed = raw.decode().split(_SEP)
    return IntelEntry(kind, value, typology or None, source, dt.date.fromordinal(int(listed)),
                      dt.date.fromordinal(int(expires)) if expires != "0" else None, status,  # type: ignore[arg-type]
                      reason or None, dt.date.fromordinal(int(removed)) if removed != "0" else None)


def _counts(listed: int, expires: int, day: int) -> bool:
    return listed <= day and (expires == 0 or day < expires)


class RedisStateStore:
    """The `StateStore` shared through Redis. `prefix` names every key (several deployments, or test runs,
    share one Redis apart); records expire `ttl_days` after their last transfer (the replay window), claimed
    request ids after `claim_days` (the idempotency window)."""

    shared = True

    def __init__(self, url: str, *, prefix: str = "pingan", ttl_days: int = 35, claim_days: int = 35,
                 max_connections: int = 16, connection_class: type | None = None) -> None:
        extra = {"connection_class": connection_class} if connection_class is not None else {}
        # One retry without waiting (a restarted Redis is reconnected at once); short timeouts, so a Redis
        # that went away costs the caller a second, not the event loop its life.
        self.pool = redis.ConnectionPool.from_url(url, max_connections=max_connections, socket_timeout=1.0,
                                                  socket_connect_timeout=1.0, retry=Retry(NoBackoff(), 1),
                                                  **extra)
        self.redis = redis.Redis(connection_pool=self.pool)
        self._script = self.redis.register_script(_SCRIPT)
        self.prefix = prefix
        self._intel, self._vouched, self._meta = f"{prefix}:intel", f"{prefix}:vouched", f"{prefix}:meta"
        self._protected = f"{prefix}:protected"
        self._ttl = str(ttl_days * 86400)
        self._claim_ttl = str(claim_days * 86400)

    # ---- the hot path ---------------------------------------------------------------------------------

    def observe(self, customer_key: int, payee_key: int, *, at: int, intel_keys: Sequence[int], on: dt.date,
                transfer: Transfer | None, claim: tuple[str, str] | None = None) -> Snapshot:
        if transfer is None:
            args = ["s", customer_key, payee_key, at, 0, 0, 0, 0, 0, 0, 0, "", 0, self._ttl]
        else:
            args = self._record_args("o", transfer)
            if claim is not None:
                args[11], args[12] = claim[1], self._claim_ttl
        claim_key = f"{self.prefix}:r:{claim[0]}" if claim is not None else ""
        reply = self._call([f"{self.prefix}:c:{customer_key}", f"{self.prefix}:p:{payee_key}", self._intel,
                            self._vouched, self._meta, claim_key, self._protected], [*args, *intel_keys])
        status = reply[0]
        if status != b"OK":
            if status == b"CLAIMED":
                raise Claimed(reply[1].decode())
            raise StateUnavailable("the shared state was lost; it is being rebuilt", lost=True)
        day = on.toordinal()
        c, p, since, vouched, protected = reply[1], reply[2], reply[3], reply[4], reply[5]
        hits = tuple(self._hit(raw, day) for raw in reply[6:])
        return snapshot_of(array("q", map(int, c.split(b","))) if c else None,
                           array("q", map(int, p.split(b","))) if p else None,
                           payee_key, at, hits, self._vouched_on(vouched, day), int(since) if since else 0,
                           int(protected) if protected else 0)

    def snapshot(self, customer_key: int, payee_key: int, *, at: int, intel_keys: Sequence[int],
                 on: dt.date) -> Snapshot:
        return self.observe(customer_key, payee_key, at=at, intel_keys=intel_keys, on=on, transfer=None)

    def record(self, transfer: Transfer) -> None:
        self.record_many((transfer,))

    def record_many(self, transfers: Iterable[Transfer]) -> int:
        """Append transfers in order, pipelined (the replay: two round trips for any number); no ready check."""
        pipe = self.redis.pipeline(transaction=False)
        n = 0
        for t in transfers:
            self._script(keys=[f"{self.prefix}:c:{t.customer_key}", f"{self.prefix}:p:{t.payee_key}", self._intel,
                               self._vouched, self._meta, "", self._protected], args=self._record_args("r", t),
                         client=pipe)
            n += 1
        if n:
            self._run(pipe.execute)
        return n

    def _record_args(self, mode: str, t: Transfer) -> list:
        log_amount = math.log(t.amount_fen / 100)
        return [mode, t.customer_key, t.payee_key, t.at, t.amount_fen, t.payee_region, t.payee_opened_day,
                t.payee_org, repr(log_amount), round(log_amount * 1_000_000),
                round(log_amount * log_amount * 1_000_000), "", 0, self._ttl]

    def _call(self, keys: list, args: list) -> list:
        return self._run(self._script, keys=keys, args=args)

    @staticmethod
    def _run(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise StateUnavailable(f"the shared state cannot be reached: {exc}", lost=False) from exc
        except redis.ResponseError as exc:  # a Redis still loading its data answers LOADING
            raise StateUnavailable(f"the shared state answered: {exc}", lost=False) from exc

    @staticmethod
    def _hit(raw: bytes | None, day: int) -> IntelHit | None:
        if raw is None:
            return None
        kind, _, typology, source, listed, expires, status, *_ = raw.decode().split(_SEP)
        if status != "active" or not _counts(int(listed), int(expires), day):
            return None
        return IntelHit(kind, typology or None, source)

    @staticmethod
    def _vouched_on(raw: bytes | None, day: int) -> bool:
        if raw is None:
            return False
        listed, expires = raw.split(b",")
        return _counts(int(listed), int(expires), day)

    # ---- lists ----------------------------------------------------------------------------------------

    def list_entry(self, kind: str, value: str, *, typology: str | None, source: str, listed_on: dt.date,
                   expires_on: dt.date | None = None) -> IntelEntry:
        if kind not in INTEL_KINDS:
            raise ValueError(f"unknown intel kind {kind!r}")
        if typology is not None and typology not in TYPOLOGIES:
            raise ValueError(f"unknown typology {typology!r}")
        if expires_on is not None and expires_on <= listed_on:
            raise ValueError("expires_on must be after listed_on")
        normalized = normalize_intel_value(kind, value)
        entry = IntelEntry(kind, normalized, typology, source, listed_on, expires_on)
        self._run(self.redis.hset, self._intel, str(stable_key(kind, normalized)), _entry_text(entry))
        return entry

    def delist_entry(self, kind: str, value: str, *, reason: str, on: dt.date) -> IntelEntry | None:
        field = str(stable_key(kind, normalize_intel_value(kind, value)))
        raw = self._run(self.redis.hget, self._intel, field)
        if raw is None:
            return None
        entry = _entry_of(raw)
        entry.status, entry.removed_reason, entry.removed_on = "removed", reason, on
        self._run(self.redis.hset, self._intel, field, _entry_text(entry))
        return entry

    def is_listed(self, kind: str, value: str, on: dt.date) -> bool:
        try:
            normalized = normalize_intel_value(kind, value)
        except ValueError:
            return False
        raw = self._run(self.redis.hget, self._intel, str(stable_key(kind, normalized)))
        return self._hit(raw, on.toordinal()) is not None

    def vouch_payee(self, entry: KnownPayee) -> None:
        entry.account_no = normalize_account_no(entry.account_no)
        expires = entry.expires_on.toordinal() if entry.expires_on else 0
        self._run(self.redis.hset, self._vouched, str(stable_key("account", entry.account_no)),
                  f"{entry.listed_on.toordinal()},{expires}")

    def unvouch_payee(self, account_no: str) -> None:
        self._run(self.redis.hdel, self._vouched, str(stable_key("account", normalize_account_no(account_no))))

    def is_vouched(self, account_no: str, on: dt.date) -> bool:
        raw = self._run(self.redis.hget, self._vouched, str(stable_key("account", normalize_account_no(account_no))))
        return self._vouched_on(raw, on.toordinal())

    def protect(self, customer_key: int, until: int) -> None:
        self._run(self.redis.hset, self._protected, str(customer_key), str(until))

    def unprotect(self, customer_key: int) -> None:
        self._run(self.redis.hdel, self._protected, str(customer_key))

    # ---- request ids and the state's life ---------------------------------------------------------------

    def remember_claims(self, claims: Iterable[tuple[str, str]]) -> None:
        """Claimed request ids from the database (the replay): overwritten, with the claim ttl."""
        pipe = self.redis.pipeline(transaction=False)
        for name, value in claims:
            pipe.set(f"{self.prefix}:r:{name}", value, ex=int(self._claim_ttl))
        self._run(pipe.execute)

    def release_claim(self, name: str, value: str) -> None:
        """Forget a claim whose screening could not be stored (its retry is screened anew) — if it is ours."""
        key = f"{self.prefix}:r:{name}"
        if self._run(self.redis.get, key) == value.encode():
            self._run(self.redis.delete, key)

    def is_ready(self) -> bool:
        return bool(self._run(self.redis.hexists, self._meta, "ready"))

    def mark_ready(self) -> None:
        self._run(self.redis.hset, self._meta, "ready", "1")

    def take_rebuild(self, owner: str, seconds: int = 600) -> bool:
        """The one process that replays the database into an empty Redis (others wait for the mark)."""
        return bool(self._run(self.redis.set, f"{self.prefix}:rebuilding", owner, nx=True, ex=seconds))

    def release_rebuild(self, owner: str) -> None:
        if self._run(self.redis.get, f"{self.prefix}:rebuilding") == owner.encode():
            self._run(self.redis.delete, f"{self.prefix}:rebuilding")

    def clear(self, keep: Sequence[str] = ()) -> int:
        """Delete every key of this prefix but `keep` (names after the prefix); returns how many."""
        kept = {f"{self.prefix}:{name}".encode() for name in keep}
        n = 0
        keys = (k for k in self.redis.scan_iter(match=f"{self.prefix}:*", count=1000) if k not in kept)
        for batch in _chunks(keys, 1000):
            n += self._run(self.redis.unlink, *batch)
        return n

    def close(self) -> None:
        self.pool.disconnect()


def _chunks(items: Iterable, size: int) -> Iterable[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
