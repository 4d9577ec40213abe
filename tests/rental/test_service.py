"""Rental steps as a user notices them: declarations by each side and the landlord's report on time or late,
the landlord's dispute and the door check, move-out dates, inspections with their hazards, overcrowding and
colour, residence-permit eligibility, scoping, and the silent watch-list hit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from pingan.platform.deadlines.models import ClockStatus
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service
from pingan.platform.people import service as people
from pingan.platform.users.models import Role
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind, WatchHit
from pingan.rental import clocks, risk, service
from pingan.rental import repository as repo
from pingan.rental.models import RiskColour, TenancyStatus
from pingan.rental.schemas import DeclarationIn, EndIn, InspectionIn, parse
from pingan.rental.vocabulary import Clock
from tests.rental.factories import ALL_PASS, BAD_ID, TENANT2_ID, TENANT_ID, WANTED_ID

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _tuesday():
    clock.shift(dt.datetime(2026, 12, 1, 10, 0, tzinfo=clock.LOCAL_TZ) - clock.now())


def _report(db, tenancy, phase="in"):
    return next(c for p, c in clocks.for_tenancy(db, tenancy) if p == phase and c.kind == Clock.REPORT)


def test_the_landlord_declaring_within_three_working_days_is_their_report_on_time(db, rent):
    t = rent.declare(rent.prop, rent.landlord, moved_in_on=dt.date(2026, 11, 27))
    assert t.declared_by.value == "landlord" and t.status is TenancyStatus.DECLARED
    assert t.move_in_reported_at is not None and t.move_in_on_time is True
    assert clocks.running_for(db, t) == []


def test_the_landlord_declaring_a_week_late_is_counted_late(db, rent):
    t = rent.declare(rent.prop, rent.landlord, moved_in_on=dt.date(2026, 11, 20))
    assert t.move_in_on_time is False


def test_a_tenants_own_declaration_starts_the_landlords_clock_and_their_confirmation_meets_it(db, rent):
    unit = rent.prop.units[0]
    t = service.declare_public(db, unit=unit, data=parse(DeclarationIn, {
        "name": "王租客", "id_number": TENANT_ID, "phone": "13905762001", "moved_in_on": "2026-12-01"}))
    deadline = _report(db, t)
    assert deadline.status is ClockStatus.RUNNING and deadline.assignee_id == rent.landlord.id
    assert deadline.due_at == dt.datetime(2026, 12, 4, 17, 30, tzinfo=clock.LOCAL_TZ)
    service.confirm(db, tenancy=t, actor=rent.landlord)
    assert _report(db, t).status is ClockStatus.MET and t.move_in_on_time is True
    with pytest.raises(Conflict):
        service.confirm(db, tenancy=t, actor=rent.landlord)
    service.verify(db, tenancy=t, actor=rent.grid)
    assert t.status is TenancyStatus.ACTIVE and t.registered_on == TODAY
    assert service.permit_eligible_on(t.registered_on) == dt.date(2027, 6, 1)


def test_verifying_before_the_landlord_reports_waits_for_them(db, rent):
    t = rent.declare(rent.prop, rent.grid, moved_in_on=TODAY)
    service.verify(db, tenancy=t, actor=rent.grid)
    assert t.status is TenancyStatus.VERIFIED
    service.confirm(db, tenancy=t, actor=rent.landlord)
    assert t.status is TenancyStatus.ACTIVE


def test_a_disputed_declaration_is_decided_at_the_door(db, rent):
    t = rent.declare(rent.prop, rent.grid, moved_in_on=TODAY)
    service.dispute(db, tenancy=t, reason="此人未在本房间居住", actor=rent.landlord)
    assert t.status is TenancyStatus.DISPUTED and _report(db, t).status is ClockStatus.CANCELLED
    service.reject(db, tenancy=t, actor=rent.grid, note="上门未见此人")
    assert t.status is TenancyStatus.REJECTED


def test_a_step_out_of_order_changes_nothing(db, rent):
    t = rent.declare(rent.prop, rent.landlord, moved_in_on=TODAY)
    with pytest.raises(InvalidTransition):
        service.deregister(db, tenancy=t, actor=rent.grid)
    assert t.status is TenancyStatus.DECLARED and t.deregistered_at is None


def test_move_out_before_move_in_is_refused_on_the_field(db, rent):
    t = rent.declare(rent.prop, rent.landlord, moved_in_on=dt.date(2026, 11, 30))
    service.verify(db, tenancy=t, actor=rent.grid)
    with pytest.raises(ValidationFailed) as refused:
        service.end(db, tenancy=t, data=EndIn(moved_out_on=dt.date(2026, 11, 29)), actor=rent.landlord)
    assert refused.value.details[0].field == "moved_out_on"
    assert t.status is TenancyStatus.ACTIVE


def test_an_officer_ending_a_tenancy_starts_the_landlords_move_out_clock(db, rent):
    t = rent.declare(rent.prop, rent.landlord, moved_in_on=dt.date(2026, 11, 2))
    service.verify(db, tenancy=t, actor=rent.grid)
    service.end(db, tenancy=t, data=EndIn(moved_out_on=TODAY), actor=rent.grid)
    assert t.status is TenancyStatus.ENDED and _report(db, t, "out").status is ClockStatus.RUNNING
    service.confirm(db, tenancy=t, actor=rent.landlord)
    assert t.move_out_on_time is True and _report(db, t, "out").status is ClockStatus.MET
    service.deregister(db, tenancy=t, actor=rent.grid)
    assert t.status is TenancyStatus.DEREGISTERED


def test_a_bad_id_number_is_refused_and_nothing_is_stored(db, rent):
    with pytest.raises(ValidationFailed):
        rent.declare(rent.prop, rent.landlord, id_number=BAD_ID, moved_in_on=TODAY)


def test_the_same_tenant_twice_in_a_unit_is_a_conflict(db, rent):
    rent.declare(rent.prop, rent.landlord, moved_in_on=TODAY)
    with pytest.raises(Conflict):
        rent.declare(rent.prop, rent.landlord, moved_in_on=TODAY)


def test_overcrowding_by_beds_and_by_area_turns_the_property_yellow(db, rent):
    service.inspect(db, prop=rent.prop, data=InspectionIn(results=ALL_PASS), actor=rent.grid)
    assert risk.colour(rent.prop, [], TODAY) is RiskColour.GREEN
    unit = rent.prop.units[0]  # 2 beds, 12 m²
    for number in (TENANT_ID, TENANT2_ID):
        rent.declare(rent.prop, rent.landlord, id_number=number, moved_in_on=TODAY)
    assert risk.overcrowded(unit) == []
    rent.declare(rent.prop, rent.landlord, id_number=WANTED_ID, moved_in_on=TODAY)
    assert risk.overcrowded(unit) == ["beds", "area"]
    assert risk.colour(rent.prop, [], TODAY) is RiskColour.YELLOW


def test_an_inspection_hazard_gets_a_deadline_and_the_reinspection_rectifies_it(db, rent):
    failed = {**ALL_PASS, "ebike_charging": False}
    first = service.inspect(db, prop=rent.prop, data=InspectionIn(results=failed), actor=rent.grid)
    hazards = repo.open_hazards(db, rent.prop.id)
    assert [h.item.value for h in hazards] == ["ebike_charging"] and hazards[0].due_on == TODAY + dt.timedelta(days=7)
    assert risk.colour(rent.prop, hazards, TODAY) is RiskColour.YELLOW
    assert risk.colour(rent.prop, hazards, TODAY + dt.timedelta(days=8)) is RiskColour.RED
    assert risk.inspection_status(rent.prop, hazards).startswith("存在隐患")
    again = service.inspect(db, prop=rent.prop, data=InspectionIn(results=failed), actor=rent.grid)
    assert again.hazards == [] and len(repo.open_hazards(db, rent.prop.id)) == 1
    service.inspect(db, prop=rent.prop, data=InspectionIn(results=ALL_PASS), actor=rent.grid)
    assert repo.open_hazards(db, rent.prop.id) == [] and first.hazards[0].rectified_at is not None


def test_a_landlord_sees_only_their_own_properties_and_a_grid_worker_only_their_grid(db, rent):
    assert [p.id for p in repo.properties(db, rent.landlord)] == [rent.prop.id]
    with pytest.raises(NotFound):
        repo.get_property(db, rent.other_landlord, rent.prop.id)
    with pytest.raises(NotFound):
        repo.get_property(db, rent.other_grid, rent.prop.id)
    assert {p.id for p in repo.properties(db, rent.officer)} == {rent.prop.id, rent.other_prop.id}
    assert repo.properties(db, rent.other_grid) == []


def _wanted_list(db):
    station = org_service.get_unit(db, "331003-01")
    listed = watch.ensure_list(db, code="test.wanted", name="在逃人员", kind=ListKind.WATCH, owner_unit=station,
                               owner_role=Role.DUTY_OFFICER)
    watch.add_entry(db, watch_list=listed, id_number=WANTED_ID, actor=None, note="网上逃犯")


def test_a_wanted_tenant_is_a_silent_hit_for_the_station_and_nothing_differs_for_the_landlord(db, rent):
    _wanted_list(db)
    plain = rent.declare(rent.prop, rent.landlord, id_number=TENANT_ID, moved_in_on=TODAY)
    wanted = rent.declare(rent.prop, rent.landlord, id_number=WANTED_ID, moved_in_on=TODAY)
    hits = list(db.scalars(select(WatchHit).where(WatchHit.module == "rental")))
    # The list's owner (the station) and the grid's community officer, who is the police near the tenant.
    assert sorted((h.id_number, h.record_id, h.owner_unit_id, h.owner_role.value) for h in hits) == sorted([
        (WANTED_ID, str(wanted.id), org_service.get_unit(db, "331003-01").id, "duty_officer"),
        (WANTED_ID, str(wanted.id), org_service.get_unit(db, "331003-01-01").id, "community_officer")])
    landlord_events = db.scalar(select(func.count()).select_from(Event).where(Event.user_id == rent.landlord.id))
    assert landlord_events == 0
    assert (wanted.status, wanted.move_in_on_time) == (plain.status, plain.move_in_on_time)
    assert db.scalar(select(func.count()).select_from(Event).where(Event.user_id == rent.duty.id)) == 1
    assert db.scalar(select(func.count()).select_from(Event).where(Event.user_id == rent.officer.id)) == 1


@pytest.mark.parametrize(("code", "kind", "told"), [
    ("cases.fugitives", ListKind.WATCH, {"analyst", "duty_officer", "community_officer"}),
    ("antifraud.intel", ListKind.WATCH, {"analyst"}),          # the anti-fraud centre alone
    ("antifraud.protected", ListKind.PROTECTED, {"analyst"}),  # a dissuaded bank customer is no police matter
])
def test_a_bureau_lists_hit_on_a_tenant_is_told_to_the_police_near_the_unit_too(db, rent, code, kind, told):
    listed = watch.ensure_list(db, code=code, name="名单", kind=kind, owner_unit=org_service.get_unit(db, "331003"),
                               owner_role=Role.ANALYST)
    watch.add_entry(db, watch_list=listed, id_number=WANTED_ID, actor=None)
    wanted = rent.declare(rent.prop, rent.grid, id_number=WANTED_ID, moved_in_on=TODAY)
    hits = list(db.scalars(select(WatchHit).where(WatchHit.record_id == str(wanted.id))))
    assert {h.owner_role.value for h in hits} == told
    assert db.scalar(select(func.count()).select_from(Event).where(Event.user_id == rent.grid.id)) == 0
    assert len(hits) == len(told)  # once per owner and record


def test_the_persons_file_shows_the_residence_registration_and_the_permit_date(db, rent):
    t = rent.declare(rent.prop, rent.landlord, moved_in_on=TODAY)
    service.verify(db, tenancy=t, actor=rent.grid)
    found = people.open_file(db, user=rent.officer, id_number=TENANT_ID, reason="租户核查")
    assert [(f.module, f.label) for f in found.facts] == [("rental", "居住登记")]
    assert "2026-12-01 登记" in found.facts[0].value and "2027-06-01 起可申领居住证" in found.facts[0].value
