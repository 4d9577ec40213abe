"""The person's file: appearances recorded by modules, scoped, reason required and audited, masked until an
audited reveal; repeats within 90 days."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.errors import ValidationFailed
from pingan.core.identity import make_resident_id
from pingan.platform.audit.models import AuditEvent
from pingan.platform.org import service as org_service
from pingan.platform.people import service as people
from pingan.platform.people.models import Appearance, Person, PersonRole
from pingan.platform.records import Record, Sighting
from pingan.platform.users.models import Role

WANG = make_resident_id("331003", dt.date(1970, 5, 1), 1, "M")
LI = make_resident_id("331003", dt.date(1982, 6, 2), 2, "F")


@pytest.fixture
def units(county):
    return {code: org_service.get_unit(county, code) for code in ("331003-01", "331003-01-01", "331003-02")}


def _seen(db, unit, record_id, *, kind=("mediation", "dispute"), at=None, number=WANG, phone="13905760001"):
    return people.seen(db, id_number=number, name="王大山", role=PersonRole.PARTY,
                       record=Record(*kind, record_id), unit=unit, at=at, phone=phone, link=f"/x/{record_id}")


def test_an_invalid_id_number_is_refused_with_the_field_path(county, units):
    with pytest.raises(ValidationFailed) as caught:
        people.seen(county, id_number=WANG[:-1] + ("0" if WANG[-1] != "0" else "1"), name="王", role=PersonRole.PARTY,
                    record=Record("mediation", "dispute", 1), unit=units["331003-01"], field="parties[1].id_number")
    assert (caught.value.details[0].field, caught.value.details[0].code) == ("parties[1].id_number",
                                                                             "id_number.check_digit")


def test_one_person_per_id_number_and_a_repeated_call_changes_nothing(county, units):
    first = _seen(county, units["331003-01"], 1)
    assert _seen(county, units["331003-01"], 1).id == first.id
    _seen(county, units["331003-02"], 2)
    assert county.scalar(select(func.count()).select_from(Person)) == 1
    assert county.scalar(select(func.count()).select_from(Appearance)) == 2


def test_the_file_is_newest_first_and_scoped(county, units, make_user):
    _seen(county, units["331003-01-01"], 1, at=clock.now() - dt.timedelta(days=3))
    _seen(county, units["331003-02"], 2, at=clock.now() - dt.timedelta(days=1))
    bureau = people.open_file(county, user=make_user(Role.ANALYST), id_number=WANG, reason="电诈研判核查")
    assert [a.record_id for a in bureau.appearances] == ["2", "1"]
    toutuo = people.open_file(county, user=make_user(Role.DUTY_OFFICER, unit="331003-01"), id_number=WANG,
                              reason="纠纷当事人核查")
    assert [a.record_id for a in toutuo.appearances] == ["1"]


def test_a_person_with_nothing_in_scope_is_404_like_no_person(county, units, make_user, api_client):
    _seen(county, units["331003-01"], 1)
    jiangkou = api_client(make_user(Role.DUTY_OFFICER, unit="331003-02"))
    county.commit()  # a refused request rolls back what it did, not the test's set-up
    hidden = jiangkou.get(f"/api/v1/people/{WANG}", params={"reason": "纠纷当事人核查"})
    missing = jiangkou.get(f"/api/v1/people/{LI}", params={"reason": "纠纷当事人核查"})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"] == "person.not_found"


@pytest.mark.parametrize("params", [{}, {"reason": "查"}, {"reason": "   查一下 "}])
def test_a_look_up_without_a_reason_of_four_characters_is_422(county, units, make_user, api_client, params):
    _seen(county, units["331003-01"], 1)
    response = api_client(make_user(Role.ANALYST)).get(f"/api/v1/people/{WANG}", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0] == {"field": "reason", "code": "reason.too_short",
                                                      "message": response.json()["error"]["details"][0]["message"]}


def test_a_bad_id_number_in_the_address_is_422(county, make_user, api_client):
    response = api_client(make_user(Role.ANALYST)).get("/api/v1/people/12345", params={"reason": "电诈研判核查"})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "id_number"


def test_the_file_is_masked_and_audited_with_its_reason_and_the_reveal_is_audited(county, units, make_user,
                                                                                  api_client):
    _seen(county, units["331003-01"], 1)
    analyst = make_user(Role.ANALYST)
    client = api_client(analyst)
    body = client.get(f"/api/v1/people/{WANG}", params={"reason": "电诈研判核查"}).json()
    assert body["id_number"] == WANG[:6] + "********" + WANG[-4:]
    assert body["phones"] == ["139****0001"] and body["appearances"][0]["phone"] == "139****0001"
    assert WANG not in str(body) and "13905760001" not in str(body)
    viewed = county.scalars(select(AuditEvent).where(AuditEvent.action == "people.person.viewed")).all()
    assert [(e.actor_id, e.note) for e in viewed] == [(analyst.id, "电诈研判核查")]
    assert WANG not in str(viewed[0].data) and viewed[0].entity_type == "people_person"

    revealed = client.post(f"/api/v1/people/{WANG}/reveal", json={"reason": "需联系当事人"}).json()
    assert revealed["id_number"] == WANG and revealed["phones"] == ["13905760001"]
    reveal = county.scalar(select(AuditEvent).where(AuditEvent.action == "people.person.revealed"))
    assert (reveal.actor_id, reveal.note) == (analyst.id, "需联系当事人")


def test_bank_users_and_mediators_cannot_open_files(county, units, make_user, api_client):
    _seen(county, units["331003-01"], 1)
    clients = [api_client(make_user(role)) for role in (Role.TELLER, Role.MEDIATOR)]
    county.commit()
    for client in clients:
        response = client.get(f"/api/v1/people/{WANG}", params={"reason": "电诈研判核查"})
        assert response.status_code == 403


def test_the_page_shows_the_timeline_masked(county, units, make_user, client_for):
    _seen(county, units["331003-01"], 1)
    client = client_for(make_user(Role.ANALYST))
    county.commit()
    page = client.post("/people", data={"id_number": WANG, "reason": "电诈研判核查"})
    assert page.status_code == 200 and "王大山" in page.text and WANG[:6] + "********" + WANG[-4:] in page.text
    # The number the user typed stays in the form (to reveal or search again), nowhere else on the page.
    assert page.text.count(WANG) == page.text.count(f'value="{WANG}"')
    short = client.post("/people", data={"id_number": WANG, "reason": "查"})
    assert short.status_code == 422 and "查询事由" in short.text


def test_two_disputes_of_one_person_within_90_days_are_linked_and_screenings_are_not(county, units, make_user):
    first = _seen(county, units["331003-01"], 1, at=clock.now() - dt.timedelta(days=60))
    second = _seen(county, units["331003-01"], 2)
    assert first.repeat_of_id is None and second.repeat_of_id == first.id
    screening = people.seen(county, id_number=WANG, name="王大山", role=PersonRole.CUSTOMER,
                            record=Record("antifraud", "screening", "s-1"), unit=units["331003-01"])
    assert screening.repeat_of_id is None
    late = _seen(county, units["331003-01"], 3, at=clock.now() + dt.timedelta(days=91))
    assert late.repeat_of_id is None
    repeats = people.repeats_of(county, user=make_user(Role.ANALYST), record=Record("mediation", "dispute", 2))
    assert {r.record_id for r in repeats} == {"1"}  # the third came 91 days after the second


def test_the_repeats_api_answers_for_a_record_in_scope_only(county, units, make_user, api_client):
    _seen(county, units["331003-01"], 1, at=clock.now() - dt.timedelta(days=10))
    _seen(county, units["331003-01"], 2)
    analyst = api_client(make_user(Role.ANALYST))
    found = analyst.get("/api/v1/repeats", params={"module": "mediation", "kind": "dispute", "id": "2"}).json()
    assert [(r["record_id"], r["shared"]) for r in found] == [("1", "person")]
    other = api_client(make_user(Role.DUTY_OFFICER, unit="331003-02"))
    county.commit()
    assert other.get("/api/v1/repeats", params={"module": "mediation", "kind": "dispute", "id": "2"}
                     ).status_code == 404


def test_seen_many_writes_a_batch_once(county, units):
    at = clock.now()
    batch = [Sighting(WANG, "王大山", "customer", "antifraud", "screening", f"s-{i}", units["331003-01"].id, at)
             for i in range(5)] + [Sighting(LI, "李小水", "customer", "antifraud", "screening", "s-9", None, at)]
    people.seen_many(county, batch)
    people.seen_many(county, batch)
    assert county.scalar(select(func.count()).select_from(Appearance)) == 6
    assert county.scalar(select(func.count()).select_from(Person)) == 2
    assert county.scalar(select(Appearance.role).where(Appearance.record_id == "s-9")) is PersonRole.CUSTOMER


def _phone_only(db, unit, record_id, *, phone="13905760001", at=None):
    return people.seen(db, id_number=None, name="王先生", role=PersonRole.PARTY,
                       record=Record("mediation", "dispute", record_id), unit=unit, at=at, phone=phone,
                       link=f"/x/{record_id}", field="parties[0].id_number")


def test_a_party_known_by_a_phone_alone_is_recorded_normalised_and_found_by_the_phone(county, units):
    first = _phone_only(county, units["331003-01"], 1, phone="+86 139-0576-0001",
                        at=clock.now() - dt.timedelta(days=5))
    assert (first.id_number, first.phone) == (None, "13905760001")
    assert _phone_only(county, units["331003-01"], 1).id == first.id  # a repeated call changes nothing
    assert county.scalar(select(func.count()).select_from(Person)) == 0  # no file without an ID number
    second = _seen(county, units["331003-02"], 2)  # WANG gives the same phone
    assert (second.repeat_of_id, second.repeat_by) == (first.id, "phone")


def test_an_id_number_match_outweighs_a_later_phone_match(county, units):
    by_id = _seen(county, units["331003-01"], 1, at=clock.now() - dt.timedelta(days=20), phone=None)
    _phone_only(county, units["331003-01"], 2, at=clock.now() - dt.timedelta(days=2))
    third = _seen(county, units["331003-01"], 3)
    assert (third.repeat_of_id, third.repeat_by) == (by_id.id, "id_number")
    found = people.earlier_record(county, kind="mediation.dispute", id_numbers=set(), phones={"139 0576 0001"},
                                  since=clock.now() - dt.timedelta(days=90))
    assert (found.appearance.record_id, found.by) == ("3", "phone")


def test_a_party_needs_an_id_number_or_a_phone_and_a_bad_phone_names_its_field(county, units):
    with pytest.raises(ValidationFailed) as none:
        _phone_only(county, units["331003-01"], 1, phone=None)
    assert none.value.details[0].code == "id_number.missing"
    with pytest.raises(ValidationFailed) as bad:
        _phone_only(county, units["331003-01"], 1, phone="12345")
    assert (bad.value.details[0].field, bad.value.details[0].code) == ("parties[0].phone", "phone.format")


def test_a_phone_is_indexed_for_several_people_and_a_person_for_several_phones(county, units, make_user,
                                                                               api_client):
    _seen(county, units["331003-01"], 1, at=clock.now() - dt.timedelta(days=3))
    _seen(county, units["331003-01"], 2, at=clock.now() - dt.timedelta(days=2), phone="13905769999")
    _seen(county, units["331003-01"], 3, number=LI, at=clock.now() - dt.timedelta(days=1))  # LI shares 0001
    _phone_only(county, units["331003-01"], 4)
    _phone_only(county, units["331003-02"], 5, phone="13905769999")
    analyst = make_user(Role.ANALYST)
    found = people.open_file(county, user=analyst, id_number=WANG, reason="纠纷当事人核查")
    assert found.phones == ["13905769999", "13905760001"]
    assert sorted(a.record_id for a in found.by_phone) == ["4", "5"]
    toutuo = people.open_file(county, user=make_user(Role.DUTY_OFFICER, unit="331003-01"), id_number=WANG,
                              reason="纠纷当事人核查")
    assert [a.record_id for a in toutuo.by_phone] == ["4"]  # the other station's record stays out of scope
    county.commit()
    body = api_client(analyst).get(f"/api/v1/people/{WANG}", params={"reason": "纠纷当事人核查"}).json()
    assert {a["phone"] for a in body["by_phone"]} == {"139****0001", "139****9999"}
    repeats = api_client(analyst).get("/api/v1/repeats", params={"module": "mediation", "kind": "dispute",
                                                                 "id": "4"}).json()
    assert {(r["record_id"], r["shared"]) for r in repeats} == {("1", "phone"), ("3", "phone")}
    assert all(r["phone"] == "139****0001" for r in repeats)
