"""When the demo's two years of history happen: last year's records spread over the whole year and this year's
up to the demo's today, with the county's seasons (the weeks before the Spring Festival busy, its holiday
week quiet), and this year's count set from last year's so that a year-to-date comparison (same dates last
year) reads the change the branch reports. Seeded: the same random source gives the same history."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from pingan.core import clock

# 正月初一 of the years a demo may be loaded in (and the year before).
LUNAR_NEW_YEAR = {2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29),
                  2026: dt.date(2026, 2, 17), 2027: dt.date(2027, 2, 6), 2028: dt.date(2028, 1, 26),
                  2029: dt.date(2029, 2, 13), 2030: dt.date(2030, 2, 3), 2031: dt.date(2031, 1, 23),
                  2032: dt.date(2032, 2, 11)}


def spring_festival(year: int) -> dt.date:
    """The Spring Festival (正月初一) of ``year``; mid-February for a year the table does not know."""
    return LUNAR_NEW_YEAR.get(year, dt.date(year, 2, 10))


@dataclass(frozen=True)
class Season:
    """How busy a day is: ``before`` × the usual in the three weeks before the festival (people home, money
    moving, family quarrels), ``holiday`` × in the festival week itself (offices closed)."""

    before: float = 1.0
    holiday: float = 1.0

    def weight(self, day: dt.date) -> float:
        offset = (day - spring_festival(day.year)).days
        if -21 <= offset < 0:
            return self.before
        if 0 <= offset < 7:
            return self.holiday
        return 1.0


def _days(year: int, until: dt.date) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((min(until, dt.date(year + 1, 1, 1)) - first).days)]


def _pick(rng: random.Random, days: list[dt.date], n: int, season: Season, hours: tuple[int, int]) -> list[dt.datetime]:
    if not days or n <= 0:
        return []
    picked = rng.choices(days, weights=[season.weight(d) for d in days], k=n)
    return sorted(dt.datetime.combine(d, dt.time(rng.randrange(*hours), rng.randrange(60)), clock.LOCAL_TZ)
                  for d in picked)


def last_and_this_year(rng: random.Random, last_year: int, change: float, *, season: Season = Season(),
                       hours: tuple[int, int] = (8, 20), already: int = 0, today: dt.date | None = None,
                       until: dt.date | None = None) -> tuple[list[dt.datetime], list[dt.datetime]]:
    """Local times of ``last_year`` records over the whole of last year and of this year's up to (not
    including) today, so that this year to date against the same dates last year is ``change`` (−0.226:
    down 22.6%); ``already`` records of this year the caller makes elsewhere count among them. With ``until``
    every time falls before that day (where the caller's own recent records begin)."""
    today = today or clock.today_local()
    stop = min(today, until) if until else today
    last = _pick(rng, _days(today.year - 1, min(dt.date(today.year, 1, 1), stop)), last_year, season, hours)
    try:
        same_day = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        same_day = today.replace(year=today.year - 1, day=28)
    to_date = bisect.bisect_left([t.date() for t in last], same_day)
    this = _pick(rng, _days(today.year, stop), round(to_date * (1 + change)) - already, season, hours)
    return last, this


def insert_with_ids(db: Session, model, rows: list[dict]) -> list[int]:
    """Insert the rows under ids taken from the table's own sequence (PostgreSQL) or after its last id
    (SQLite), and return them in order: a multi-row insert without RETURNING, which stays fast."""
    if not rows:
        return []
    if db.get_bind().dialect.name == "postgresql":
        ids = list(db.scalars(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                              {"t": model.__tablename__, "n": len(rows)}))
    else:
        first = (db.scalar(select(func.max(model.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
    db.execute(insert(model), [{**row, "id": i} for i, row in zip(ids, rows, strict=True)])
    return ids


def among(k: int, rate: float) -> bool:
    """Whether the ``k``-th (from 0) of a run of records is among the share ``rate`` of them, spread evenly:
    of any first n, ⌊n·rate⌋ are (exact shares where a random draw of a few dozen would wander)."""
    return int((k + 1) * rate) > int(k * rate)
