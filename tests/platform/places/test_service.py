"""Importing and editing standard addresses: all or nothing, idempotent, audited, scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.errors import ValidationFailed
from pingan.platform.audit.models import AuditEvent
from pingan.platform.org import service as org_service
from pingan.platform.places import service
from pingan.platform.places.models import Address
from pingan.platform.records import Record
from pingan.platform.users.models import Role

HEADER = "code,grid,road,number,building,unit,room\n"


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(Address))


def test_a_faulty_line_refuses_the_whole_file_naming_line_and_field(county):
    text = (HEADER + "A-1,331003-01-01-01,新下岙村,1,,,\nA-2,331003-09-09-09,新下岙村,2,,,\n"
            "A-3,331003-01-01-01,新下岙村,abc,,,\n")
    with pytest.raises(ValidationFailed) as caught:
        service.import_csv(county, text)
    assert {d.field for d in caught.value.details} == {"line 3.grid", "line 4.number"}
    assert _count(county) == 0


def test_a_missing_column_is_refused(county):
    with pytest.raises(ValidationFailed) as caught:
        service.import_csv(county, "code,grid,road\nA-1,331003-01-01-01,新下岙村\n")
    assert caught.value.details[0].code == "header.missing"


def test_the_same_code_twice_in_a_file_is_refused(county):
    text = HEADER + "A-1,331003-01-01-01,新下岙村,1,,,\nA-1,331003-01-01-01,新下岙村,2,,,\n"
    with pytest.raises(ValidationFailed) as caught:
        service.import_csv(county, text)
    assert caught.value.details[0].field == "line 3.code"


def test_importing_twice_changes_nothing_and_a_change_updates_by_code(county):
    text = HEADER + "A-1,331003-01-01-01,新下岙村,１号,,,\nA-2,331003-01-01-01,新下岙村,2,3幢,1单元,301室\n"
    assert service.import_csv(county, text) == {"created": 2, "updated": 0, "unchanged": 0}
    assert service.import_csv(county, text) == {"created": 0, "updated": 0, "unchanged": 2}
    changed = text.replace("301室", "302")
    assert service.import_csv(county, changed) == {"created": 0, "updated": 1, "unchanged": 1}
    flat = county.scalar(select(Address).where(Address.code == "A-2"))
    assert (flat.number, flat.building, flat.unit_no, flat.room, flat.text) == ("2", "3", "1", "302",
                                                                                "新下岙村2号3幢1单元302室")
    assert county.scalar(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "places.address.imported")) == 2


def test_an_unknown_address_code_is_a_422_on_the_field(county):
    with pytest.raises(ValidationFailed) as caught:
        service.resolve(county, "NO-SUCH", field="parties[0].address_code")
    assert (caught.value.details[0].field, caught.value.details[0].code) == ("parties[0].address_code",
                                                                             "address.unknown")


def test_two_records_at_one_address_within_90_days_are_linked(county):
    service.import_csv(county, HEADER + "A-1,331003-01-01-01,新下岙村,1,,,\n")
    address = service.resolve(county, "A-1")
    station = org_service.get_unit(county, "331003-01")
    first = service.mentioned(county, address=address, record=Record("mediation", "dispute", 1), unit_id=station.id,
                              at=clock.now() - dt.timedelta(days=100))
    second = service.mentioned(county, address=address, record=Record("mediation", "dispute", 2),
                               unit_id=station.id, at=clock.now() - dt.timedelta(days=20))
    third = service.mentioned(county, address=address, record=Record("cases", "call", 7), unit_id=station.id,
                              at=clock.now())
    assert first.repeat_of_id is None  # nothing before it
    assert second.repeat_of_id == first.id  # 80 days later
    assert third.repeat_of_id == second.id
    fourth = service.mentioned(county, address=address, record=Record("cases", "call", 8), unit_id=station.id,
                               at=clock.now() + dt.timedelta(days=91))
    assert fourth.repeat_of_id is None  # the last one was 91 days before


def test_the_edit_api_changes_an_address_in_scope_only(county, make_user, api_client):
    service.import_csv(county, HEADER + "A-1,331003-01-01-01,新下岙村,1,,,\n")
    officer = api_client(make_user(Role.COMMUNITY_OFFICER, unit="331003-01-01"))
    response = officer.patch("/api/v1/places/A-1", json={"road": "新下岙村", "number": "1", "room": "101室"})
    assert response.status_code == 200 and response.json()["text"] == "新下岙村1号101室"
    other = api_client(make_user(Role.DUTY_OFFICER, unit="331003-02"))
    assert other.get("/api/v1/places/A-1").status_code == 404
    bad = officer.patch("/api/v1/places/A-1", json={"road": "新下岙村", "number": "东边"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "number"


def test_the_pages_list_and_match(county, make_user, client_for):
    service.import_csv(county, HEADER + "A-1,331003-01-01-01,新下岙村,32,,,\n")
    client = client_for(make_user(Role.GRID_WORKER))
    page = client.get("/places", params={"q": "黄岩区头陀镇新下岙村32号"})
    assert page.status_code == 200 and "新下岙村32号" in page.text and "A-1" in page.text
    assert client.get("/places/A-1").status_code == 200


def test_the_picker_offers_the_matching_addresses_of_the_users_area_and_always_a_text_only_choice(
        county, make_user, client_for):
    service.import_csv(county, HEADER + "A-1,331003-01-01-01,新下岙村,32,,,\nB-1,331003-02-01-01,新下岙村,32,,,\n")
    client = client_for(make_user(Role.MEDIATOR, unit="331003-01"))
    choices = client.get("/places/picker", params={"field": "address_code", "source": "place",
                                                  "place": "头陀镇新下岙村32号"})
    assert choices.status_code == 200
    assert 'name="address_code" value="A-1"' in choices.text
    assert 'value="B-1"' not in choices.text  # another station's area
    assert 'name="address_code" value="" checked' in choices.text
    nothing = client.get("/places/picker", params={"place": "火星基地"})
    assert 'value="A-1"' not in nothing.text and "没有相近的标准地址" in nothing.text
    assert client.get("/places/picker", params={"field": "x\"><script>"}).status_code == 422
