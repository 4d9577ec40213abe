"""The mediation figures the branch reports: disputes and dispute calls by month and year on year, settlement
rate, same-day rate, follow-ups on time, secondary disputes; and the same as an Excel workbook."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.db import scalars_in
from pingan.mediation import clocks
from pingan.mediation.models import Dispute, Source
from pingan.mediation.repository import in_scope
from pingan.mediation.vocabulary import Clock
from pingan.platform import records as register
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock
from pingan.platform.records import Link, Series
from pingan.platform.users.models import User


@dataclass(frozen=True)
class Month:
    month: int
    disputes: int
    disputes_last_year: int
    calls: int
    calls_last_year: int

    @property
    def yoy(self) -> float | None:
        return change(self.disputes, self.disputes_last_year)


@dataclass(frozen=True)
class Figures:
    year: int
    months: list[Month]
    total: int
    total_last_year: int
    calls: int
    settled: int
    same_day: int
    follow_ups: int
    follow_ups_on_time: int
    secondary: int

    @property
    def yoy(self) -> float | None:
        return change(self.total, self.total_last_year)

    @property
    def settlement_rate(self) -> float | None:
        return ratio(self.settled, self.total)

    @property
    def same_day_rate(self) -> float | None:
        return ratio(self.same_day, self.total)

    @property
    def follow_up_on_time_rate(self) -> float | None:
        return ratio(self.follow_ups_on_time, self.follow_ups)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def change(now: int, before: int) -> float | None:
    return (now - before) / before if before else None


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime(year, 1, 1, tzinfo=clock.LOCAL_TZ), dt.datetime(year + 1, 1, 1, tzinfo=clock.LOCAL_TZ))


def compute(db: Session, user: User, year: int) -> Figures:
    start, _ = _year_bounds(year - 1)
    _, end = _year_bounds(year)
    rows = db.execute(select(Dispute.id, Dispute.received_at, Dispute.source, Dispute.settled_at,
                             Dispute.first_session_at, Dispute.is_secondary)
                      .where(Dispute.received_at >= start, Dispute.received_at < end, in_scope(db, user))).all()
    counts = {(y, m, kind): 0 for y in (year - 1, year) for m in range(1, 13) for kind in ("all", "call")}
    this_year = []
    for row in rows:
        local = clock.local(row.received_at)
        counts[(local.year, local.month, "all")] += 1
        if row.source is Source.CALL_110:
            counts[(local.year, local.month, "call")] += 1
        if local.year == year:
            this_year.append(row)
    months = [Month(m, counts[(year, m, "all")], counts[(year - 1, m, "all")], counts[(year, m, "call")],
                    counts[(year - 1, m, "call")]) for m in range(1, 13)]
    follow_ups = _follow_up_clocks(db, [str(r.id) for r in this_year])
    now = clock.now()
    on_time = sum(1 for c in follow_ups if c.status is ClockStatus.MET and c.ended_at <= c.due_at)
    counted = sum(1 for c in follow_ups if c.status is ClockStatus.MET or c.due_at <= now)
    return Figures(
        year=year, months=months, total=len(this_year), total_last_year=len(rows) - len(this_year),
        calls=sum(1 for r in this_year if r.source is Source.CALL_110),
        settled=sum(1 for r in this_year if r.settled_at is not None),
        same_day=sum(1 for r in this_year
                     if r.first_session_at is not None and r.first_session_at <= clocks.same_day_due(r.received_at)),
        follow_ups=counted, follow_ups_on_time=on_time, secondary=sum(1 for r in this_year if r.is_secondary),
    )


def _follow_up_clocks(db: Session, owner_ids: list[str]) -> list[DeadlineClock]:
    stmt = select(DeadlineClock).where(DeadlineClock.owner_type == clocks.OWNER,
                                       DeadlineClock.kind == Clock.FOLLOW_UP)
    return scalars_in(db, stmt, DeadlineClock.owner_id, owner_ids)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def workbook(figures: Figures) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "按月统计"
    y = figures.year
    sheet.append(["月份", f"{y}年纠纷", f"{y - 1}年纠纷", "同比", f"{y}年纠纷警情", f"{y - 1}年纠纷警情"])
    for m in figures.months:
        sheet.append([f"{m.month}月", m.disputes, m.disputes_last_year, _pct(m.yoy), m.calls, m.calls_last_year])
    sheet.append(["合计", figures.total, figures.total_last_year, _pct(figures.yoy), figures.calls,
                  sum(m.calls_last_year for m in figures.months)])
    rates = wb.create_sheet("指标")
    rates.append(["指标", "数值", "分子", "分母"])
    rates.append(["调解成功率", _pct(figures.settlement_rate), figures.settled, figures.total])
    rates.append(["当日调解率", _pct(figures.same_day_rate), figures.same_day, figures.total])
    rates.append(["民警12小时跟进按时率", _pct(figures.follow_up_on_time_rate), figures.follow_ups_on_time,
                  figures.follow_ups])
    rates.append(["次生纠纷数", figures.secondary, None, None])
    for ws in (sheet, rates):
        ws.column_dimensions["A"].width = 22
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# The daily series the dashboard keeps: a dispute counts on the day it came in, in its community (else its
# station); settled and same-day are counted on that day too, so their rates read as compute()'s.
def _disputes(*where) -> Callable:
    unit = func.coalesce(Dispute.community_id, Dispute.station_id)
    return lambda: select(Dispute.id.label("key"), Dispute.received_at.label("at"), unit.label("unit"),
                          Dispute.id.label("label"), Dispute.first_session_at).where(*where)


def _same_day(row) -> bool:
    return row.first_session_at is not None and row.first_session_at <= clocks.same_day_due(row.at)


def _series(code: str, stmt: Callable, keep=None) -> Series:
    return Series(code, stmt, at=lambda: Dispute.received_at,
                  unit=lambda: func.coalesce(Dispute.community_id, Dispute.station_id),
                  href="/mediation/disputes/{key}", keep=keep)


SERIES = {s.code: s for s in (
    _series("mediation.disputes", _disputes()),
    _series("mediation.settled", _disputes(Dispute.settled_at.is_not(None))),
    _series("mediation.same_day", _disputes(Dispute.first_session_at.is_not(None)), keep=_same_day),
    _series("mediation.secondary", _disputes(Dispute.is_secondary.is_(True))),
)}


def daily_counts(db: Session, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, int | None, float]]:
    """(series code, local day, community or station id, value) over the days [start, end]."""
    return register.daily_counts(db, SERIES.values(), start, end)


def records(db: Session, code: str, unit_ids: list[int] | None, start: dt.date, end: dt.date) -> list[Link]:
    """The disputes one series counts in those units and days."""
    return register.records(db, SERIES[code], unit_ids, start, end)
