"""Rental test builders: addresses in the test county, people with valid resident IDs, request bodies."""

from __future__ import annotations

import datetime as dt

from pingan.core.identity import make_resident_id

LANDLORD_ID = make_resident_id("331003", dt.date(1965, 2, 1), 11, "M")
OTHER_LANDLORD_ID = make_resident_id("331003", dt.date(1966, 3, 2), 12, "F")
TENANT_ID = make_resident_id("331003", dt.date(1995, 4, 3), 13, "M")
TENANT2_ID = make_resident_id("331003", dt.date(1996, 5, 4), 14, "F")
WANTED_ID = make_resident_id("331003", dt.date(1988, 6, 5), 15, "M")
BAD_ID = TENANT_ID[:-1] + ("0" if TENANT_ID[-1] != "0" else "1")

ADDRESSES_CSV = """code,grid,road,number,building,unit,room
TT-XXA-32,331003-01-01-01,新下岙村,32,,,
TT-XXA-33,331003-01-01-01,新下岙村,33,,,
JK-JKL-5,331003-02-01-01,江口路,5,,,
"""


def property_body(**overrides) -> dict:
    body = {"address_code": "TT-XXA-32", "kind": "group_rental", "name": "新下岙村32号",
            "keepers": [{"role": "landlord", "name": "陈房东", "id_number": LANDLORD_ID, "phone": "13905761001",
                         "username": "landlord1"}],
            "units": [{"label": "201", "rooms": 1, "beds": 2, "area": 12.0},
                      {"label": "202", "rooms": 2, "beds": 4, "area": 30.0}]}
    body.update(overrides)
    return body


def tenancy_body(id_number: str = TENANT_ID, *, unit: str = "201", moved_in_on: dt.date, **overrides) -> dict:
    body = {"tenant": {"name": "王租客", "id_number": id_number, "phone": "13905762001"},
            "moved_in_on": moved_in_on.isoformat(), "unit": unit}
    body.update(overrides)
    return body


ALL_PASS = {"extinguisher": True, "escape_route": True, "ebike_charging": True, "gas": True, "wiring": True,
            "locks": True}
