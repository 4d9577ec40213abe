"""The rental API as its callers see it: bad input answered per the issue (422 with the field, 404 across
landlords and grids, 409 out of order with nothing changed), a property read with its deadlines, figures."""

from __future__ import annotations

import datetime as dt

from pingan.core import clock
from tests.rental.factories import ALL_PASS, BAD_ID, TENANT_ID, property_body, tenancy_body


def _today() -> dt.date:
    return clock.today_local()


def test_a_grid_worker_registers_a_property_and_reads_it_with_units_and_codes(rent, client_for):
    grid = client_for(rent.grid)
    made = grid.post("/api/v1/rental/properties", json=property_body(address_code="TT-XXA-33", name="另一处"))
    assert made.status_code == 201, made.text
    body = grid.get(f"/api/v1/rental/properties/{made.json()['id']}").json()
    assert [u["label"] for u in body["units"]] == ["201", "202"] and all(u["code_active"] for u in body["units"])
    assert body["colour"] == "yellow"  # never inspected


def test_an_unknown_address_and_a_bad_id_number_are_422_on_their_fields(rent, client_for):
    grid = client_for(rent.grid)
    r = grid.post("/api/v1/rental/properties", json=property_body(address_code="NOPE"))
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "address_code"
    r = grid.post(f"/api/v1/rental/properties/{rent.prop.id}/tenancies",
                  json=tenancy_body(BAD_ID, moved_in_on=_today()))
    assert r.status_code == 422
    assert r.json()["error"]["details"][0] == {"field": "tenant.id_number", "code": "id_number.check_digit",
                                               "message": r.json()["error"]["details"][0]["message"]}


def test_a_landlord_declares_and_reads_the_deadlines_and_cannot_read_another_landlords_property(rent, client_for):
    landlord = client_for(rent.landlord)
    r = landlord.post(f"/api/v1/rental/properties/{rent.prop.id}/tenancies",
                      json=tenancy_body(moved_in_on=_today()))
    assert r.status_code == 201 and r.json()["move_in_on_time"] is True and r.json()["declared_by"] == "landlord"
    assert landlord.get(f"/api/v1/rental/properties/{rent.other_prop.id}").status_code == 404
    assert client_for(rent.other_landlord).get(f"/api/v1/rental/properties/{rent.prop.id}").status_code == 404
    assert client_for(rent.other_grid).get(f"/api/v1/rental/properties/{rent.prop.id}").status_code == 404


def test_an_officers_declaration_shows_the_landlords_running_clock(rent, client_for):
    grid = client_for(rent.grid)
    t = grid.post(f"/api/v1/rental/properties/{rent.prop.id}/tenancies", json=tenancy_body(moved_in_on=_today()))
    deadlines = grid.get(f"/api/v1/rental/properties/{rent.prop.id}").json()["tenancies"][0]["deadlines"]
    assert [(d["kind"], d["phase"], d["status"]) for d in deadlines] == [("rental.tenancy.reported", "in", "running")]
    assert t.json()["deadlines"][0]["assignee_id"] == rent.landlord.id


def test_steps_out_of_order_are_409_and_change_nothing(rent, client_for):
    grid = client_for(rent.grid)
    t = grid.post(f"/api/v1/rental/properties/{rent.prop.id}/tenancies",
                  json=tenancy_body(moved_in_on=_today())).json()
    r = grid.post(f"/api/v1/rental/tenancies/{t['id']}/deregister", json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "tenancy.not_verified"
    assert grid.get(f"/api/v1/rental/properties/{rent.prop.id}").json()["tenancies"][0]["status"] == "declared"
    assert grid.post(f"/api/v1/rental/tenancies/{t['id']}/verify", json={}).json()["status"] == "verified"
    r = grid.post(f"/api/v1/rental/tenancies/{t['id']}/end",
                  json={"moved_out_on": (dt.date.fromisoformat(t["moved_in_on"]) - dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "moved_out_on"
    ended = grid.post(f"/api/v1/rental/tenancies/{t['id']}/end", json={"moved_out_on": t["moved_in_on"]})
    assert ended.json()["status"] == "ended"


def test_only_the_landlord_confirms_and_the_tenancy_turns_active(rent, client_for):
    grid, landlord = client_for(rent.grid), client_for(rent.landlord)
    t = grid.post(f"/api/v1/rental/properties/{rent.prop.id}/tenancies", json=tenancy_body(moved_in_on=_today())).json()
    grid.post(f"/api/v1/rental/tenancies/{t['id']}/verify", json={})
    assert grid.post(f"/api/v1/rental/tenancies/{t['id']}/confirm", json={}).status_code == 403
    assert client_for(rent.other_landlord).post(f"/api/v1/rental/tenancies/{t['id']}/confirm",
                                                json={}).status_code == 404
    confirmed = landlord.post(f"/api/v1/rental/tenancies/{t['id']}/confirm", json={}).json()
    assert confirmed["status"] == "active" and confirmed["registered_on"] == _today().isoformat()
    assert confirmed["permit_eligible_on"] is not None


def test_an_inspection_with_a_missing_item_is_422_and_a_hazard_gets_its_deadline(rent, client_for):
    grid = client_for(rent.grid)
    r = grid.post(f"/api/v1/rental/properties/{rent.prop.id}/inspections", json={"results": {"gas": True}})
    assert r.status_code == 422
    r = grid.post(f"/api/v1/rental/properties/{rent.prop.id}/inspections",
                  json={"results": {**ALL_PASS, "wiring": False}})
    assert r.status_code == 201 and [h["item"] for h in r.json()["hazards"]] == ["wiring"]
    assert client_for(rent.landlord).post(f"/api/v1/rental/properties/{rent.prop.id}/inspections",
                                          json={"results": ALL_PASS}).status_code == 403


def test_figures_are_for_officers_not_landlords(rent, client_for):
    client_for(rent.landlord).post(f"/api/v1/rental/properties/{rent.prop.id}/tenancies",
                                   json=tenancy_body(TENANT_ID, moved_in_on=_today()))
    f = client_for(rent.officer).get(f"/api/v1/rental/figures?year={_today().year}")
    assert f.status_code == 200 and f.json()["units"] == 3 and f.json()["declared"] == 1
    assert client_for(rent.landlord).get("/api/v1/rental/figures").status_code == 403
