"""The figures against hand-counted rows: calls by category, cases by category, station and month, clearance
of current cases and the cold cases solved this year, 命案/两抢 all solved, fraud year on year, high-loss and
counter-remittance, fugitives registered and caught, seizures; the leader sees the county, a station only
itself; the Excel export carries the same numbers."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pingan.cases import figures
from pingan.cases.fraud import service as fraud
from pingan.cases.fugitive import service as fugitives
from pingan.cases.schemas import FraudReportIn, FugitiveEndIn, FugitiveIn, SeizureIn
from pingan.cases.seizure import service as seizures
from pingan.core import clock
from pingan.core.identity import make_resident_id
from tests.cases.factories import SUSPECT, fraud_body, seizure_body

YEAR = 2026
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=clock.LOCAL_TZ)


def _at(when: dt.datetime):
    clock.shift(when - clock.now())


def _seed(db, cs):
    """By hand: 头陀 — March: a homicide (solved), a robbery (solved), a snatching (filed, not solved);
    June: two thefts (one solved), two small thefts (solved after 3 hours, and after 27); a 2006 homicide solved
    this year (cold); 江口 — a theft in May (solved).
    Calls: 3 criminal, 2 dispute at 头陀, 1 dispute at 江口. Fraud: 2 this year (one ≥ ¥1m), 1 last year."""
    _at(dt.datetime(2025, 6, 1, 10, 0, tzinfo=clock.LOCAL_TZ))
    fraud.report(db, data=FraudReportIn.model_validate(fraud_body(loss="3000")), actor=cs.duty)
    _at(dt.datetime(2026, 3, 10, 10, 0, tzinfo=clock.LOCAL_TZ))
    homicide, robbery, snatching = (cs.case(category=c, occurred_at=clock.now().isoformat())
                                    for c in ("homicide", "robbery", "snatching"))
    for case in (homicide, robbery, snatching):
        cs.step(case, "file")
    cs.step(homicide, "solve")
    cs.step(robbery, "solve")
    for i, category in enumerate(["criminal", "criminal", "criminal", "dispute", "dispute"]):
        cs.call(call_no=f"T-{i}", category=category, caller_phone=None)
    cs.call(actor=cs.other, call_no="J-1", category="dispute", station_code="331003-02", caller_phone=None)
    _at(dt.datetime(2026, 5, 5, 10, 0, tzinfo=clock.LOCAL_TZ))
    other_theft = cs.case(actor=cs.other, station_code="331003-02", occurred_at=clock.now().isoformat())
    cs.step(other_theft, "file")
    cs.step(other_theft, "solve")
    _at(dt.datetime(2026, 6, 2, 10, 0, tzinfo=clock.LOCAL_TZ))
    thefts = [cs.case(occurred_at=clock.now().isoformat()) for _ in range(2)]
    for case in thefts:
        cs.step(case, "file")
    cs.step(thefts[0], "solve")
    small = [cs.case(small=True, title=f"小案{i}", occurred_at=clock.now().isoformat()) for i in range(2)]
    for case in small:
        cs.step(case, "file")
    for case, hours in zip(small, (3, 27), strict=True):
        _at(dt.datetime(2026, 6, 2, 10, 0, tzinfo=clock.LOCAL_TZ) + dt.timedelta(hours=hours))
        cs.step(case, "solve")
    cold = cs.case(category="homicide", occurred_at=dt.datetime(2006, 7, 1, tzinfo=clock.LOCAL_TZ).isoformat())
    cs.step(cold, "file")
    cs.step(cold, "investigate")
    _at(dt.datetime(2026, 9, 1, 10, 0, tzinfo=clock.LOCAL_TZ))
    fugitive = fugitives.register_fugitive(db, actor=cs.duty, data=FugitiveIn(
        name="陈某", id_number=SUSPECT, case_id=cold.id, wanted_since="2006-07-20"))
    fugitives.end(db, fugitive=fugitive, how="arrest", data=FugitiveEndIn(), actor=cs.duty)
    fraud.report(db, data=FraudReportIn.model_validate(fraud_body(loss="1500000")), actor=cs.duty)
    fraud.report(db, data=FraudReportIn.model_validate(fraud_body(loss="20000", payees=[])), actor=cs.duty)
    seizures.seize(db, case=snatching, actor=cs.duty, data=SeizureIn.model_validate(seizure_body()))
    seizures.seize(db, case=snatching, actor=cs.duty, data=SeizureIn.model_validate(
        seizure_body(description="原料", quantity="40", unit="tonne", value="60000")))
    _at(NOW)


def test_figures_against_hand_counted_rows(db, cs):
    _seed(db, cs)
    f = figures.compute(db, cs.leader, YEAR)
    assert f.calls_by_category == {"criminal": 3, "dispute": 3} and f.dispute_calls == 3
    # 2 fraud cases of 2026 (telecom_fraud) + homicide, robbery, snatching, 3 thefts, the cold homicide.
    assert f.cases_by_category == {"homicide": 2, "robbery": 1, "snatching": 1, "theft": 5, "telecom_fraud": 2}
    assert f.cases_by_station == {"头陀派出所": 10, "江口派出所": 1}
    assert f.cases_by_month[2] == 3 and f.cases_by_month[4] == 1 and f.cases_by_month[5] == 5
    assert f.cases_by_month[8] == 2
    # Current cases filed: homicide, robbery, snatching, 江口 theft, 2 thefts, 2 small = 8; solved 6.
    assert (f.filed, f.solved, f.clearance_rate) == (8, 6, 6 / 8)
    assert (f.small_cases, f.small_same_day) == (2, 1) and f.small_median_hours == pytest.approx(15, abs=0.01)
    assert f.cold_solved == 1
    groups = {a.group: (a.filed, a.solved, a.all_solved) for a in f.all_solved}
    assert groups == {"homicide": (1, 1, True), "two_robberies": (2, 1, False)}
    assert (f.fraud_cases, f.fraud_cases_last_year, f.high_loss) == (2, 1, 1)
    assert f.fraud_loss == Decimal("1520000") and f.fraud_loss_last_year == Decimal("3000")
    assert f.fraud_yoy == 1.0 and f.counter_remittance == 0
    assert (f.fugitives_registered, f.fugitives_caught) == (1, 1)
    assert (f.homicide_fugitives_registered, f.homicide_fugitives_caught) == (1, 1)
    assert f.seized_items == 2 and f.seized_quantities == {"box": 1800, "tonne": 40}
    assert f.seized_value == Decimal("600000")


def test_a_station_sees_only_its_own_figures(db, cs):
    _seed(db, cs)
    other = figures.compute(db, cs.other, YEAR)
    assert other.cases_by_station == {"江口派出所": 1} and other.calls_by_category == {"dispute": 1}
    assert (other.filed, other.solved, other.fraud_cases) == (1, 1, 0)


def test_excel_export_carries_the_figures(db, cs):
    _seed(db, cs)
    book = load_workbook(io.BytesIO(figures.workbook(figures.compute(db, cs.leader, YEAR))))
    rows = {r[0]: r[1] for r in book["指标"].iter_rows(values_only=True)}
    assert rows["立案（现行）"] == 8 and rows["破案（现行）"] == 6 and rows["破案率"] == "75.0%"
    assert rows["小案当日办结"] == 1 and rows["小案办结用时中位数（小时）"] == 15
    assert rows["命案全破"] == "1/1 全破" and rows["两抢全破"] == "1/2" and rows["高损案件"] == 1
    calls = {r[0]: r[1] for r in book["警情"].iter_rows(values_only=True)}
    assert calls["纠纷警情"] == 3


def test_figures_api_and_xlsx(db, cs, clients, client_for):
    db.commit()
    answer = clients.leader.get("/api/v1/cases/figures?year=2026")
    assert answer.status_code == 200 and answer.json()["year"] == 2026
    xlsx = client_for(cs.leader).get("/cases/figures.xlsx?year=2026")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert clients.leader.get("/api/v1/cases/figures?year=1900").status_code == 422


def test_a_fraud_a_hold_stopped_in_full_is_no_fraud_case(db, cs):
    """发案 counts the victims who lost money: a fraud confirmed at a 警银通 hold that kept all of it opens its
    case record (loss 0) and is counted among the holds, not as a fraud case, here or on the dashboard."""
    _at(dt.datetime(2026, 3, 1, 10, 0, tzinfo=clock.LOCAL_TZ))
    fraud.report(db, data=FraudReportIn.model_validate(fraud_body(loss="3000")), actor=cs.duty)
    for alert_id, protected in ((901, Decimal("50000")), (902, Decimal("45000"))):
        fraud.open_from_alert(db, alert_id=alert_id, station_id=cs.duty.unit_id,
                              victim_id_number=make_resident_id("331003", dt.date(1960, 5, 5), alert_id % 100, "F"),
                              victim_name="柜面客户", occurred_at=clock.now(), amount=Decimal("50000"),
                              protected=protected, payee_account=f"62220000000{alert_id}", phone=None, typology=None,
                              note=None, actor=cs.duty)
    _at(NOW)
    f = figures.compute(db, cs.leader, YEAR)
    assert f.fraud_cases == 2 and f.fraud_loss == Decimal("8000")  # the report and the hold that kept 45,000 of 50,000
    counted = figures.records(db, "cases.fraud_cases", None, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    assert len(counted) == 2
