"""The common screening body prepared without Pydantic: the same checks and the same result, for less.

Almost every body a bank sends is plain: every field of the expected JSON type, text without surrounding
spaces or control characters, amounts already in cents ("2765.00"), times to the second with a non-zero
offset. For such a body, validating it with the contract's Pydantic model and serialising it back is most
of the cost of preparing it (`prepared.prepare_body`). `prepare_plain` checks that the body is plain and
passes every rule of the contract (`engine.contract`: lengths, patterns, the ID number's check digit, the
phone, the account numbers, the credit code, the time's range) and gives the fields of the same
`PreparedRequest`: the same canonical JSON, hash and facts.

Whatever it is not sure of — any fault at all, or anything out of the plain form (a number where text is
expected, "2000" for "2000.00", a time in UTC or with fractions, spaces to strip) — it leaves to the
Pydantic model by answering None, so every refusal, and every unusual body, keeps the contract's own
answer. tests/antifraud/screening/test_plain.py holds the two paths to the same result on a simulated
month and on variants of its bodies.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from decimal import Decimal
from types import SimpleNamespace

import orjson

from pingan.antifraud.engine.contract import (
    CHANNELS,
    EARLIEST_OCCURRED_AT,
    LATEST_AHEAD,
    SIGNALS,
    Customer,
    Payee,
    ScreeningRequest,
    normalize_account_no,
    read_resident,
)
from pingan.antifraud.engine.features import request_facts
from pingan.core import clock
from pingan.core.identity import InvalidIdentity, normalize_phone, parse_resident_id, validate_uscc

_REQUEST_KEYS = frozenset(ScreeningRequest.model_fields)
_CUSTOMER_KEYS = frozenset(Customer.model_fields)
_PAYEE_KEYS = frozenset(Payee.model_fields)
_SIGNAL_SET = frozenset(SIGNALS)
_CHANNEL_SET = frozenset(CHANNELS)
# What the contract's serialiser would write back unchanged: cents with no leading zero, up to 15 digits.
_MONEY = re.compile(r"(?:0|[1-9][0-9]{0,12})\.[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-](?!00:00)[0-9]{2}:[0-9]{2}")
_REGION = re.compile(r"[0-9]{6}")
# Characters either serialiser might escape differently, and the ends Pydantic would strip.
_UNSAFE = re.compile(r'[\x00-\x1f"\\\x7f]')


class _NotPlain(Exception):
    """The body is left to the contract's model."""


