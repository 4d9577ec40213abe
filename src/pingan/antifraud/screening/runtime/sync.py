"""Anti-fraud jobs: keep this process's engine in step with intel and rule changes made elsewhere."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.antifraud.intel import service as intel
from pingan.antifraud.modeling import registry as model_registry
from pingan.antifraud.ruleset import service as rules
from pingan.antifraud.screening.runtime.runtime import current_runtime
from pingan.platform import jobs


@jobs.register("antifraud.sync", every_seconds=2, per_process=True,
               description="apply intel and rule changes made by other processes")
def sync(db: Session, now: dt.datetime) -> str:
    runtime = current_runtime()
    if runtime is None:
        return "no engine in this process"
    runtime.intel_synced_at = intel.sync_changes(db, runtime.intel_synced_at)
    rules.sync(db)
    model_registry.sync(db)
    return "synced"
