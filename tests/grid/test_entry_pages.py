"""The grid worker's phone entry forms (collection, publicity, patrol with its check-ins) posted as a phone
without the script would, each refusal named at its field with nothing saved; the same records through the API
with the offline queue's idempotency key, sent twice, are one record; the service worker is served for /grid/."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from pingan.grid.models import Collection, CollectionVersion, Patrol, PatrolStatus, Publicity, Report
from pingan.grid.patrol import service as patrols
from pingan.grid.schemas import CheckPointIn
from pingan.platform.audit.models import AuditEvent
from tests.grid.factories import PNG, TOUTUO_GRID

RESIDENT = "331003199003071216"


def _csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_a_resident_collected_from_the_form_then_again_is_one_record_with_two_versions(db, g, client_for):
    worker = client_for(g.worker)
    form = worker.get("/grid/collections/new")
    assert form.status_code == 200 and 'data-grid-entry="/api/v1/grid/collections"' in form.text
    assert 'data-fields-for="rental_house"' in form.text and 'name="address_code"' not in form.text.split("<form")[0]
    body = {"csrf_token": _csrf(form), "kind": "floating_population", "address_text": "新下岙村1号",
            "address_code": "T-001", "name": "张三", "id_number": RESIDENT, "data.work": "务工", "data.landlord": "x"}
    sent = worker.post("/grid/collections", data=body, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    record = db.scalar(select(Collection))
    assert sent.headers["location"] == f"/grid/collections/{record.id}"
    assert record.data == {"work": "务工"} and record.subject == RESIDENT  # the other kinds' fields are not sent
    again = worker.post("/grid/collections", data={**body, "data.phone": "13905761234"}, follow_redirects=False)
    assert again.status_code == 303 and _count(db, Collection) == 1 and record.version == 2
    detail = worker.get(f"/grid/collections/{record.id}")
    assert detail.status_code == 200 and 'data-version="2"' in detail.text and RESIDENT not in detail.text
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "grid.collection.viewed")) is not None


def test_a_refused_collection_names_its_fields_and_saves_nothing(db, g, client_for):
    worker = client_for(g.worker)
    form = worker.get("/grid/collections/new")
    refused = worker.post("/grid/collections", data={"csrf_token": _csrf(form), "kind": "floating_population",
                                                     "address_code": "T-001", "name": "张三", "id_number": "12345"})
    assert refused.status_code == 422 and 'data-error-for="id_number"' in refused.text
    assert 'value="张三"' in refused.text and _count(db, Collection) == 0
    nowhere = worker.post("/grid/collections", data={"csrf_token": _csrf(form), "kind": "shop",
                                                     "address_text": "无此地"})
    assert nowhere.status_code == 422 and 'data-error-for="address_code"' in nowhere.text


def test_the_offline_queue_sends_a_collection_twice_and_it_is_one_version(db, g, api_client):
    worker = api_client(g.worker)
    body = {"kind": "rental_house", "address_code": "T-002", "data": {"tenants": "3"},
            "idempotency_key": "1764600000000-a1b2c3d4"}
    first = worker.post("/api/v1/grid/collections", json=body)
    second = worker.post("/api/v1/grid/collections", json=body)
    assert (first.status_code, second.status_code) == (201, 200) and first.json()["id"] == second.json()["id"]
    assert _count(db, CollectionVersion) == 1 and second.json()["version"] == 1


def test_a_publicity_event_with_a_photo_from_the_form_and_a_bad_audience_named(db, g, client_for):
    worker = client_for(g.worker)
    form = worker.get("/grid/publicity/new")
    assert form.status_code == 200 and 'data-photos="/api/v1/grid/publicity/{id}/photos"' in form.text
    body = {"csrf_token": _csrf(form), "grid_code": TOUTUO_GRID, "topic": "anti_fraud", "title": "反诈进村",
            "place": "新下岙村文化礼堂", "held_at": "2026-11-30T19:30", "audience": "多人", "materials": "50"}
    refused = worker.post("/grid/publicity", data=body, files={"photos": ("p.png", PNG, "image/png")})
    assert refused.status_code == 422 and 'data-error-for="audience"' in refused.text and _count(db, Publicity) == 0
    fake = worker.post("/grid/publicity", data={**body, "audience": "80"},
                       files={"photos": ("p.png", b"%PDF-1.4 not a picture", "image/png")})
    assert fake.status_code == 422 and 'data-error-for="photos"' in fake.text and _count(db, Publicity) == 0
    sent = worker.post("/grid/publicity", data={**body, "audience": "80"},
                       files={"photos": ("p.png", PNG, "image/png")}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    event = db.scalar(select(Publicity))
    assert (event.audience, event.materials, len(event.photos)) == (80, 50, 1)
    assert event.held_at.isoformat() == "2026-11-30T11:30:00+00:00"  # the phone's China time


def test_the_offline_queue_sends_a_publicity_event_and_a_patrol_twice_and_each_is_one(db, g, api_client):
    worker = api_client(g.worker)
    event = {"grid_code": TOUTUO_GRID, "topic": "fire", "title": "消防宣传", "place": "村委会", "audience": 30,
             "idempotency_key": "1764600000001-e1"}
    assert [worker.post("/api/v1/grid/publicity", json=event).status_code for _ in range(2)] == [201, 200]
    plan = {"grid_code": TOUTUO_GRID, "title": "夜巡", "idempotency_key": "1764600000002-p1"}
    answers = [worker.post("/api/v1/grid/patrols", json=plan) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 200] and answers[0].json()["id"] == answers[1].json()["id"]
    assert (_count(db, Publicity), _count(db, Patrol)) == (1, 1)


def test_a_patrol_planned_started_checked_in_and_ended_from_its_phone_page(db, g, client_for):
    point = patrols.add_checkpoint(db, data=CheckPointIn(grid_code=TOUTUO_GRID, name="村口", address_code="T-001"),
                                   actor=None)
    db.flush()
    worker = client_for(g.worker)
    form = worker.get("/grid/patrols/new")
    assert form.status_code == 200 and "周网格" in form.text and g.officer.username in form.text
    member_id = re.search(r'name="member_ids" value="(\d+)"', form.text).group(1)
    planned = worker.post("/grid/patrols", data={"csrf_token": _csrf(form), "grid_code": TOUTUO_GRID,
                                                 "title": "警网联动夜巡", "member_ids": member_id,
                                                 "police_usernames": g.officer.username}, follow_redirects=False)
    assert planned.status_code == 303, planned.text
    patrol = db.scalar(select(Patrol))
    assert [p.name for p in patrol.people] == ["周网格", g.officer.display_name]
    page = worker.get(planned.headers["location"])
    assert f'action="/grid/patrols/{patrol.id}/start"' in page.text and f'data-checkpoint="{point.id}"' in page.text
    token = _csrf(page)
    early = worker.post(f"/grid/patrols/{patrol.id}/end", data={"csrf_token": token})
    assert early.status_code == 409 and "data-refusal" in early.text and patrol.status is PatrolStatus.PLANNED
    for step, data in (("start", {}), ("check-in", {"token": point.token})):
        assert worker.post(f"/grid/patrols/{patrol.id}/{step}", data={"csrf_token": token, **data},
                           follow_redirects=False).status_code == 303, step
    # The same point again, from its scanned QR code: one check-in, and back to the patrol's page.
    scanned = worker.post(f"/grid/checkin/{point.token}", data={"csrf_token": token, "patrol_id": str(patrol.id)},
                          follow_redirects=False)
    assert scanned.headers["location"] == f"/grid/patrols/{patrol.id}"
    assert worker.post(f"/grid/patrols/{patrol.id}/end", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    db.refresh(patrol)
    assert patrol.status is PatrolStatus.ENDED and len(patrol.check_ins) == 1
    assert "data-checked-in" in worker.get(f"/grid/patrols/{patrol.id}").text


def test_a_check_in_at_another_grids_point_is_refused_on_the_page(db, g, client_for):
    worker = client_for(g.worker)
    form = worker.get("/grid/patrols/new")
    worker.post("/grid/patrols", data={"csrf_token": _csrf(form), "grid_code": TOUTUO_GRID, "title": "巡逻"})
    patrol = db.scalar(select(Patrol))
    worker.post(f"/grid/patrols/{patrol.id}/start", data={"csrf_token": _csrf(form)})
    refused = worker.post(f"/grid/patrols/{patrol.id}/check-in", data={"csrf_token": _csrf(form),
                                                                       "token": "0000000000000000"})
    assert refused.status_code == 422 and "不是本网格的巡逻点" in refused.text


def test_the_service_worker_is_served_for_the_grid_pages(client_for, g):
    answer = client_for(g.worker).get("/grid/sw.js")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/grid/" and "/grid/collections/new" in answer.text


def test_a_finding_reported_from_a_patrol_page_is_a_report_of_that_patrol(db, g, client_for):
    worker = client_for(g.worker)
    form = worker.get("/grid/patrols/new")
    worker.post("/grid/patrols", data={"csrf_token": _csrf(form), "grid_code": TOUTUO_GRID, "title": "白天巡逻"})
    patrol = db.scalar(select(Patrol))
    worker.post(f"/grid/patrols/{patrol.id}/start", data={"csrf_token": _csrf(form)})
    assert f'href="/grid/reports/new?patrol={patrol.id}"' in worker.get(f"/grid/patrols/{patrol.id}").text
    report_form = worker.get(f"/grid/reports/new?patrol={patrol.id}")
    assert f'data-finding="/api/v1/grid/patrols/{patrol.id}/findings"' in report_form.text
    sent = worker.post("/grid/reports", data={
        "csrf_token": _csrf(report_form), "patrol_id": str(patrol.id), "grid_code": TOUTUO_GRID,
        "category": "fire_risk", "description": "楼道电动车充电", "address_code": "T-002",
        "fields.risks": "ebike_charging"}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    report = db.scalar(select(Report))
    assert report.patrol_id == patrol.id and f"/grid/reports/{report.id}" in worker.get(
        f"/grid/patrols/{patrol.id}").text


def test_a_collection_typed_offline_with_address_text_only_is_tied_to_the_sure_standard_address(db, g, api_client):
    worker = api_client(g.worker)
    matched = worker.post("/api/v1/grid/collections", json={"kind": "hazard", "address_text": "新下岙村2号",
                                                            "data": {"hazard": "电线老化"}})
    assert matched.status_code == 201 and matched.json()["address_code"] == "T-002"
    unsure = worker.post("/api/v1/grid/collections", json={"kind": "hazard", "address_text": "不知哪里"})
    assert unsure.status_code == 422
    assert unsure.json()["error"]["details"][0]["field"] == "address_code" and _count(db, Collection) == 1