def prepare_plain(body: bytes) -> tuple | None:
    """The fields of the body's `PreparedRequest`, in order, exactly as `prepared.prepare_body` would make
    them; None when the body is not plain or not valid."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict:
        return None
    try:
        return _prepare(data)
    except _NotPlain:
        return None


def _prepare(data: dict) -> tuple:
    if not data.keys() <= _REQUEST_KEYS:
        raise _NotPlain
    customer, payee = _customer(data.get("customer")), _payee(data.get("payee"))
    channel = data.get("channel")
    if channel not in _CHANNEL_SET or type(channel) is not str or data.get("currency", "CNY") != "CNY":
        raise _NotPlain
    occurred_at, when = _time(data.get("occurred_at"))
    amount = _money(data.get("amount"))
    if amount == "0.00":
        raise _NotPlain
    purpose = data.get("purpose")
    if purpose is not None:
        _text(purpose, 0, 200)
    canonical = {
        "request_id": _text(data.get("request_id"), 1, 64), "bank_code": _text(data.get("bank_code"), 1, 32),
        "branch_code": _text(data.get("branch_code"), 1, 32), "channel": channel, "occurred_at": occurred_at,
        "amount": amount, "currency": "CNY", "customer": customer, "payee": payee, "purpose": purpose,
        "signals": _signals(data.get("signals", [])),
    }  # fmt: skip
    request_json = orjson.dumps(canonical).decode()
    c = SimpleNamespace(**customer, resident=read_resident(customer["id_number"]))
    c.account_opened_on = _day(customer["account_opened_on"])
    c.balance = None if customer["balance"] is None else Decimal(customer["balance"])
    p = SimpleNamespace(**payee)
    p.account_opened_on = _day(payee["account_opened_on"])
    req = SimpleNamespace(**canonical)
    req.customer, req.payee, req.occurred_at, req.amount = c, p, when, Decimal(amount)
    return (
        canonical["request_id"], canonical["bank_code"], canonical["branch_code"], channel, occurred_at, amount,
        customer["id_number"], payee["account_no"], request_json, hashlib.sha256(request_json.encode()).hexdigest(),
        request_facts(req),
    )  # fmt: skip


def _customer(value) -> dict:
    if type(value) is not dict or not value.keys() <= _CUSTOMER_KEYS:
        raise _NotPlain
    phone, balance = value.get("phone"), value.get("balance")
    return {
        "id_number": _id_number(_text(value.get("id_number"), 1, 64)), "name": _text(value.get("name"), 1, 64),
        "phone": None if phone is None else _phone(_text(phone, 1, 64)),
        "account_no": _account(value.get("account_no")), "account_opened_on": _date(value.get("account_opened_on")),
        "balance": None if balance is None else _money(balance),
    }  # fmt: skip


def _payee(value) -> dict:
    if type(value) is not dict or not value.keys() <= _PAYEE_KEYS:
        raise _NotPlain
    name, bank_code, uscc = value.get("name"), value.get("bank_code"), value.get("uscc")
    region = value.get("region_code")
    if region is not None and (type(region) is not str or not _REGION.fullmatch(region)):
        raise _NotPlain
    return {
        "account_no": _account(value.get("account_no")), "name": None if name is None else _text(name, 1, 64),
        "bank_code": None if bank_code is None else _text(bank_code, 1, 32), "region_code": region,
        "account_opened_on": _date(value.get("account_opened_on")),
        "uscc": None if uscc is None else _uscc(_text(uscc, 1, 64)),
    }  # fmt: skip


def _text(value, shortest: int, longest: int) -> str:
    if type(value) is not str or not shortest <= len(value) <= longest or _UNSAFE.search(value) \
            or value != value.strip():
        raise _NotPlain
    return value


def _money(value) -> str:
    if type(value) is not str or not _MONEY.fullmatch(value):
        raise _NotPlain
    return value


def _date(value) -> str | None:
    if value is None:
        return None
    if type(value) is not str or not _DATE.fullmatch(value):
        raise _NotPlain
    _day(value)
    return value


@functools.lru_cache(maxsize=1 << 14)
def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _NotPlain from None


def _time(value) -> tuple[str, dt.datetime]:
    if type(value) is not str or not _TIME.fullmatch(value):
        raise _NotPlain
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _NotPlain from None
    if not EARLIEST_OCCURRED_AT <= when <= clock.now() + LATEST_AHEAD:
        raise _NotPlain
    return value, when


def _signals(value) -> list[str]:
    if type(value) is not list or len(value) > 64:
        raise _NotPlain
    for signal in value:
        if type(signal) is not str or signal not in _SIGNAL_SET:
            raise _NotPlain
    return list(dict.fromkeys(value))


def _id_number(value: str) -> str:
    checked = _checked(parse_resident_id, value, dt.date.today())
    if checked is None:
        raise _NotPlain
    return checked.number


def _phone(value: str) -> str:
    checked = _checked(normalize_phone, value)
    if checked is None:
        raise _NotPlain
    return checked


def _uscc(value: str) -> str:
    checked = _checked(validate_uscc, value)
    if checked is None:
        raise _NotPlain
    return checked


def _account(value) -> str:
    if type(value) is not str or _UNSAFE.search(value) or value != value.strip():
        raise _NotPlain
    checked = _checked(normalize_account_no, value)
    if checked is None:
        raise _NotPlain
    return checked


@functools.lru_cache(maxsize=1 << 16)
def _checked(check, value: str, today: dt.date | None = None):
    # A county's ID numbers, phones and accounts come back in request after request.
    try:
        return check(value) if today is None else check(value, today=today)
    except (InvalidIdentity, ValueError):
        return None
