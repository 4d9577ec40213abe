import datetime as dt
from decimal import Decimal

import orjson
import pytest
from pydantic import ValidationError

from pingan.antifraud.engine.contract import (
    LabelledRequest,
    ScreeningResult,
    error_details,
    parse_labelled_request,
    parse_screening_request,
)

from .factories import ADULT_MAN, body


def faults(raw) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        parse_screening_request(raw)
    return [(d.field, d.code) for d in error_details(info.value)]


def test_valid_request_is_normalised():
    req = parse_screening_request(
        orjson.dumps(
            body(
                customer={"phone": "+86 138-0013-8000", "account_no": " 6222 0200 0000 0001 "},
                signals=["on_phone", "caller_instructing", "on_phone"],
            )
        )
    )
    assert req.customer.phone == "13800138000"
    assert req.customer.account_no == "6222020000000001"
    assert req.signals == ["on_phone", "caller_instructing"]
    assert req.currency == "CNY"
    assert req.amount == Decimal("2000.00")
    assert req.occurred_at.utcoffset() == dt.timedelta(hours=8)
    assert req.customer.resident.sex == "M"


def test_bytes_and_dict_give_the_same_request():
    assert parse_screening_request(orjson.dumps(body())) == parse_screening_request(body())


def test_id_number_check_digit_error_surfaces_with_its_code():
    wrong = ADULT_MAN[:-1] + ("1" if ADULT_MAN[-1] != "1" else "2")
    assert faults(body(customer={"id_number": wrong})) == [("customer.id_number", "id_number.check_digit")]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"amount": "12.345"}, ("amount", "decimal_max_places")),
        ({"amount": 12.345}, ("amount", "decimal_max_places")),
        ({"amount": 0}, ("amount", "greater_than")),
        ({"amount": -5}, ("amount", "greater_than")),
        ({"amount": True}, ("amount", "decimal_type")),
        ({"amount": "NaN"}, ("amount", "finite_number")),
        ({"amount": "Infinity"}, ("amount", "finite_number")),
        ({"occurred_at": "2025-03-03T10:00:00"}, ("occurred_at", "timezone_aware")),
        ({"occurred_at": 1740967200}, ("occurred_at", "datetime_type")),
        ({"occurred_at": "yesterday"}, ("occurred_at", "datetime_from_date_parsing")),
        ({"channel": "branch"}, ("channel", "not_allowed")),
        ({"currency": "USD"}, ("currency", "not_allowed")),
        ({"signals": ["on_phone", "hypnotised"]}, ("signals[1]", "not_allowed")),
        ({"request_id": ""}, ("request_id", "string_too_short")),
        ({"request_id": "x" * 65}, ("request_id", "string_too_long")),
        ({"purpose": "钱" * 201}, ("purpose", "string_too_long")),
        ({"device_id": "abc"}, ("device_id", "unknown_field")),
        ({"customer": {"id_number": "33100319850601"}}, ("customer.id_number", "id_number.format")),
        ({"customer": {"phone": "12345"}}, ("customer.phone", "phone.format")),
        ({"customer": {"balance": "-1"}}, ("customer.balance", "greater_than_equal")),
        ({"customer": {"account_no": "12#45678"}}, ("customer.account_no", "account_no.format")),
        ({"customer": {"nickname": "x"}}, ("customer.nickname", "unknown_field")),
        ({"customer": {"name": ...}}, ("customer.name", "required")),
        ({"payee": {"region_code": "33100"}}, ("payee.region_code", "string_pattern_mismatch")),
        (
            {"payee": {"account_opened_on": "2025-02-30"}},
            ("payee.account_opened_on", "date_from_datetime_parsing"),
        ),
        ({"payee": ...}, ("payee", "required")),
    ],
)
def test_each_bad_field_is_reported_with_path_and_code(overrides, expected):
    assert faults(orjson.dumps(body(**overrides))) == [expected]


def test_several_faults_are_all_reported():
    found = faults(body(amount="1.001", channel="fax", customer={"phone": "1"}))
    assert sorted(found) == [
        ("amount", "decimal_max_places"),
        ("channel", "not_allowed"),
        ("customer.phone", "phone.format"),
    ]


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b'"text"', b"\xff\xfe"])
def test_garbage_bodies_are_validation_errors(raw):
    assert faults(raw)


def test_identity_message_is_carried_for_people():
    wrong = ADULT_MAN[:-1] + ("1" if ADULT_MAN[-1] != "1" else "2")
    with pytest.raises(ValidationError) as info:
        parse_screening_request(body(customer={"id_number": wrong}))
    assert "校验位" in error_details(info.value)[0].message


def test_labelled_request_carries_the_label():
    req = parse_labelled_request(body(label={"is_fraud": True, "typology": "loan"}))
    assert isinstance(req, LabelledRequest)
    assert req.label.is_fraud and req.label.typology == "loan"


def test_a_label_may_name_a_typology_outside_the_list():
    req = parse_labelled_request(body(label={"is_fraud": True, "typology": "lottery"}))
    assert req.label.typology == "lottery"


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ({"is_fraud": False, "typology": "loan"}, "label.typology_without_fraud"),
        ({"is_fraud": True, "typology": ""}, "string_too_short"),
        ({"typology": None}, "required"),
    ],
)
def test_bad_labels_are_refused(label, code):
    with pytest.raises(ValidationError) as info:
        parse_labelled_request(body(label=label))
    assert [d.code for d in error_details(info.value)] == [code]


def test_result_score_and_risk_are_bounded():
    fields = dict(
        screening_id="s1",
        request_id="r1",
        decision="allow",
        reasons=[],
        typology=None,
        questions=[],
        alert_id=None,
        model_version="rules-only",
        elapsed_ms=0.2,
    )
    assert ScreeningResult(score=1000, risk=999.75, **fields).score == 1000
    for score, risk in ((1001, 999.75), (1000, 1000.5), (0, -0.1)):
        with pytest.raises(ValidationError):
            ScreeningResult(score=score, risk=risk, **fields)
