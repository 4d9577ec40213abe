"""Builders for screening requests: valid by default, any field overridable, nested fields merged."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from pingan.antifraud.engine.contract import ScreeningRequest, parse_screening_request
from pingan.antifraud.engine.scoring import IDENTITY, RiskScale
from pingan.core.identity import make_resident_id

ADULT_MAN = make_resident_id("331003", dt.date(1985, 6, 1), 7, "M")
ELDERLY_WOMAN = make_resident_id("331003", dt.date(1948, 2, 14), 3, "F")

_BASE: dict[str, Any] = {
    "request_id": "req-0001",
    "bank_code": "TZB",
    "branch_code": "TZB-01",
    "channel": "mobile",
    "occurred_at": "2025-03-03T10:00:00+08:00",
    "amount": "2000.00",
    "customer": {
        "id_number": ADULT_MAN,
        "name": "张三",
        "phone": "13800138000",
        "account_no": "6222020000000001",
        "balance": "50000.00",
    },
    "payee": {"account_no": "6222020000000002", "name": "张小明", "region_code": "331003"},
    "purpose": "生活费",
    "signals": [],
}


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if value is ...:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def body(**overrides: Any) -> dict[str, Any]:
    """A contract-v1 request body; `customer={...}` and `payee={...}` are merged into the defaults, and a
    value of `...` removes the key."""
    return _merge(_BASE, overrides)


def request(**overrides: Any) -> ScreeningRequest:
    return parse_screening_request(body(**overrides))


class FixedModel:
    """A model whose points are set per test; it reads no features."""

    version = "fixed"
    feature_names = None

    def __init__(self, points: float, scale: RiskScale = IDENTITY) -> None:
        self.points, self.risk_scale = points, scale

    def score(self, features):
        return self.points / 1000

    def score_many(self, rows):
        return [self.points / 1000] * len(rows)
