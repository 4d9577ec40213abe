"""The read-only numbers of 警网融合 the dashboard may use: reports by category, grid and month; handed calls and
their on-time feedback; repeat calls; verified collection, patrols and publicity against the targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.grid import repository as repo
from pingan.grid.models import (
    CallStatus,
    Collection,
    HandedCall,
    Patrol,
    PatrolMember,
    Publicity,
    Report,
    ReportStatus,
    TargetKind,
)
from pingan.grid.settings import get_grid_settings
from pingan.platform import records as register
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.records import Link, Series
from pingan.platform.users.models import User


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The local year [1 Jan, next 1 Jan) in Beijing time."""
    start = dt.datetime(year, 1, 1, tzinfo=clock.LOCAL_TZ)
    return start, dt.datetime(year + 1, 1, 1, tzinfo=clock.LOCAL_TZ)


def _month(value: dt.datetime) -> int:
    return clock.local(value).month


@dataclass
class Figures:
    year: int
    reports: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_grid: dict[str, int] = field(default_factory=dict)
    by_month: list[int] = field(default_factory=lambda: [0] * 12)
    reports_fed_back: int = 0
    calls: int = 0
    calls_fed_back: int = 0
    calls_on_time: int = 0
    calls_returned: int = 0
    repeat_calls: int = 0
    calls_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    verified: dict[str, int] = field(default_factory=dict)
    targets: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return round(self.calls_on_time / self.calls_fed_back, 3) if self.calls_fed_back else None


def _verified(db: Session, cond_for, start: dt.datetime, end: dt.datetime,
              member_user_id: int | None = None, member_id: int | None = None) -> dict[str, int]:
    collection = select(func.count()).select_from(Collection).where(
        cond_for(Collection.grid_id), Collection.verified_at >= start, Collection.verified_at < end)
    patrol = select(func.count()).select_from(Patrol).where(
        cond_for(Patrol.grid_id), Patrol.verified_at.is_not(None), Patrol.planned_at >= start, Patrol.planned_at < end)
    publicity = select(func.count()).select_from(Publicity).where(
        cond_for(Publicity.grid_id), Publicity.verified_at.is_not(None), Publicity.held_at >= start,
        Publicity.held_at < end)
    if member_id is not None:
        collection = collection.where(Collection.collected_by_id == member_user_id)
        patrol = patrol.where(Patrol.id.in_(select(PatrolMember.patrol_id).where(PatrolMember.member_id == member_id)))
        publicity = publicity.where(Publicity.held_by_id == member_user_id)
    return {TargetKind.COLLECTION.value: db.scalar(collection) or 0, TargetKind.PATROL.value: db.scalar(patrol) or 0,
            TargetKind.PUBLICITY.value: db.scalar(publicity) or 0}


def verified_in(db: Session, grid_id: int, year: int, *, member_id: int | None = None,
                member_user_id: int | None = None) -> dict[str, int]:
    """Verified work of one grid (or one member of it) in the year, by kind."""
    start, end = year_bounds(year)
    return _verified(db, lambda column: column == grid_id, start, end, member_user_id, member_id)


def compute(db: Session, user: User, year: int) -> Figures:
    start, end = year_bounds(year)
    scope = lambda column: repo.grid_condition(db, user, column)  # noqa: E731
    out = Figures(year=year)
    grid_names = dict(db.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.kind == UnitKind.GRID)).tuples().all())
    report_rows = db.execute(select(Report.category, Report.grid_id, Report.submitted_at, Report.status)
                             .where(scope(Report.grid_id), Report.submitted_at >= start, Report.submitted_at < end,
                                    Report.status != ReportStatus.LINKED)).tuples()
    for category, grid_id, at, status in report_rows:
        out.reports += 1
        out.by_category[category.value] = out.by_category.get(category.value, 0) + 1
        out.by_grid[grid_names[grid_id]] = out.by_grid.get(grid_names[grid_id], 0) + 1
        out.by_month[_month(at) - 1] += 1
        out.reports_fed_back += status in (ReportStatus.FED_BACK, ReportStatus.CLOSED)
    call_scope: ColumnElement = repo.call_scope(db, user)
    call_rows = db.execute(select(HandedCall.received_at, HandedCall.status, HandedCall.feedback_on_time,
                                  HandedCall.is_repeat)
                           .where(call_scope, HandedCall.received_at >= start, HandedCall.received_at < end)).tuples()
    for at, status, on_time, repeat in call_rows:
        out.calls += 1
        out.calls_by_month[_month(at) - 1] += 1
        out.calls_fed_back += on_time is not None
        out.calls_on_time += bool(on_time)
        out.calls_returned += status is CallStatus.RETURNED
        out.repeat_calls += bool(repeat)
    out.verified = _verified(db, scope, start, end)
    s = get_grid_settings()
    out.targets = {TargetKind.COLLECTION.value: s.county_collection_target,
                   TargetKind.PATROL.value: s.county_patrol_target,
                   TargetKind.PUBLICITY.value: s.county_publicity_target}
    return out


# The daily series the dashboard keeps, per day and grid: verified work counts on the day it was done (as
# _verified() counts it against the targets); a grid record has no page of its own, so it links to its grid.
def _work(model, at, label) -> Series:
    def stmt():
        return (select(OrgUnit.code.label("key"), at.label("at"), model.grid_id.label("unit"),
                       label.label("label")).join(OrgUnit, OrgUnit.id == model.grid_id)
                .where(model.verified_at.is_not(None)))
    return Series(f"grid.{model.__tablename__.removeprefix('grid_')}", stmt, at=lambda: at,
                  unit=lambda: model.grid_id, href="/grid/grids/{key}")


SERIES = {s.code: s for s in (
    _work(Collection, Collection.verified_at, func.coalesce(Collection.name, Collection.subject)),
    _work(Patrol, Patrol.planned_at, Patrol.title),
    _work(Publicity, Publicity.held_at, Publicity.title),
)}


def daily_counts(db: Session, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, int | None, float]]:
    """(series code, local day, grid id, value) over the days [start, end]."""
    return register.daily_counts(db, SERIES.values(), start, end)


def records(db: Session, code: str, unit_ids: list[int] | None, start: dt.date, end: dt.date) -> list[Link]:
    """The verified collections, patrols or publicity events one series counts in those grids and days."""
    return register.records(db, SERIES[code], unit_ids, start, end)


def county_targets() -> dict[str, int]:
    """The county's yearly targets of verified work, by series code."""
    s = get_grid_settings()
    return {"grid.collection": s.county_collection_target, "grid.patrol": s.county_patrol_target,
            "grid.publicity": s.county_publicity_target}
