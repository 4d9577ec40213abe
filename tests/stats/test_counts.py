"""The kept daily counts equal a count from the records, for every series of every measure; the sheet's number
and the drill-down list agree, for the county and for a station officer (who sees only their station)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.platform.auth import service as auth
from pingan.platform.users.models import Role, User
from pingan.stats import service
from pingan.stats.catalogue import Kind, module_of, series_codes
from pingan.stats.models import DailyCount
from pingan.stats.periods import Period


def test_demo_counts(demo_db):
    """One demo load (it takes a while) for every check below."""
    db = demo_db
    today = clock.today_local()
    service.rebuild(db, dt.date(today.year - 2, 1, 1), today)
    _kept_counts_equal_the_records_for_every_series(db)
    _rebuild_twice_changes_nothing(db)
    leader = auth.get_user(db, "leader")
    duty = next(u for u in db.scalars(select(User)) if u.role is Role.DUTY_OFFICER and u.unit.code == "331003-01")
    for user in (leader, duty):
        _sheet_number_and_drill_down_list_agree(db, user)
    _a_station_sees_its_part_and_the_county_the_sum(db, leader)


def _kept_counts_equal_the_records_for_every_series(db):
    start, end = dt.date(clock.today_local().year - 1, 1, 1), clock.today_local()
    nonzero = 0
    for code in series_codes():
        kept = db.scalar(select(func.coalesce(func.sum(DailyCount.value), 0)).where(
            DailyCount.series == code, DailyCount.day >= start, DailyCount.day <= end))
        links = module_of(code).records(db, code, None, start, end)
        assert kept == pytest.approx(sum(link.value for link in links)), code
        nonzero += bool(links)
    assert nonzero >= 20  # the demo holds records behind most series


def _rebuild_twice_changes_nothing(db):
    before = db.scalar(select(func.count()).select_from(DailyCount))
    today = clock.today_local()
    service.rebuild(db, dt.date(today.year - 2, 1, 1), today)
    assert db.scalar(select(func.count()).select_from(DailyCount)) == before > 0


def _sheet_number_and_drill_down_list_agree(db, user):
    org = service.Org(db, user)
    sheet = service.sheet(db, user, period=Period.YTD)
    checked = 0
    for row in sheet.rows:
        m = row.measure
        if m.kind is Kind.LEVEL:
            continue
        drill = service.drill(db, user, code=m.code, period=Period.YTD)
        numerator = sum(link.value for code, links in drill.lists if code in m.series for link in links)
        if m.kind is Kind.UNITS:
            numerator = sum(len(links) for code, links in drill.lists)
        assert numerator == pytest.approx(row.this.numerator), m.code
        if m.per:
            denominator = sum(len(links) for code, links in drill.lists if code in m.per)
            assert denominator == pytest.approx(row.this.denominator), m.code
        checked += bool(numerator)
        if org.visible is not None:
            allowed = set(org.visible)
            assert all(link.unit_id in allowed for _, links in drill.lists for link in links)
    assert checked >= 10


def _a_station_sees_its_part_and_the_county_the_sum(db, leader):
    county = service.sheet(db, leader, period=Period.YTD, stations=True)
    for row in county.rows:
        if row.measure.kind in (Kind.COUNT, Kind.AMOUNT):
            parts = sum(next(r for r in rows if r.measure is row.measure).this.value
                        for rows in county.by_station.values())
            assert parts == pytest.approx(row.this.value), row.measure.code

