"""The dashboard's steps: rebuild the daily counts from the modules' records; read them as the CompStat sheet
(this year against last, with the Poisson z), monthly series, the map and the drill-down to the records — all
within the reader's jurisdiction."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import PermissionDenied, ValidationFailed, not_found
from pingan.platform import access
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.records import Link
from pingan.platform.users.models import User
from pingan.stats import repository as repo
from pingan.stats.catalogue import BY_CODE, FIGURES, MEASURES, Good, Kind, Level, Measure, is_stock, module_of
from pingan.stats.periods import Align, Period, Window, last_year, window

# ---- keeping the counts ----------------------------------------------------------------------------------


def month_windows(since: dt.date, until: dt.date) -> list[Window]:
    out, start = [], since
    while start <= until:
        nxt = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        out.append(Window(start, min(until, nxt - dt.timedelta(days=1))))
        start = nxt
    return out


def rebuild(db: Session, since: dt.date, until: dt.date | None = None,
            progress: Callable[[Window], None] | None = None) -> int:
    """Recount every series over the days [since, until] from the records, month by month; returns the rows
    written. Safe to run twice: each month's counts are replaced."""
    until = until or clock.today_local()
    written = 0
    for month in month_windows(since, until):
        rows = [row for module in FIGURES.values() for row in module.daily_counts(db, month.start, month.end)]
        repo.replace(db, month.start, month.end, rows)
        written += len(rows)
        if progress is not None:
            progress(month)
    return written


def sums(db: Session, codes, start: dt.date, end: dt.date, scope: list[int] | None
         ) -> dict[tuple[str, int | None], float]:
    """(series, unit) → the series over the days [start, end] in the scope: the kept daily counts, and a stock
    series (fugitives pursued) counted by its module for the window."""
    codes = list(codes)
    out = repo.sums(db, [c for c in codes if not is_stock(c)], start, end, scope)
    for code in codes:
        if is_stock(code):
            for unit, value in module_of(code).totals(db, code, scope, start, end).items():
                out[(code, unit)] = value
    return out


# ---- the org tree, once per request ----------------------------------------------------------------------


class Org:
    def __init__(self, db: Session, user: User) -> None:
        self.by_id = {u.id: u for u in repo.units(db)}
        self.visible = access.visible_unit_ids(db, user)
        self.stations = repo.stations(db, self.visible)
        # A reader below a station (a community officer): records that carry only a station lie outside their
        # own view, so such measures show their station's figure, labelled as such (never a misleading 0).
        own = self.by_id.get(user.unit_id) if self.visible is not None else None
        self.station_view = (self.ancestor(own.id, UnitKind.STATION)
                             if own is not None and own.kind not in (UnitKind.STATION, UnitKind.BUREAU) else None)

    def widened(self, measure: Measure) -> OrgUnit | None:
        """The station whose figure the reader sees for ``measure`` in place of their own units' (None: their
        own): a station-level measure read by someone below a station."""
        return self.station_view if measure.level is Level.STATION else None

    def scope_of(self, measure: Measure, unit: OrgUnit | None) -> list[int] | None:
        """Unit ids to count ``measure`` over: the reader's (or ``unit``'s) subtree, or their station's for a
        station-level measure read below a station."""
        wide = self.widened(measure) if unit is None else None
        if wide is not None:
            return [u.id for u in self.by_id.values() if u.path.startswith(wide.path)]
        return self.subtree(unit)

    def ancestor(self, unit_id: int | None, kind: UnitKind) -> OrgUnit | None:
        unit = self.by_id.get(unit_id)
        while unit is not None and unit.kind is not kind:
            unit = self.by_id.get(unit.parent_id)
        return unit

    def split(self, sums: dict[tuple[str, int | None], float], kind: UnitKind
              ) -> dict[int, dict[tuple[str, int | None], float]]:
        """The sums by the ``kind`` unit (station, community, grid) each count lies in: one pass."""
        ancestors: dict[int | None, OrgUnit | None] = {}
        out: dict[int, dict[tuple[str, int | None], float]] = {}
        for key, value in sums.items():
            unit = key[1]
            if unit not in ancestors:
                ancestors[unit] = self.ancestor(unit, kind)
            if ancestors[unit] is not None:
                out.setdefault(ancestors[unit].id, {})[key] = value
        return out

    def station(self, code: str | None) -> OrgUnit | None:
        if code is None:
            return None
        found = next((s for s in self.stations if s.code == code), None)
        if found is None:
            raise not_found("station", "派出所")
        return found

    def subtree(self, unit: OrgUnit | None) -> list[int] | None:
        """Unit ids to read: the viewer's jurisdiction, narrowed to ``unit``'s subtree when one is given."""
        if unit is None:
            return self.visible
        ids = [u.id for u in self.by_id.values() if u.path.startswith(unit.path)]
        if self.visible is None:
            return ids
        visible = set(self.visible)
        return [i for i in ids if i in visible]


