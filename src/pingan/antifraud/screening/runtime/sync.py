"""The antifraud.sync job: keep this process's engine in step with the intel, rule set and model changes
made by other processes (changes made here reach it at once, through `engine.changes`)."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy.orm import Session

from pingan.antifraud.intel import repository as intel_repo
from pingan.antifraud.modeling import registry as model_registry
from pingan.antifraud.ruleset import service as ruleset
from pingan.antifraud.screening.runtime.boot import follow_bank_thresholds
from pingan.antifraud.screening.runtime.current import current_runtime
from pingan.antifraud.screening.runtime.runtime import ScreeningRuntime
from pingan.platform import bus, jobs
from pingan.platform.watch import service as watch

_OVERLAP = dt.timedelta(seconds=10)


# Also run at once when another process announces a change on the bus (`screening.announce`); with a bus the
# periodic run is only the safety net for a lost message.
_lock = threading.Lock()


def _interval() -> float:
    return 30.0 if bus.enabled() else 2.0


@jobs.register("antifraud.sync", every_seconds=_interval, per_process=True,
               description="apply intel and rule changes made by other processes")
def sync(db: Session, now: dt.datetime) -> str:
    runtime = current_runtime()
    if runtime is None:
        return "no engine in this process"
    with _lock:
        return _sync(db, now, runtime)


def _sync(db: Session, now: dt.datetime, runtime: ScreeningRuntime) -> str:
    changed = intel_repo.changed_since(db, runtime.intel_synced_at)
    runtime.apply_intel(changed)
    if changed:
        runtime.intel_synced_at = changed[-1].updated_at
    vouched = intel_repo.known_payees_changed_since(db, runtime.known_payees_synced_at)
    runtime.apply_known_payees(vouched)
    if vouched:
        runtime.known_payees_synced_at = vouched[-1].updated_at
    # Re-reading a few seconds back is harmless and catches an entry committed just after it was stamped.
    runtime.apply_protected(watch.protected_changes(db, since=runtime.protected_synced_at - _OVERLAP))
    runtime.protected_synced_at = now
    row = ruleset.active(db)
    if (row.id if row else None) != runtime.ruleset_version_id:
        runtime.apply_ruleset(row)
    _follow_models(db, runtime)
    follow_bank_thresholds(db, runtime)
    return "synced"


def _follow_models(db: Session, runtime: ScreeningRuntime) -> None:
    """Follow the active model and the shadow challenger chosen by any process."""
    row = model_registry.active_row(db)
    wanted = row.model_id if row else model_registry.default_model_id()
    if wanted is not None and runtime.engine.model.version != wanted:
        model = model_registry.load_active_model(db)
        if model is not None:
            runtime.engine.model = model
    challenger = model_registry.shadow_row(db)
    running = runtime.shadow_model.version if runtime.shadow_model is not None else None
    if (challenger.model_id if challenger else None) != running:
        runtime.shadow_model = model_registry.load_shadow_model(db)
