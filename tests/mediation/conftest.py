"""Mediation fixtures: people with valid resident IDs, a dispute body, and a station with a room and mediator."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pingan.mediation import service
from pingan.mediation.models import MediatorKind
from pingan.mediation.schemas import DisputeIn, SessionIn, parse
from pingan.platform.org import service as org_service
from pingan.platform.users.models import Role
from tests.mediation.factories import agreement, dispute_body


@pytest.fixture
def med(db, county, make_user):
    """头陀: a mediator, the 头陀社区 community officer, a room and an elder; 江口: a mediator."""
    toutuo = org_service.get_unit(db, "331003-01")
    ns = SimpleNamespace(
        mediator=make_user(Role.MEDIATOR, unit="331003-01"),
        officer=make_user(Role.COMMUNITY_OFFICER, unit="331003-01-01"),
        other_mediator=make_user(Role.MEDIATOR, unit="331003-02"),
        leader=make_user(Role.LEADER),
        room=service.add_room(db, station=toutuo, name="头陀所调解室", actor=None),
        elder=service.add_mediator(db, station=toutuo, name="老娘舅 王伯", kind=MediatorKind.ELDER, actor=None),
        station=toutuo,
    )
    db.flush()

    def take_in(actor=None, **overrides):
        return service.take_in(db, data=parse(DisputeIn, dispute_body(**overrides)), actor=actor or ns.mediator)

    def session(dispute, outcome: str, **kw):
        body = {"outcome": outcome, "note": kw.pop("note", "")}
        if outcome == "settled":
            body["agreement"] = agreement(**kw)
        return service.record_session(db, dispute=dispute, data=parse(SessionIn, body), actor=ns.mediator)

    ns.take_in, ns.session = take_in, session
    return ns
