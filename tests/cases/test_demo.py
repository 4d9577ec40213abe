"""The 打击 demo records: the article's cases are there (a 2006 homicide solved with its two fugitives caught,
the counterfeit ring's 1,800 boxes and 40 tonnes and 16 arrests, the plant found the same day), two years of
calls, two years of fraud reports and dispute calls shaped like the branch's report, and a second load changes
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from pingan.cases import demo, figures
from pingan.cases.clocks import PAYEE
from pingan.cases.demo import load_cases_demo
from pingan.cases.models import Call, Case, CaseCategory, CaseStatus, FraudReport, Fugitive, FugitiveStatus, SeizedItem
from pingan.core import clock
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock
from pingan.platform.demo import load_demo


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_demo_holds_the_articles_cases_and_loads_once(demo_db):
    db = demo_db
    cold = db.scalar(select(Case).where(Case.title.like("%7·14%")))
    assert cold.status is CaseStatus.SOLVED and clock.local(cold.occurred_at).year == 2006
    brothers = list(db.scalars(select(Fugitive).where(Fugitive.case_id == cold.id)))
    assert [f.status for f in brothers] == [FugitiveStatus.CAUGHT, FugitiveStatus.CAUGHT]
    ring = db.scalar(select(Case).where(Case.category == CaseCategory.COUNTERFEIT))
    items = list(db.scalars(select(SeizedItem).where(SeizedItem.case_id == ring.id)))
    totals = {unit: sum(i.quantity for i in items if i.unit == unit) for unit in ("box", "tonne")}
    assert len(items) == 5 and totals == {"box": Decimal(1800), "tonne": Decimal(40)}
    assert sum(1 for p in ring.persons if p.kind == "suspect") == 16
    plant = db.scalar(select(Case).where(Case.small.is_(True)))
    assert plant.status is CaseStatus.SOLVED and clock.local(plant.solved_at).date() == clock.today_local()
    years = {clock.local(at).year for at in db.scalars(select(Call.received_at))}
    assert years == {clock.today_local().year - 1, clock.today_local().year}
    f = figures.compute(db, auth.get_user(db, "leader"), clock.today_local().year)
    assert {a.group: a.all_solved for a in f.all_solved} == {"homicide": True, "two_robberies": True}
    assert f.homicide_fugitives_caught == f.homicide_fugitives_registered == 2
    before = {m: _count(db, m) for m in (Call, Case, Fugitive, SeizedItem)}
    load_cases_demo(db)
    assert {m: _count(db, m) for m in (Call, Case, Fugitive, SeizedItem)} == before


def _year_end() -> int:
    """Move the clock to the last evening of this year: the demo's year is then whole, and its figures for the
    year compare with last year's whole."""
    year = clock.today_local().year
    clock.shift(dt.datetime(year, 12, 31, 20, tzinfo=clock.LOCAL_TZ) - clock.now())
    return year


def test_the_demo_year_reads_like_the_branchs_report(year_end_demo_db):
    db = year_end_demo_db
    year = _year_end()
    f = figures.compute(db, auth.get_user(db, "leader"), year)
    assert f.fraud_cases_last_year == demo.FRAUD[0]
    assert -0.26 <= f.fraud_yoy <= -0.19  # 电诈发案 −22.6%
    assert -0.25 <= figures.change(f.fraud_loss, f.fraud_loss_last_year) <= -0.18  # 损失 −21.3%
    last = figures.compute(db, auth.get_user(db, "leader"), year - 1)
    assert (last.high_loss, f.high_loss) == demo.HIGH_LOSS  # 高损案件 −60%
    assert f.counter_remittance == 0
    assert {a.group: a.all_solved for a in f.all_solved} == {"homicide": True, "two_robberies": True}
    assert f.homicide_fugitives_caught == f.homicide_fugitives_registered > 0
    assert -0.45 <= figures.change(f.dispute_calls, last.dispute_calls) <= -0.33  # 纠纷警情 −39%
    # The history's stop-payment and freeze clocks are settled: none has run out.
    running = db.scalars(select(DeadlineClock).where(DeadlineClock.owner_type == PAYEE,
                                                     DeadlineClock.status == ClockStatus.RUNNING))
    assert all(c.due_at > clock.now() for c in running)
    before = {m: _count(db, m) for m in (Call, Case, FraudReport)}
    load_demo(db)
    assert {m: _count(db, m) for m in (Call, Case, FraudReport)} == before
