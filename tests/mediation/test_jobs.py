"""The mediation clocks on the platform scanner with real commits: each warning and each breach fires once,
also when the scanner runs twice and after a restart; a breach is escalated to the station once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.mediation import service
from pingan.mediation.models import DisputeEvent
from pingan.mediation.schemas import DisputeIn, SessionIn
from pingan.mediation.vocabulary import Clock
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import DeadlineClock
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from tests.factories import COUNTY_YAML, PASSWORD, count, fired, scan_twice_and_restart
from tests.mediation.factories import dispute_body

H = dt.timedelta(hours=1)


def _seed_unsettled() -> tuple[int, int]:
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        mediator = auth.create_user(db, username="m1", password=PASSWORD, role=Role.MEDIATOR, unit_code="331003-01")
        officer = auth.create_user(db, username="o1", password=PASSWORD, role=Role.COMMUNITY_OFFICER,
                                   unit_code="331003-01-01")
        dispute = service.take_in(db, data=DisputeIn.model_validate(dispute_body()), actor=mediator)
        service.record_session(db, dispute=dispute, data=SessionIn(outcome="unsettled"), actor=mediator)
        return dispute.id, officer.id


@pytest.mark.usefixtures("committed_db")
def test_follow_up_warns_then_breaches_once_each_and_escalates_to_the_station_once():
    dispute_id, officer_id = _seed_unsettled()
    with unit_of_work() as db:
        follow = db.scalar(select(DeadlineClock).where(DeadlineClock.kind == Clock.FOLLOW_UP))
        assert follow.assignee_id == officer_id and follow.due_at - follow.started_at == 12 * H

    clock.shift(10 * H + dt.timedelta(minutes=1))
    scan_twice_and_restart()
    assert fired(Clock.FOLLOW_UP) == ["warning"]
    assert count(Event, Event.topic == "mediation.dispute.escalated") == 0

    clock.shift(2 * H)
    scan_twice_and_restart()
    assert fired(Clock.FOLLOW_UP) == ["warning", "breach"]
    assert count(Event, Event.topic == "mediation.dispute.escalated",
                  Event.payload["kind"].as_string() == Clock.FOLLOW_UP) == 1
    with unit_of_work() as db:
        station = org_service.get_unit(db, "331003-01")
        escalated = db.scalar(select(Event).where(Event.topic == "mediation.dispute.escalated"))
        assert escalated.unit_id == station.id and escalated.link == f"/mediation/disputes/{dispute_id}"
    assert count(DisputeEvent, DisputeEvent.kind == "clock.breach") == 1


@pytest.mark.usefixtures("committed_db")
def test_same_day_and_close_clocks_fire_once_each_across_restarts():
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        mediator = auth.create_user(db, username="m1", password=PASSWORD, role=Role.MEDIATOR, unit_code="331003-01")
        service.take_in(db, data=DisputeIn.model_validate(dispute_body()), actor=mediator)

    clock.shift(dt.timedelta(days=2))
    scan_twice_and_restart()
    assert fired(Clock.SAME_DAY) == ["warning", "breach"]
    assert fired(Clock.CLOSE) == []

    clock.shift(dt.timedelta(days=29))
    scan_twice_and_restart()
    scan_twice_and_restart()
    assert fired(Clock.SAME_DAY) == ["warning", "breach"]
    assert fired(Clock.CLOSE) == ["warning", "breach"]
    assert count(Event, Event.topic == "mediation.dispute.escalated") == 2
