"""Booting the process's screening runtime from the database, and keeping it subscribed to the changes
that services publish (intel, rule set, model, shadow challenger)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from pingan.antifraud.engine import Engine, InMemoryStateStore, StateStore, changes
from pingan.antifraud.engine.contract import ScreeningRequest
from pingan.antifraud.engine.shared_state import RedisStateStore
from pingan.antifraud.intel import repository as intel_repo
from pingan.antifraud.modeling import registry as model_registry
from pingan.antifraud.ruleset import service as ruleset
from pingan.antifraud.screening import announce
from pingan.antifraud.screening import repository as repo
from pingan.antifraud.screening.runtime import current, shared
from pingan.antifraud.screening.runtime.runtime import ScreeningRuntime
from pingan.antifraud.screening.storage.group_commit import GroupCommitWriter
from pingan.antifraud.screening.storage.store import StoreProcess, store_in_process
from pingan.antifraud.settings import get_antifraud_settings
from pingan.antifraud.thresholds import service as bank_thresholds
from pingan.core import clock
from pingan.core.db import session_factory
from pingan.platform.watch import service as watch

log = logging.getLogger("pingan.antifraud")


def boot(db: Session) -> ScreeningRuntime:
    """Build the engine from the database: active rules, intel lists, recent history, request ids."""
    settings = get_antifraud_settings()
    store = make_store()
    engine = Engine(store, model=model_registry.load_active_model(db))
    sink = StoreProcess() if settings.store_process else store_in_process
    writer = GroupCommitWriter(sink, batch_size=settings.write_batch_size, max_wait_ms=settings.write_max_wait_ms)
    runtime = ScreeningRuntime(engine, writer)
    runtime.shadow_model = model_registry.load_shadow_model(db)
    runtime.apply_ruleset(ruleset.active(db))
    runtime.apply_intel(intel_repo.active_intel(db))
    runtime.apply_known_payees(intel_repo.active_known_payees(db))
    follow_bank_thresholds(db, runtime)
    runtime.apply_protected(watch.protected_changes(db))
    if runtime.shared:
        # The state lives in Redis: replayed only when Redis has none (first start, or lost), by one process.
        replayed = shared.ensure_state(db, runtime)
        runtime.on_state_lost = lambda: shared.rebuild_in_background(runtime)
    else:
        now = clock.now()
        replayed = 0
        for raw in repo.requests_since(db, now - dt.timedelta(days=settings.state_replay_days)):
            engine.remember(ScreeningRequest.model_validate_json(raw))
            replayed += 1
        for bank_id, request_id, request_hash, screening_id in repo.request_ids_since(
            db, now - dt.timedelta(days=settings.idempotency_days)
        ):
            runtime.remember_request(bank_id, request_id, request_hash, screening_id)
    runtime.reload_branches(db)
    log.info("screening runtime ready: %d screenings replayed, %d request ids remembered",
             replayed, runtime.remembered_requests())
    writer.start()
    return runtime


def make_store() -> StateStore:
    """The state store the settings ask for: Redis at `STATE_URL`, else this process's memory."""
    settings = get_antifraud_settings()
    if not settings.state_url:
        return InMemoryStateStore()
    return RedisStateStore(settings.state_url, prefix=settings.state_prefix, ttl_days=settings.state_replay_days,
                           claim_days=settings.idempotency_days)


def get_runtime() -> ScreeningRuntime:
    """The process's runtime, booted on first use."""
    return current.install(_boot_from_database)


def _boot_from_database() -> ScreeningRuntime:
    with session_factory()() as db:
        runtime = boot(db)
    # The process's runtime follows the changes made in this process at once (others: the sync job).
    changes.subscribe(runtime, {"intel": runtime.apply_intel, "ruleset": runtime.apply_ruleset,
                                "known_payees": runtime.apply_known_payees,
                                "thresholds": lambda: reload_bank_thresholds(runtime),
                                "protected": runtime.apply_protected,
                                "model": lambda: reload_model(runtime), "shadow": lambda: reload_shadow(runtime)})
    # Other processes' changes: announced on the bus when there is one (else the sync job's poll).
    announce.follow_other_processes()
    return runtime


def follow_bank_thresholds(db: Session, runtime: ScreeningRuntime) -> None:
    """Decide on each bank's active thresholds (read again only when the active rows changed)."""
    ids = tuple(sorted(row.id for row in bank_thresholds.active_by_bank(db).values()))
    if ids != runtime.bank_thresholds_ids:
        runtime.apply_bank_thresholds(bank_thresholds.engine_thresholds(db), ids)


def reload_bank_thresholds(runtime: ScreeningRuntime) -> None:
    with session_factory()() as db:
        follow_bank_thresholds(db, runtime)


def reload_model(runtime: ScreeningRuntime) -> None:
    """Score with the registry's active model (or the shipped default) from now on."""
    with session_factory()() as db:
        model = model_registry.load_active_model(db)
    if model is not None:
        runtime.engine.model = model


def reload_shadow(runtime: ScreeningRuntime) -> None:
    """Score in shadow with the challenger the registry names now (or none)."""
    with session_factory()() as db:
        runtime.shadow_model = model_registry.load_shadow_model(db)
