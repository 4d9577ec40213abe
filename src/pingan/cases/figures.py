"""The 打击 figures the branch reports (what the dashboard reads): calls by category; cases by category, station
and month; clearance (solved ÷ filed) for current cases and the cold cases solved; whether every homicide and
every 两抢 case of the year is solved; telecom-fraud cases and losses year on year, high-loss and counter-
remittance cases; fugitives registered vs caught; seizures. And the same as an Excel workbook."""

from __future__ import annotations

import datetime as dt
import io
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from pingan.cases.models import (
    Call,
    CallCategory,
    Case,
    CaseCategory,
    FraudReport,
    Fugitive,
    FugitiveStatus,
    SeizedItem,
)
from pingan.cases.repository import in_scope
from pingan.cases.vocabulary import CALL_CATEGORY_LABELS, CATEGORY_LABELS, UNIT_LABELS
from pingan.core import clock
from pingan.platform import access
from pingan.platform import records as register
from pingan.platform.org.models import OrgUnit
from pingan.platform.records import Link, Series
from pingan.platform.users.models import User

# "两抢": robbery and snatching, counted together.
GROUPS = {"homicide": (CaseCategory.HOMICIDE,), "two_robberies": (CaseCategory.ROBBERY, CaseCategory.SNATCHING)}
GROUP_LABELS = {"homicide": "命案", "two_robberies": "两抢"}


@dataclass(frozen=True)
class AllSolved:
    group: str
    filed: int
    solved: int

    @property
    def all_solved(self) -> bool:
        return self.filed > 0 and self.solved == self.filed


@dataclass(frozen=True)
class Figures:
    year: int
    calls_by_category: dict[str, int]
    cases_by_category: dict[str, int]
    cases_by_station: dict[str, int]
    cases_by_month: list[int]
    filed: int
    solved: int
    cold_solved: int
    all_solved: list[AllSolved]
    fraud_cases: int
    fraud_cases_last_year: int
    fraud_loss: Decimal
    fraud_loss_last_year: Decimal
    high_loss: int
    counter_remittance: int
    fugitives_registered: int
    fugitives_caught: int
    homicide_fugitives_registered: int
    homicide_fugitives_caught: int
    # 小案快办: small cases received, those solved the day they came in, the median hours to solve.
    small_cases: int
    small_same_day: int
    small_median_hours: float | None
    seized_items: int
    seized_quantities: dict[str, Decimal] = field(default_factory=dict)
    seized_value: Decimal = Decimal("0")

    @property
    def clearance_rate(self) -> float | None:
        return ratio(self.solved, self.filed)

    @property
    def dispute_calls(self) -> int:
        """矛盾纠纷警情, as the dashboard counts them."""
        return self.calls_by_category.get(CallCategory.DISPUTE.value, 0)

    @property
    def fraud_yoy(self) -> float | None:
        return change(self.fraud_cases, self.fraud_cases_last_year)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def change(now, before) -> float | None:
    return float((now - before) / before) if before else None


def _bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=clock.LOCAL_TZ), dt.datetime(year + 1, 1, 1, tzinfo=clock.LOCAL_TZ)


def _in(value: dt.datetime | None, bounds: tuple[dt.datetime, dt.datetime]) -> bool:
    return value is not None and bounds[0] <= value < bounds[1]


