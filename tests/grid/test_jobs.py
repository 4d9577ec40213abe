"""The grid clocks on the platform scanner with real commits: a warning and a breach fire once each, also when
the scanner runs twice and after a restart; a breach sends the chase notice and starts the chase clock, which,
left to run out, escalates to the station once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.db import reset_engine, unit_of_work
from pingan.grid.call import service as calls
from pingan.grid.models import HandedCall, Report, TimelineEvent
from pingan.grid.report import service as reports
from pingan.grid.schemas import CallIn, ReportIn
from pingan.grid.vocabulary import Clock, Topic
from pingan.platform import jobs
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock, DeadlineEscalation
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.places import service as places
from pingan.platform.users.models import Role, User
from tests.factories import COUNTY_YAML, PASSWORD
from tests.grid.factories import ADDRESS_CSV, TOUTUO_GRID, call_body, report_body

H = dt.timedelta(hours=1)


def _seed() -> dict:
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        places.import_csv(db, ADDRESS_CSV)
        worker = auth.create_user(db, username="w1", password=PASSWORD, role=Role.GRID_WORKER, unit_code=TOUTUO_GRID)
        auth.create_user(db, username="o1", password=PASSWORD, role=Role.COMMUNITY_OFFICER, unit_code="331003-01-01")
        duty = auth.create_user(db, username="d1", password=PASSWORD, role=Role.DUTY_OFFICER, unit_code="331003-01")
        report, _ = reports.submit(db, data=ReportIn.model_validate(report_body()), actor=worker)
        call = calls.receive_call(db, actor=duty, **CallIn.model_validate(call_body()).model_dump())
        station = org_service.get_unit(db, "331003-01")
        return {"report": report.id, "call": call.id, "station": station.id}


def _fired(kind: str) -> list[str]:
    with unit_of_work() as db:
        return list(db.scalars(select(DeadlineEscalation.level).join(DeadlineClock)
                               .where(DeadlineClock.kind == kind).order_by(DeadlineEscalation.id)))


def _count(model, *where) -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where))


def _scan_twice_and_restart() -> None:
    jobs.run_once("deadlines.scan")
    jobs.run_once("deadlines.scan")
    reset_engine()  # a new process: nothing but the database remembers what fired
    jobs.run_once("deadlines.scan")


@pytest.mark.usefixtures("committed_db")
def test_every_grid_clock_warns_then_chases_then_escalates_once_each():
    ids = _seed()
    clock.shift(3 * H + dt.timedelta(minutes=1))  # report accept warns at 3 h; call accept has run out (2 h)
    _scan_twice_and_restart()
    assert _fired(Clock.REPORT_ACCEPT) == ["warning"]
    assert _fired(Clock.CALL_ACCEPT) == ["warning", "breach"]
    assert _count(Event, Event.topic == Topic.WORK_CHASED) == 1

    clock.shift(21 * H)  # 24 h: every accept and feedback clock has run out
    _scan_twice_and_restart()
    for kind in (Clock.REPORT_ACCEPT, Clock.REPORT_FEEDBACK, Clock.CALL_ACCEPT, Clock.CALL_FEEDBACK):
        assert _fired(kind) == ["warning", "breach"], kind
    # One chase clock per record, whichever of its clocks ran out first; each chase notice once.
    assert _count(DeadlineClock, DeadlineClock.kind == Clock.CHASE) == 2
    assert _count(Event, Event.topic == Topic.WORK_CHASED) == 4
    assert _count(Event, Event.topic == Topic.WORK_ESCALATED) == 0

    clock.shift(dt.timedelta(days=10))  # past five working days of chasing
    _scan_twice_and_restart()
    assert _fired(Clock.CHASE) == ["breach", "breach"]
    with unit_of_work() as db:
        escalated = list(db.scalars(select(Event).where(Event.topic == Topic.WORK_ESCALATED)))
        assert sorted(e.payload["owner_type"] for e in escalated) == ["grid_call", "grid_report"]
        assert {e.unit_id for e in escalated} == {ids["station"]}
    assert _count(TimelineEvent, TimelineEvent.kind == "clock.escalated") == 2


@pytest.mark.usefixtures("committed_db")
def test_doing_the_late_step_ends_the_chase():
    ids = _seed()
    clock.shift(5 * H)
    jobs.run_once("deadlines.scan")
    with unit_of_work() as db:
        officer = db.scalar(select(User).where(User.username == "o1"))
        report = db.get(Report, ids["report"])
        reports.accept(db, report=report, note="", actor=officer)
    with unit_of_work() as db:
        chase = db.scalar(select(DeadlineClock).where(DeadlineClock.kind == Clock.CHASE,
                                                      DeadlineClock.owner_type == "grid_report"))
        assert chase.status is ClockStatus.MET


@pytest.mark.usefixtures("committed_db")
def test_the_call_back_clock_fires_once_each_level_after_a_closed_call():
    ids = _seed()
    with unit_of_work() as db:
        worker = db.scalar(select(User).where(User.username == "w1"))
        call = db.get(HandedCall, ids["call"])
        calls.accept(db, call=call, note="", actor=worker)
        calls.handle(db, call=call, handling="已处理", actor=worker)
        calls.feedback(db, call=call, text="已反馈", actor=worker)
        calls.close(db, call=call, note="", actor=worker)
    clock.shift(dt.timedelta(days=3))
    _scan_twice_and_restart()
    assert _fired(Clock.CALL_BACK) == ["warning", "breach"]
    with unit_of_work() as db:
        chase = db.scalar(select(DeadlineClock).where(DeadlineClock.kind == Clock.CHASE,
                                                      DeadlineClock.owner_type == "grid_call"))
        assert chase is not None and chase.status is ClockStatus.RUNNING
    assert _count(Event, Event.topic == Topic.WORK_CHASED, Event.payload["kind"].as_string() == Clock.CALL_BACK) == 1
