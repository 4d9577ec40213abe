"""The API as a partner or clerk calls it: the issue's bad inputs answer with codes and change nothing;
another station's application is 404; the notice prints; the figures match hand-counted rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.platform.audit.models import AuditEvent
from tests.onewindow.factories import BAD_CHECK_DIGIT, application_body, point_body

API = "/api/v1/onewindow"


def _audits(db) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent))


def test_the_application_answers_each_item_with_its_deadline(db, ow, api_client):
    client = api_client(ow.clerk)
    assert len(client.get(f"{API}/catalogue").json()) >= 25
    answer = client.post(f"{API}/applications", json=application_body())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    passport = next(i for i in body["items"] if i["code"] == "passport")
    assert passport["deadline"]["limit_kind"] == "working" and passport["deadline"]["limit_days"] == 7
    assert passport["status"] == "accepted" and body["due_at"]


def test_bad_inputs_are_clear_and_change_nothing(db, ow, api_client):
    client = api_client(ow.clerk)
    db.commit()  # a refused request rolls its transaction back: the key and catalogue stay
    before = _audits(db)
    bad_id = client.post(f"{API}/applications", json=application_body(
        applicant={"name": "陈", "id_number": BAD_CHECK_DIGIT}))
    assert bad_id.status_code == 422
    assert bad_id.json()["error"]["details"][0]["field"] == "applicant.id_number"
    unknown = client.post(f"{API}/applications", json=application_body(items=["moon_visa"]))
    assert unknown.json()["error"]["details"][0]["code"] == "item.unknown"
    assert _audits(db) == before
    app = client.post(f"{API}/applications", json=application_body()).json()
    booklet, passport = app["items"][0], app["items"][1]
    out_of_order = client.post(f"{API}/applications/{app['id']}/items/{passport['id']}/ready")
    assert out_of_order.status_code == 409
    client.post(f"{API}/applications/{app['id']}/items/{booklet['id']}/issue_on_spot")
    assert client.post(f"{API}/items/{booklet['id']}/rating", json={"grade": 6}).status_code == 422
    rated = client.post(f"{API}/items/{booklet['id']}/rating", json={"grade": 2, "comment": "态度差"})
    assert rated.status_code == 201
    assert client.post(f"{API}/items/{booklet['id']}/rating", json={"grade": 5}).status_code == 409
    fix_id = rated.json()["rating"]["rectification_id"]
    early = client.post(f"{API}/rectifications/{fix_id}/close", json={"note": "已整改"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "rectification.no_call_back"
    assert client.post(f"{API}/rectifications/{fix_id}/call_back", json={"note": "已回访"}).status_code == 200
    closed = client.post(f"{API}/rectifications/{fix_id}/close", json={"note": "已整改"})
    assert closed.json()["status"] == "closed"


def test_another_station_sees_nothing(db, ow, api_client):
    app = api_client(ow.clerk).post(f"{API}/applications", json=application_body()).json()
    other = api_client(ow.other_clerk)
    db.commit()  # a refused request rolls its transaction back: the key and catalogue stay
    assert other.get(f"{API}/applications/{app['id']}").status_code == 404
    assert other.post(f"{API}/applications/{app['id']}/items/{app['items'][1]['id']}/start").status_code == 404
    assert other.post(f"{API}/applications", json=application_body()).status_code == 404


def test_the_one_time_notice_prints(db, ow, api_client):
    client = api_client(ow.clerk)
    app = client.post(f"{API}/applications", json=application_body(items=["passport"], materials=[])).json()
    (notice,) = app["notices"]
    pdf = client.get(notice["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_queue_takes_calls_and_times_a_ticket(db, ow, api_client):
    client = api_client(ow.clerk)
    first = client.post(f"{API}/tickets", json={"station_code": "331003-01", "service_code": "passport"}).json()
    second = client.post(f"{API}/tickets", json={"station_code": "331003-01", "service_code": "passport"}).json()
    assert (first["number"], second["number"], second["ahead"]) == ("A001", "A002", 1)
    called = client.post(f"{API}/tickets/call", json={"window": "1号窗"}).json()
    assert called["id"] == first["id"] and called["waiting_seconds"] >= 0
    done = client.post(f"{API}/tickets/{first['id']}/finish").json()
    assert done["status"] == "done" and done["serving_seconds"] >= 0
    board = client.get(f"{API}/tickets/board", params={"station_code": "331003-01"}).json()
    assert [t["number"] for t in board] == ["A002"]


# The year is the local one: at 01:00 on New Year's Day in China it is still the old year in UTC.
@pytest.mark.parametrize("at", [None, "2026-12-31T17:00:00+00:00", "2027-06-30T15:59:00+00:00"])
def test_figures_match_hand_counted_rows(db, ow, api_client, at):
    if at is not None:
        clock.shift(dt.datetime.fromisoformat(at) - clock.now())
    client = api_client(ow.clerk)
    point = client.post(f"{API}/points", json=point_body())
    assert point.status_code == 201, point.text
    answer = client.post(f"{API}/applications", json=application_body())
    assert answer.status_code == 201, answer.text
    a = answer.json()
    village = client.post(f"{API}/applications", json=application_body(
        channel="village_agent", service_point_code=point.json()["code"], items=["passport"]))
    assert village.status_code == 201, village.text
    issued = client.post(f"{API}/applications/{a['id']}/items/{a['items'][0]['id']}/issue_on_spot")
    assert issued.status_code == 200, issued.text
    rated = client.post(f"{API}/items/{a['items'][0]['id']}/rating", json={"grade": 4})
    assert rated.status_code == 201, rated.text
    year = clock.local(dt.datetime.fromisoformat(a["submitted_at"])).year
    f = client.get(f"{API}/figures", params={"year": year}).json()
    assert (f["applications"], f["items"]) == (2, 4)
    assert {c["key"]: c["count"] for c in f["by_channel"]} == {"window": 1, "village_agent": 1}
    assert {c["key"]: c["count"] for c in f["by_item"]}["passport"] == 2
    assert f["within_limit_share"] == 1.0 and f["one_visit_share"] == 1.0
    assert (f["ratings"], f["satisfaction"], f["villages_online"], f["villages_applied"]) == (1, 1.0, 1, 1)
    assert village.json()["service_point_code"] == point.json()["code"]
    assert f["window_ranking"][0]["ratings"] == 1
    assert api_client(ow.other_clerk).get(f"{API}/figures", params={"year": year}).json()["applications"] == 0


def test_a_partner_app_submits_with_its_key_for_a_verified_resident_only(db, ow, api_client, client_for, make_user):
    partner = api_client(make_user("window_clerk", unit="331003"))
    session = client_for(ow.clerk)
    db.commit()  # a refused request rolls its transaction back: the key and catalogue stay
    body = application_body(channel="partner", items=["passport", "no_criminal_record"],
                            verification_ref="ZLB-20261201-0001")
    answer = partner.post(f"{API}/applications", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["channel"] == "partner"
    assert session.post(f"{API}/applications", json=body).status_code == 403
    unverified = partner.post(f"{API}/applications", json={**body, "verification_ref": None})
    assert unverified.json()["error"]["details"][0]["field"] == "verification_ref"
