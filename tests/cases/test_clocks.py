"""The legal clocks on the platform scanner with real commits: the filing decision (3 days, 7 with a clue
check, 30 for a complex case), the public-order limit (30 + 30 with approval), the small case's same day, the
24-hour custody hand-over, a loan due back, the 48-hour stop-payment: each warning and each breach fires
once, also when the scanner runs twice and after a restart; a breach is escalated to the station once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.cases import clocks
from pingan.cases.case import service as cases
from pingan.cases.fraud import service as fraud
from pingan.cases.models import Case, CaseEvent, FilingTrack, FraudPayee, PayeeStatus, SeizedItem
from pingan.cases.schemas import CaseIn, CustodyIn, FraudReportIn, SeizureIn, StepIn
from pingan.cases.seizure import service as seizures
from pingan.cases.vocabulary import Clock, Topic
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import DeadlineClock
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from tests.cases.factories import case_body, fraud_body, movement, seizure_body
from tests.factories import COUNTY_YAML, PASSWORD, count, fired, scan_twice_and_restart

H, D = dt.timedelta(hours=1), dt.timedelta(days=1)
# A Tuesday: three days later is a Friday, a working day.
TUESDAY = dt.datetime(2026, 12, 1, 10, 0, tzinfo=clock.LOCAL_TZ)


def _seed(**case) -> int:
    clock.shift(TUESDAY - clock.now())
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        duty = auth.create_user(db, username="d1", password=PASSWORD, role=Role.DUTY_OFFICER, unit_code="331003-01")
        auth.create_user(db, username="o1", password=PASSWORD, role=Role.COMMUNITY_OFFICER, unit_code="331003-01-01")
        return cases.register(db, data=CaseIn.model_validate(case_body(**case)), actor=duty).id


def _escalations(kind: str) -> int:
    return count(Event, Event.topic == Topic.CASE_ESCALATED, Event.payload["kind"].as_string() == kind)


def _act(fn) -> None:
    with unit_of_work() as db:
        fn(db, auth.get_user(db, "d1"))


def test_legal_days_end_at_midnight_and_move_past_holidays():
    before_national_day = dt.datetime(2025, 9, 29, 10, 0, tzinfo=clock.LOCAL_TZ)
    assert clock.local(clocks.legal_due(before_national_day, 3)).date() == dt.date(2025, 10, 9)
    assert clock.local(clocks.legal_due(TUESDAY, 3)) == dt.datetime(2026, 12, 4, 23, 59, 59, 999999,
                                                                   tzinfo=clock.LOCAL_TZ)
    assert clock.local(clocks.legal_due(TUESDAY, 4)).date() == dt.date(2026, 12, 7)  # Saturday → Monday


@pytest.mark.usefixtures("committed_db")
def test_filing_clock_warns_then_breaches_once_each_and_escalates_once():
    case_id = _seed()
    clock.shift(3 * D + 2 * H)  # Friday noon: within the last day
    scan_twice_and_restart()
    assert fired(Clock.FILING) == ["warning"]
    clock.shift(D)
    scan_twice_and_restart()
    scan_twice_and_restart()
    assert fired(Clock.FILING) == ["warning", "breach"]
    assert _escalations(Clock.FILING) == 1
    with unit_of_work() as db:
        event = db.scalar(select(Event).where(Event.topic == Topic.CASE_ESCALATED))
        assert event.unit_id == org_service.get_unit(db, "331003-01").id and event.link == f"/cases/{case_id}"
    assert count(CaseEvent, CaseEvent.kind == "clock.breach") == 1


@pytest.mark.usefixtures("committed_db")
def test_a_clue_check_and_a_complex_case_get_their_longer_limit_and_fire_once_more():
    case_id = _seed()

    def clue_check(db, duty):
        cases.retrack(db, case=db.get(Case, case_id), track=FilingTrack.CLUE_CHECK, data=StepIn(), actor=duty)

    _act(clue_check)
    clock.shift(4 * D)  # past the 3 days: the 3-day clock was ended, the 7-day one has time
    scan_twice_and_restart()
    assert fired(Clock.FILING) == []
    with unit_of_work() as db:
        running = db.scalar(select(DeadlineClock).where(DeadlineClock.kind == Clock.FILING,
                                                        DeadlineClock.status == "running"))
        assert clock.local(running.due_at).date() == dt.date(2026, 12, 8)

    def complex_without_approval(db, duty):
        with pytest.raises(Exception) as refused:
            cases.retrack(db, case=db.get(Case, case_id), track=FilingTrack.COMPLEX, data=StepIn(), actor=duty)
        assert refused.value.status_code == 422

    def complex_case(db, duty):
        cases.retrack(db, case=db.get(Case, case_id), track=FilingTrack.COMPLEX, data=StepIn(approver="分局长"),
                      actor=duty)

    _act(complex_without_approval)
    _act(complex_case)
    clock.shift(27 * D)
    scan_twice_and_restart()
    assert fired(Clock.FILING) == ["warning", "breach"]
    assert _escalations(Clock.FILING) == 1


@pytest.mark.usefixtures("committed_db")
def test_public_order_case_30_days_extended_once_by_30():
    case_id = _seed(kind="administrative", category="public_order")

    def file_and_extend(db, duty):
        case = db.get(Case, case_id)
        cases.step(db, case=case, name="file", data=StepIn(), actor=duty)
        cases.extend(db, case=case, data=StepIn(approver="分局法制大队"), actor=duty)
        with pytest.raises(Exception) as again:
            cases.extend(db, case=case, data=StepIn(approver="分局法制大队"), actor=duty)
        assert again.value.status_code == 409

    _act(file_and_extend)
    clock.shift(31 * D)
    scan_twice_and_restart()
    assert fired(Clock.PUBLIC_ORDER) == []
    clock.shift(32 * D)  # 60 days end on Saturday 30 January 2027: the limit moves to Monday 1 February
    scan_twice_and_restart()
    assert fired(Clock.PUBLIC_ORDER) == ["warning", "breach"]
    assert _escalations(Clock.PUBLIC_ORDER) == 1


@pytest.mark.usefixtures("committed_db")
def test_small_case_same_day_clock_goes_to_the_community_officer():
    _seed(small=True, assignee_username="o1")
    with unit_of_work() as db:
        same_day = db.scalar(select(DeadlineClock).where(DeadlineClock.kind == Clock.SMALL_CASE))
        assert same_day.assignee_id == auth.get_user(db, "o1").id
        assert clock.local(same_day.due_at).date() == dt.date(2026, 12, 1)
    clock.shift(D)
    scan_twice_and_restart()
    assert fired(Clock.SMALL_CASE) == ["warning", "breach"]


@pytest.mark.usefixtures("committed_db")
def test_custody_hand_over_and_loan_clocks_fire_once():
    case_id = _seed()
    ids = {}

    def seize(db, duty):
        ids["item"] = seizures.seize(db, case=db.get(Case, case_id), data=SeizureIn.model_validate(seizure_body()),
                                     actor=duty).id

    _act(seize)
    clock.shift(21 * H)
    scan_twice_and_restart()
    assert fired(Clock.CUSTODY) == ["warning"]
    clock.shift(4 * H)
    scan_twice_and_restart()
    assert fired(Clock.CUSTODY) == ["warning", "breach"]

    def hand_over_and_lend(db, duty):
        item = db.get(SeizedItem, ids["item"])
        seizures.move(db, item=item, actor=duty, data=CustodyIn.model_validate(
            movement("handed_over", "李警官", "保管员陈")))
        due = (clock.now() + 2 * H).isoformat()
        seizures.move(db, item=item, actor=duty, data=CustodyIn.model_validate(movement(
            "lent", "保管员陈", "王警官", reason="送检", approver="副所长", due_back_at=due)))

    _act(hand_over_and_lend)
    clock.shift(3 * H)
    scan_twice_and_restart()
    assert fired(Clock.LOAN) == ["breach"]
    assert _escalations(Clock.LOAN) == 1
    assert _escalations(Clock.CUSTODY) == 1


@pytest.mark.usefixtures("committed_db")
def test_stop_payment_48_hours_lapses_once_renewed_once():
    _seed()
    ids = {}

    def report(db, duty):
        found = fraud.report(db, data=FraudReportIn.model_validate(fraud_body()), actor=duty)
        ids["payee"] = found.payees[0].id

    _act(report)
    clock.shift(43 * H)
    scan_twice_and_restart()
    assert fired(Clock.STOP_PAYMENT) == ["warning"]
    clock.shift(6 * H)
    scan_twice_and_restart()
    assert fired(Clock.STOP_PAYMENT) == ["warning", "breach"]
    with unit_of_work() as db:
        assert db.get(FraudPayee, ids["payee"]).status is PayeeStatus.LAPSED

    def renew(db, duty):
        payee = db.get(FraudPayee, ids["payee"])
        fraud.renew_stop(db, payee=payee, actor=duty)
        with pytest.raises(Exception) as third:
            fraud.renew_stop(db, payee=payee, actor=duty)
        assert third.value.status_code == 409

    _act(renew)
    clock.shift(49 * H)
    scan_twice_and_restart()
    assert fired(Clock.STOP_PAYMENT) == ["warning", "breach", "warning", "breach"]
    assert _escalations(Clock.STOP_PAYMENT) == 2
