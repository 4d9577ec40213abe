"""The rental pages: the public declaration page a code opens (no account; revoked code 404 with nothing
stored; invalid input 422 with nothing stored; a flood 429), the silent hit (the tenant's and the landlord's
pages are the same for a wanted tenant), the landlord's portal, the officers' property page, plate and figures."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select

from pingan.core import clock
from pingan.platform.org import service as org_service
from pingan.platform.users.models import Role
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind, WatchHit
from pingan.rental import service
from pingan.rental.models import Tenancy
from pingan.rental.settings import get_rental_settings
from tests.rental.factories import BAD_ID, TENANT2_ID, TENANT_ID, WANTED_ID


def _token(unit) -> str:
    return service.active_code(unit).token


def _declare(client: TestClient, token: str, id_number: str, name: str = "王租客", phone: str = "13905762001"):
    form = client.get(f"/r/{token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    return client.post(f"/r/{token}", data={"csrf_token": csrf, "name": name, "id_number": id_number,
                                            "phone": phone, "moved_in_on": clock.today_local().isoformat()})


def _tenancies(db) -> int:
    return db.scalar(select(func.count()).select_from(Tenancy))


def test_a_tenant_declares_through_the_code_without_an_account(app, db, rent):
    client = TestClient(app)
    page = client.get(f"/r/{_token(rent.prop.units[0])}")
    assert page.status_code == 200 and "201" in page.text
    done = _declare(client, _token(rent.prop.units[0]), TENANT_ID)
    assert done.status_code == 200 and "data-declared" in done.text
    t = db.scalar(select(Tenancy))
    assert (t.declared_by.value, t.id_number, t.unit.label) == ("tenant", TENANT_ID, "201")


def test_an_invalid_id_number_is_422_on_the_field_and_stores_nothing(app, db, rent):
    r = _declare(TestClient(app), _token(rent.prop.units[0]), BAD_ID)
    assert r.status_code == 422 and 'data-error-for="id_number"' in r.text
    assert _tenancies(db) == 0


def test_a_revoked_code_is_404_and_stores_nothing_and_the_reissued_one_works(app, db, rent):
    unit = rent.prop.units[0]
    old = _token(unit)
    client = TestClient(app)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/r/{old}").text).group(1)
    service.reissue_code(db, unit=unit, actor=rent.grid)
    db.commit()  # a refused request rolls the request's session back: the reissue is kept
    assert client.get(f"/r/{old}").status_code == 404
    r = client.post(f"/r/{old}", data={"csrf_token": csrf, "name": "王租客", "id_number": TENANT_ID,
                                       "phone": "13905762001", "moved_in_on": clock.today_local().isoformat()})
    assert r.status_code == 404 and _tenancies(db) == 0
    assert _declare(client, _token(unit), TENANT_ID).status_code == 200 and _tenancies(db) == 1


def test_a_flood_through_one_code_is_429(app, db, rent, monkeypatch):
    monkeypatch.setenv("PINGAN_RENTAL_DECLARATIONS_PER_CLIENT", "3")
    get_rental_settings.cache_clear()
    try:
        client = TestClient(app)
        token = _token(rent.prop.units[1])
        answers = [_declare(client, token, BAD_ID).status_code for _ in range(4)]
    finally:
        get_rental_settings.cache_clear()
    assert answers == [422, 422, 422, 429]
    assert _tenancies(db) == 0


def test_a_wanted_tenant_sees_the_same_page_and_the_landlord_the_same_portal(app, db, rent, client_for):
    station = org_service.get_unit(db, "331003-01")
    listed = watch.ensure_list(db, code="test.wanted", name="在逃人员", kind=ListKind.WATCH, owner_unit=station,
                               owner_role=Role.DUTY_OFFICER)
    watch.add_entry(db, watch_list=listed, id_number=WANTED_ID, actor=None)
    plain = _declare(TestClient(app), _token(rent.prop.units[0]), TENANT2_ID, name="甲")
    wanted = _declare(TestClient(app), _token(rent.prop.units[1]), WANTED_ID, name="甲")
    strip = re.compile(r'(csrf[^"]*" (content|value)="[^"]+"|nonce="[^"]+"|X-CSRF-Token": "[^"]+")')
    assert strip.sub("", plain.text) == strip.sub("", wanted.text)
    assert {(h.id_number, h.module) for h in db.scalars(select(WatchHit))} == {(WANTED_ID, "rental")}
    portal = client_for(rent.landlord).get("/rental/portal").text
    rows = re.findall(r'data-tenancy="\d+">(.*?)</div>', portal, re.S)
    assert len(rows) == 2
    assert [re.sub(r"\d{6}\*+\d{4}", "ID", r) for r in rows][0] == [re.sub(r"\d{6}\*+\d{4}", "ID", r)
                                                                    for r in rows][1]
    assert "布控" not in portal and "比中" not in portal


def test_the_landlord_declares_a_move_in_on_the_portal_and_sees_only_their_units(app, db, rent, client_for):
    landlord = client_for(rent.landlord)
    page = landlord.get("/rental/portal")
    assert 'data-unit="201"' in page.text and 'data-unit="1"' not in page.text
    r = landlord.post("/rental/portal/tenancies", data={
        "unit": f"{rent.prop.id}:202", "name": "赵租客", "id_number": TENANT_ID, "phone": "13905762002",
        "moved_in_on": clock.today_local().isoformat()}, follow_redirects=False)
    assert r.status_code == 303
    assert db.scalar(select(Tenancy)).declared_by.value == "landlord"
    r = landlord.post("/rental/portal/tenancies", data={
        "unit": f"{rent.other_prop.id}:1", "name": "赵租客", "id_number": TENANT2_ID,
        "moved_in_on": clock.today_local().isoformat()})
    assert r.status_code == 404 and _tenancies(db) == 1


def test_the_grid_worker_verifies_on_the_property_page_and_prints_the_plate(app, db, rent, client_for):
    service.declare_public(db, unit=rent.prop.units[0], data=service.DeclarationIn(
        name="王租客", id_number=TENANT_ID, phone="13905762001", moved_in_on=clock.today_local()))
    db.flush()
    grid = client_for(rent.grid)
    page = grid.get(f"/rental/properties/{rent.prop.id}")
    assert 'data-step="verify"' in page.text and TENANT_ID not in page.text  # masked in the list
    t = db.scalar(select(Tenancy))
    assert grid.post(f"/rental/tenancies/{t.id}/verify", data={}, follow_redirects=False).status_code == 303
    assert t.status.value == "verified"
    again = grid.post(f"/rental/tenancies/{t.id}/verify", data={})
    assert again.status_code == 409 and "data-refusal" in again.text
    pdf = grid.get(f"/rental/properties/{rent.prop.id}/units/{rent.prop.units[0].id}/plate.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\x00", "")
    assert f"{rent.prop.units[0].id:05d}" in text and "未检查" in text


def test_figures_page_and_excel_export(app, rent, client_for):
    officer = client_for(rent.officer)
    page = officer.get("/rental/figures")
    assert page.status_code == 200 and 'data-figure="units">3<' in page.text
    xlsx = officer.get("/rental/figures.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_grid_worker_registers_a_property_on_the_form_and_a_bad_row_is_named(app, db, rent, client_for):
    grid = client_for(rent.grid)
    assert grid.get("/rental/properties/new").status_code == 200
    form = {"place": "新下岙村33号", "address_code": "TT-XXA-33", "kind": "shared", "name": "",
            "keepers[0].name": "孙房东", "keepers[0].id_number": TENANT2_ID, "keepers[0].phone": "",
            "keepers[0].username": "", "units[0].label": "", "units[0].beds": "", "units[0].area": "",
            "units[1].label": "A", "units[1].beds": "2", "units[1].area": "abc"}
    bad = grid.post("/rental/properties", data=form)
    assert bad.status_code == 422 and 'data-error-for="units[1].area"' in bad.text
    made = grid.post("/rental/properties", data={**form, "units[1].area": "18"}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/rental/properties/")
    assert client_for(rent.landlord).get("/rental/properties/new").status_code == 403