# ---- values ----------------------------------------------------------------------------------------------


@dataclass
class Value:
    """One measure over one window: the value and what it is made of."""

    value: float | None
    numerator: float = 0
    denominator: float = 0


def _value(measure: Measure, sums: dict[tuple[str, int | None], float], level_value: int | None = None) -> Value:
    if measure.kind is Kind.LEVEL:
        return Value(level_value)
    if measure.kind is Kind.UNITS:
        units = {u for (s, u), v in sums.items() if s in measure.series and v > 0}
        return Value(float(len(units)), len(units))
    top = sum(v for (s, u), v in sums.items() if s in measure.series)
    if measure.kind in (Kind.COUNT, Kind.AMOUNT):
        return Value(top, top)
    bottom = sum(v for (s, u), v in sums.items() if s in measure.per)
    return Value(top / bottom if bottom else None, top, bottom)


def z_score(now: float, before: float) -> float:
    """The Poisson z of a change in counts: 2(√now − √before)."""
    return 2 * (math.sqrt(now) - math.sqrt(before))


def mark(z: float | None) -> str | None:
    """|z| ≥ 3 strong, ≥ 2 marked: the change is unlikely to be chance."""
    if z is None:
        return None
    return "strong" if abs(z) >= 3 else "marked" if abs(z) >= 2 else None


@dataclass
class Row:
    measure: Measure
    this: Value
    last: Value
    station_level: OrgUnit | None = None  # the station whose figure this is, for a reader below a station

    @property
    def counted(self) -> bool:
        return self.measure.kind in (Kind.COUNT, Kind.UNITS)

    @property
    def change(self) -> float | None:
        """Relative change for counts and amounts; the difference for rates and means; None from zero."""
        a, b = self.this.value, self.last.value
        if a is None or b is None:
            return None
        if self.measure.kind in (Kind.RATE, Kind.MEAN):
            return a - b
        return (a - b) / b if b else None

    @property
    def change_text(self) -> str:
        a, b = self.this.value, self.last.value
        if a is None or b is None:
            return "—"
        if self.measure.kind in (Kind.RATE, Kind.MEAN):
            diff = a - b
            if self.measure.kind is Kind.RATE:
                return f"{diff * 100:+.1f}个百分点"
            return f"{diff:+.{1 if abs(diff) >= 1 else 2}f}{self.measure.unit}"  # a mean: −0.02分钟, not −0.0
        if not b:
            return "持平" if not a else f"新增{_num(a)}"
        return f"{(a - b) / b:+.1%}"

    @property
    def z(self) -> float | None:
        if not self.counted or self.this.value is None or self.last.value is None:
            return None
        return round(z_score(self.this.value, self.last.value), 2)

    @property
    def mark(self) -> str | None:
        return mark(self.z)

    @property
    def worse(self) -> bool:
        """Moved the bad way: up for a measure that should fall, down for one that should rise."""
        a, b = self.this.value, self.last.value
        if a is None or b is None or a == b or self.measure.good is Good.NEITHER:
            return False
        return (a > b) == (self.measure.good is Good.DOWN)


