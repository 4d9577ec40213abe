"""The demo county's year of grid work: the force and the officer's coverage, reports, handed calls, verified
collection, patrols and publicity in every month, today's open hazard and call on the board; loading it again
adds nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pingan.cases.models import Call
from pingan.core import clock
from pingan.grid import figures
from pingan.grid.demo import load_grid_demo
from pingan.grid.models import CallStatus, Coverage, HandedCall, HandoverTarget, Member, Report, ReportStatus
from pingan.platform.auth import service as auth
from pingan.platform.demo import load_demo

pytestmark = pytest.mark.slow


def _count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_the_demo_year_fills_the_grid_pages_and_loads_once(db):
    load_demo(db)
    counts = (_count(db, Member), _count(db, Coverage), _count(db, Report), _count(db, HandedCall))
    assert counts[0] == 6 and counts[1] == 3 and counts[2] > 90 and counts[3] > 40
    assert _count(db, Report, Report.status == ReportStatus.SUBMITTED) == 1
    assert _count(db, HandedCall, HandedCall.status == CallStatus.RECEIVED) == 1
    # The thrushes, handed to the police today: a call waiting at the station.
    thrushes = db.scalar(select(Report).where(Report.status == ReportStatus.HANDED_OVER,
                                              Report.handover_to == HandoverTarget.CASES))
    waiting = db.scalar(select(Call).where(Call.grid_report_id == thrushes.id))
    assert waiting.call_no == thrushes.handover_ref and waiting.disposition is None
    officer = auth.get_user(db, "officer_toutuo")
    f = figures.compute(db, officer, clock.today_local().year)
    assert f.calls_on_time > 0 and f.calls_returned > 0 and f.repeat_calls > 0
    assert all(f.verified[k] > 0 for k in ("collection", "patrol", "publicity"))
    load_grid_demo(db)
    assert (_count(db, Member), _count(db, Coverage), _count(db, Report), _count(db, HandedCall)) == counts
