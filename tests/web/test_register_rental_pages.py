"""Pages of the register and 租安心 as HTML: the person's file lists records known by the person's phone alone,
masked and marked as the weaker link; the public declaration page offers the optional photo of the ID card
(multipart, JPEG or PNG); a manager's portal says whom they act for and offers no step their role may not take."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.platform.org import service as org_service
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.places import service as places
from pingan.platform.records import Record
from pingan.platform.users.models import Role
from pingan.rental import service as rental
from pingan.rental.schemas import MandateIn, PropertyIn, parse

WANG = make_resident_id("331003", dt.date(1970, 5, 1), 1, "M")
LANDLORD = make_resident_id("331003", dt.date(1965, 2, 1), 11, "M")
MANAGER = make_resident_id("331003", dt.date(1975, 8, 6), 21, "M")


def test_the_file_page_lists_phone_only_records_masked_and_marked(db, county, make_user, client_for):
    station = org_service.get_unit(db, "331003-01")
    people.seen(db, id_number=WANG, name="王大山", role=PersonRole.PARTY, record=Record("mediation", "dispute", 1),
                unit=station, phone="13905760001", at=clock.now() - dt.timedelta(days=2))
    people.seen(db, id_number=None, name="王先生", role=PersonRole.PARTY, record=Record("mediation", "dispute", 2),
                unit=station, phone="13905760001")
    db.flush()
    page = client_for(make_user(Role.ANALYST)).post("/people", data={"id_number": WANG, "reason": "纠纷当事人核查"})
    assert page.status_code == 200
    section = page.text.split("data-by-phone", 1)[1]
    assert "139****0001" in section and "13905760001" not in page.text
    assert "仅凭手机号关联" in page.text and "重复（仅电话相同）" not in page.text.split("data-by-phone")[0]


def _property(db, grid_worker):
    places.import_csv(db, "code,grid,road,number,building,unit,room\nTT-XXA-32,331003-01-01-01,新下岙村,32,,,\n")
    return rental.register_property(db, actor=grid_worker, data=parse(PropertyIn, {
        "address_code": "TT-XXA-32", "kind": "shared",
        "keepers": [{"role": "landlord", "name": "陈房东", "id_number": LANDLORD, "username": "landlord1"}],
        "units": [{"label": "201", "beds": 2, "area": 20}]}))


def test_the_declaration_page_offers_the_optional_id_photo(app, db, county, make_user):
    grid = make_user(Role.GRID_WORKER)
    make_user(Role.LANDLORD, username="landlord1")
    prop = _property(db, grid)
    db.flush()
    page = TestClient(app).get(f"/r/{rental.active_code(prop.units[0]).token}")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="id_photo" type="file" accept="image/jpeg,image/png"' in page.text
    assert "/static/photos.js" in page.text and "身份证照片（选填）" in page.text


def test_a_managers_portal_says_whom_they_act_for_and_shows_no_mandate_form(db, county, make_user, client_for):
    grid = make_user(Role.GRID_WORKER)
    landlord = make_user(Role.LANDLORD, username="landlord1")
    manager = make_user(Role.LANDLORD, username="manager1")
    prop = _property(db, grid)
    rental.appoint(db, prop=prop, actor=landlord, data=parse(MandateIn, {
        "role": "manager", "username": "manager1", "name": "物业小张", "id_number": MANAGER,
        "until": (clock.today_local() + dt.timedelta(days=30)).isoformat()}))
    db.flush()
    page = client_for(manager).get("/rental/portal")
    assert page.status_code == 200
    assert 'data-acting-as="manager"' in page.text and "物业管理人" in page.text and "委托至" in page.text
    assert "data-mandates" not in page.text
    mine = client_for(landlord).get("/rental/portal").text
    assert f'data-mandates="{prop.id}"' in mine and "物业小张" in mine and 'data-step="withdraw"' in mine
