"""The demo county's year of grid work: the force and the officer's coverage, reports, handed calls, verified
collection, patrols and publicity in every month, two years of every grid's ledger (the year's 3,000+, 500+ and
1,000+), today's open hazard and call on the board; loading it again adds nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from pingan.cases.models import Call
from pingan.core import clock
from pingan.grid import figures
from pingan.grid.demo import load_grid_demo
from pingan.grid.models import (
    CallStatus,
    Collection,
    CollectionVersion,
    Coverage,
    HandedCall,
    HandoverTarget,
    Member,
    Patrol,
    Publicity,
    Report,
    ReportStatus,
)
from pingan.grid.vocabulary import Action
from pingan.platform.audit.models import AuditEvent
from pingan.platform.auth import service as auth
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places.models import Mention


def _count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_the_demo_year_fills_the_grid_pages_and_loads_once(demo_db):
    db = demo_db
    counts = (_count(db, Member), _count(db, Coverage), _count(db, Report), _count(db, HandedCall))
    # 头陀's force, and a grid worker in every other grid (the ledger's).
    assert counts[0] == _count(db, OrgUnit, OrgUnit.kind == UnitKind.GRID) + 3
    assert counts[1] == 3 and counts[2] > 90 and counts[3] > 40
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


def _year_end() -> int:
    """The last evening of this year: the demo's year is whole and compares with last year's whole."""
    year = clock.today_local().year
    clock.shift(dt.datetime(year, 12, 31, 20, tzinfo=clock.LOCAL_TZ) - clock.now())
    return year


def test_two_years_of_every_grids_ledger_with_the_years_totals(year_end_demo_db):
    db = year_end_demo_db
    year = _year_end()
    leader = auth.get_user(db, "leader")
    this, last = figures.compute(db, leader, year), figures.compute(db, leader, year - 1)
    # 采集信息3000余条、警网联动巡逻500余次、宣防活动1000余场, each more than last year.
    assert this.verified["collection"] > 3000 and this.verified["patrol"] > 500 and this.verified["publicity"] > 1000
    for kind in ("collection", "patrol", "publicity"):
        assert last.verified[kind] < this.verified[kind] < 1.3 * last.verified[kind]
    # Spread over the county: every station's grids have work verified.
    grids = {g for g, in db.execute(select(Collection.grid_id).where(Collection.verified_at.is_not(None)))}
    stations = {path.split("/")[1] for path in db.scalars(select(OrgUnit.path).where(OrgUnit.id.in_(grids)))}
    assert len(stations) == db.scalar(select(func.count()).select_from(OrgUnit).where(
        OrgUnit.kind == UnitKind.STATION))
    # The bulk rows are as the services write them: a version, a mention and an audit trail for each.
    collections = _count(db, Collection)
    assert _count(db, CollectionVersion) == db.scalar(select(func.sum(Collection.version)))
    assert _count(db, Mention, Mention.module == "grid", Mention.record_kind == "collection") == collections
    assert _count(db, AuditEvent, AuditEvent.action == Action.COLLECTION_CREATED) == collections
    counts = (_count(db, Collection), _count(db, Patrol), _count(db, Publicity))
    load_grid_demo(db)
    assert (_count(db, Collection), _count(db, Patrol), _count(db, Publicity)) == counts
