"""The demo's dashboard: the daily counts of the demo records from 1 January of the year before last (the
demo holds two years of history), counted in the county's transaction after every other module's records;
the anti-fraud month simulated after the commit is counted by the recount job."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.stats import service


def load_stats_demo(db: Session) -> None:
    today = clock.today_local()
    service.rebuild(db, dt.date(today.year - 2, 1, 1), today)