def _num(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


@dataclass
class Sheet:
    period: Period
    on: dt.date
    align: Align
    current: Window
    before: Window
    station: OrgUnit | None
    rows: list[Row]
    by_station: dict[str, list[Row]] = field(default_factory=dict)


def _level_values(db: Session) -> dict[str, int]:
    return {m.code: getattr(FIGURES[m.module], m.state)(db) for m in MEASURES if m.kind is Kind.LEVEL}


Sums = dict[tuple[str, int | None], float]


def _rows(measures, now_sums: Sums, before_sums: Sums, levels,
          widened: Callable[[Measure], tuple[OrgUnit, Sums, Sums] | None] = lambda m: None) -> list[Row]:
    """Each measure's row; ``widened`` gives a measure read at the reader's station instead (its sums)."""
    out = []
    for m in measures:
        wide = widened(m)
        now, before = (wide[1], wide[2]) if wide is not None else (now_sums, before_sums)
        out.append(Row(m, _value(m, now, levels.get(m.code)), _value(m, before), wide[0] if wide else None))
    return out


def sheet(db: Session, user: User, *, period: Period, on: dt.date | None = None, station_code: str | None = None,
          align: Align = Align.DATES, stations: bool = False, org: Org | None = None,
          measures: tuple[Measure, ...] = MEASURES) -> Sheet:
    """The sheet for one period: the branch (or one station) this year against last; with ``stations``,
    also each station's rows; ``measures`` narrows the rows (a chart needs one)."""
    org = org or Org(db, user)
    on = on or clock.today_local()
    station = org.station(station_code)
    current = window(period, on)
    before = last_year(period, current, align)
    scope = org.subtree(station)
    counted = [m for m in measures if m.kind is not Kind.LEVEL]
    codes = sorted({c for m in counted for c in m.codes})
    now_sums = sums(db, codes, current.start, current.end, scope)
    before_sums = sums(db, codes, before.start, before.end, scope)
    levels = _level_values(db) if any(m.kind is Kind.LEVEL for m in measures) else {}
    widened = _widened(db, org, counted, current, before) if station is None else (lambda m: None)
    rows = _rows(measures, now_sums, before_sums, levels, widened)
    out = Sheet(period, on, align, current, before, station, rows)
    if stations:
        now_parts, before_parts = org.split(now_sums, UnitKind.STATION), org.split(before_sums, UnitKind.STATION)
        for s in ([station] if station else org.stations):
            out.by_station[s.code] = _rows(measures, now_parts.get(s.id, {}), before_parts.get(s.id, {}), levels)
    return out


def _widened(db: Session, org: Org, measures: list[Measure], current: Window, before: Window
             ) -> Callable[[Measure], tuple[OrgUnit, Sums, Sums] | None]:
    """For a reader below a station: the station-level measures counted at their station."""
    wide = [m for m in measures if org.widened(m) is not None]
    if not wide:
        return lambda m: None
    codes = sorted({c for m in wide for c in m.codes})
    ids = org.scope_of(wide[0], None)
    now, last = sums(db, codes, current.start, current.end, ids), sums(db, codes, before.start, before.end, ids)
    return lambda m: (org.station_view, now, last) if m in wide else None


def measure_of(code: str) -> Measure:
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValidationFailed("measure.unknown", f"没有这个指标：{code} / unknown measure {code}") from None


# ---- charts and the map ----------------------------------------------------------------------------------


def months(db: Session, user: User, code: str, year: int, station_code: str | None = None) -> dict:
    """A measure's months: this year against last (None for months with nothing to divide by)."""
    measure = measure_of(code)
    org = Org(db, user)
    scope = org.scope_of(measure, org.station(station_code))
    if measure.kind is Kind.LEVEL:
        raise ValidationFailed("measure.no_series", "该指标为当前状态，无按月数据 / this measure has no monthly series")
    out = {}
    if measure.kind is Kind.UNITS or any(is_stock(c) for c in measure.codes):
        # distinct units need the unit, a stock its month's start: counted month by month
        for y in (year, year - 1):
            out[y] = [_value(measure, sums(db, measure.codes, dt.date(y, m, 1), _month_end(y, m), scope)).value
                      for m in range(1, 13)]
    else:
        data = repo.monthly(db, measure.codes, dt.date(year - 1, 1, 1), dt.date(year, 12, 31), scope)
        for y in (year, year - 1):
            out[y] = [_value(measure, {(s, None): data.get((s, y, m), 0.0) for s in measure.codes}).value
                      for m in range(1, 13)]
    wide = org.widened(measure) if station_code is None else None
    return {"measure": measure.code, "label": measure.label, "unit": measure.unit, "year": year,
            "this": out[year], "last": out[year - 1], "station_level": wide.code if wide else None}


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


LEVEL_KINDS = {Level.STATION: UnitKind.STATION, Level.COMMUNITY: UnitKind.COMMUNITY, Level.GRID: UnitKind.GRID}


def map_values(db: Session, user: User, code: str, period: Period, on: dt.date | None = None) -> dict:
    """The measure's value per unit at its level (station, community or grid) for the period: what the map
    colours."""
    measure = measure_of(code)
    org = Org(db, user)
    current = window(period, on or clock.today_local())
    wide = org.widened(measure)
    counted = sums(db, measure.codes, current.start, current.end, org.scope_of(measure, None))
    kind = LEVEL_KINDS[measure.level]
    areas = [wide] if wide is not None else [
        u for u in org.by_id.values() if u.kind is kind and (org.visible is None or u.id in org.visible)]
    levels = _level_values(db) if measure.kind is Kind.LEVEL else {}
    parts = org.split(counted, kind)
    values = [{"code": area.code, "name": area.name,
               "value": _value(measure, parts.get(area.id, {}), levels.get(code)).value}
              for area in areas]
    return {"measure": measure.code, "label": measure.label, "level": measure.level.value, "values": values,
            "station_level": wide.code if wide else None}


# ---- drill-down ------------------------------------------------------------------------------------------


@dataclass
class Drill:
    measure: Measure
    window: Window
    station: OrgUnit | None
    # (series code, the records it counts), numerator series first, then the denominator's.
    lists: list[tuple[str, list[Link]]]


def drill(db: Session, user: User, *, code: str, period: Period, on: dt.date | None = None,
          station_code: str | None = None, align: Align = Align.DATES, last: bool = False) -> Drill:
    """The records behind a figure, in the viewer's jurisdiction (and the station's, when one is given)."""
    measure = measure_of(code)
    if measure.kind is Kind.LEVEL:
        raise ValidationFailed("measure.no_records", "该指标为当前状态，无明细记录 / this measure has no records")
    org = Org(db, user)
    station = org.station(station_code)
    if station is None and org.widened(measure) is not None:
        raise PermissionDenied("stats.station_level", "该指标按派出所统计，明细记录只归派出所，不在本社区范围内 / "
                               "this figure is counted per station: its records belong to the station, outside "
                               "your community")
    current = window(period, on or clock.today_local())
    span = last_year(period, current, align) if last else current
    scope = org.subtree(station)
    lists = [(s, module_of(s).records(db, s, scope, span.start, span.end)) for s in measure.codes]
    if measure.kind is Kind.UNITS:  # one record per unit: the first of each village
        lists = [(s, _first_per_unit(links)) for s, links in lists]
    return Drill(measure, span, station, lists)


def _first_per_unit(links: list[Link]) -> list[Link]:
    seen: dict[int | None, Link] = {}
    for link in links:
        seen.setdefault(link.unit_id, link)
    return list(seen.values())
