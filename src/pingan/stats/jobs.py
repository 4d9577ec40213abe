"""The recount job: the daily counts of the recent past redone from the records (safe to run twice)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.platform import jobs
from pingan.stats import service
from pingan.stats.settings import get_stats_settings


@jobs.register("stats.recount", every_seconds=lambda: get_stats_settings().recount_every_seconds,
               description="数据看板：重算近期每日计数 / recount the recent daily counts")
def recount(db: Session, now: dt.datetime) -> int:
    today = clock.local(now).date()
    return service.rebuild(db, today - dt.timedelta(days=get_stats_settings().recount_days), today)
