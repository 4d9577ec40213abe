"""The landlord's report clock on the platform scanner with real commits: a report not made in time is
reminded, marked late, goes to the grid worker's to-do, then the community officer's, then to the station;
each step once, also when the scanner runs twice and after a restart; the late report stays counted late."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.db import reset_engine, unit_of_work
from pingan.platform import jobs
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock, DeadlineEscalation
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.places import service as places
from pingan.platform.users.models import Role, User
from pingan.rental import repository as repo
from pingan.rental import risk, service
from pingan.rental.models import CheckItem, Property, RiskColour, Tenancy
from pingan.rental.schemas import DeclarationIn, InspectionIn, PropertyIn
from pingan.rental.vocabulary import Clock
from tests.factories import COUNTY_YAML, PASSWORD
from tests.rental.factories import ADDRESSES_CSV, TENANT_ID, property_body

DAY = dt.timedelta(days=1)


def _seed() -> dict[str, int]:
    """A tenant's declaration of a move-in on the Friday a week and a half ago: the report is overdue."""
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        places.import_csv(db, ADDRESSES_CSV)
        users = {
            "grid": auth.create_user(db, username="g1", password=PASSWORD, role=Role.GRID_WORKER,
                                     unit_code="331003-01-01-01"),
            "officer": auth.create_user(db, username="o1", password=PASSWORD, role=Role.COMMUNITY_OFFICER,
                                        unit_code="331003-01-01"),
            "landlord": auth.create_user(db, username="landlord1", password=PASSWORD, role=Role.LANDLORD),
        }
        prop = service.register_property(db, data=PropertyIn.model_validate(property_body()), actor=users["grid"])
        moved_in = clock.today_local() - dt.timedelta(days=11)
        tenancy = service.declare_public(db, unit=prop.units[0], data=DeclarationIn.model_validate(
            {"name": "王租客", "id_number": TENANT_ID, "phone": "13905762001", "moved_in_on": moved_in.isoformat()}))
        return {"tenancy": tenancy.id, **{k: u.id for k, u in users.items()}}


def _fired(kind: str) -> list[str]:
    with unit_of_work() as db:
        return list(db.scalars(select(DeadlineEscalation.level).join(DeadlineClock)
                               .where(DeadlineClock.kind == kind).order_by(DeadlineEscalation.id)))


def _clock(kind: str) -> DeadlineClock | None:
    with unit_of_work() as db:
        return db.scalar(select(DeadlineClock).where(DeadlineClock.kind == kind))


def _scan_twice_and_restart() -> None:
    jobs.run_once("deadlines.scan")
    jobs.run_once("deadlines.scan")
    reset_engine()  # a new process: nothing but the database remembers what fired
    jobs.run_once("deadlines.scan")


@pytest.mark.usefixtures("committed_db")
def test_an_overdue_report_goes_to_the_grid_worker_then_the_officer_then_the_station_once_each():
    ids = _seed()
    _scan_twice_and_restart()
    assert _fired(Clock.REPORT) == ["warning", "breach"]
    chase = _clock(Clock.CHASE)
    assert chase.assignee_id == ids["grid"] and chase.status is ClockStatus.RUNNING
    assert _clock(Clock.AUDIT) is None
    with unit_of_work() as db:
        assert db.get(Tenancy, ids["tenancy"]).move_in_on_time is False

    clock.shift(4 * DAY)
    _scan_twice_and_restart()
    assert _fired(Clock.CHASE) == ["breach"]
    assert _clock(Clock.AUDIT).assignee_id == ids["officer"]

    clock.shift(4 * DAY)
    _scan_twice_and_restart()
    _scan_twice_and_restart()
    assert _fired(Clock.REPORT) == ["warning", "breach"]
    assert _fired(Clock.AUDIT) == ["breach"]
    with unit_of_work() as db:
        escalated = list(db.scalars(select(Event).where(Event.topic == "rental.report.escalated")))
        station = org_service.get_unit(db, "331003-01")
        assert [(e.unit_id, e.payload["phase"]) for e in escalated] == [(station.id, "in")]
        # The landlord was reminded and told of the breach, on their own to-do.
        told = db.scalar(select(func.count()).select_from(Event).where(Event.user_id == ids["landlord"]))
        assert told == 2

    with unit_of_work() as db:
        tenancy = db.get(Tenancy, ids["tenancy"])
        landlord = auth.get_user(db, "landlord1")
        service.confirm(db, tenancy=tenancy, actor=landlord)
        assert tenancy.move_in_on_time is False
    assert _clock(Clock.REPORT).status is ClockStatus.MET


@pytest.mark.usefixtures("committed_db")
def test_a_hazard_not_rectified_by_its_deadline_warns_and_breaches_once_and_the_colour_turns_red():
    ids = _seed()
    with unit_of_work() as db:
        grid = db.get(User, ids["grid"])
        prop = db.scalar(select(Property))
        results = {**{i.value: True for i in CheckItem}, "gas": False}
        service.inspect(db, prop=prop, data=InspectionIn.model_validate({"results": results}), actor=grid)
    clock.shift(8 * DAY)
    _scan_twice_and_restart()
    _scan_twice_and_restart()
    assert _fired(Clock.RECTIFY) == ["warning", "breach"]
    assert _clock(Clock.RECTIFY).assignee_id == ids["landlord"]
    with unit_of_work() as db:
        prop = db.scalar(select(Property))
        assert risk.colour(prop, repo.open_hazards(db, prop.id), clock.today_local()) is RiskColour.RED
