"""Managers and agents (二房东/物业/中介) acting for landlords: appointed by the landlord (or an officer) with an
optional last day, withdrawn by the landlord; what each may and may not do (permissions.KEEPER_STEPS), scoped
to the properties of their mandates while in force, and audited with the role they acted in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.errors import NotFound, PermissionDenied, ValidationFailed
from pingan.core.identity import make_resident_id
from pingan.platform.audit.models import AuditEvent
from pingan.platform.users.models import Role
from pingan.rental import repository as repo
from pingan.rental import service
from pingan.rental.models import KeeperRole, Tenancy, TenancyStatus
from pingan.rental.permissions import KEEPER_STEPS
from pingan.rental.schemas import EndIn, MandateIn, parse
from tests.rental.factories import TENANT_ID

MANAGER_ID = make_resident_id("331003", dt.date(1975, 8, 6), 21, "M")
AGENT_ID = make_resident_id("331003", dt.date(1985, 9, 7), 22, "F")


@pytest.fixture
def crew(db, rent, make_user):
    rent.manager = make_user(Role.LANDLORD, username="manager1")
    rent.agent = make_user(Role.LANDLORD, username="agent1")
    db.flush()
    return rent


def _appoint(db, prop, actor, role="manager", username="manager1", id_number=MANAGER_ID, **kw):
    body = {"role": role, "username": username, "name": "物业小张", "id_number": id_number, **kw}
    return service.appoint(db, prop=prop, data=parse(MandateIn, body), actor=actor)


def test_each_keeper_role_may_do_its_own_steps_only():
    assert KEEPER_STEPS[KeeperRole.LANDLORD] > KEEPER_STEPS[KeeperRole.MANAGER] > KEEPER_STEPS[KeeperRole.AGENT]
    assert "appoint" not in KEEPER_STEPS[KeeperRole.MANAGER] and "end" not in KEEPER_STEPS[KeeperRole.AGENT]


def test_a_manager_appointed_by_the_landlord_declares_and_ends_for_them_and_is_audited(db, crew):
    keeper = _appoint(db, crew.prop, crew.landlord)
    assert repo.get_property(db, crew.manager, crew.prop.id) is crew.prop
    t = crew.declare(crew.prop, crew.manager, moved_in_on=clock.today_local())
    assert t.declared_by.value == "manager" and t.move_in_reported_at is not None
    declared = db.scalar(select(AuditEvent).where(AuditEvent.action == "rental.tenancy.declared"))
    assert (declared.actor_id, declared.data["keeper"], declared.data["keeper_id"]) == (crew.manager.id, "manager",
                                                                                       keeper.id)
    service.verify(db, tenancy=t, actor=crew.grid)
    service.end(db, tenancy=t, data=EndIn(moved_out_on=clock.today_local()), actor=crew.manager)
    assert t.status is TenancyStatus.ENDED and t.move_out_reported_at is not None
    appointed = db.scalar(select(AuditEvent).where(AuditEvent.action == "rental.keeper.appointed"))
    assert (appointed.actor_id, appointed.data["role"], appointed.data["user"]) == (crew.landlord.id, "manager",
                                                                                   "manager1")


def test_an_agent_declares_and_confirms_but_may_not_end_nor_appoint_and_nothing_changes(db, crew):
    _appoint(db, crew.prop, crew.landlord, role="agent", username="agent1", id_number=AGENT_ID)
    t = crew.declare(crew.prop, crew.agent, moved_in_on=clock.today_local())
    assert t.declared_by.value == "agent"
    with pytest.raises(PermissionDenied) as refused:
        service.end(db, tenancy=t, data=EndIn(moved_out_on=clock.today_local()), actor=crew.agent)
    assert refused.value.code == "keeper.not_allowed" and t.status is TenancyStatus.DECLARED
    with pytest.raises(PermissionDenied):
        _appoint(db, crew.prop, crew.agent)
    assert [k.role.value for k in crew.prop.keepers] == ["landlord", "agent"]


def test_a_manager_may_not_appoint_or_withdraw(db, crew):
    _appoint(db, crew.prop, crew.landlord)
    agent = _appoint(db, crew.prop, crew.landlord, role="agent", username="agent1", id_number=AGENT_ID)
    with pytest.raises(PermissionDenied):
        service.withdraw(db, prop=crew.prop, keeper_id=agent.id, actor=crew.manager)
    assert agent.withdrawn_at is None


def test_a_withdrawn_or_lapsed_mandate_sees_nothing_and_renewing_restores_it(db, crew):
    keeper = _appoint(db, crew.prop, crew.landlord)
    service.withdraw(db, prop=crew.prop, keeper_id=keeper.id, actor=crew.landlord)
    with pytest.raises(NotFound):
        repo.get_property(db, crew.manager, crew.prop.id)
    assert repo.properties(db, crew.manager) == []
    assert db.scalar(select(AuditEvent.data).where(AuditEvent.action == "rental.keeper.withdrawn"))["role"] == \
        "manager"
    _appoint(db, crew.prop, crew.landlord, until=clock.today_local().isoformat())
    assert len(crew.prop.keepers) == 2  # the same mandate renewed, not a second row
    assert repo.get_property(db, crew.manager, crew.prop.id) is crew.prop
    clock.shift(dt.timedelta(days=1))
    with pytest.raises(NotFound):
        repo.get_property(db, crew.manager, crew.prop.id)


def test_one_manager_acts_for_two_landlords_and_sees_only_those_properties(db, crew):
    _appoint(db, crew.prop, crew.landlord)
    assert [p.id for p in repo.properties(db, crew.manager)] == [crew.prop.id]
    _appoint(db, crew.other_prop, crew.other_landlord)
    assert [p.id for p in repo.properties(db, crew.manager)] == [crew.prop.id, crew.other_prop.id]
    third = crew.register(address_code="TT-XXA-33", name="新下岙村33号之二",
                          units=[{"label": "9", "beds": 1, "area": 20}])
    assert third.id not in [p.id for p in repo.properties(db, crew.manager)]


def test_the_landlord_cannot_appoint_to_another_landlords_property_and_bad_mandates_are_422(db, crew):
    with pytest.raises(NotFound):  # landlord1 keeps no row on landlord2's property: as if it did not exist
        _appoint(db, crew.other_prop, crew.landlord)
    for body, field in (({"role": "landlord"}, "role"), ({"until": "2000-01-01"}, "until"),
                        ({"username": "nobody"}, "username"), ({"username": "landlord1"}, "username")):
        with pytest.raises(ValidationFailed) as bad:
            _appoint(db, crew.prop, crew.landlord, **body)
        assert bad.value.details[0].field == field
    assert len(crew.prop.keepers) == 1


def test_an_officer_appoints_too_and_the_landlord_cannot_be_withdrawn(db, crew):
    keeper = _appoint(db, crew.prop, crew.grid)
    assert keeper.appointed_by_id == crew.grid.id
    with pytest.raises(Exception) as refused:
        service.withdraw(db, prop=crew.prop, keeper_id=crew.prop.keepers[0].id, actor=crew.landlord)
    assert refused.value.code == "keeper.is_landlord"


def test_the_api_and_the_portal_show_each_role_what_it_may_do(db, crew, client_for):
    landlord = client_for(crew.landlord)
    r = landlord.post(f"/api/v1/rental/properties/{crew.prop.id}/keepers",
                      json={"role": "agent", "username": "agent1", "name": "中介小李", "id_number": AGENT_ID})
    assert r.status_code == 201 and r.json()["in_force"] is True
    agent = client_for(crew.agent)
    r = agent.post(f"/api/v1/rental/properties/{crew.prop.id}/tenancies",
                   json={"tenant": {"name": "王租客", "id_number": TENANT_ID}, "unit": "201",
                         "moved_in_on": clock.today_local().isoformat()})
    assert r.status_code == 201
    ended = agent.post(f"/api/v1/rental/tenancies/{r.json()['id']}/end",
                       json={"moved_out_on": clock.today_local().isoformat()})
    assert ended.status_code == 403 and ended.json()["error"]["code"] == "keeper.not_allowed"
    service.verify(db, tenancy=db.get(Tenancy, r.json()["id"]), actor=crew.grid)  # now a move-out is possible
    db.flush()
    portal = agent.get("/rental/portal").text
    assert 'data-acting-as="agent"' in portal and 'data-step="end"' not in portal
    assert "data-mandates" not in portal
    mine = landlord.get("/rental/portal").text
    assert f'data-mandates="{crew.prop.id}"' in mine
    assert 'data-step="end"' in mine
    keeper_id = next(k.id for k in crew.prop.keepers if k.role is KeeperRole.AGENT)
    assert landlord.delete(f"/api/v1/rental/properties/{crew.prop.id}/keepers/{keeper_id}").status_code == 200
    assert agent.get(f"/api/v1/rental/properties/{crew.prop.id}").status_code == 404
    page = landlord.post(f"/rental/portal/properties/{crew.prop.id}/keepers",
                         data={"role": "manager", "username": "manager1", "name": "物业小张",
                               "id_number": MANAGER_ID, "until": "2000-01-01"})
    assert page.status_code == 422 and 'data-error-for="until"' in page.text
    done = landlord.post(f"/rental/portal/properties/{crew.prop.id}/keepers",
                         data={"role": "manager", "username": "manager1", "name": "物业小张",
                               "id_number": MANAGER_ID}, follow_redirects=False)
    assert done.status_code == 303
    assert client_for(crew.manager).get(f"/api/v1/rental/properties/{crew.prop.id}").status_code == 200
