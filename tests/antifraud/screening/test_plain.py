"""A plain body prepared without Pydantic gives exactly what the contract's model gives, and every body that
is not plain, or not valid, is left to the model (so its refusal keeps the model's own answer)."""

from __future__ import annotations

import copy
import datetime as dt

import orjson
import pytest
from pydantic import ValidationError

from pingan.antifraud.engine.contract import parse_screening_request
from pingan.antifraud.screening.plain import prepare_plain
from pingan.antifraud.screening.prepared import PreparedRequest, prepare, prepare_body
from pingan.antifraud.simulator import simulate
from pingan.core.errors import ValidationFailed
from tests.antifraud.engine.factories import ADULT_MAN, body


def _model_answer(raw: bytes) -> PreparedRequest | None:
    try:
        return prepare(parse_screening_request(raw))
    except ValidationError:
        return None


def _same(raw: bytes) -> PreparedRequest | None:
    """The plain path agrees with the model: the same prepared request, or no answer of its own."""
    quick, model = prepare_plain(raw), _model_answer(raw)
    if quick is not None:
        assert model is not None and PreparedRequest(*quick) == model, raw
    return None if quick is None else model


@pytest.mark.parametrize("county", ["a", "b"])
def test_a_simulated_month_is_prepared_alike_and_almost_all_of_it_plainly(tmp_path, county):
    simulate(tmp_path, customers=800, days=10, seed=31, config=county)
    lines = (tmp_path / "requests.jsonl").read_bytes().splitlines()
    plain = sum(_same(line) is not None for line in lines)
    assert plain == len(lines) > 1000


def _variants() -> list[dict]:
    """Bodies off the plain form, or invalid, each one change from a valid one."""
    base = body(signals=["on_phone"], payee={"account_opened_on": "2020-05-06", "bank_code": "ICBC"},
                customer={"account_opened_on": "2015-01-02"})
    changes = [
        {}, {"amount": "2000"}, {"amount": "2000.0"}, {"amount": 2000.0}, {"amount": "02000.00"},
        {"amount": "0.00"}, {"amount": "-1.00"}, {"amount": "2000.001"}, {"amount": "12345678901234.00"},
        {"amount": "1234567890123.00"}, {"occurred_at": "2025-03-03T02:00:00+00:00"},
        {"occurred_at": "2025-03-03T02:00:00Z"}, {"occurred_at": "2025-03-03T10:00:00.5+08:00"},
        {"occurred_at": "2025-03-03T10:00:00"}, {"occurred_at": "1999-12-31T10:00:00+08:00"},
        {"occurred_at": "2125-03-03T10:00:00+08:00"}, {"occurred_at": "2025-02-30T10:00:00+08:00"},
        {"occurred_at": "2025-03-03T24:00:00+08:00"}, {"occurred_at": 1741000000},
        {"occurred_at": "2025-03-03T10:00:00-05:30"}, {"request_id": " r-1"}, {"request_id": ""},
        {"request_id": "x" * 64}, {"request_id": "x" * 65}, {"request_id": 'quote"d'}, {"request_id": "tab\t"},
        {"request_id": "back\\slash"}, {"request_id": "全角　"}, {"request_id": 12}, {"channel": "branch"},
        {"channel": None}, {"currency": "USD"}, {"currency": None}, {"currency": "CNY"}, {"bank_code": ""},
        {"branch_code": "B" * 33}, {"purpose": ""}, {"purpose": "装修" * 100}, {"purpose": "装修" * 101},
        {"purpose": None}, {"purpose": " 装修"}, {"signals": []}, {"signals": ["on_phone", "on_phone"]},
        {"signals": ["unknown"]}, {"signals": None}, {"signals": "on_phone"}, {"signals": ["on_phone"] * 65},
        {"extra": 1}, {"customer": None}, {"payee": "x"},
        {"customer": {"id_number": ADULT_MAN[:-1] + "0" if ADULT_MAN[-1] != "0" else ADULT_MAN[:-1] + "1"}},
        {"customer": {"id_number": ADULT_MAN[:6] + " " + ADULT_MAN[6:]}}, {"customer": {"id_number": None}},
        {"customer": {"id_number": "33100319850601007x"}}, {"customer": {"name": ""}},
        {"customer": {"name": "名" * 65}}, {"customer": {"phone": "+86 138 0013 8000"}},
        {"customer": {"phone": "12345"}}, {"customer": {"phone": None}}, {"customer": {"account_no": "6222-0200"}},
        {"customer": {"account_no": "62 22"}}, {"customer": {"account_no": " 6222020000000001"}},
        {"customer": {"balance": "0.00"}}, {"customer": {"balance": None}}, {"customer": {"balance": "1e5"}},
        {"customer": {"account_opened_on": "2015-1-2"}}, {"customer": {"account_opened_on": "2015-02-30"}},
        {"customer": {"account_opened_on": None}}, {"customer": {"vip": True}}, {"payee": {"account_no": None}},
        {"payee": {"region_code": "33100"}}, {"payee": {"region_code": 331003}}, {"payee": {"region_code": None}},
        {"payee": {"name": None}}, {"payee": {"bank_code": ""}}, {"payee": {"uscc": "91331003MA2AXXXX0X"}},
        {"payee": {"uscc": None}}, {"payee": {"account_opened_on": "2020-05-06T00:00:00"}},
    ]
    out = []
    for change in changes:
        variant = copy.deepcopy(base)
        for key, value in change.items():
            if isinstance(value, dict) and isinstance(variant.get(key), dict):
                variant[key].update(value)
            else:
                variant[key] = value
        out.append(variant)
    return out


def test_every_variant_is_prepared_alike_or_left_to_the_model():
    answered = 0
    for variant in _variants():
        answered += _same(orjson.dumps(variant)) is not None
    assert 10 < answered < len(_variants())  # both paths are exercised
    for raw in (b"", b"[]", b"null", b"{", b'{"request_id": "a", "request_id": "b"}', "{}".encode("utf-16"),
                orjson.dumps(body()).replace(b'"mobile"', b'"atm","channel":"mobile"')):
        _same(raw)


def test_refusals_keep_the_contracts_answer():
    for variant in _variants():
        raw = orjson.dumps(variant)
        if _model_answer(raw) is None:
            with pytest.raises(ValidationFailed) as refused:
                prepare_body(raw)
            assert refused.value.details, raw


def test_a_time_too_far_ahead_is_left_to_the_model():
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    raw = orjson.dumps(body(occurred_at=ahead.replace(microsecond=0).isoformat()))
    assert prepare_plain(raw) is None and _model_answer(raw) is None
