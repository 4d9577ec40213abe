"""The rental figures the dashboard may use: units by kind and risk colour, occupancy, tenancies declared and
ended, the landlords' reports on time, hazards found and rectified, watch-list hits; in the caller's scope,
for the year, by grid, community and station; and the same as an Excel workbook."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.platform import access
from pingan.platform import records as register
from pingan.platform.org.models import OrgUnit
from pingan.platform.records import Link, Series
from pingan.platform.users.models import User
from pingan.platform.watch.models import WatchHit
from pingan.rental import repository as repo
from pingan.rental import risk
from pingan.rental.models import Hazard, Inspection, KeeperRole, Property, PropertyKind, RiskColour, Tenancy
from pingan.rental.vocabulary import COLOUR_LABELS, KIND_LABELS


@dataclass
class Area:
    code: str
    name: str
    units: int = 0
    occupants: int = 0
    declared: int = 0
    ended: int = 0
    hazards_found: int = 0
    hazards_rectified: int = 0


@dataclass
class Figures:
    year: int
    units: int = 0
    occupants: int = 0
    beds: int = 0
    declared: int = 0
    ended: int = 0
    reports: int = 0
    reports_on_time: int = 0
    hazards_found: int = 0
    hazards_rectified: int = 0
    hits: int = 0
    units_by_kind: list[tuple[str, str, int]] = field(default_factory=list)
    units_by_colour: list[tuple[str, str, int]] = field(default_factory=list)
    by_area: list[Area] = field(default_factory=list)
    # (landlord's name, late reports of the year), most late first: every landlord with one.
    late_by_landlord: list[tuple[str, int]] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return self.reports_on_time / self.reports if self.reports else None


def _in_year(at: dt.datetime | None, start: dt.datetime, end: dt.datetime) -> bool:
    return at is not None and start <= at < end


def compute(db: Session, user: User, year: int) -> Figures:
    start = dt.datetime(year, 1, 1, tzinfo=clock.LOCAL_TZ)
    end = dt.datetime(year + 1, 1, 1, tzinfo=clock.LOCAL_TZ)
    today = clock.today_local()
    f = Figures(year=year)
    kinds: Counter = Counter()
    colours: Counter = Counter()
    areas: dict[int, Area] = {}
    late: Counter = Counter()
    props = repo.properties(db, user, limit=100_000)
    hazards = list(db.scalars(select(Hazard).where(Hazard.property_id.in_([p.id for p in props])))) if props else []
    stmt = select(Inspection.id, Inspection.at).where(Inspection.property_id.in_([p.id for p in props]))
    found_at = {i: at for i, at in db.execute(stmt)} if props else {}
    chain = {u.id: u for u in db.scalars(select(OrgUnit))}
    for p in props:
        open_h = [h for h in hazards if h.property_id == p.id and h.rectified_at is None]
        colour = risk.colour(p, open_h, today)
        rows = [areas.setdefault(u.id, Area(u.code, u.name)) for u in _ancestors(chain, p.grid_id)]
        for unit in p.units:
            n = risk.occupants(unit)
            kinds[p.kind] += 1
            colours[colour] += 1
            f.units, f.occupants, f.beds = f.units + 1, f.occupants + n, f.beds + unit.beds
            for t in unit.tenancies:
                declared, ended = _in_year(t.declared_at, start, end), _in_year(t.ended_at, start, end)
                f.declared += declared
                f.ended += ended
                for reported, on_time in ((t.move_in_reported_at, t.move_in_on_time),
                                          (t.move_out_reported_at, t.move_out_on_time)):
                    if _in_year(reported, start, end):
                        f.reports += 1
                        f.reports_on_time += bool(on_time)
                    if on_time is False and _in_year(reported or t.declared_at, start, end):
                        late[_landlord(p)] += 1
                for a in rows:
                    a.declared += declared
                    a.ended += ended
            for a in rows:
                a.units += 1
                a.occupants += n
        for h in hazards:
            if h.property_id != p.id:
                continue
            found, fixed = _in_year(found_at[h.inspection_id], start, end), _in_year(h.rectified_at, start, end)
            f.hazards_found += found
            f.hazards_rectified += fixed
            for a in rows:
                a.hazards_found += found
                a.hazards_rectified += fixed
    f.units_by_kind = [(k.value, KIND_LABELS[k], kinds[k]) for k in PropertyKind]
    f.units_by_colour = [(c.value, COLOUR_LABELS[c], colours[c]) for c in RiskColour]
    f.late_by_landlord = sorted(late.items(), key=lambda kv: (-kv[1], kv[0]))
    order = {u.id: u.path for u in chain.values()}
    f.by_area = [areas[i] for i in sorted(areas, key=lambda i: order[i])]
    # A listed person in a record counts once, however many owners were told (the list's, the local police).
    hits = (select(WatchHit.entry_id, WatchHit.record_kind, WatchHit.record_id).distinct().where(
        WatchHit.module == "rental", WatchHit.created_at >= start, WatchHit.created_at < end,
        access.unit_condition(db, user, WatchHit.where_unit_id)).subquery())
    f.hits = db.scalar(select(func.count()).select_from(hits))
    return f


def _landlord(p) -> str:
    keeper = next((k for k in p.keepers if k.role is KeeperRole.LANDLORD), p.keepers[0])
    return keeper.name


def _ancestors(chain: dict[int, OrgUnit], unit_id: int) -> list[OrgUnit]:
    """The grid, its community and its station (not the bureau: the totals are the county's)."""
    out = []
    unit = chain.get(unit_id)
    while unit is not None and unit.parent_id is not None:
        out.append(unit)
        unit = chain.get(unit.parent_id)
    return out


def workbook(f: Figures) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "总体"
    sheet.append(["指标", f"{f.year}年"])
    rows = (("出租房间数", f.units), ("在住人数", f.occupants), ("床位数", f.beds), ("申报入住", f.declared),
            ("退租", f.ended), ("房东报送", f.reports), ("按时报送", f.reports_on_time),
            ("发现隐患", f.hazards_found), ("整改隐患", f.hazards_rectified), ("布控比中", f.hits))
    for label, value in rows:
        sheet.append([label, value])
    kinds = wb.create_sheet("按类型")
    kinds.append(["类型", "房间数"])
    for _, label, n in f.units_by_kind:
        kinds.append([label, n])
    colours = wb.create_sheet("按风险等级")
    colours.append(["风险等级", "房间数"])
    for _, label, n in f.units_by_colour:
        colours.append([label, n])
    areas = wb.create_sheet("按辖区")
    areas.append(["代码", "名称", "房间数", "在住人数", "申报入住", "退租", "发现隐患", "整改隐患"])
    for a in f.by_area:
        areas.append([a.code, a.name, a.units, a.occupants, a.declared, a.ended, a.hazards_found,
                      a.hazards_rectified])
    late = wb.create_sheet("房东逾期报送")
    late.append(["房东", "逾期报送"])
    for name, n in f.late_by_landlord:
        late.append([name, n])
    for ws in (sheet, kinds, colours, areas, late):
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 22
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# The daily series the dashboard keeps, per day and grid: a landlord's move-in or move-out report counts on
# the day it was made, and among the on-time ones when it came within the clock (as compute() counts them).
def _reports(phase: str, on_time_only: bool) -> Series:
    at = getattr(Tenancy, f"move_{phase}_reported_at")
    on_time = getattr(Tenancy, f"move_{phase}_on_time")

    def stmt():
        query = (select(Tenancy.property_id.label("key"), at.label("at"), Property.grid_id.label("unit"),
                        Property.id.label("label"))
                 .join(Property, Property.id == Tenancy.property_id).where(at.is_not(None)))
        return query.where(on_time.is_(True)) if on_time_only else query

    return Series(f"rental.move_{phase}_{'on_time' if on_time_only else 'reports'}", stmt, at=lambda: at,
                  unit=lambda: Property.grid_id, href="/rental/properties/{key}")


SERIES = {s.code: s for s in (_reports(phase, on_time) for phase in ("in", "out") for on_time in (False, True))}


def daily_counts(db: Session, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, int | None, float]]:
    """(series code, local day, grid id, value) over the days [start, end]."""
    return register.daily_counts(db, SERIES.values(), start, end)


def records(db: Session, code: str, unit_ids: list[int] | None, start: dt.date, end: dt.date) -> list[Link]:
    """The landlords' reports one series counts in those grids and days (each links to its property)."""
    return register.records(db, SERIES[code], unit_ids, start, end)
