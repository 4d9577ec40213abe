"""The demo's two years of the dormitory's workers coming and going: the landlord's reports, more of them on
time this year than last, and no report clock of theirs left running; loading the demo again adds nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from pingan.core import clock
from pingan.platform.auth import service as auth
from pingan.platform.demo import load_demo
from pingan.rental import figures
from pingan.rental.models import Tenancy, TenancyStatus


def _year_end() -> int:
    """The last evening of this year: the demo's year is whole and compares with last year's whole."""
    year = clock.today_local().year
    clock.shift(dt.datetime(year, 12, 31, 20, tzinfo=clock.LOCAL_TZ) - clock.now())
    return year


def test_two_years_of_tenancies_with_more_reports_on_time(year_end_demo_db):
    db = year_end_demo_db
    year = _year_end()
    leader = auth.get_user(db, "leader")
    this, last = figures.compute(db, leader, year), figures.compute(db, leader, year - 1)
    assert last.reports > 30 and this.reports > 30
    assert last.on_time_rate + 0.1 < this.on_time_rate
    assert last.declared > 20 and last.ended > 10
    ended = db.scalar(select(func.count()).select_from(Tenancy).where(Tenancy.status == TenancyStatus.ENDED))
    assert ended == db.scalar(select(func.count()).select_from(Tenancy).where(Tenancy.ended_at.is_not(None))) > 30
    before = db.scalar(select(func.count()).select_from(Tenancy))
    load_demo(db)
    assert db.scalar(select(func.count()).select_from(Tenancy)) == before
