"""Silent hits: a listed person taken in as a dispute party puts a hit on the list owner's feed, to-do and
hits API, once per record, never on the entering user's; reads are audited; protected persons lapse."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.mediation import service as mediation
from pingan.mediation.schemas import DisputeIn, parse
from pingan.platform.audit.models import AuditEvent
from pingan.platform.deadlines import service as deadlines
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org_service
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.records import Record
from pingan.platform.users.models import Role
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind, WatchHit

WANTED = make_resident_id("331003", dt.date(1975, 1, 9), 4, "M")
OTHER = make_resident_id("331003", dt.date(1988, 2, 3), 5, "F")


def _dispute(db, actor, number=WANTED):
    body = {"source": "walk_in", "category": "neighbour", "summary": "邻里噪音纠纷", "station_code": "331003-01",
            "community_code": "331003-01-01",
            "parties": [{"name": "赵某", "id_number": number, "phone": "13905760011"},
                        {"name": "钱某", "id_number": OTHER, "phone": "13905760012"}]}
    return mediation.take_in(db, data=parse(DisputeIn, body), actor=actor)


@pytest.fixture
def intel(county, make_user):
    """The anti-fraud centre's list (owned by the bureau's analysts) with WANTED on it; a 头陀 mediator."""
    analyst = make_user(Role.ANALYST)
    bureau = org_service.get_unit(county, "331003")
    watch_list = watch.ensure_list(county, code="antifraud.intel", name="涉诈人员", kind=ListKind.WATCH,
                                   owner_unit=bureau, owner_role=Role.ANALYST)
    watch.add_entry(county, watch_list=watch_list, id_number=WANTED, actor=analyst, note="两卡")
    return {"analyst": analyst, "list": watch_list, "mediator": make_user(Role.MEDIATOR, unit="331003-01"),
            "leader": make_user(Role.LEADER), "duty": make_user(Role.DUTY_OFFICER, unit="331003-01")}


def _feed_topics(db, user):
    return [e.topic for e in notify.feed_for(db, user)]


def _todo_kinds(db, user):
    todo = deadlines.todo_for(db, user)
    return [d.kind for d in todo.overdue + todo.due_soon + todo.later]


def test_a_dispute_with_a_listed_party_tells_the_owner_and_not_the_mediator(intel, county):
    dispute = _dispute(county, intel["mediator"])
    hits = county.scalars(select(WatchHit)).all()
    assert [(h.record_id, h.entered_by_id, h.where_unit_id) for h in hits] == [
        (str(dispute.id), intel["mediator"].id, dispute.community_id)]
    assert watch.HIT_TOPIC in _feed_topics(county, intel["analyst"])
    for bystander in (intel["mediator"], intel["leader"], intel["duty"]):
        assert watch.HIT_TOPIC not in _feed_topics(county, bystander)
    assert watch.REVIEW in _todo_kinds(county, intel["analyst"])
    for bystander in (intel["mediator"], intel["leader"], intel["duty"]):
        assert watch.REVIEW not in _todo_kinds(county, bystander)


def test_the_same_record_hits_once(intel, county):
    dispute = _dispute(county, intel["mediator"])
    people.seen(county, id_number=WANTED, name="赵某", role=PersonRole.PARTY,
                record=Record("mediation", "dispute", dispute.id), unit=dispute.station_id, actor=intel["mediator"])
    people.seen(county, id_number=WANTED, name="赵某", role=PersonRole.VICTIM,
                record=Record("mediation", "dispute", dispute.id), unit=dispute.station_id, actor=intel["mediator"])
    assert len(county.scalars(select(WatchHit)).all()) == 1
    _dispute(county, intel["mediator"])
    assert len(county.scalars(select(WatchHit)).all()) == 2


def test_an_owner_who_enters_the_record_is_not_told(intel, county, make_user):
    colleague = make_user(Role.ANALYST)
    people.seen(county, id_number=WANTED, name="赵某", role=PersonRole.SUSPECT,
                record=Record("cases", "case", 5), unit=org_service.get_unit(county, "331003"), actor=intel["analyst"])
    assert watch.HIT_TOPIC not in _feed_topics(county, intel["analyst"])
    assert watch.HIT_TOPIC in _feed_topics(county, colleague)
    assert watch.list_hits(county, user=intel["analyst"]) == []
    assert len(watch.list_hits(county, user=colleague)) == 1


def test_the_hits_api_is_for_the_owner_and_every_read_is_audited(intel, county, api_client):
    dispute = _dispute(county, intel["mediator"])
    analyst, mediator = api_client(intel["analyst"]), api_client(intel["mediator"])
    county.commit()
    body = analyst.get("/api/v1/watch/hits").json()
    assert [(h["record_id"], h["entered_by"], h["where"], h["module"]) for h in body] == [
        (str(dispute.id), intel["mediator"].display_name, "头陀社区", "mediation")]
    assert body[0]["id_number"] == WANTED[:6] + "********" + WANTED[-4:]
    one = analyst.get(f"/api/v1/watch/hits/{body[0]['id']}")
    assert one.status_code == 200 and one.json()["first_viewed_at"] is not None
    reads = county.scalars(select(AuditEvent).where(AuditEvent.action.startswith("watch.hit."),
                                                    AuditEvent.actor_id == intel["analyst"].id)).all()
    assert [e.action for e in reads] == ["watch.hit.listed", "watch.hit.viewed"]
    assert watch.REVIEW not in _todo_kinds(county, intel["analyst"])
    assert mediator.get("/api/v1/watch/hits").status_code == 403
    assert api_client(intel["duty"]).get("/api/v1/watch/hits").json() == []


def test_owners_keep_their_lists_and_others_get_404(intel, county, api_client, make_user):
    analyst = api_client(intel["analyst"])
    duty = api_client(intel["duty"])
    county.commit()
    added = analyst.post("/api/v1/watch/lists/antifraud.intel/entries", json={"id_number": OTHER, "note": "同伙"})
    assert added.status_code == 201 and added.json()["id_number"] != OTHER
    assert len(analyst.get("/api/v1/watch/lists/antifraud.intel/entries").json()) == 2
    assert duty.get("/api/v1/watch/lists/antifraud.intel/entries").status_code == 404
    bad = analyst.post("/api/v1/watch/lists/antifraud.intel/entries", json={"id_number": "123"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "id_number"


def test_a_protected_person_lapses_after_30_days_and_the_dissuading_station_is_told(county, make_user):
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    analyst = make_user(Role.ANALYST)
    bureau, toutuo = org_service.get_unit(county, "331003"), org_service.get_unit(county, "331003-01")
    protected = watch.ensure_list(county, code="antifraud.protected", name="近期被劝阻客户", kind=ListKind.PROTECTED,
                                  owner_unit=bureau, owner_role=Role.ANALYST)
    entry = watch.add_entry(county, watch_list=protected, id_number=WANTED, actor=duty, also_unit_id=toutuo.id,
                            also_role=Role.DUTY_OFFICER)
    assert entry.expires_at - entry.listed_at == dt.timedelta(days=30)
    assert watch.protected_entry(county, WANTED) is not None
    jiangkou = org_service.get_unit(county, "331003-02")
    clock.shift(dt.timedelta(days=29))
    people.seen(county, id_number=WANTED, name="赵某", role=PersonRole.CUSTOMER,
                record=Record("antifraud", "screening", "s-1"), unit=jiangkou)
    assert {(h.owner_unit_id, h.owner_role) for h in county.scalars(select(WatchHit))} == {
        (bureau.id, Role.ANALYST), (toutuo.id, Role.DUTY_OFFICER)}
    assert watch.HIT_TOPIC in _feed_topics(county, duty)
    assert watch.HIT_TOPIC in _feed_topics(county, analyst)
    clock.shift(dt.timedelta(days=2))
    assert watch.protected_entry(county, WANTED) is None
    people.seen(county, id_number=WANTED, name="赵某", role=PersonRole.CUSTOMER,
                record=Record("antifraud", "screening", "s-2"), unit=jiangkou)
    assert {h.record_id for h in county.scalars(select(WatchHit))} == {"s-1"}


def test_the_hits_page_lists_them(intel, county, client_for):
    _dispute(county, intel["mediator"])
    client = client_for(intel["analyst"])
    page = client.get("/watch")
    assert page.status_code == 200 and "赵某" in page.text and WANTED not in page.text


def test_a_duty_officer_starts_a_list_of_the_station_puts_a_person_on_it_and_takes_them_off(county, make_user,
                                                                                             client_for):
    duty = make_user(Role.DUTY_OFFICER, unit="331003-01")
    client = client_for(duty)
    assert client.post("/watch/lists", data={"name": "x"}).status_code == 422  # too short a name
    made = client.post("/watch/lists", data={"name": "重点关注人员"}, follow_redirects=False)
    assert made.status_code == 303
    code = made.headers["location"].rsplit("/", 1)[1]
    (watch_list,) = [w for w in watch.repo.owned_by(county, duty) if w.code == code]
    assert (watch_list.owner_role, watch_list.owner_unit.code) == (Role.DUTY_OFFICER, "331003-01")
    wrong_digit = WANTED[:-1] + ("1" if WANTED[-1] == "0" else "0")
    bad = client.post(f"/watch/lists/{code}/entries", data={"id_number": wrong_digit, "note": "盗窃前科"})
    assert bad.status_code == 422 and 'data-error-for="id_number"' in bad.text
    assert client.post(f"/watch/lists/{code}/entries", data={"id_number": WANTED, "note": "盗窃前科", "days": "90"},
                       follow_redirects=False).status_code == 303
    listed = client.get(f"/watch/lists/{code}")
    assert "盗窃前科" in listed.text and WANTED not in listed.text  # masked
    (entry,) = watch.repo.entries(county, watch_list, now=clock.now())
    assert entry.expires_at - entry.listed_at == dt.timedelta(days=90)

    # The station hears of the person at the next dispute; another station's officer cannot open the list.
    _dispute(county, make_user(Role.MEDIATOR, unit="331003-01"))
    assert watch.HIT_TOPIC in _feed_topics(county, duty)
    other = client_for(make_user(Role.DUTY_OFFICER, unit="331003-02"))
    assert other.get(f"/watch/lists/{code}").status_code == 404
    assert other.post(f"/watch/lists/{code}/entries/{entry.id}/remove").status_code == 404

    assert client.post(f"/watch/lists/{code}/entries/{entry.id}/remove", follow_redirects=False).status_code == 303
    assert watch.repo.entries(county, watch_list, now=clock.now()) == []
    actions = [e.action for e in county.scalars(select(AuditEvent).where(AuditEvent.action.startswith("watch.")))]
    assert {"watch.list.created", "watch.entry.removed"} <= set(actions)