def compute(db: Session, user: User, year: int) -> Figures:
    this, last = _bounds(year), _bounds(year - 1)
    calls = db.scalars(select(Call.category).where(Call.received_at >= this[0], Call.received_at < this[1],
                                                   access.unit_condition(db, user, Call.station_id))).all()
    # The cases received, happened or solved this year: all the rows any figure below counts.
    rows = db.execute(select(Case.category, Case.station_id, Case.occurred_at, Case.received_at, Case.filed_at,
                             Case.solved_at, Case.small)
                      .where(in_scope(db, user), or_(*(and_(col >= this[0], col < this[1])
                                                       for col in (Case.received_at, Case.occurred_at,
                                                                   Case.solved_at))))).all()
    received = [r for r in rows if _in(r.received_at, this)]
    stations = dict(db.execute(select(OrgUnit.id, OrgUnit.name)).all())
    # Current cases: those that happened this year and were filed; solved ones among them are cleared.
    current = [r for r in rows if _in(r.occurred_at, this) and r.filed_at is not None]
    groups = [AllSolved(g, sum(1 for r in current if r.category in cats),
                        sum(1 for r in current if r.category in cats and r.solved_at is not None))
              for g, cats in GROUPS.items()]
    reports = db.execute(select(FraudReport.reported_at, FraudReport.loss, FraudReport.high_loss,
                                FraudReport.counter_remittance)
                         .where(access.unit_condition(db, user, FraudReport.station_id))).all()
    # A fraud counts as a case (发案) when the victim lost money: one a 警银通 hold stopped in full is a hold.
    fraud_now = [r for r in reports if _in(r.reported_at, this) and r.loss > 0]
    fraud_before = [r for r in reports if _in(r.reported_at, last) and r.loss > 0]
    fugitives = db.execute(select(Fugitive.registered_at, Fugitive.status, Fugitive.ended_at, Case.category)
                           .join(Case, Case.id == Fugitive.case_id)
                           .where(access.unit_condition(db, user, Fugitive.station_id))).all()
    caught = [f for f in fugitives if f.status is FugitiveStatus.CAUGHT and _in(f.ended_at, this)]
    homicide = [f for f in fugitives if f.category is CaseCategory.HOMICIDE]
    items = db.execute(select(SeizedItem.quantity, SeizedItem.unit, SeizedItem.value)
                       .join(Case, Case.id == SeizedItem.case_id)
                       .where(SeizedItem.seized_at >= this[0], SeizedItem.seized_at < this[1],
                              in_scope(db, user))).all()
    quantities: Counter = Counter()
    for item in items:
        quantities[item.unit.value] += item.quantity
    small = [r for r in received if r.small]
    hours = sorted((r.solved_at - r.received_at).total_seconds() / 3600 for r in small if r.solved_at is not None)
    months = [0] * 12
    for r in received:
        months[clock.local(r.received_at).month - 1] += 1
    return Figures(
        year=year, calls_by_category=dict(Counter(c.value for c in calls)),
        cases_by_category=dict(Counter(r.category.value for r in received)),
        cases_by_station=dict(Counter(stations.get(r.station_id, "?") for r in received)), cases_by_month=months,
        filed=len(current), solved=sum(1 for r in current if r.solved_at is not None),
        cold_solved=sum(1 for r in rows if _in(r.solved_at, this) and r.occurred_at < this[0]),
        all_solved=groups, fraud_cases=len(fraud_now), fraud_cases_last_year=len(fraud_before),
        fraud_loss=sum((r.loss for r in fraud_now), Decimal("0")),
        fraud_loss_last_year=sum((r.loss for r in fraud_before), Decimal("0")),
        high_loss=sum(1 for r in fraud_now if r.high_loss),
        counter_remittance=sum(1 for r in fraud_now if r.counter_remittance),
        fugitives_registered=sum(1 for f in fugitives if _in(f.registered_at, this)), fugitives_caught=len(caught),
        homicide_fugitives_registered=len(homicide),
        homicide_fugitives_caught=sum(1 for f in homicide if f.status is FugitiveStatus.CAUGHT),
        small_cases=len(small), small_same_day=sum(
            1 for r in small if r.solved_at is not None
            and clock.local(r.solved_at).date() == clock.local(r.received_at).date()),
        small_median_hours=statistics.median(hours) if hours else None,
        seized_items=len(items), seized_quantities=dict(quantities),
        seized_value=sum((i.value or Decimal("0") for i in items), Decimal("0")),
    )


