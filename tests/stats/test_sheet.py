"""The sheet's arithmetic: weeks from Monday, 28 days, year to date; last year on dates (29 February) and on the
Chinese calendar (Spring Festival week against Spring Festival week); the Poisson z and its marks; a change
from zero is no percentage; a bad-direction increase is flagged; fraud counted by hand through the sheet."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from pingan.cases.calls import service as calls
from pingan.cases.case import service as cases
from pingan.cases.fraud import service as fraud
from pingan.cases.fugitive import service as fugitives
from pingan.cases.schemas import CallIn, CaseIn, FraudReportIn, FugitiveEndIn, FugitiveIn
from pingan.core import clock
from pingan.core.errors import ValidationFailed
from pingan.core.identity import make_resident_id
from pingan.platform import jobs
from pingan.platform.users.models import Role
from pingan.stats import service
from pingan.stats.catalogue import BY_CODE
from pingan.stats.exports import show
from pingan.stats.periods import Align, Period, Window, last_year, window
from pingan.stats.service import Row, Value


def test_periods():
    on = dt.date(2026, 12, 3)  # a Thursday
    assert window(Period.WTD, on) == Window(dt.date(2026, 11, 30), on)
    assert window(Period.D28, on).days == 28
    assert window(Period.YTD, on) == Window(dt.date(2026, 1, 1), on)
    assert last_year(Period.YTD, window(Period.YTD, on)) == Window(dt.date(2025, 1, 1), dt.date(2025, 12, 3))
    leap = window(Period.WTD, dt.date(2028, 2, 29))
    assert last_year(Period.WTD, leap).end == dt.date(2027, 2, 28)


def test_spring_festival_week_meets_spring_festival_week():
    festival_week = window(Period.WTD, dt.date(2026, 2, 22))  # 16–22 Feb 2026, 初一 on the 17th
    before = last_year(Period.WTD, festival_week, Align.LUNAR)
    assert before == Window(dt.date(2025, 1, 28), dt.date(2025, 2, 3))  # 初一 2025 on 29 January
    assert dt.date(2025, 1, 29) in (before.start + dt.timedelta(days=i) for i in range(7))
    on_dates = last_year(Period.WTD, festival_week, Align.DATES)
    assert on_dates == Window(dt.date(2025, 2, 16), dt.date(2025, 2, 22))
    with pytest.raises(ValidationFailed):
        last_year(Period.WTD, window(Period.WTD, dt.date(2040, 3, 1)), Align.LUNAR)


def _row(code, this, last):
    return Row(BY_CODE[code], Value(this, this), Value(last, last))


def test_z_marks_change_and_direction():
    assert service.z_score(100, 64) == pytest.approx(4.0)
    assert _row("cases.fraud_cases", 100, 64).mark == "strong"
    assert _row("cases.fraud_cases", 9, 4).z == pytest.approx(2.0) and _row("cases.fraud_cases", 9, 4).mark == "marked"
    assert _row("cases.fraud_cases", 5, 4).mark is None
    rising = _row("cases.fraud_cases", 3, 0)
    assert rising.change is None and rising.change_text == "新增3" and rising.worse
    assert _row("cases.fraud_cases", 0, 0).change_text == "持平"
    assert _row("cases.fraud_cases", 48, 62).change_text == "-22.6%" and not _row("cases.fraud_cases", 48, 62).worse
    assert _row("antifraud.dissuasions", 3, 5).worse  # fewer dissuasions is the bad way
    assert _row("grid.collection", 10, 4).z is not None
    assert _row("antifraud.money_protected", 10.0, 4.0).z is None  # an amount is no Poisson count


def test_fraud_counted_by_hand_through_the_sheet(db, county, make_user):
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    other = make_user(Role.DUTY_OFFICER, unit="331003-02")
    leader = make_user(Role.LEADER)

    def report(when, loss, station, actor, n):
        clock.shift(when - clock.now())
        body = {"victim": {"name": "王阿婆", "id_number": make_resident_id("331003", dt.date(1950, 2, 3), n, "F"),
                           "phone": "13905762222"}, "loss": loss,
                "occurred_at": (clock.now() - dt.timedelta(hours=3)).isoformat(), "station_code": station,
                "contact_method": "phone", "typology": "impersonating_authorities",
                "payees": [{"account_no": f"623000000007{n:04d}", "bank_code": "HYRCB", "name": "李某"}],
                "phones": ["17000000001"]}
        fraud.report(db, data=FraudReportIn.model_validate(body), actor=actor)

    report(dt.datetime(2025, 3, 1, 10, tzinfo=clock.LOCAL_TZ), "5000.00", "331003-01", duty, 1)
    report(dt.datetime(2025, 4, 1, 10, tzinfo=clock.LOCAL_TZ), "7000.00", "331003-01", duty, 2)
    report(dt.datetime(2026, 3, 1, 10, tzinfo=clock.LOCAL_TZ), "1200000.00", "331003-01", duty, 3)
    report(dt.datetime(2026, 5, 1, 10, tzinfo=clock.LOCAL_TZ), "300.00", "331003-02", other, 4)
    clock.shift(dt.datetime(2026, 6, 1, 10, tzinfo=clock.LOCAL_TZ) - clock.now())
    service.rebuild(db, dt.date(2025, 1, 1), dt.date(2026, 6, 1))
    rows = {r.measure.code: r for r in service.sheet(db, leader, period=Period.YTD).rows}
    assert (rows["cases.fraud_cases"].this.value, rows["cases.fraud_cases"].last.value) == (2, 2)
    assert rows["cases.fraud_loss"].this.value == pytest.approx(float(Decimal("1200300.00")))
    assert rows["cases.high_loss"].this.value == 1
    months = service.months(db, leader, "cases.fraud_cases", 2026)
    assert months["this"][2] == months["this"][4] == 1 and months["last"][2:4] == [1, 1] and sum(months["this"]) == 2
    mine = {r.measure.code: r for r in service.sheet(db, other, period=Period.YTD).rows}
    assert (mine["cases.fraud_cases"].this.value, mine["cases.fraud_cases"].last.value) == (1, 0)
    drill = service.drill(db, other, code="cases.fraud_cases", period=Period.YTD)
    assert len(drill.lists[0][1]) == 1
    with pytest.raises(Exception) as refused:
        service.sheet(db, other, period=Period.YTD, station_code="331003-01")
    assert getattr(refused.value, "status_code", None) == 404


def test_the_recount_job_keeps_recent_days_and_leaves_older_ones(db, county, make_user):
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    leader = make_user(Role.LEADER)
    assert "stats.recount" in jobs.all_jobs()
    clock.shift(dt.datetime(2026, 11, 25, 12, tzinfo=clock.LOCAL_TZ) - clock.now())
    for i, days_ago in enumerate((1, 2, 200)):
        calls.record(db, data=CallIn.model_validate({
            "call_no": f"J-{i}", "received_at": (clock.now() - dt.timedelta(days=days_ago)).isoformat(),
            "category": "dispute", "summary": "纠纷", "station_code": "331003-01"}), actor=duty)
    jobs.all_jobs()["stats.recount"].fn(db, clock.now())
    jobs.all_jobs()["stats.recount"].fn(db, clock.now())  # twice: nothing doubles
    rows = {r.measure.code: r for r in service.sheet(db, leader, period=Period.YTD).rows}
    assert rows["cases.dispute_calls"].this.value == 2  # the call 200 days back waits for a rebuild
    service.rebuild(db, dt.date(2026, 1, 1))
    rows = {r.measure.code: r for r in service.sheet(db, leader, period=Period.YTD).rows}
    assert rows["cases.dispute_calls"].this.value == 3


def test_homicide_fugitives_caught_of_those_at_large_at_the_start_and_those_registered(db, county, make_user):
    """Caught in the period ÷ (at large at its start + registered in it): fugitives registered last year and
    caught this year make this year's 100%; one caught before the period began is in neither count."""
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    leader = make_user(Role.LEADER)

    def local(*args):
        return dt.datetime(*args, 10, tzinfo=clock.LOCAL_TZ)

    def homicide_fugitive(registered, n):
        with clock.at(registered):
            case = cases.register(db, actor=duty, data=CaseIn(
                kind="criminal", category="homicide", title=f"命案{n}", station_code="331003-01", summary="命案",
                occurred_at=registered - dt.timedelta(days=1)))
            return fugitives.register_fugitive(db, actor=duty, data=FugitiveIn(
                name=f"逃犯{n}", id_number=make_resident_id("331003", dt.date(1980, 1, 1), n, "M"), case_id=case.id,
                wanted_since=registered.date(), danger="high", last_known_places=["外省"]))

    def caught(fugitive, when):
        with clock.at(when):
            fugitives.end(db, fugitive=fugitive, how="arrest", actor=duty, data=FugitiveEndIn(place="外省"))

    old = homicide_fugitive(local(2024, 3, 1), 1)
    caught(old, local(2024, 9, 1))  # caught before last year began: counted in neither year
    brothers = [homicide_fugitive(local(2025, 3, 1), n) for n in (2, 3)]
    for fugitive in brothers:
        caught(fugitive, local(2026, 4, 10))
    clock.shift(local(2026, 6, 1) - clock.now())
    service.rebuild(db, dt.date(2024, 1, 1), dt.date(2026, 6, 1))
    row = {r.measure.code: r for r in service.sheet(db, leader, period=Period.YTD).rows}["cases.homicide_fugitives"]
    assert (row.this.numerator, row.this.denominator, row.this.value) == (2, 2, 1.0)
    assert (row.last.numerator, row.last.denominator, row.last.value) == (0, 2, 0.0)  # registered in 2025, at large
    drill = service.drill(db, leader, code="cases.homicide_fugitives", period=Period.YTD)
    assert [len(links) for _, links in drill.lists] == [2, 2]
    last = service.drill(db, leader, code="cases.homicide_fugitives", period=Period.YTD, last=True)
    assert [len(links) for _, links in last.lists] == [0, 2]
    months = service.months(db, leader, "cases.homicide_fugitives", 2026)
    assert months["this"][3] == 1.0 and months["this"][0] == 0.0 and months["this"][6] is None  # July: none left
    county = service.map_values(db, leader, "cases.homicide_fugitives", Period.YTD)
    assert {v["code"]: v["value"] for v in county["values"]}["331003-01"] == 1.0


