"""How the register names a module's record: (module, kind, id), e.g. ("mediation", "dispute", 12); and how a
module's figures name the records they count per day (a ``Series``), for the dashboard's counts and drill-down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, Row, Select, false, or_
from sqlalchemy.orm import Session

from pingan.core import clock


class Record(NamedTuple):
    module: str
    kind: str
    id: object

    @property
    def kind_code(self) -> str:
        """``mediation.dispute``: the form settings and pages use."""
        return f"{self.module}.{self.kind}"


class Sighting(NamedTuple):
    """One person in one record, as plain values: what `people.seen_many` writes and watch lists check."""

    id_number: str
    name: str
    role: str
    module: str
    kind: str
    record_id: str
    unit_id: int | None
    at: dt.datetime
    phone: str | None = None
    link: str | None = None
    entered_by_id: int | None = None


class Link(NamedTuple):
    """One record behind a figure: what a drill-down list shows and where it leads."""

    label: str
    href: str
    at: dt.datetime
    unit_id: int | None
    value: float = 1.0


@dataclass(frozen=True)
class Series:
    """One daily-counted figure of a module, defined once for its counts and for the records behind them.

    ``select`` gives the candidate rows with the columns ``key``, ``at`` (when the record counts), ``unit``
    (the finest org unit it belongs to) and ``label``, plus whatever ``keep`` and ``value`` read; ``at`` and
    ``unit`` are the columns the window and the jurisdiction filter on. ``keep`` drops rows a SQL condition
    cannot (a work-calendar deadline); ``value`` is 1 for a count, else the amount the record adds.

    With ``ends`` the series is a *stock*, not a flow: a record counts in a window when it began (``at``)
    before the window's end and had not ended (``ends`` null or later) by its start — a fugitive at large at
    the start or registered during the window. A stock has no daily counts: it is counted for the window
    asked (``totals``).
    """

    code: str
    select: Callable[[], Select]
    at: Callable[[], ColumnElement]
    unit: Callable[[], ColumnElement]
    href: str
    keep: Callable[[Row], bool] | None = None
    value: Callable[[Row], float] | None = None
    ends: Callable[[], ColumnElement] | None = None

    @property
    def stock(self) -> bool:
        return self.ends is not None


def _window(series: Series, stmt: Select, start: dt.date, end: dt.date) -> Select:
    low = dt.datetime.combine(start, dt.time(), tzinfo=clock.LOCAL_TZ)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=clock.LOCAL_TZ)
    if series.ends is not None:
        return stmt.where(series.at() < high, or_(series.ends().is_(None), series.ends() >= low))
    return stmt.where(series.at() >= low, series.at() < high)


def _rows(db: Session, series: Series, stmt: Select) -> Iterator[tuple[Row, float]]:
    for row in db.execute(stmt):
        if series.keep is not None and not series.keep(row):
            continue
        yield row, (1.0 if series.value is None else float(series.value(row)))


def daily_counts(db: Session, series: Iterable[Series], start: dt.date, end: dt.date
                 ) -> list[tuple[str, dt.date, int | None, float]]:
    """(code, local day, unit id, value) of every series over the days [start, end], zeros left out (a stock
    has no daily counts: see ``totals``)."""
    out: dict[tuple[str, dt.date, int | None], float] = {}
    for s in series:
        if s.stock:
            continue
        for row, value in _rows(db, s, _window(s, s.select(), start, end)):
            key = (s.code, clock.local(row.at).date(), row.unit)
            out[key] = out.get(key, 0.0) + value
    return [(code, day, unit, value) for (code, day, unit), value in out.items() if value]


def totals(db: Session, series: Series, unit_ids: Collection[int] | None, start: dt.date, end: dt.date
           ) -> dict[int | None, float]:
    """Unit id → what one series counts over the days [start, end] in the given units (None: all): the sum of
    the values ``records`` lists."""
    out: dict[int | None, float] = {}
    for link in records(db, series, unit_ids, start, end):
        out[link.unit_id] = out.get(link.unit_id, 0.0) + link.value
    return out


def records(db: Session, series: Series, unit_ids: Collection[int] | None, start: dt.date, end: dt.date
            ) -> list[Link]:
    """The records one series counts over the days [start, end] in the given units (None: all), oldest first."""
    stmt = _window(series, series.select(), start, end)
    if unit_ids is not None:
        stmt = stmt.where(series.unit().in_(list(unit_ids))) if unit_ids else stmt.where(false())
    links = [Link(str(row.label), series.href.format(key=row.key), row.at, row.unit, value)
             for row, value in _rows(db, series, stmt) if value]
    return sorted(links, key=lambda link: (link.at, link.href))