def as_dict(f: Figures) -> dict:
    return {"year": f.year, "calls_by_category": f.calls_by_category, "dispute_calls": f.dispute_calls,
            "cases_by_category": f.cases_by_category, "cases_by_station": f.cases_by_station,
            "cases_by_month": f.cases_by_month, "filed": f.filed, "solved": f.solved,
            "clearance_rate": f.clearance_rate, "cold_solved": f.cold_solved,
            "all_solved": [{"group": a.group, "filed": a.filed, "solved": a.solved, "all_solved": a.all_solved}
                           for a in f.all_solved],
            "fraud_cases": f.fraud_cases, "fraud_cases_last_year": f.fraud_cases_last_year, "fraud_yoy": f.fraud_yoy,
            "fraud_loss": f.fraud_loss, "fraud_loss_last_year": f.fraud_loss_last_year, "high_loss": f.high_loss,
            "counter_remittance": f.counter_remittance, "fugitives_registered": f.fugitives_registered,
            "fugitives_caught": f.fugitives_caught,
            "homicide_fugitives_registered": f.homicide_fugitives_registered,
            "homicide_fugitives_caught": f.homicide_fugitives_caught, "small_cases": f.small_cases,
            "small_same_day": f.small_same_day, "small_median_hours": f.small_median_hours,
            "seized_items": f.seized_items,
            "seized_quantities": f.seized_quantities, "seized_value": f.seized_value}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def workbook(f: Figures) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "指标"
    sheet.append(["指标", "数值"])
    for label, value in [
        ("年度", f.year), ("立案（现行）", f.filed), ("破案（现行）", f.solved), ("破案率", _pct(f.clearance_rate)),
        ("破积案", f.cold_solved), ("纠纷警情", f.dispute_calls),
        *[(f"{GROUP_LABELS[a.group]}全破", f"{a.solved}/{a.filed}{' 全破' if a.all_solved else ''}")
          for a in f.all_solved],
        ("电诈案件", f.fraud_cases), ("电诈案件（上年）", f.fraud_cases_last_year), ("电诈同比", _pct(f.fraud_yoy)),
        ("电诈损失（元）", float(f.fraud_loss)), ("电诈损失上年（元）", float(f.fraud_loss_last_year)),
        ("高损案件", f.high_loss), ("反向涉诈案件", f.counter_remittance),
        ("登记在逃", f.fugitives_registered), ("抓获在逃", f.fugitives_caught),
        ("命案逃犯登记/抓获", f"{f.homicide_fugitives_registered}/{f.homicide_fugitives_caught}"),
        ("小案快办", f.small_cases), ("小案当日办结", f.small_same_day),
        ("小案办结用时中位数（小时）", round(f.small_median_hours, 1) if f.small_median_hours is not None else "—"),
        ("扣押财物（件次）", f.seized_items), ("扣押财物估值（元）", float(f.seized_value)),
    ]:
        sheet.append([label, value])
    calls = wb.create_sheet("警情")
    calls.append(["类别", "数量"])
    for category in CallCategory:
        calls.append([CALL_CATEGORY_LABELS[category], f.calls_by_category.get(category.value, 0)])
    cases = wb.create_sheet("案件")
    cases.append(["类别", "数量"])
    for category in CaseCategory:
        cases.append([CATEGORY_LABELS[category], f.cases_by_category.get(category.value, 0)])
    cases.append([])
    cases.append(["派出所", "数量"])
    for name, count in sorted(f.cases_by_station.items()):
        cases.append([name, count])
    cases.append([])
    cases.append(["月份", "数量"])
    for month, count in enumerate(f.cases_by_month, 1):
        cases.append([f"{month}月", count])
    seized = wb.create_sheet("扣押")
    seized.append(["计量单位", "数量"])
    for unit, qty in f.seized_quantities.items():
        seized.append([UNIT_LABELS.get(unit, unit), float(qty)])
    for ws in (sheet, calls, cases, seized):
        ws.column_dimensions["A"].width = 22
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# The daily series the dashboard keeps (per day and station). A current case counts on the day it happened,
# once filed ("filed"), and among the solved when solved; so a period's clearance is solved ÷ filed of the
# cases that happened in it, as compute() counts it for a year.
_CLEARANCE_GROUPS = {"all": (), "homicide": GROUPS["homicide"], "two_robberies": GROUPS["two_robberies"],
                     "theft": (CaseCategory.THEFT,), "telecom_fraud": (CaseCategory.TELECOM_FRAUD,)}


