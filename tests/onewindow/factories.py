"""One-window test builders: residents with valid ID numbers and an application body."""

from __future__ import annotations

import datetime as dt

from pingan.core.identity import make_resident_id

CHEN = make_resident_id("331003", dt.date(1992, 1, 18), 7, "M")
LIN = make_resident_id("331003", dt.date(1985, 3, 9), 8, "F")
BAD_CHECK_DIGIT = CHEN[:-1] + ("0" if CHEN[-1] != "0" else "1")


def application_body(**overrides) -> dict:
    body = {"applicant": {"name": "陈春归", "id_number": CHEN, "phone": "13905761234"}, "channel": "window",
            "station_code": "331003-01", "items": ["booklet_replacement", "passport", "driving_licence_replacement"]}
    body.update(overrides)
    return body


def point_body(**overrides) -> dict:
    body = {"community_code": "331003-01-01", "name": "头陀社区便民代办点", "agent_name": "张建华",
            "agent_phone": "13805700001", "address": "头陀社区居委会一楼", "services": ["passport", "residence_permit"]}
    body.update(overrides)
    return body
