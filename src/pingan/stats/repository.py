"""Queries on the daily counts, always restricted to the caller's units (``None``: the whole county)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, extract, false, func, select
from sqlalchemy.orm import Session

from pingan.core.db import insert_rows
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.stats.models import DailyCount


def _scoped(stmt, unit_ids: list[int] | None):
    if unit_ids is None:
        return stmt
    return stmt.where(DailyCount.unit_id.in_(unit_ids)) if unit_ids else stmt.where(false())


def sums(db: Session, codes: Iterable[str], start: dt.date, end: dt.date, unit_ids: list[int] | None
         ) -> dict[tuple[str, int | None], float]:
    """(series, unit) → the sum over the days [start, end]."""
    stmt = (select(DailyCount.series, DailyCount.unit_id, func.sum(DailyCount.value))
            .where(DailyCount.series.in_(list(codes)), DailyCount.day >= start, DailyCount.day <= end)
            .group_by(DailyCount.series, DailyCount.unit_id))
    return {(series, unit): float(total) for series, unit, total in db.execute(_scoped(stmt, unit_ids))}


def monthly(db: Session, codes: Iterable[str], start: dt.date, end: dt.date, unit_ids: list[int] | None
            ) -> dict[tuple[str, int, int], float]:
    """(series, year, month) → the sum over the days [start, end]."""
    year, month = extract("year", DailyCount.day), extract("month", DailyCount.day)
    stmt = (select(DailyCount.series, year, month, func.sum(DailyCount.value))
            .where(DailyCount.series.in_(list(codes)), DailyCount.day >= start, DailyCount.day <= end)
            .group_by(DailyCount.series, year, month))
    return {(series, int(y), int(m)): float(total) for series, y, m, total in db.execute(_scoped(stmt, unit_ids))}


def units(db: Session) -> list[OrgUnit]:
    return list(db.scalars(select(OrgUnit).order_by(OrgUnit.path)))


def stations(db: Session, unit_ids: list[int] | None) -> list[OrgUnit]:
    stmt = select(OrgUnit).where(OrgUnit.kind == UnitKind.STATION).order_by(OrgUnit.sort_order, OrgUnit.code)
    if unit_ids is not None:
        stmt = stmt.where(OrgUnit.id.in_(unit_ids)) if unit_ids else stmt.where(false())
    return list(db.scalars(stmt))


def replace(db: Session, start: dt.date, end: dt.date, rows: list[tuple[str, dt.date, int | None, float]]) -> None:
    """Put ``rows`` in place of every count of the days [start, end]."""
    db.execute(delete(DailyCount).where(DailyCount.day >= start, DailyCount.day <= end))
    insert_rows(db, DailyCount.__table__,
                [{"series": s, "day": d, "unit_id": u, "value": v} for s, d, u, v in rows])


def first_day(db: Session) -> dt.date | None:
    return db.scalar(select(func.min(DailyCount.day)))