def _fraud(*where) -> Callable:
    """Fraud reports with a loss (a fraud a hold stopped in full is counted by anti-fraud, not as a case)."""
    return lambda: (select(FraudReport.case_id.label("key"), FraudReport.reported_at.label("at"),
                           FraudReport.station_id.label("unit"), Case.number.label("label"), FraudReport.loss)
                    .join(Case, Case.id == FraudReport.case_id).where(FraudReport.loss > 0, *where))


def _cases(group: str, solved: bool) -> Series:
    categories = _CLEARANCE_GROUPS[group]

    def stmt():
        query = select(Case.id.label("key"), Case.occurred_at.label("at"), Case.station_id.label("unit"),
                       Case.number.label("label")).where(Case.filed_at.is_not(None))
        if categories:
            query = query.where(Case.category.in_(categories))
        return query.where(Case.solved_at.is_not(None)) if solved else query

    return Series(f"cases.{group}_{'solved' if solved else 'filed'}", stmt, at=lambda: Case.occurred_at,
                  unit=lambda: Case.station_id, href="/cases/{key}")


def _fugitives(caught: bool) -> Series:
    """Homicide fugitives caught (on the day they were caught), or pursued in a window: at large at its start
    or registered during it (a stock: registered before the window's end and not ended before its start)."""
    at = Fugitive.ended_at if caught else Fugitive.registered_at

    def stmt():
        query = (select(Fugitive.case_id.label("key"), at.label("at"), Fugitive.station_id.label("unit"),
                        Case.number.label("label"))
                 .join(Case, Case.id == Fugitive.case_id).where(Case.category == CaseCategory.HOMICIDE))
        return query.where(Fugitive.status == FugitiveStatus.CAUGHT) if caught else query

    return Series(f"cases.homicide_fugitives_{'caught' if caught else 'pursued'}", stmt, at=lambda: at,
                  unit=lambda: Fugitive.station_id, href="/cases/{key}",
                  ends=None if caught else (lambda: Fugitive.ended_at))


def _calls(*where) -> Callable:
    return lambda: select(Call.id.label("key"), Call.received_at.label("at"), Call.station_id.label("unit"),
                          Call.call_no.label("label")).where(*where)


SERIES = {s.code: s for s in (
    Series("cases.calls", _calls(), at=lambda: Call.received_at, unit=lambda: Call.station_id,
           href="/cases/calls/{key}"),
    Series("cases.dispute_calls", _calls(Call.category == CallCategory.DISPUTE), at=lambda: Call.received_at,
           unit=lambda: Call.station_id, href="/cases/calls/{key}"),
    Series("cases.fraud_cases", _fraud(), at=lambda: FraudReport.reported_at,
           unit=lambda: FraudReport.station_id, href="/cases/{key}"),
    Series("cases.fraud_loss", _fraud(), at=lambda: FraudReport.reported_at,
           unit=lambda: FraudReport.station_id, href="/cases/{key}", value=lambda row: float(row.loss)),
    Series("cases.high_loss", _fraud(FraudReport.high_loss.is_(True)), at=lambda: FraudReport.reported_at,
           unit=lambda: FraudReport.station_id, href="/cases/{key}"),
    Series("cases.counter_remittance", _fraud(FraudReport.counter_remittance.is_(True)),
           at=lambda: FraudReport.reported_at, unit=lambda: FraudReport.station_id, href="/cases/{key}"),
    *(_cases(group, solved) for group in _CLEARANCE_GROUPS for solved in (False, True)),
    _fugitives(False), _fugitives(True),
)}


def daily_counts(db: Session, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, int | None, float]]:
    """(series code, local day, station id, value) over the days [start, end]."""
    return register.daily_counts(db, SERIES.values(), start, end)


def totals(db: Session, code: str, unit_ids: list[int] | None, start: dt.date, end: dt.date
           ) -> dict[int | None, float]:
    """Station id → what a stock series (fugitives pursued) counts over the days [start, end]."""
    return register.totals(db, SERIES[code], unit_ids, start, end)


def records(db: Session, code: str, unit_ids: list[int] | None, start: dt.date, end: dt.date) -> list[Link]:
    """The calls, cases or fugitives one series counts in those stations and days."""
    return register.records(db, SERIES[code], unit_ids, start, end)