def test_a_community_officer_reads_station_level_measures_at_their_station(db, county, make_user, api_client,
                                                                           client_for):
    """Calls and cases carry only a station: a community officer sees their station's figure, labelled as the
    station's (never a 0 of their own), with no records to open; a measure kept per community stays theirs."""
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    duty_elsewhere = make_user(Role.DUTY_OFFICER, unit="331003-02")
    officer = make_user(Role.COMMUNITY_OFFICER, unit="331003-01-01")
    clock.shift(dt.datetime(2026, 6, 1, 10, tzinfo=clock.LOCAL_TZ) - clock.now())
    for i, (days_ago, station, actor) in enumerate(((3, "331003-01", duty), (4, "331003-01", duty),
                                                    (5, "331003-02", duty_elsewhere))):
        calls.record(db, data=CallIn.model_validate({
            "call_no": f"S-{i}", "received_at": (clock.now() - dt.timedelta(days=days_ago)).isoformat(),
            "category": "dispute", "summary": "纠纷", "station_code": station}), actor=actor)
    service.rebuild(db, dt.date(2026, 1, 1), dt.date(2026, 6, 1))
    rows = {r.measure.code: r for r in service.sheet(db, officer, period=Period.YTD).rows}
    calls_row = rows["cases.dispute_calls"]
    assert calls_row.this.value == 2 and calls_row.station_level.code == "331003-01"  # their station's, not 0
    assert rows["mediation.disputes"].station_level is None  # counted per community: their own
    assert rows["grid.collection"].station_level is None
    with pytest.raises(Exception) as refused:
        service.drill(db, officer, code="cases.dispute_calls", period=Period.YTD)
    assert getattr(refused.value, "code", None) == "stats.station_level"
    assert service.months(db, officer, "cases.dispute_calls", 2026)["station_level"] == "331003-01"
    assert sum(service.months(db, officer, "cases.dispute_calls", 2026)["this"]) == 2
    area = service.map_values(db, officer, "cases.dispute_calls", Period.YTD)
    assert [(v["code"], v["value"]) for v in area["values"]] == [("331003-01", 2.0)]
    # The station's own reader sees the same figure as their own (no label), and may open its records.
    mine = {r.measure.code: r for r in service.sheet(db, duty, period=Period.YTD).rows}["cases.dispute_calls"]
    assert mine.this.value == 2 and mine.station_level is None
    client = api_client(officer)
    sheet = client.get("/api/v1/stats/sheet?period=ytd").json()
    assert {m["code"]: m["station_level"] for m in sheet["measures"]}["cases.dispute_calls"] == "331003-01"
    answer = client.get("/api/v1/stats/records?measure=cases.dispute_calls")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "stats.station_level"
    page = client_for(officer).get("/stats")
    assert page.status_code == 200
    row = re.search(r'<tr data-measure="cases.dispute_calls".*?</tr>', page.text, re.S).group(0)
    assert "口径" in row and "/stats/records" not in row  # labelled, and no link to records it may not open


def test_a_mean_changes_in_its_unit_with_the_precision_it_needs():
    faster = Row(BY_CODE["antifraud.response_time"], Value(0.9488, 589, 621), Value(0.9727, 500, 514))
    assert faster.change_text == "-0.02分钟" and not faster.worse  # not "-0.0"
    slower = Row(BY_CODE["antifraud.response_time"], Value(12.5, 125, 10), Value(10.0, 100, 10))
    assert slower.change_text == "+2.5分钟" and slower.worse
    assert show(BY_CODE["antifraud.response_time"], 0.9488) == "0.95"
