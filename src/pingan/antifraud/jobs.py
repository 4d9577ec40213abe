"""Anti-fraud jobs: keep this process's engine in step with intel and rule changes made elsewhere; and the
module's part of the demo county, registered with the platform."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.antifraud import demo, intel, rules
from pingan.antifraud.modeling import registry as model_registry
from pingan.antifraud.runtime import current_runtime
from pingan.platform import demo as platform_demo
from pingan.platform import jobs

platform_demo.register_loader(demo.load_antifraud_demo, after_commit=True)


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
