"""The demo's two years of disputes: walk-ins, grid reports and 110 dispute calls carried to their end, more of
this year's settled and mediated the same day than last year's, none of their clocks left to fire; loading
the demo again adds nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from pingan.core import clock
from pingan.mediation import figures
from pingan.mediation.clocks import OWNER
from pingan.mediation.models import Dispute
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock
from pingan.platform.demo import load_demo


def _year_end() -> int:
    """The last evening of this year: the demo's year is whole and compares with last year's whole."""
    year = clock.today_local().year
    clock.shift(dt.datetime(year, 12, 31, 20, tzinfo=clock.LOCAL_TZ) - clock.now())
    return year


def test_two_years_of_disputes_settle_more_and_sooner_this_year(year_end_demo_db):
    db = year_end_demo_db
    year = _year_end()
    leader = auth.get_user(db, "leader")
    this, last = figures.compute(db, leader, year), figures.compute(db, leader, year - 1)
    assert last.total > 40 and this.total > 30
    assert this.total < last.total and this.calls < sum(m.calls_last_year for m in this.months)
    assert last.settlement_rate < this.settlement_rate
    assert last.settlement_rate > 0.7 and this.settlement_rate > 0.8
    assert last.same_day_rate < this.same_day_rate
    # The Spring Festival's weeks are busier than an ordinary month's.
    assert max(m.disputes_last_year for m in this.months[:2]) > sorted(m.disputes_last_year for m in this.months)[6]
    # Every dispute of the history has ended: none of its clocks runs.
    old = select(Dispute.id).where(Dispute.received_at < clock.now() - dt.timedelta(days=10))
    ids = [str(i) for i in db.scalars(old)]
    running = db.scalar(select(func.count()).select_from(DeadlineClock).where(
        DeadlineClock.owner_type == OWNER, DeadlineClock.owner_id.in_(ids),
        DeadlineClock.status.in_((ClockStatus.RUNNING, ClockStatus.PAUSED))))
    assert ids and running == 0
    before = db.scalar(select(func.count()).select_from(Dispute))
    load_demo(db)
    assert db.scalar(select(func.count()).select_from(Dispute)) == before
