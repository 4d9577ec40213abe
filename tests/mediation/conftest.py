"""Mediation fixtures: people with valid resident IDs, a dispute body, and a station with a room and mediator."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from pingan.core import clock
from pingan.core.identity import make_resident_id
from pingan.mediation import service
from pingan.mediation.models import MediatorKind
from pingan.mediation.schemas import DisputeIn, SessionIn, parse
from pingan.platform.auth.models import Role
from pingan.platform.org import service as org_service

WANG = make_resident_id("331003", dt.date(1970, 5, 1), 1, "M")
LI = make_resident_id("331003", dt.date(1980, 6, 2), 2, "F")
ZHAO = make_resident_id("331003", dt.date(1990, 7, 3), 3, "M")
BAD_CHECK_DIGIT = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")


def dispute_body(**overrides) -> dict:
    body = {"source": "walk_in", "category": "neighbour", "summary": "邻里噪音纠纷", "station_code": "331003-01",
            "community_code": "331003-01-01",
            "parties": [{"name": "王大山", "id_number": WANG, "phone": "13905760001"},
                        {"name": "李小水", "id_number": LI, "phone": "13905760002"}]}
    body.update(overrides)
    return body


def agreement(**overrides) -> dict:
    body = {"facts": "楼上深夜噪音影响楼下休息。", "responsibilities": "王大山负主要责任。",
            "obligations": "王大山晚十点后不再制造噪音，并向李小水道歉。", "performance_method": "当面道歉",
            "performance_place": "头陀社区警务室", "performance_due_on": (clock.today_local() + dt.timedelta(days=5))
            .isoformat(),
            "signatures": [{"name": "王大山", "role": "party"}, {"name": "李小水", "role": "party"},
                           {"name": "老娘舅 王伯", "role": "mediator"}]}
    body.update(overrides)
    return body


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
