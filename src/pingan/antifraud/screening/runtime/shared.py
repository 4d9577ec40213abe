"""Filling a shared state store (Redis) from the database: on the first start, and after Redis lost its data.

One process replays (a `SET NX` lock in Redis); the others wait for the ready mark. While the mark is
missing every process answers screenings 503 `screening.state_unavailable` and `/readyz` says not ready,
so a load balancer sends nothing to them and the banks' retries come back once the state is whole again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid

from sqlalchemy.orm import Session

from pingan.antifraud.engine import request_facts
from pingan.antifraud.engine.contract import ScreeningRequest
from pingan.antifraud.engine.features import transfer_of
from pingan.antifraud.engine.shared_state import RedisStateStore, StateUnavailable
from pingan.antifraud.intel import repository as intel_repo
from pingan.antifraud.screening import repository as repo
from pingan.antifraud.screening.runtime.runtime import ScreeningRuntime
from pingan.antifraud.settings import get_antifraud_settings
from pingan.core import clock
from pingan.core.db import session_factory
from pingan.platform.watch import service as watch

log = logging.getLogger("pingan.antifraud")

CHUNK = 1000  # transfers per pipelined round trip
WAIT_SECONDS = 600
# After a loss: decisions made on the old Redis just before it went may still be on their way to the
# database (a commit takes milliseconds); the replay reads it once they have arrived.
SETTLE_SECONDS = 2.0


def ensure_state(db: Session, runtime: ScreeningRuntime, *, settle: float = 0.0) -> int:
    """Make sure Redis holds the state: replay it if it is missing and no other process is replaying it
    (then wait for that one), `settle` seconds after taking the replay on. Returns the screenings replayed
    here."""
    store: RedisStateStore = runtime.engine.store  # type: ignore[assignment]
    if store.is_ready():
        return 0
    owner = uuid.uuid4().hex
    if not store.take_rebuild(owner):
        deadline = time.monotonic() + WAIT_SECONDS
        while not store.is_ready():
            if time.monotonic() > deadline:
                raise StateUnavailable("another process did not finish rebuilding the state", lost=True)
            time.sleep(0.2)
        return 0
    try:
        time.sleep(settle)
        return _replay(db, runtime, store)
    finally:
        store.release_rebuild(owner)


def _replay(db: Session, runtime: ScreeningRuntime, store: RedisStateStore) -> int:
    settings = get_antifraud_settings()
    started = time.monotonic()
    store.clear(keep=("rebuilding",))  # a replay cut short must not be counted twice
    runtime.apply_intel(intel_repo.active_intel(db))
    runtime.apply_known_payees(intel_repo.active_known_payees(db))
    runtime.apply_protected(watch.protected_changes(db))
    now = clock.now()
    replayed, chunk = 0, []
    for raw in repo.requests_since(db, now - dt.timedelta(days=settings.state_replay_days)):
        chunk.append(transfer_of(request_facts(ScreeningRequest.model_validate_json(raw))))
        if len(chunk) == CHUNK:
            replayed += store.record_many(chunk)
            chunk = []
    replayed += store.record_many(chunk)
    claims, n = [], 0
    for bank_id, request_id, request_hash, screening_id in repo.request_ids_since(
        db, now - dt.timedelta(days=settings.idempotency_days)
    ):
        claims.append((f"{bank_id}:{request_id}", f"{request_hash}\x1f{screening_id}"))
        if len(claims) == CHUNK:
            store.remember_claims(claims)
            n, claims = n + len(claims), []
    store.remember_claims(claims)
    store.mark_ready()
    log.info("shared screening state rebuilt: %d screenings replayed, %d request ids in %.1f s",
             replayed, n + len(claims), time.monotonic() - started)
    return replayed


def rebuild_in_background(runtime: ScreeningRuntime) -> None:
    """After a loss seen by a screening: rebuild (or wait for another process's rebuild), then ready again."""

    def run() -> None:
        while not runtime.state_ready:
            try:
                with session_factory()() as db:
                    ensure_state(db, runtime, settle=SETTLE_SECONDS)
                runtime.state_ready = True
            except Exception:
                log.exception("rebuilding the shared screening state failed; trying again")
                time.sleep(1)

    threading.Thread(target=run, name="pingan-state-rebuild", daemon=True).start()
