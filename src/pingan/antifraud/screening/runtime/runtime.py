"""The screening runtime of one process: engine and in-memory state, idempotency memory, branch cache and
the group-commit writer. The HTTP route, the batch command and the sync job all go through it."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pingan.antifraud.engine import (
    DecisionThresholds,
    Engine,
    EngineDecision,
    RuleSet,
    ScoreModel,
    changes,
)
from pingan.antifraud.engine.contract import Reason, ScreeningRequest
from pingan.antifraud.engine.shared_state import StateUnavailable
from pingan.antifraud.engine.state import PROTECTED_NO_END, Claimed, stable_key
from pingan.antifraud.engine.state import KnownPayee as VouchedPayee
from pingan.antifraud.modeling.shadow import shadow_score
from pingan.antifraud.models import IntelEntry, IntelStatus, KnownPayee, RuleSetVersion
from pingan.antifraud.screening import repository as repo
from pingan.antifraud.screening.prepared import PreparedRequest, prepare
from pingan.antifraud.screening.storage.group_commit import GroupCommitWriter
from pingan.antifraud.screening.storage.store import LoopStore, StoreProcess
from pingan.antifraud.settings import get_antifraud_settings
from pingan.core import clock
from pingan.core.db import session_factory
from pingan.core.errors import AppError, Conflict, ErrorDetail, PermissionDenied
from pingan.core.schemas import invalid_request
from pingan.platform.watch import service as watch

log = logging.getLogger("pingan.antifraud")


@dataclass(frozen=True, slots=True)
class BranchInfo:
    branch_id: int
    bank_id: int
    bank_code: str
    station_id: int


@dataclass(slots=True)
class PendingScreening:
    """A decided screening on its way to the database."""

    screening_id: str
    request: PreparedRequest
    branch: BranchInfo
    decision: EngineDecision
    received_at: dt.datetime
    elapsed_ms: float
    submitted_by_id: int | None
    shadow: dict | None = None  # what the shadow challenger would have said


@dataclass(slots=True)
class Submission:
    """What the caller waits for: ``stored`` resolves to the alert id (or None) once the decision is durable.

    ``decision`` is None for a repeated request_id: the first answer is then read back from the database.
    """

    screening_id: str
    stored: Future
    decision: EngineDecision | None
    pending: PendingScreening | None
    waiter: asyncio.Future | None = None
    claimed: tuple[str, str] | None = None  # a repeat found in the shared store: its claim (name, value)

    async def wait(self) -> int | None:
        """On an event loop: the alert id (or None) once the decision is durable."""
        return await (self.waiter if self.waiter is not None else asyncio.wrap_future(self.stored))


@dataclass(slots=True)
class Repeat:
    """A request_id this bank already used with the same body: the answer is the stored first one.
    `claimed` (the claim's key and value): first screened by another process (a shared state), whose answer
    may still be on its way to the database."""

    screening_id: str
    claimed: tuple[str, str] | None = None


_STORED: Future = Future()  # stands for "already durable" in the idempotency memory
_STORED.set_result(None)
_ID_PREFIX = uuid.uuid4().hex[:6]  # distinguishes processes that may screen at the same millisecond
_id_counter = itertools.count()


def new_screening_id() -> str:
    # Time-ordered (milliseconds first) so ids sort like the screenings they name; unique per process by
    # the counter and across processes by the prefix.
    return f"{int(time.time() * 1000):012x}{_ID_PREFIX}{next(_id_counter) % 0x1000000:06x}"


def _repeat_of(seen: tuple[str, str, Future | None], prepared: PreparedRequest) -> Repeat:
    if seen[0] != prepared.request_hash:
        raise Conflict("screening.request_id_reused",
                       "同一 request_id 的请求内容不同 / request_id already used with another body")
    return Repeat(seen[1])


# A customer dissuaded from paying in the last days (a protected person of the register): the fraudster's
# second attempt often goes through another bank, so every bank's next screening of them is at least a warn.
PROTECTED_REASON = Reason(code="protected.recent_dissuasion", message="近期被劝阻客户")
PROTECTED_QUESTIONS = ("您近期曾被民警劝阻转账，这次转账与上次是同一件事吗？",
                       "是否有人让您换一家银行或换一种方式再转？")


class StateUnavailableError(AppError):
    status_code = 503


def _state_unavailable() -> StateUnavailableError:
    return StateUnavailableError("screening.state_unavailable",
                                 "筛查状态暂不可用，请稍后重试 / screening state unavailable, retry")


class ScreeningRuntime:
    def __init__(self, engine: Engine, writer: GroupCommitWriter | LoopStore) -> None:
        self.engine = engine
        self.writer = writer
        # A store shared by several processes (Redis): request ids are claimed in it too, and when it loses
        # its data `on_state_lost` (set at boot) rebuilds it while screenings are answered 503.
        self.shared = getattr(engine.store, "shared", False)
        self.on_state_lost: Callable[[], None] | None = None
        self.state_ready = True
        self._branches: dict[str, BranchInfo] = {}
        self._branches_loaded_at = 0.0
        # (bank_id, request_id) → (request hash, screening id, future of its write; None once stored)
        self._seen: dict[tuple[int, str], tuple[str, str, Future | None]] = {}
        self._lock = threading.Lock()
        self.ruleset_version_id: int | None = None
        self.intel_synced_at = clock.now()
        self.known_payees_synced_at = clock.now()
        self.bank_thresholds_ids: tuple[int, ...] = ()  # the active per-bank rows the engine follows
        # When the protected persons were last read (they live in the state store: `apply_protected`).
        self.protected_synced_at = clock.now()
        # A challenger model scored next to the active one and only logged (see docs/antifraud/model.md).
        self.shadow_model: ScoreModel | None = None

    def remember_request(self, bank_id: int, request_id: str, request_hash: str, screening_id: str) -> None:
        """A request id already stored (at boot): its repeat is answered from the database."""
        self._seen[(bank_id, request_id)] = (request_hash, screening_id, None)

    def remembered_requests(self) -> int:
        return len(self._seen)

    def serve_on_loop(self) -> None:
        """On a server's event loop (at start-up): store through the store process's client on the loop
        (`LoopStore`) instead of the writer thread, which would contend with the loop for the interpreter."""
        if isinstance(self.writer, GroupCommitWriter) and isinstance(self.writer.sink, StoreProcess):
            self.writer.stop()
            self.writer = LoopStore(asyncio.get_running_loop())

    @property
    def store_starting(self) -> bool:
        """The store process on the loop has not answered yet (just started, or started again)."""
        return isinstance(self.writer, LoopStore) and not self.writer.answering

    def apply_ruleset(self, row: RuleSetVersion | None) -> None:
        settings = get_antifraud_settings()
        if row is None:
            self.engine.ruleset = RuleSet(version="default")
            self.engine.thresholds = DecisionThresholds(settings.warn_threshold, settings.hold_threshold)
            self.ruleset_version_id = None
            return
        self.engine.ruleset = RuleSet(version=row.version, thresholds=row.thresholds, enabled=row.enabled)
        self.engine.thresholds = DecisionThresholds(row.warn_threshold, row.hold_threshold)
        self.ruleset_version_id = row.id

    def apply_intel(self, entries: Sequence[IntelEntry]) -> None:
        """Bring stored intel entries into the engine state."""
        store = self.engine.store
        for entry in entries:
            if entry.status is IntelStatus.ACTIVE:
                store.list_entry(entry.kind.value, entry.value, typology=entry.typology, source=entry.source,
                                 listed_on=entry.listed_on, expires_on=entry.expires_on)
            else:
                store.delist_entry(entry.kind.value, entry.value, reason=entry.removed_reason or "",
                                   on=clock.today_local())

    def apply_bank_thresholds(self, thresholds: dict[str, DecisionThresholds], ids: tuple[int, ...]) -> None:
        """Decide each bank's screenings on its own thresholds from now on (others: the rule set's)."""
        self.engine.bank_thresholds = dict(thresholds)
        self.bank_thresholds_ids = ids

    def apply_known_payees(self, entries: Sequence[KnownPayee]) -> None:
        """Bring stored known-payee entries into the engine state (listed, or no longer)."""
        store = self.engine.store
        for e in entries:
            if e.status is IntelStatus.ACTIVE:
                store.vouch_payee(VouchedPayee(e.account_no, e.name, e.source, e.reason, e.listed_on, e.expires_on))
            else:
                store.unvouch_payee(e.account_no)

    def apply_protected(self, entries: Sequence) -> None:
        """Follow protected-list entries (`watch.protected_changes`) into the state store, which every process
        shares when it is Redis: in force, or no longer."""
        store, now = self.engine.store, clock.now()
        for entry in entries:
            key = stable_key("customer", entry.id_number)
            if watch.in_force(entry, now):
                store.protect(key, math.ceil(entry.expires_at.timestamp()) if entry.expires_at else PROTECTED_NO_END)
            else:
                store.unprotect(key)

    def _mind_protected(self, prepared: PreparedRequest, decision: EngineDecision) -> EngineDecision:
        until = decision.protected_until  # read from the state store with the customer's history
        if until <= prepared.facts.at:
            return decision
        if decision.decision == "allow":
            decision.decision, decision.questions = "warn", PROTECTED_QUESTIONS
            decision.score = max(decision.score, decision.thresholds.warn)
            decision.risk = max(decision.risk, float(decision.thresholds.warn))
        # After the engine's reasons, which stay heaviest first: this one carries no points of its own.
        decision.reasons = (*decision.reasons, PROTECTED_REASON)
        return decision

    def reload_branches(self, db: Session) -> None:
        self._branches = {b.code: BranchInfo(b.id, b.bank_id, b.bank.code, b.station_id) for b in repo.branches(db)}
        self._branches_loaded_at = time.monotonic()

    def branch(self, code: str) -> BranchInfo | None:
        info = self._branches.get(code)
        # An unknown code may be a branch added since boot; look again, but not more than once a few seconds
        # so a flood of garbage codes cannot turn into a flood of queries.
        if info is None and time.monotonic() - self._branches_loaded_at > 5:
            with session_factory()() as db:
                self.reload_branches(db)
            info = self._branches.get(code)
        return info

    # ---- screening --------------------------------------------------------------------------------

    def submit(self, req: ScreeningRequest, *, caller_bank_id: int | None, submitted_by_id: int | None,
               started: float | None = None, on_loop: bool = False) -> Submission:
        """Decide (or recognise a repeat) and queue the decision for durable storage."""
        started = time.perf_counter() if started is None else started
        return self.submit_prepared(prepare(req), caller_bank_id=caller_bank_id, submitted_by_id=submitted_by_id,
                                    started=started, on_loop=on_loop)

    def submit_prepared(self, prepared: PreparedRequest, *, caller_bank_id: int | None,
                        submitted_by_id: int | None, started: float, on_loop: bool = False) -> Submission:
        """`submit` for a request already prepared (by a server's preparer process)."""
        branch = self._branch_for(prepared, caller_bank_id)
        key = (branch.bank_id, prepared.request_id)
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None:
                repeat = _repeat_of(seen, prepared)
                return Submission(repeat.screening_id, seen[2] or _STORED, None, None)
            screening_id = new_screening_id()
            claim = None
            if self.shared:
                claim = (f"{key[0]}:{key[1]}", f"{prepared.request_hash}\x1f{screening_id}")
            try:
                decision = self.engine.screen_facts(prepared.facts, claim=claim)
            except Claimed as first:  # screened by another process: its stored answer is the answer
                request_hash, _, first_id = first.value.partition("\x1f")
                repeat = _repeat_of((request_hash, first_id, None), prepared)
                return Submission(repeat.screening_id, _STORED, None, None, claimed=(claim[0], first.value))
            except StateUnavailable as exc:
                self._state_failed(exc)
                raise _state_unavailable() from exc
            pending = self._pending(prepared, branch, decision, clock.now(), started, submitted_by_id,
                                    screening_id)
            waiter = asyncio.get_running_loop().create_future() if on_loop else None
            future = self.writer.submit(pending, waiter=waiter)
            self._seen[key] = (prepared.request_hash, pending.screening_id, future)
        future.add_done_callback(lambda f: self._settle((key,), f))
        return Submission(pending.screening_id, future, pending.decision, pending, waiter)

    def submit_many(self, items: list[PreparedRequest], *,
                    started: float) -> tuple[list[PendingScreening | Repeat | AppError], Future]:
        """Decide requests in order, as `submit` would one by one, and store the new decisions together.

        Returns, per item, its decision on the way to storage, a `Repeat` or the refusal (unknown branch,
        request_id reused with another body); and one future for the group's write, which resolves to one
        result per new decision in order: its alert id (or None), or the exception that kept it from
        being stored.
        """
        results: list = []
        fresh: list[tuple[int, PreparedRequest, BranchInfo]] = []
        keys: list[tuple[int, str]] = []
        firsts: dict[tuple[int, str], int] = {}  # request ids first met in this group → their index
        with self._lock:
            for item in items:
                try:
                    branch = self._branch_for(item, None)
                    key = (branch.bank_id, item.request_id)
                    seen = self._seen.get(key)
                    if seen is not None:
                        results.append(_repeat_of(seen, item))
                    elif key in firsts:  # twice in one group: the index of the first, whose answer it gets
                        results.append(firsts[key])
                    else:
                        firsts[key] = len(results)
                        fresh.append((len(results), item, branch))
                        keys.append(key)
                        results.append(None)
                except AppError as exc:
                    results.append(exc)
            ids = [new_screening_id() for _ in fresh]
            claims = None  # a shared state: each request id is claimed there, as a screening over HTTP claims it
            if self.shared:
                claims = [(f"{key[0]}:{key[1]}", f"{item.request_hash}\x1f{screening_id}")
                          for key, (_, item, _), screening_id in zip(keys, fresh, ids, strict=True)]
            try:
                decisions = self.engine.screen_many([item.facts for _, item, _ in fresh], claims=claims)
            except StateUnavailable as exc:
                self._state_failed(exc)
                raise _state_unavailable() from exc
            decided_at, pendings, stored_keys = clock.now(), [], []  # received and decided together, as one chunk
            for (index, item, branch), decision, key, screening_id, claim in zip(
                    fresh, decisions, keys, ids, claims or [None] * len(fresh), strict=True):
                if isinstance(decision, Claimed):  # screened first by another process: its stored answer
                    request_hash, _, first_id = decision.value.partition("\x1f")
                    try:
                        results[index] = Repeat(_repeat_of((request_hash, first_id, None), item).screening_id,
                                                claimed=(claim[0], decision.value))
                    except AppError as exc:
                        results[index] = exc
                    continue
                pendings.append(self._pending(item, branch, decision, decided_at, started, None, screening_id))
                stored_keys.append(key)
                results[index] = pendings[-1]
            for index, result in enumerate(results):
                if isinstance(result, int):  # the answer of the group's first with this request id
                    first = results[result]
                    try:
                        if isinstance(first, AppError):
                            raise first
                        repeat = _repeat_of((items[result].request_hash, first.screening_id, None), items[index])
                        results[index] = Repeat(repeat.screening_id, getattr(first, "claimed", None))
                    except AppError as exc:
                        results[index] = exc
            future = self.writer.submit_group(pendings)
            for pending, key in zip(pendings, stored_keys, strict=True):
                self._seen[key] = (pending.request.request_hash, pending.screening_id, future)
        future.add_done_callback(lambda f: self._settle(stored_keys, f))
        return results, future

    def _branch_for(self, prepared: PreparedRequest, caller_bank_id: int | None) -> BranchInfo:
        branch = self.branch(prepared.branch_code)
        if branch is None or branch.bank_code != prepared.bank_code:
            raise invalid_request([ErrorDetail("branch_code", "branch.unknown",
                                               "网点未登记或不属于该银行 / branch not registered for this bank")])
        if caller_bank_id is not None and caller_bank_id != branch.bank_id:
            raise PermissionDenied("antifraud.other_bank",
                                   "该密钥只能为本行网点提交筛查 / this key may only screen for its own bank")
        return branch

    def _pending(self, prepared: PreparedRequest, branch: BranchInfo, decision: EngineDecision,
                 received_at: dt.datetime, started: float, submitted_by_id: int | None,
                 screening_id: str | None = None) -> PendingScreening:
        decision = self._mind_protected(prepared, decision)
        pending = PendingScreening(screening_id or new_screening_id(), prepared, branch, decision, received_at,
                                   (time.perf_counter() - started) * 1000, submitted_by_id)
        if self.shadow_model is not None:
            pending.shadow = shadow_score(self.shadow_model, decision).stored()
        return pending

    def _settle(self, keys: Sequence[tuple[int, str]], future: Future) -> None:
        """Once stored, a request id's entry shrinks to what a repeat needs; if storing failed, it goes."""
        if future.exception() is not None:
            failed = [True] * len(keys)
        else:
            result = future.result()
            failed = [isinstance(r, BaseException) for r in result] if isinstance(result, list) else [False]
        with self._lock:
            for key, bad in zip(keys, failed, strict=True):
                entry = self._seen.get(key)
                if entry is None or entry[2] is not future:
                    continue
                if bad:
                    # A decision that could not be stored was never given to the bank: its retry is
                    # screened anew (by any process: a shared store forgets its claim too).
                    del self._seen[key]
                    if self.shared:
                        self._release_claim(key, entry)
                else:
                    # Keep only what a repeat needs, as a tuple of strings, which the garbage collector
                    # stops tracking: a Future per remembered request would make every full collection
                    # walk hundreds of thousands of objects.
                    self._seen[key] = (entry[0], entry[1], None)

    def _release_claim(self, key: tuple[int, str], entry: tuple[str, str, Future | None]) -> None:
        try:
            self.engine.store.release_claim(f"{key[0]}:{key[1]}", f"{entry[0]}\x1f{entry[1]}")
        except StateUnavailable:
            log.warning("could not release the claim of request %s; it expires with the idempotency window", key)

    def forget_dead_claim(self, claimed: tuple[str, str]) -> None:
        """A claim whose screening never reached the database (its process died before storing it): the
        bank's retry is screened anew, as it would be had the first process refused it."""
        try:
            self.engine.store.release_claim(*claimed)
        except StateUnavailable as exc:
            raise _state_unavailable() from exc

    def _state_failed(self, exc: StateUnavailable) -> None:
        """The shared state went away: not ready, and (if it lost its data) rebuilt from the database."""
        log.error("screening state unavailable: %s", exc)
        if exc.lost and self.state_ready and self.on_state_lost is not None:
            self.state_ready = False
            self.on_state_lost()

    def close(self) -> None:
        changes.unsubscribe(self)
        self.writer.stop()

