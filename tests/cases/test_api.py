"""The cases API as an officer uses it: a call becomes a case, the case is filed, a suspect added and the
case solved; refused steps are 409 with nothing changed; bad input is 422 naming the field; another station's
case is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.cases.models import Call
from pingan.core import clock
from pingan.core.errors import NotFound
from pingan.grid.call import service as grid_calls
from pingan.grid.models import HandedCall
from pingan.mediation.models import Dispute
from pingan.platform.audit.models import AuditEvent
from pingan.platform.people.models import Appearance
from pingan.platform.places import service as places
from tests.cases.factories import BAD_CHECK_DIGIT, SUSPECT, WITNESS, call_body, case_body
from tests.mediation.factories import LI, WANG

URL = "/api/v1/cases"


def _fields(response) -> set[str]:
    return {d["field"] for d in response.json()["error"]["details"]}


def test_call_to_case_filed_suspect_solved(db, cs, clients):
    api = clients.duty
    call = api.post(f"{URL}/calls", json=call_body())
    assert call.status_code == 201, call.text
    assert call.json()["repeat"] is False
    disposed = api.post(f"{URL}/calls/{call.json()['id']}/dispose", json={"disposition": "case", "case": case_body()})
    assert disposed.status_code == 200, disposed.text
    case_id = disposed.json()["case_id"]
    case = api.get(f"{URL}/{case_id}").json()
    year = clock.local(clock.now()).year
    assert case["number"] == f"331003-01-{year}-0001" and case["status"] == "received"
    assert {d["kind"] for d in case["deadlines"]} == {"cases.case.decided"}
    assert api.post(f"{URL}/{case_id}/file", json={"note": "符合立案条件"}).json()["status"] == "filed"
    with_suspect = api.post(f"{URL}/{case_id}/persons", json={"kind": "suspect", "name": "张三", "id_number": SUSPECT})
    assert with_suspect.status_code == 201, with_suspect.text
    assert with_suspect.json()["persons"][0]["suspect_status"] == "at_large"
    solved = api.post(f"{URL}/{case_id}/solve", json={"note": "嫌疑人到案"}).json()
    assert solved["status"] == "solved" and solved["solved_at"]
    kinds = [e["kind"] for e in solved["events"]]
    assert kinds == ["received", "filed", "person", "solved"]
    assert [d["status"] for d in solved["deadlines"]] == ["met"]
    seen = db.scalar(select(Appearance).where(Appearance.id_number == SUSPECT))
    assert (seen.module, seen.record_kind, seen.record_id, seen.role) == ("cases", "case", str(case_id), "suspect")
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(case_id))))
    assert {"cases.case.created", "cases.case.filed", "cases.person.added", "cases.case.solved",
            "cases.case.viewed"} <= actions


def test_a_second_case_of_the_station_takes_the_next_number(cs, clients):
    api = clients.duty
    first = api.post(URL, json=case_body()).json()["number"]
    second = api.post(URL, json=case_body(title="第二起")).json()["number"]
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_refused_step_is_409_and_changes_nothing(cs, clients):
    api = clients.duty
    case = api.post(URL, json=case_body()).json()
    refused = api.post(f"{URL}/{case['id']}/solve", json={})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "case.not_filed_yet"
    again = api.get(f"{URL}/{case['id']}").json()
    assert again["status"] == "received" and [e["kind"] for e in again["events"]] == ["received"]


def test_bad_input_is_422_naming_the_field(cs, clients):
    api = clients.duty
    assert "category" in _fields(api.post(URL, json=case_body(category="jaywalking")))
    assert "station_code" in _fields(api.post(URL, json=case_body(station_code="999999")))
    case = api.post(URL, json=case_body()).json()
    bad_id = api.post(f"{URL}/{case['id']}/persons",
                      json={"kind": "suspect", "name": "张三", "id_number": BAD_CHECK_DIGIT})
    assert bad_id.status_code == 422 and "id_number" in _fields(bad_id)
    negative = api.post(f"{URL}/{case['id']}/persons", json={"kind": "victim", "name": "李四", "id_number": WITNESS,
                                                            "loss": "-5"})
    assert negative.status_code == 422 and "loss" in _fields(negative)
    assert api.post(f"{URL}/{case['id']}/not_file", json={}).status_code == 422


def test_another_stations_case_is_404(cs, clients):
    mine = clients.duty.post(URL, json=case_body()).json()
    other = clients.other
    assert other.get(f"{URL}/{mine['id']}").status_code == 404
    assert other.post(f"{URL}/{mine['id']}/file", json={}).status_code == 404
    assert other.post(f"{URL}/{mine['id']}/persons", json={"kind": "witness", "name": "王五"}).status_code == 404
    assert other.post(URL, json=case_body(station_code="331003-01")).status_code == 404
    assert clients.leader.get(f"{URL}/{mine['id']}").status_code == 200
    assert clients.leader.post(f"{URL}/{mine['id']}/file", json={}).status_code == 403


def test_repeat_call_from_the_same_phone_within_30_days_is_flagged(db, cs, clients):
    api = clients.duty
    first = api.post(f"{URL}/calls", json=call_body(received_at=(clock.now() - dt.timedelta(days=29)).isoformat()))
    second = api.post(f"{URL}/calls", json=call_body(call_no="110-0002")).json()
    assert second["repeat"] is True and second["repeat_of"] == first.json()["id"]
    old = api.post(f"{URL}/calls", json=call_body(call_no="110-0003", caller_phone="13905763333",
                                                  received_at=(clock.now() - dt.timedelta(days=31)).isoformat()))
    later = api.post(f"{URL}/calls", json=call_body(call_no="110-0004", caller_phone="13905763333")).json()
    assert old.status_code == 201 and later["repeat"] is False
    assert api.post(f"{URL}/calls/{second['id']}/dispose", json={"disposition": "repeat"}).json()["disposition"] == \
        "repeat"
    refused = api.post(f"{URL}/calls/{later['id']}/dispose", json={"disposition": "repeat"})
    assert refused.status_code == 409


def test_the_callers_phone_is_in_the_register_and_the_call_in_the_file_of_whoever_has_that_phone(db, cs, clients):
    from pingan.platform.people import service as people  # lazy: only this test reads a person's file
    from pingan.platform.people.models import PersonRole
    from pingan.platform.records import Record

    people.seen(db, id_number=WANG, name="王大山", phone="13905761111", role=PersonRole.PARTY,
                record=Record("mediation", "dispute", 7), unit=cs.duty.unit_id)
    call = clients.duty.post(f"{URL}/calls", json=call_body()).json()
    clients.duty.post(f"{URL}/calls", json=call_body(call_no="110-0002", caller_phone=None))
    (caller,) = db.scalars(select(Appearance).where(Appearance.module == "cases"))
    assert (caller.phone, caller.role, caller.record_id, caller.id_number) == (
        "13905761111", PersonRole.CALLER, str(call["id"]), None)
    found = people.open_file(db, user=cs.duty, id_number=WANG, reason="报警人核查")
    assert [(a.module, a.record_kind, a.link) for a in found.by_phone] == [
        ("cases", "call", f"/cases/calls/{call['id']}")]
    with pytest.raises(NotFound):  # 江口 has neither the person nor the call in its jurisdiction
        people.open_file(db, user=cs.other, id_number=WANG, reason="报警人核查")


def test_dispute_call_goes_to_mediation_and_a_call_is_disposed_once(db, cs, clients):
    api = clients.duty
    call = api.post(f"{URL}/calls", json=call_body(category="dispute", summary="邻居吵架")).json()
    body = {"disposition": "dispute", "dispute": {
        "category": "neighbour", "community_code": "331003-01-01",
        "parties": [{"name": "王大山", "id_number": WANG}, {"name": "李小水", "id_number": LI}]}}
    disposed = api.post(f"{URL}/calls/{call['id']}/dispose", json=body).json()
    dispute = db.get(Dispute, disposed["dispute_id"])
    assert dispute.source == "call_110" and dispute.call_no == "110-0001" and len(dispute.parties) == 2
    again = api.post(f"{URL}/calls/{call['id']}/dispose", json={"disposition": "false", "note": "误报"})
    assert again.status_code == 409
    grid = api.post(f"{URL}/calls", json=call_body(call_no="110-0009", caller_phone=None, category="help")).json()
    assert api.post(f"{URL}/calls/{grid['id']}/dispose", json={"disposition": "grid"}).status_code == 422
    nowhere = api.post(f"{URL}/calls/{grid['id']}/dispose", json={"disposition": "grid", "note": "路灯损坏，移交网格"})
    assert nowhere.status_code == 422  # no standard address and no grid named: the grid cannot be told
    handed = api.post(f"{URL}/calls/{grid['id']}/dispose", json={"disposition": "grid", "note": "路灯损坏，移交网格",
                                                                "grid_code": "331003-01-01-01"})
    assert handed.json()["disposition"] == "grid"
    assert db.get(Call, grid["id"]).disposition_note == "路灯损坏，移交网格"


def test_a_non_police_call_goes_to_the_grid_of_its_address_and_back_to_the_station_when_returned(db, cs, clients):
    places.import_csv(db, "code,grid,road,number,building,unit,room\nTT-32,331003-01-01-01,新下岙村,32,,,\n")
    call = clients.duty.post(f"{URL}/calls", json=call_body(call_no="110-0042", category="help",
                                                             address_code="TT-32")).json()
    disposed = clients.duty.post(f"{URL}/calls/{call['id']}/dispose",
                                 json={"disposition": "grid", "note": "楼道堆物，移交网格"})
    assert disposed.status_code == 200, disposed.text
    handed = db.scalar(select(HandedCall).where(HandedCall.call_no == "110-0042"))
    assert handed.grid.code == "331003-01-01-01" and handed.address.code == "TT-32"

    grid_calls.return_call(db, call=handed, reason="有人员受伤，属警务", actor=cs.officer)
    back = db.get(Call, call["id"])
    assert back.disposition is None and back.disposition_note == "网格退回：有人员受伤，属警务"
    assert clients.duty.post(f"{URL}/calls/{call['id']}/dispose",
                             json={"disposition": "false", "note": "经核实已处理"}).status_code == 200
