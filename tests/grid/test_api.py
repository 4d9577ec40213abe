"""The grid API as a phone or the cases module would call it: reports with photos and deadlines, the steps,
handed calls, and the bad input of the issue (413, 422 with the field, 409 nothing changed, 404 across grids,
the same offline report twice = one report)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from pingan.grid.models import Report
from tests.grid.factories import JPEG, PNG, call_body, camera_png, report_body


@pytest.fixture
def c(g, api_client) -> SimpleNamespace:
    return SimpleNamespace(worker=api_client(g.worker), officer=api_client(g.officer), duty=api_client(g.duty),
                           other=api_client(g.other_worker), other_officer=api_client(g.other_officer),
                           leader=api_client(g.leader))


def _reports(db) -> int:
    return db.scalar(select(func.count()).select_from(Report))


def test_report_with_photo_then_accept_feedback_close(db, c):
    created = c.worker.post("/api/v1/grid/reports", json=report_body())
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    photo = c.worker.post(f"/api/v1/grid/reports/{rid}/photos", files={"photo": ("a.png", PNG, "image/png")})
    assert photo.status_code == 201 and photo.json()["photos"][0]["content_type"] == "image/png"
    assert c.officer.get(photo.json()["photos"][0]["url"]).content == PNG
    read = c.officer.get(f"/api/v1/grid/reports/{rid}").json()
    assert {d["kind"]: d["status"] for d in read["deadlines"]} == {"grid.report.accepted": "running",
                                                                   "grid.report.fed_back": "running"}
    assert c.officer.post(f"/api/v1/grid/reports/{rid}/accept", json={}).json()["status"] == "accepted"
    assert c.officer.post(f"/api/v1/grid/reports/{rid}/handle", json={"handling": "已处理"}).status_code == 200
    assert c.officer.post(f"/api/v1/grid/reports/{rid}/feedback", json={"feedback": "已修复"}).status_code == 200
    closed = c.officer.post(f"/api/v1/grid/reports/{rid}/close", json={}).json()
    assert closed["status"] == "closed" and [t["kind"] for t in closed["timeline"]] == [
        "submitted", "photo", "accepted", "handled", "fed_back", "closed"]


def test_a_photo_that_is_no_image_is_422_and_one_too_large_is_413(db, c, monkeypatch):
    rid = c.worker.post("/api/v1/grid/reports", json=report_body()).json()["id"]
    fake = c.worker.post(f"/api/v1/grid/reports/{rid}/photos", files={"photo": ("a.jpg", b"%PDF-1.4", "image/jpeg")})
    assert fake.status_code == 422 and fake.json()["error"]["details"][0]["code"] == "photo.not_image"
    from pingan.grid.settings import get_grid_settings  # lazy: the limit is lowered for this test only

    monkeypatch.setattr(get_grid_settings(), "photo_max_bytes", len(JPEG) - 1)
    big = c.worker.post(f"/api/v1/grid/reports/{rid}/photos", files={"photo": ("a.jpg", JPEG, "image/jpeg")})
    assert big.status_code == 413 and big.json()["error"]["code"] == "photo.too_large"
    assert c.worker.get(f"/api/v1/grid/reports/{rid}").json()["photos"] == []


def test_a_phone_sized_photo_passes_the_web_edge_and_one_past_the_limit_is_named(db, c):
    """A camera picture is several megabytes: more than the 1 MiB of an ordinary body, within the upload limit."""
    rid = c.worker.post("/api/v1/grid/reports", json=report_body()).json()["id"]
    photo = camera_png()
    assert 1024 * 1024 < len(photo) < 5 * 1024 * 1024
    stored = c.worker.post(f"/api/v1/grid/reports/{rid}/photos", files={"photo": ("p.png", photo, "image/png")})
    assert stored.status_code == 201, stored.text
    assert c.officer.get(stored.json()["photos"][0]["url"]).content == photo
    too_big = camera_png(1400, 1400)  # ~5.6 MB: past the grid's 5 MiB, within the 8 MiB upload body
    refused = c.worker.post(f"/api/v1/grid/reports/{rid}/photos", files={"photo": ("q.png", too_big, "image/png")})
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "photo.too_large"
    elsewhere = c.worker.post("/api/v1/grid/reports", content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                              headers={"content-type": "application/json"})
    assert elsewhere.status_code == 413 and elsewhere.json()["error"]["code"] != "photo.too_large"


@pytest.mark.parametrize(("override", "field"), [
    ({"category": "ufo"}, "category"),
    ({"grid_code": "331003-09-09-09"}, "grid_code"),
    ({"fields": {"hazard_kind": "electric"}}, "fields.urgent"),
    ({"address_code": None}, "$"),
])
def test_unknown_category_grid_or_field_is_422_naming_it_and_writes_nothing(db, c, override, field):
    answer = c.worker.post("/api/v1/grid/reports", json=report_body(**override))
    assert answer.status_code == 422, answer.text
    assert field in [d["field"] for d in answer.json()["error"]["details"]]
    assert _reports(db) == 0


def test_a_step_out_of_order_is_409_and_changes_nothing(db, c):
    rid = c.worker.post("/api/v1/grid/reports", json=report_body()).json()["id"]
    refused = c.officer.post(f"/api/v1/grid/reports/{rid}/close", json={})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "report.feedback_required"
    assert c.officer.post(f"/api/v1/grid/reports/{rid}/feedback", json={"feedback": "x"}).status_code == 409
    after = c.officer.get(f"/api/v1/grid/reports/{rid}").json()
    assert after["status"] == "submitted" and after["feedback"] is None


def test_another_grid_reads_404_and_the_worker_cannot_take_the_officers_steps(db, c):
    rid = c.worker.post("/api/v1/grid/reports", json=report_body()).json()["id"]
    assert c.other.get(f"/api/v1/grid/reports/{rid}").status_code == 404
    assert c.other_officer.post(f"/api/v1/grid/reports/{rid}/accept", json={}).status_code == 404
    assert c.worker.post(f"/api/v1/grid/reports/{rid}/accept", json={}).status_code == 403
    assert c.leader.get(f"/api/v1/grid/reports/{rid}").status_code == 200


def test_the_same_offline_report_sent_twice_is_one_report(db, c):
    body = report_body(idempotency_key="0f8c2a4e-offline-1")
    first = c.worker.post("/api/v1/grid/reports", json=body)
    second = c.worker.post("/api/v1/grid/reports", json=body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and _reports(db) == 1


def test_possible_duplicates_are_offered_and_a_linked_copy_refuses_updates(db, c):
    first = c.worker.post("/api/v1/grid/reports", json=report_body()).json()["id"]
    copy = c.worker.post("/api/v1/grid/reports", json=report_body(description="电线还在")).json()
    assert [d["id"] for d in copy["possible_duplicates"]] == [first]
    linked = c.officer.post(f"/api/v1/grid/reports/{copy['id']}/link", json={"original_id": first}).json()
    assert linked["status"] == "linked" and linked["duplicate_of"] == first
    assert c.officer.post(f"/api/v1/grid/reports/{copy['id']}/accept", json={}).status_code == 409


def test_a_handed_call_comes_back_with_feedback_or_is_returned(db, c):
    created = c.duty.post("/api/v1/grid/calls", json=call_body())
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    assert c.other.get(f"/api/v1/grid/calls/{cid}").status_code == 404
    for step, body in (("accept", {}), ("handle", {"handling": "上门协调"}), ("feedback", {"feedback": "已协调"}),
                       ("close", {}), ("call-back", {"note": "满意"})):
        answer = c.worker.post(f"/api/v1/grid/calls/{cid}/{step}", json=body)
        assert answer.status_code == 200, (step, answer.text)
    station_view = c.duty.get(f"/api/v1/grid/calls/{cid}").json()
    assert station_view["status"] == "called_back" and station_view["feedback_on_time"] is True
    other = c.duty.post("/api/v1/grid/calls", json=call_body(call_no="110-2", phone="13905762999")).json()
    returned = c.worker.post(f"/api/v1/grid/calls/{other['id']}/return", json={"reason": "涉嫌违法，属警务"})
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "涉嫌违法，属警务"
    assert c.worker.post(f"/api/v1/grid/calls/{other['id']}/accept", json={}).status_code == 409


def test_categories_publish_their_form_definitions(c):
    answer = c.worker.get("/api/v1/grid/categories").json()
    codes = [a["code"] for a in answer]
    assert codes[0] == "safety_hazard" and len(codes) == 8
    hazard = answer[0]["attributes"][0]
    assert hazard["datatype"] == "singlevaluelist" and {"key": "electric", "name": "用电"} in hazard["values"]
