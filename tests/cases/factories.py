"""Cases test builders: people with valid resident IDs and the bodies of calls, cases, fraud reports and
seizures."""

from __future__ import annotations

import datetime as dt

from pingan.core import clock
from pingan.core.identity import make_resident_id

SUSPECT = make_resident_id("331003", dt.date(1975, 4, 1), 11, "M")
VICTIM = make_resident_id("331003", dt.date(1950, 2, 3), 12, "F")
WITNESS = make_resident_id("331003", dt.date(1988, 9, 9), 13, "M")
BAD_CHECK_DIGIT = SUSPECT[:-1] + ("0" if SUSPECT[-1] != "0" else "1")
MULE_ACCOUNT = "6230000000077777"
FRAUD_PHONE = "17000000001"


def iso(value: dt.datetime) -> str:
    return value.isoformat()


def call_body(**overrides) -> dict:
    body = {"call_no": "110-0001", "station_code": "331003-01", "category": "criminal",
            "summary": "报警称家中被盗", "caller_phone": "13905761111", "address_text": "头陀镇新下岙村32号"}
    body.update(overrides)
    return body


def case_body(**overrides) -> dict:
    body = {"kind": "criminal", "category": "theft", "title": "新下岙村入室盗窃案", "summary": "家中现金被盗",
            "occurred_at": iso(clock.now() - dt.timedelta(hours=5)), "station_code": "331003-01"}
    body.update(overrides)
    return body


def fraud_body(**overrides) -> dict:
    body = {"victim": {"name": "王阿婆", "id_number": VICTIM, "phone": "13905762222"}, "loss": "180000.00",
            "occurred_at": iso(clock.now() - dt.timedelta(hours=3)), "station_code": "331003-01",
            "contact_method": "phone", "typology": "impersonating_authorities",
            "payees": [{"account_no": MULE_ACCOUNT, "bank_code": "HYRCB", "name": "李某"}], "phones": [FRAUD_PHONE]}
    body.update(overrides)
    return body


def seizure_body(**overrides) -> dict:
    body = {"description": "假兽药", "quantity": "1800", "unit": "box", "value": "540000.00",
            "held_at": "头陀所涉案财物暂存室", "from_name": "张某（当事人）", "to_name": "李警官",
            "from_signed": "张某（当事人）", "to_signed": "李警官"}
    body.update(overrides)
    return body


def movement(kind: str, frm: str, to: str, **extra) -> dict:
    return {"kind": kind, "from_name": frm, "to_name": to, "from_signed": frm, "to_signed": to, **extra}
