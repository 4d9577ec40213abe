"""The mediation API over HTTP: take in, read with sessions and deadlines, sessions, follow-ups, close;
scoping across stations (404), clear 422s with field paths, 409 for a closed dispute, audit rows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from pingan.mediation.models import Dispute
from pingan.mediation.vocabulary import Clock
from pingan.platform.audit.models import AuditEvent
from tests.mediation.factories import BAD_CHECK_DIGIT, agreement, dispute_body

API = "/api/v1/mediation/disputes"


@pytest.fixture
def clients(db, med, api_client) -> SimpleNamespace:
    """API clients of the test users, committed: a refused request rolls back only its own work."""
    made = SimpleNamespace(mediator=api_client(med.mediator), officer=api_client(med.officer),
                           other=api_client(med.other_mediator), leader=api_client(med.leader))
    db.commit()
    return made


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_intake_session_follow_up_and_read_back(db, med, clients):
    client = clients.mediator
    created = client.post(API, json=dispute_body(place="头陀镇1号", room_id=med.room.id))
    assert created.status_code == 201, created.text
    dispute_id = created.json()["id"]
    assert {d["kind"] for d in created.json()["deadlines"]} == {Clock.SAME_DAY, Clock.CLOSE}

    unsettled = client.post(f"{API}/{dispute_id}/sessions", json={"outcome": "unsettled", "note": "未谈拢"})
    assert unsettled.status_code == 201 and unsettled.json()["status"] == "follow_up"

    officer = clients.officer
    assert officer.post(f"{API}/{dispute_id}/follow-ups", json={"note": "已联系双方"}).status_code == 201
    settled = client.post(f"{API}/{dispute_id}/sessions", json={"outcome": "settled", "agreement": agreement()})
    assert settled.status_code == 201, settled.text

    got = client.get(f"{API}/{dispute_id}").json()
    assert got["status"] == "settled" and got["agreement"]["performance_method"] == "当面道歉"
    assert [s["outcome"] for s in got["sessions"]] == ["unsettled", "settled"]
    kinds = {(d["kind"], d["status"]) for d in got["deadlines"]}
    assert ("mediation.dispute.followed_up", "met") in kinds and ("mediation.dispute.revisited", "running") in kinds
    assert all({"kind", "due_at", "status"} <= d.keys() for d in got["deadlines"])
    assert got["parties"][0]["id_number"] == dispute_body()["parties"][0]["id_number"]

    closed = client.post(f"{API}/{dispute_id}/close", json={"reason": "履行完毕"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(dispute_id))))
    assert {"mediation.dispute.created", "mediation.session.unsettled", "mediation.dispute.followed_up",
            "mediation.session.settled", "mediation.dispute.viewed", "mediation.dispute.closed"} <= actions


def test_session_on_a_closed_dispute_is_409_and_changes_nothing(db, med, clients):
    client = clients.mediator
    dispute_id = client.post(API, json=dispute_body()).json()["id"]
    client.post(f"{API}/{dispute_id}/close", json={"reason": "撤回"})
    refused = client.post(f"{API}/{dispute_id}/sessions", json={"outcome": "settled", "agreement": agreement()})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "dispute.closed"
    assert client.get(f"{API}/{dispute_id}").json()["sessions"] == []


def test_invalid_id_number_is_422_with_field_path_and_nothing_written(db, med, clients):
    before = _count(db, Dispute)
    body = dispute_body(parties=[{"name": "王大山", "id_number": BAD_CHECK_DIGIT, "phone": "13905760001"},
                                 {"name": "李小水", "phone": "1390576"}])
    response = clients.mediator.post(API, json=body)
    assert response.status_code == 422
    details = {(d["field"], d["code"]) for d in response.json()["error"]["details"]}
    assert details == {("parties[0].id_number", "id_number.check_digit"), ("parties[1].phone", "phone.format")}
    assert _count(db, Dispute) == before


def test_other_fields_answer_clearly(med, clients):
    client = clients.mediator
    response = client.post(API, json={"source": "telegram", "summary": "", "parties": []})
    fields = {d["field"]: d["code"] for d in response.json()["error"]["details"]}
    assert fields["source"] == "not_allowed" and fields["category"] == "required"
    assert fields["station_code"] == "required" and "summary" in fields and "parties" in fields


def test_stations_see_only_their_own_disputes(db, med, clients):
    mine = clients.mediator.post(API, json=dispute_body()).json()["id"]
    other = clients.other
    assert other.get(f"{API}/{mine}").status_code == 404
    assert other.post(f"{API}/{mine}/sessions", json={"outcome": "absent"}).status_code == 404
    assert other.post(f"{API}/{mine}/close", json={"reason": "x"}).status_code == 404
    assert other.post(API, json=dispute_body()).status_code == 404  # may not take in for another station
    assert clients.officer.get(f"{API}/{mine}").status_code == 200  # the community's officer
    assert clients.leader.get(f"{API}/{mine}").status_code == 200  # the bureau
    assert clients.leader.post(f"{API}/{mine}/close", json={"reason": "x"}).status_code == 403


def test_every_read_of_the_parties_is_audited(db, med, clients):
    client = clients.mediator
    dispute_id = client.post(API, json=dispute_body()).json()["id"]
    for _ in range(2):
        client.get(f"{API}/{dispute_id}")
    views = db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "mediation.dispute.viewed", AuditEvent.entity_id == str(dispute_id)))
    assert views == 2


@pytest.mark.parametrize(("raw", "expected"), [
    (b'{"source": ', ("$", "invalid_json")),
    (b"[]", ("$", "model_attributes_type")),
    (b'{"parties": [{"name": "x", "nickname": "y"}]}', ("parties[0].nickname", "unknown_field")),
])
def test_a_body_that_is_no_dispute_is_422_like_every_parse(med, clients, raw, expected):
    response = clients.mediator.post(API, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "request.invalid"
    assert expected in {(d["field"], d["code"]) for d in response.json()["error"]["details"]}


def test_the_published_api_documents_the_dispute(clients):
    spec = clients.leader.get("/openapi.json").json()
    take_in = spec["paths"][API]["post"]
    assert take_in["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/DisputeIn"}
    created = take_in["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/DisputeOut"}
    assert "parties" in spec["components"]["schemas"]["DisputeOut"]["properties"]
