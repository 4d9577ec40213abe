"""The antifraud.rates job: once a local day is over, each bank whose rates left its band is announced to
the anti-fraud centre (once per bank and day, whichever process runs the job)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.antifraud.thresholds.drift import notify_drift
from pingan.core import clock
from pingan.platform import jobs


@jobs.register("antifraud.rates", every_seconds=600,
               description="announce banks whose hold or warn rate left its band yesterday")
def check_rates(db: Session, now: dt.datetime) -> str:
    drifted = notify_drift(db, clock.today_local() - dt.timedelta(days=1))
    return f"{len(drifted)} banks out of band"
