"""Rental fixtures: the 头陀 grid's worker, the community officer, two landlords with accounts, addresses,
and a group rental of landlord1 in the grid."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pingan.platform.places import service as places
from pingan.platform.users.models import Role
from pingan.rental import service
from pingan.rental.schemas import PropertyIn, TenancyIn, parse
from tests.rental.factories import ADDRESSES_CSV, OTHER_LANDLORD_ID, property_body, tenancy_body


@pytest.fixture
def rent(db, county, make_user):
    places.import_csv(db, ADDRESSES_CSV)
    ns = SimpleNamespace(
        grid=make_user(Role.GRID_WORKER, unit="331003-01-01-01"),
        officer=make_user(Role.COMMUNITY_OFFICER, unit="331003-01-01"),
        duty=make_user(Role.DUTY_OFFICER, unit="331003-01"),
        other_grid=make_user(Role.GRID_WORKER, unit="331003-02-01-01"),
        landlord=make_user(Role.LANDLORD, username="landlord1"),
        other_landlord=make_user(Role.LANDLORD, username="landlord2"),
        leader=make_user(Role.LEADER),
    )
    db.flush()

    def register(actor=None, **overrides):
        return service.register_property(db, data=parse(PropertyIn, property_body(**overrides)),
                                         actor=actor or ns.grid)

    def declare(prop, actor, id_number=None, **kw):
        body = tenancy_body(**({"id_number": id_number} if id_number else {}), **kw)
        return service.declare(db, prop=prop, data=parse(TenancyIn, body), actor=actor)

    ns.register, ns.declare = register, declare
    ns.prop = register()
    ns.other_prop = register(address_code="TT-XXA-33", name="新下岙村33号",
                             keepers=[{"role": "landlord", "name": "李房东", "id_number": OTHER_LANDLORD_ID,
                                       "username": "landlord2"}],
                             units=[{"label": "1", "beds": 1, "area": 20}])
    db.flush()
    return ns
