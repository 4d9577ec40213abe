"""Mediation test builders: people with valid resident IDs, a dispute body and an agreement."""

from __future__ import annotations

import datetime as dt

from pingan.core import clock
from pingan.core.identity import make_resident_id

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
